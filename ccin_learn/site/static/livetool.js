/* Tools in the page (issue 11): a picture never looks live; "Run this tool here" starts it.
 *
 * Each `{live-tool}` box (ccin_learn/site/livetool.py) stands above the notebook cell that
 * shows the tool as the build saved it. This script:
 * 1. disables every control in that picture, including controls the widget manager draws
 *    later, and marks the picture as such (`.ccin-snapshot`);
 * 2. on "Run this tool here", loads the JupyterLite REPL (Pyodide) in an iframe, shows what
 *    is happening and for how long, and swaps the picture for the running tool once it has
 *    drawn its first result. Nothing loads before the press: the page stays light.
 * The REPL is on this site (same origin), so the script can style it and follow its size.
 */
(function () {
  "use strict";

  var CONTROLS = "input, select, textarea, button";
  var WIDGET = ".jp-OutputArea-output .jupyter-widgets";
  var FAILED = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]';
  var GIVE_UP_MS = 180000;

  function snapshotAfter(box) {
    var el = box.nextElementSibling;
    while (el && !el.querySelector('script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets')) {
      el = el.nextElementSibling;
    }
    return el;
  }

  function disableControls(root) {
    root.querySelectorAll(CONTROLS).forEach(function (control) {
      control.disabled = true;
      control.setAttribute("aria-disabled", "true");
      control.tabIndex = -1;
    });
  }

  /* A box in the picture that scrolls (a wide table, a box a few pixels too narrow) must
     be reachable by keyboard, since the picture's own controls are out of the tab order. */
  function reachScrollBoxes(root, label) {
    root.querySelectorAll(".lm-Panel, .widget-html-content").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label);
      }
    });
  }

  function freeze(snapshot, label) {
    snapshot.classList.add("ccin-snapshot");
    snapshot.setAttribute("role", "group");
    snapshot.setAttribute("aria-label", label);
    function update() {
      disableControls(snapshot);
      reachScrollBoxes(snapshot, label + " (scrolls sideways)");
    }
    update();
    new MutationObserver(update).observe(snapshot, { childList: true, subtree: true });
  }

  function say(status, text) {
    status.textContent = text;
  }

  function styleRepl(frame) {
    var doc = frame.contentDocument;
    var root = new URL(document.documentElement.dataset.content_root || "", location.href);
    ["_static/lite-embed.css", "_static/widget-fit.css"].forEach(function (file) {
      var link = doc.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL(file, root).href;
      doc.head.appendChild(link);
    });
    // The REPL's own input box stays in the page (see lite-embed.css) but out of reach.
    var input = doc.querySelector(".jp-CodeConsole-input");
    if (input) input.setAttribute("inert", "");
    // A press in the tool is the tool's: the REPL would also take it (in its capture phase)
    // to select its cell, which scrolls the page under the pointer and loses the click.
    // The kit's tools use clicks, keys and native selects, none of which needs mousedown.
    doc.addEventListener("mousedown", function (event) {
      if (event.target.closest && event.target.closest(".jp-OutputArea-output")) {
        event.stopPropagation();
      }
    }, true);
    // Enter in a box commits the figure, as it does in the kit's own server: in the REPL a
    // box commits only when it loses focus, which a reader pressing Enter does not expect.
    doc.addEventListener("keydown", function (event) {
      var box = event.target;
      if (event.key === "Enter" && box.matches && box.matches(".jp-OutputArea-output input")) {
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }, true);
  }

  /* The frame is as tall as the tool, so the page scrolls, not a box inside the frame:
     the REPL's output area gets the frame's height less what the REPL's other parts take. */
  function fitHeight(frame) {
    var doc = frame.contentDocument;
    var tool = doc.querySelector(WIDGET);
    var content = doc.querySelector(".jp-CodeConsole-content");
    if (!content) return;
    function fit() {
      reachScrollBoxes(doc.querySelector(".jp-OutputArea-output") || doc.body,
        "Table (scrolls sideways)");
      var others = frame.contentWindow.innerHeight - content.clientHeight;
      var height = Math.ceil(content.scrollHeight + others + 2);
      if (Math.abs(frame.offsetHeight - height) > 2) frame.style.height = height + "px";
    }
    fit();
    if (window.ResizeObserver) new ResizeObserver(fit).observe(tool);
  }

  /* The tools' links to the course's pages open in the reader's tab, not inside the iframe
     (JupyterLab would try to open them as files). Capture runs before JupyterLab's own. */
  function openLinksHere(frame) {
    frame.contentDocument.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link) return;
      var url = new URL(link.getAttribute("href"), frame.contentWindow.location.href);
      if (url.origin !== location.origin || url.pathname.indexOf("/lite/") !== -1) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      window.location.href = url.href;
    }, true);
  }

  /* The button the reader pressed is gone: the keyboard goes on in the tool itself. */
  function focusTool(frame, tries) {
    var first = frame.contentDocument.querySelector(
      WIDGET + " input:not([disabled]), " + WIDGET + " select:not([disabled])");
    if (first) {
      first.focus();
    } else if ((tries || 0) < 20) {
      // The widget draws its children just after its box: look again shortly.
      setTimeout(function () { focusTool(frame, (tries || 0) + 1); }, 100);
    } else {
      frame.focus();
    }
  }

  function showTool(box, snapshot, frame, status, seconds) {
    styleRepl(frame);
    openLinksHere(frame);
    frame.classList.remove("ccin-live-frame-loading");
    fitHeight(frame);
    snapshot.hidden = true;
    box.classList.add("ccin-live-running");
    box.querySelectorAll("p:not(.ccin-live-run)").forEach(function (note) {
      note.hidden = true;
    });
    say(status, box.dataset.name + " is running in this page (it started in " + seconds +
      " s). Python runs inside your browser, so nothing you type leaves your computer.");
  }

  function start(box, snapshot, button, status) {
    var name = box.dataset.name;
    var frame = document.createElement("iframe");
    frame.className = "ccin-live-frame";
    frame.title = name + ", running in this page";
    frame.classList.add("ccin-live-frame-loading"); // laid out off screen until ready
    var began = Date.now();
    var stage = "Loading the tool";
    var progress = document.createElement("progress");
    progress.className = "ccin-live-progress";
    progress.setAttribute("aria-label", "Starting " + name);
    button.disabled = true;
    button.after(progress);
    frame.addEventListener("load", function () {
      stage = "Starting Python in your browser";
    });
    frame.src = box.dataset.repl;
    snapshot.after(frame);
    var timer = setInterval(function () {
      var seconds = Math.round((Date.now() - began) / 1000);
      var doc = frame.contentDocument;
      if (doc && doc.querySelector(WIDGET)) {
        clearInterval(timer);
        progress.remove();
        // Focus is still where the press left it (JupyterLab may have moved it into its
        // frame as it started), not somewhere the reader went meanwhile.
        var active = document.activeElement;
        var wasHere = active === button || active === document.body || active === frame;
        button.hidden = true;
        showTool(box, snapshot, frame, status, seconds);
        if (wasHere) focusTool(frame);
      } else if ((doc && doc.querySelector(FAILED)) || Date.now() - began > GIVE_UP_MS) {
        clearInterval(timer);
        progress.remove();
        frame.remove();
        button.disabled = false;
        button.textContent = "Try again";
        say(status, "The tool could not start in this browser. The picture below still " +
          "shows the example; try again, or use the kit's own server (ccin-learn start).");
      } else {
        say(status, stage + "… " + seconds + " s");
      }
    }, 100); // often: the tool shows the moment it is drawn
    say(status, stage + "…");
  }

  function setUp(box) {
    var snapshot = snapshotAfter(box);
    if (!snapshot) return;
    freeze(snapshot, "Picture of the tool " + box.dataset.name + ": its controls are disabled");
    var button = box.querySelector(".ccin-live-start");
    var status = box.querySelector(".ccin-live-status");
    if (!button || !status || !box.dataset.repl) return;
    button.addEventListener("click", function () {
      start(box, snapshot, button, status);
    });
  }

  function init() {
    document.querySelectorAll(".ccin-live-tool").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
