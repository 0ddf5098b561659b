"""Each module's self-check quiz, offline in Chromium: a right and a wrong answer, with feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccin_learn.course.quiz import load_quiz
from tests.browser.offline import offline_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = sorted((ROOT / "modules").glob("*/quiz.yaml"))


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.parent.name)
def test_quiz_marks_a_right_and_a_wrong_answer_in_the_browser(chromium, site_url, path):
    quiz = load_quiz(path)
    first, second = quiz.questions[:2]
    wrong = next(key for key in second.options if key != second.answer)
    page, log = offline_page(chromium)
    try:
        page.goto(f"{site_url}modules/{path.parent.name}/quiz.html", wait_until="networkidle")
        page.locator(f"#quiz-{first.id}-{first.answer}").check()
        page.get_by_role("button", name="Check answer 1", exact=True).click()
        feedback = page.locator(f"#quiz-{first.id} .ccin-quiz-feedback")
        assert feedback.inner_text() == f"Correct. {first.feedback[first.answer]}"

        page.locator(f"#quiz-{second.id}-{wrong}").check()
        page.get_by_role("button", name="Check answer 2", exact=True).click()
        feedback = page.locator(f"#quiz-{second.id} .ccin-quiz-feedback")
        assert feedback.inner_text() == f"Not quite. {second.feedback[wrong]}"
        score = page.locator(".ccin-quiz-score").inner_text()
        total = len(quiz.questions)
        assert score == f"You have answered 2 of {total} questions: 1 right first time."
        assert log.external_requests == [] and log.console_errors == []
    finally:
        page.close()


def test_every_module_has_a_quiz():
    assert sorted(p.parent.name for p in QUIZZES) == sorted(
        p.name for p in (ROOT / "modules").iterdir() if p.is_dir()
    )
