// The reader's progress, kept in this browser's localStorage and sent nowhere: pages read,
// the last page visited and quiz answers. The pages of each module come from the page's
// JSON config (ccin_learn/site/progress.py), never from this script. Text from storage or
// from an imported file is only ever set with textContent.
(function () {
  "use strict";

  var KEY = "ccin-learn-progress";
  var FORMAT = "ccin-learn-progress";
  var PAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.\/-]*$/;
  var OPTION = /^[a-e]$/;

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function empty() {
    return { format: FORMAT, version: 1, read: {}, last: null, quizzes: {} };
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function validAnswer(answer) {
    return isObject(answer) && OPTION.test(answer.chosen) &&
      (answer.first === "right" || answer.first === "wrong");
  }

  function validQuiz(quiz) {
    return isObject(quiz) && Object.keys(quiz).every(function (id) {
      return validAnswer(quiz[id]);
    });
  }

  // True when the data has the shape this script writes; anything else is refused whole.
  function valid(data) {
    if (!isObject(data) || data.format !== FORMAT || data.version !== 1) return false;
    if (!isObject(data.read) || !isObject(data.quizzes)) return false;
    var readOk = Object.keys(data.read).every(function (page) {
      return PAGE_NAME.test(page) && typeof data.read[page] === "string";
    });
    var lastOk = data.last === null || (isObject(data.last) && PAGE_NAME.test(data.last.page) &&
      typeof data.last.title === "string" &&
      (data.last.at === undefined || typeof data.last.at === "string"));
    var quizzesOk = Object.keys(data.quizzes).every(function (key) {
      return validQuiz(data.quizzes[key]);
    });
    return readOk && lastOk && quizzesOk;
  }

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return valid(data) ? data : empty();
    } catch (error) {
      return empty();
    }
  }

  function save(data) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
    } catch (error) {
      // Storage is off (a private window, or full): the page still works, it just forgets.
    }
  }

  function update(change) {
    var data = load();
    change(data);
    save(data);
    return data;
  }

  function readConfig() {
    var element = document.getElementById("ccin-progress-config");
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  var config = readConfig();

  // What quiz.js uses: one store, one shape, so export and import carry the quizzes too.
  window.ccinProgress = {
    page: config ? config.page : location.pathname,
    load: load,
    update: update,
  };

  if (!config) return;

  function pageUrl(page) {
    return new URL(config.root + page + ".html", location.href);
  }

  function sameUrl(a, b) {
    return a.origin + a.pathname === b.origin + b.pathname;
  }

  function pageTitle() {
    var heading = document.querySelector("article.bd-article h1");
    if (!heading) return document.title;
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.trim();
  }

  // ---- the navigation: "7 of 19 read" beside each module ----------------------------------

  function navCounts() {
    var data = load();
    var links = document.querySelectorAll(".bd-docs-nav a.reference.internal");
    Object.keys(config.modules).forEach(function (landing) {
      var pages = config.modules[landing];
      var target = pageUrl(landing);
      var read = pages.filter(function (page) { return data.read[page]; }).length;
      links.forEach(function (link) {
        if (!sameUrl(new URL(link.getAttribute("href"), location.href), target)) return;
        var count = link.parentNode.querySelector(":scope > .ccin-nav-progress");
        if (!count) {
          count = document.createElement("span");
          count.className = "ccin-nav-progress";
          link.insertAdjacentElement("afterend", count);
        }
        count.textContent = read + " of " + pages.length + " read";
        count.classList.toggle("ccin-nav-progress-done", read === pages.length);
      });
    });
  }

  // ---- this page: read at its end, or ticked --------------------------------------------

  function setRead(isRead) {
    update(function (data) {
      if (isRead) {
        data.read[config.page] = data.read[config.page] || new Date().toISOString();
      } else {
        delete data.read[config.page];
      }
    });
    navCounts();
  }

  // A click this soon after the page ticked itself was aimed at the unticked box: the
  // reader scrolled to it to tick it and the end of the page got there first.
  var MEANT_TO_TICK_MS = 2000;

  function readBox(article) {
    var box = document.createElement("div");
    box.className = "ccin-page-read";
    var input = document.createElement("input");
    input.type = "checkbox";
    input.id = "ccin-page-read";
    input.checked = Boolean(load().read[config.page]);
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.textContent = "Mark this page as read";
    var note = document.createElement("span");
    note.className = "ccin-page-read-note";
    note.textContent = "(kept only in this browser)";
    box.append(input, label, note);
    article.appendChild(box);
    input.addEventListener("change", function () {
      var autoTicked = Number(input.dataset.autoTicked || 0);
      if (!input.checked && Date.now() - autoTicked < MEANT_TO_TICK_MS) {
        input.checked = true;
        return;
      }
      setRead(input.checked);
      keptUnticked(input.checked ? "forget" : "remember");
    });
    return input;
  }

  // Pages the reader unticked in this tab: reaching their end again (a reload lands
  // there) does not tick them back. Kept for the tab only, beside nothing else.
  function keptUnticked(action) {
    var key = "ccin-learn-unticked";
    var pages;
    try {
      pages = JSON.parse(sessionStorage.getItem(key) || "[]");
    } catch (error) {
      pages = [];
    }
    if (!Array.isArray(pages)) pages = [];
    var here = pages.indexOf(config.page);
    if (action === "remember" && here === -1) pages.push(config.page);
    if (action === "forget" && here !== -1) pages.splice(here, 1);
    try {
      sessionStorage.setItem(key, JSON.stringify(pages));
    } catch (error) {
      // storage full or refused: the page may tick itself again, nothing worse
    }
    return pages.indexOf(config.page) !== -1;
  }

  // Reaching the box at the article's end marks the page read, once per visit, so a reader
  // who unticks it is not overruled by scrolling.
  function watchEnd(box, input) {
    if (!("IntersectionObserver" in window)) return;
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      if (!input.checked && !keptUnticked("ask")) {
        input.checked = true;
        input.dataset.autoTicked = String(Date.now());
        setRead(true);
      }
    });
    observer.observe(box);
  }

  function trackPage() {
    var article = document.querySelector("article.bd-article");
    if (!article || config.page === config.home) return;
    var input = readBox(article);
    watchEnd(input.parentNode, input);
    update(function (data) {
      data.last = { page: config.page, title: pageTitle(), at: new Date().toISOString() };
    });
  }

  // ---- the home page: continue, save to a file, load from a file -------------------------

  function showContinue(panel) {
    var last = load().last;
    var row = panel.querySelector(".ccin-continue");
    row.hidden = !last;
    if (!last) return;
    panel.querySelector(".ccin-continue-link").href = pageUrl(last.page).href;
    panel.querySelector(".ccin-continue-title").textContent = ": " + last.title;
  }

  function exportProgress(panel) {
    var blob = new Blob([JSON.stringify(load(), null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "ccin-learn-progress.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    panel.querySelector(".ccin-progress-message").textContent =
      "Your progress is saved to the file ccin-learn-progress.json in your downloads.";
  }

  // Loading a file adds to what this browser kept, so an older file from another computer
  // never wipes out reading done here. A page keeps its earlier read date; a question
  // answered in both places keeps this browser's choice and counts as right first time only
  // if it was right first time in both; "continue" goes to the later of the two last pages.
  function addInto(mine, theirs) {
    Object.keys(theirs.read).forEach(function (page) {
      var here = mine.read[page];
      if (!here || theirs.read[page] < here) mine.read[page] = theirs.read[page];
    });
    Object.keys(theirs.quizzes).forEach(function (key) {
      if (!Object.keys(theirs.quizzes[key]).length) return;
      var quiz = mine.quizzes[key] || (mine.quizzes[key] = {});
      Object.keys(theirs.quizzes[key]).forEach(function (id) {
        var other = theirs.quizzes[key][id];
        if (!quiz[id]) {
          quiz[id] = { chosen: other.chosen, first: other.first };
        } else if (other.first === "wrong") {
          quiz[id].first = "wrong";
        }
      });
    });
    if (later(theirs.last, mine.last)) mine.last = theirs.last;
  }

  // A last page without a time (saved before times were kept) counts as older than any.
  function later(a, b) {
    if (!a) return false;
    if (!b) return true;
    return (a.at || "") > (b.at || "");
  }

  function importProgress(panel, input) {
    var message = panel.querySelector(".ccin-progress-message");
    var file = input.files && input.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var data = null;
      try {
        data = JSON.parse(text);
      } catch (error) {
        data = null;
      }
      if (!valid(data)) {
        message.textContent = "That file is not progress saved from this course, " +
          "so nothing was changed.";
        return;
      }
      var merged = update(function (mine) { addInto(mine, data); });
      var pages = Object.keys(merged.read).length;
      var quizzes = Object.keys(merged.quizzes).length;
      message.textContent = "Progress loaded and added to what this browser kept. You now have " +
        plural(pages, "page", "pages") + " read and answers to " +
        plural(quizzes, "quiz", "quizzes") + ".";
      showContinue(panel);
      navCounts();
    }).finally(function () { input.value = ""; });
  }

  function setUpPanel() {
    var panel = document.querySelector(".ccin-progress-panel");
    if (!panel) return;
    panel.querySelector(".ccin-progress-tools").hidden = false;
    showContinue(panel);
    panel.querySelector(".ccin-progress-export").addEventListener("click", function () {
      exportProgress(panel);
    });
    var input = panel.querySelector(".ccin-progress-import");
    input.addEventListener("change", function () { importProgress(panel, input); });
  }

  function start() {
    trackPage();
    navCounts();
    setUpPanel();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
