// Marks the book's self-check quizzes in the browser: no server, nothing sent anywhere.
(function () {
  "use strict";

  function mark(fieldset) {
    var chosen = fieldset.querySelector("input[type=radio]:checked");
    var feedback = fieldset.querySelector(".ccin-quiz-feedback");
    fieldset.classList.remove("ccin-quiz-right", "ccin-quiz-wrong");
    if (!chosen) {
      feedback.textContent = "Choose an answer first.";
      return;
    }
    var right = chosen.dataset.correct === "true";
    fieldset.classList.add(right ? "ccin-quiz-right" : "ccin-quiz-wrong");
    fieldset.dataset.result = right ? "right" : "wrong";
    feedback.textContent = (right ? "Correct. " : "Not quite. ") + chosen.dataset.feedback;
    score(fieldset.closest("form.ccin-quiz"));
  }

  function score(form) {
    var total = Number(form.dataset.questions);
    var answered = form.querySelectorAll("fieldset[data-result]").length;
    var right = form.querySelectorAll("fieldset[data-result=right]").length;
    form.querySelector(".ccin-quiz-score").textContent =
      "You have " + right + " right out of " + answered + " answered (" + total + " questions).";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".ccin-quiz-check");
    if (button) {
      mark(button.closest("fieldset"));
    }
  });
})();
