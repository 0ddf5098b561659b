"""Self-check quizzes: questions and answer keys in a YAML file beside each module.

The quiz is marked in the reader's browser with no server: the page carries
each option's feedback, and ``static/quiz.js`` shows the feedback for the
option chosen. The data file is checked on load: every answer key must name
one of the question's options, and every option must have its feedback.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from pydantic import Field, model_validator

from ccin_learn.datafile import DataModel, first_repeat, load_yaml_model

OPTION_KEYS = ("a", "b", "c", "d", "e")
VERDICT = re.compile(r"^(correct|right|yes|no|not quite|incorrect|wrong)\b[.!,:;]?", re.I)


class Question(DataModel):
    """One multiple-choice question with feedback on every option."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    prompt: str = Field(min_length=10)
    options: dict[str, str]
    answer: str
    feedback: dict[str, str]

    @model_validator(mode="after")
    def _keys(self) -> Question:
        keys = list(self.options)
        if not 2 <= len(keys) <= len(OPTION_KEYS) or keys != list(OPTION_KEYS[: len(keys)]):
            raise ValueError(f"options must be keyed a, b, c... in order (2 to 5), got {keys}")
        if self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of the options {keys}")
        if sorted(self.feedback) != sorted(keys):
            raise ValueError(f"feedback must be given for each option {keys}")
        if len(set(self.options.values())) != len(keys):
            raise ValueError("two options have the same text")
        for key, text in self.feedback.items():
            if VERDICT.match(text):
                raise ValueError(
                    f"feedback {key!r} starts with a verdict; the page adds "
                    "'Correct.' or 'Not quite.' itself"
                )
        return self


class Quiz(DataModel):
    """A module's end-of-module self-check: 6 to 10 questions."""

    title: str = "Check your understanding"
    questions: tuple[Question, ...] = Field(min_length=6, max_length=10, strict=False)

    @model_validator(mode="after")
    def _unique(self) -> Quiz:
        if first_repeat(q.id for q in self.questions) is not None:
            raise ValueError("question ids must be unique")
        return self


def load_quiz(path: Path) -> Quiz:
    """Load and check a quiz file; DataFileError names the bad field."""
    return load_yaml_model(path, Quiz)


def option_html(question: Question, key: str) -> str:
    input_id = f"quiz-{question.id}-{key}"
    return (
        f'<div class="ccin-quiz-option"><input type="radio" id="{input_id}" '
        f'name="quiz-{question.id}" value="{key}" '
        f'data-correct="{"true" if key == question.answer else "false"}" '
        f'data-feedback="{escape(question.feedback[key], quote=True)}">'
        f'<label for="{input_id}">{escape(question.options[key])}</label></div>'
    )


def question_html(question: Question, number: int) -> str:
    options = "".join(option_html(question, key) for key in question.options)
    return (
        f'<fieldset class="ccin-quiz-question" id="quiz-{question.id}">'
        f"<legend>{number}. {escape(question.prompt)}</legend>{options}"
        f'<button type="button" class="ccin-quiz-check">Check answer {number}</button>'
        f'<div class="ccin-quiz-feedback" role="status" aria-live="polite"></div>'
        f"</fieldset>"
    )


def quiz_html(quiz: Quiz, name: str = "quiz") -> str:
    """The quiz as accessible HTML: fieldsets, labelled radios, a live feedback region.

    ``name`` (the data file's stem) tells the quiz apart from any other on the page, so
    the browser keeps each quiz's answers under its own key. The reset button clears them.
    """
    questions = "".join(question_html(q, n) for n, q in enumerate(quiz.questions, start=1))
    return (
        f'<form class="ccin-quiz" aria-label="{escape(quiz.title, quote=True)}" '
        f'data-quiz="{escape(name, quote=True)}" '
        f'data-questions="{len(quiz.questions)}" onsubmit="return false">{questions}'
        '<p class="ccin-quiz-score" role="status" aria-live="polite"></p>'
        '<p class="ccin-quiz-note">Your answers are kept only in this browser. '
        '<button type="button" class="ccin-quiz-reset">Reset this quiz</button></p>'
        "<noscript><p>This quiz needs JavaScript to mark your answers.</p></noscript></form>"
    )
