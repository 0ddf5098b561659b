"""Self-check quizzes: every answer key names an option, and the page marks answers itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ccin_learn.course.quiz import load_quiz, quiz_html
from ccin_learn.datafile import DataFileError

ROOT = Path(__file__).resolve().parents[2]
QUIZ_FILES = sorted((ROOT / "modules").glob("*/quiz.yaml"))


def question(n: int, **changes: object) -> dict:
    base = {
        "id": f"q{n}",
        "prompt": f"Question number {n}: which is right?",
        "options": {"a": f"Right answer {n}", "b": f"Wrong answer {n}"},
        "answer": "a",
        "feedback": {"a": "Because of the reason.", "b": "The reason is the other one."},
    }
    base.update(changes)
    return base


def write(tmp_path, questions) -> Path:
    path = tmp_path / "quiz.yaml"
    path.write_text(yaml.safe_dump({"questions": questions}), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.parent.name)
def test_every_module_quiz_loads_with_keys_that_name_options(path):
    quiz = load_quiz(path)
    assert 6 <= len(quiz.questions) <= 10
    for q in quiz.questions:
        assert q.answer in q.options
        assert set(q.feedback) == set(q.options)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (question(1, answer="c"), "answer 'c' is not one of the options"),
        (question(1, feedback={"a": "Only one piece of feedback."}), "feedback must be given"),
        (question(1, options={"a": "Same", "c": "Other"}), "keyed a, b, c"),
        (question(1, options={"a": "Same", "b": "Same"}), "same text"),
        (question(1, feedback={"a": "Right. It is.", "b": "It is not."}), "starts with a verdict"),
    ],
)
def test_bad_keys_are_refused(tmp_path, bad, message):
    with pytest.raises(DataFileError, match=message):
        load_quiz(write(tmp_path, [bad, *(question(n) for n in range(2, 7))]))


def test_between_six_and_ten_questions(tmp_path):
    with pytest.raises(DataFileError, match="questions"):
        load_quiz(write(tmp_path, [question(n) for n in range(1, 6)]))
    with pytest.raises(DataFileError, match="questions"):
        load_quiz(write(tmp_path, [question(n) for n in range(1, 12)]))


def test_html_has_labelled_options_feedback_and_escapes_text(tmp_path):
    nasty = question(1, prompt="Is <script>alert(1)</script> safe to show here?")
    html = quiz_html(load_quiz(write(tmp_path, [nasty, *(question(n) for n in range(2, 8))])))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<fieldset") == 7 and html.count("<legend>") == 7
    assert '<label for="quiz-q1-a">' in html and 'id="quiz-q1-a"' in html
    assert 'data-correct="true"' in html and 'data-feedback="Because of the reason."' in html
    assert html.count('role="status"') == 8


def test_html_names_the_quiz_and_offers_a_labelled_reset(tmp_path):
    html = quiz_html(load_quiz(write(tmp_path, [question(n) for n in range(1, 7)])), 'a"b')
    assert 'data-quiz="a&quot;b"' in html
    assert '<button type="button" class="ccin-quiz-reset">Reset this quiz</button>' in html
    assert "kept only in this browser" in html
