// Marks the book's self-check quizzes in the browser: no server, nothing sent anywhere.
// The score is a first-try score: each question's first checked answer counts, and a
// corrected retry shows its feedback but does not change the score. Answers are kept in
// this browser (through progress.js) per quiz, by page and quiz name, until "Reset this quiz".
(function () {
  "use strict";

  var store = window.ccinProgress || null;

  function quizKey(form) {
    return (store ? store.page : location.pathname) + "#" + (form.dataset.quiz || "quiz");
  }

  function saved(form) {
    return store ? store.load().quizzes[quizKey(form)] || {} : {};
  }

  function questionId(fieldset) {
    return fieldset.id.replace(/^quiz-/, "");
  }

  function show(fieldset, chosen, first) {
    var feedback = fieldset.querySelector(".ccin-quiz-feedback");
    var right = chosen.dataset.correct === "true";
    fieldset.classList.remove("ccin-quiz-right", "ccin-quiz-wrong");
    fieldset.classList.add(right ? "ccin-quiz-right" : "ccin-quiz-wrong");
    fieldset.dataset.result = right ? "right" : "wrong";
    fieldset.dataset.first = first;
    feedback.textContent = (right ? "Correct. " : "Not quite. ") + chosen.dataset.feedback;
  }

  function remember(form, fieldset, chosen) {
    var id = questionId(fieldset);
    var first = fieldset.dataset.first || (chosen.dataset.correct === "true" ? "right" : "wrong");
    if (store) {
      store.update(function (data) {
        var quiz = data.quizzes[quizKey(form)] || {};
        first = quiz[id] ? quiz[id].first : first;
        quiz[id] = { chosen: chosen.value, first: first };
        data.quizzes[quizKey(form)] = quiz;
      });
    }
    return first;
  }

  function mark(fieldset) {
    var chosen = fieldset.querySelector("input[type=radio]:checked");
    var feedback = fieldset.querySelector(".ccin-quiz-feedback");
    if (!chosen) {
      feedback.textContent = "Choose an answer first.";
      return;
    }
    var form = fieldset.closest("form.ccin-quiz");
    show(fieldset, chosen, remember(form, fieldset, chosen));
    score(form);
  }

  function score(form) {
    var total = Number(form.dataset.questions);
    var answered = form.querySelectorAll("fieldset[data-first]").length;
    var right = form.querySelectorAll("fieldset[data-first=right]").length;
    var message = form.querySelector(".ccin-quiz-score");
    if (answered === 0) {
      message.textContent = "";
    } else if (answered < total) {
      message.textContent = "You have answered " + answered + " of " + total +
        " questions: " + right + " right first time.";
    } else {
      message.textContent = "Quiz finished: " + right + " of " + total + " right first time.";
    }
  }

  function restore(form) {
    var answers = saved(form);
    form.querySelectorAll("fieldset.ccin-quiz-question").forEach(function (fieldset) {
      var answer = answers[questionId(fieldset)];
      if (!answer) return;
      var chosen = fieldset.querySelector("input[type=radio][value='" + answer.chosen + "']");
      if (!chosen) return;
      chosen.checked = true;
      show(fieldset, chosen, answer.first);
    });
    score(form);
  }

  function reset(form) {
    if (store) {
      store.update(function (data) { delete data.quizzes[quizKey(form)]; });
    }
    form.querySelectorAll("fieldset.ccin-quiz-question").forEach(function (fieldset) {
      fieldset.classList.remove("ccin-quiz-right", "ccin-quiz-wrong");
      delete fieldset.dataset.result;
      delete fieldset.dataset.first;
      fieldset.querySelector(".ccin-quiz-feedback").textContent = "";
      fieldset.querySelectorAll("input[type=radio]").forEach(function (input) {
        input.checked = false;
      });
    });
    form.querySelector(".ccin-quiz-score").textContent =
      "The quiz is reset: your answers and score are cleared.";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".ccin-quiz-check");
    if (button) {
      mark(button.closest("fieldset"));
    }
    var resetButton = event.target.closest(".ccin-quiz-reset");
    if (resetButton) {
      reset(resetButton.closest("form.ccin-quiz"));
    }
  });

  function start() {
    document.querySelectorAll("form.ccin-quiz").forEach(restore);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
