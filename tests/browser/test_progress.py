"""Progress kept in the reader's browser, offline in Chromium: quiz answers and first-try
scores across a reload, pages read and counted in the navigation, continue where you left
off, and progress saved to a file and loaded in another browser."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ccin_learn.course.quiz import Question, Quiz, load_quiz
from tests.browser.offline import offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
QUIZ_PAGE = "modules/finance/quiz.html"
LONG_PAGES = ("modules/finance/tax-reliefs.html", "modules/finance/community-shares.html")
BAD_FILE = "That file is not progress saved from this course, so nothing was changed."


@pytest.fixture
def quiz() -> Quiz:
    return load_quiz(ROOT / "modules" / "finance" / "quiz.yaml")


@pytest.fixture
def page(chromium):
    """A fresh offline page in its own browser context, so its storage starts empty."""
    page, log = offline_page(chromium)
    page.log = log
    yield page
    page.close()
    assert log.external_requests == [] and log.console_errors == []


def wrong_key(question: Question) -> str:
    return next(key for key in question.options if key != question.answer)


def answer(page, number: int, question: Question, key: str) -> None:
    page.locator(f"#quiz-{question.id}-{key}").check()
    page.get_by_role("button", name=f"Check answer {number}", exact=True).click()


def feedback(page, question: Question) -> str:
    return page.locator(f"#quiz-{question.id} .ccin-quiz-feedback").inner_text()


def score(page) -> str:
    return page.locator(".ccin-quiz-score").inner_text()


def nav_count(page, module: str) -> str:
    item = page.locator(".bd-docs-nav li").filter(has=page.locator(f"> a:text-is('{module}')"))
    return item.locator("> .ccin-nav-progress").inner_text()


def read_box(page):
    return page.get_by_label("Mark this page as read")


def tick_read(page) -> None:
    """Tick "Mark this page as read" as a reader does: scrolling to it reaches the page's
    end, which may already mark the page read; only then click if it is still unticked."""
    box = read_box(page)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let the end-of-page observer run first
    if not box.is_checked():
        box.check()
    assert box.is_checked()


def stored(page) -> str | None:
    return page.evaluate("localStorage.getItem('ccin-learn-progress')")


def test_first_try_score_and_answers_survive_a_reload(page, site_url, quiz):
    page.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
    first = quiz.questions[0]
    answer(page, 1, first, wrong_key(first))
    assert feedback(page, first) == f"Not quite. {first.feedback[wrong_key(first)]}"
    answer(page, 1, first, first.answer)
    assert feedback(page, first) == f"Correct. {first.feedback[first.answer]}"
    total = len(quiz.questions)
    assert score(page) == f"You have answered 1 of {total} questions: 0 right first time."
    for number, question in enumerate(quiz.questions[1:], start=2):
        answer(page, number, question, question.answer)
    finished = f"Quiz finished: {total - 1} of {total} right first time."
    assert score(page) == finished

    page.reload(wait_until="networkidle")
    assert score(page) == finished
    assert page.locator(f"#quiz-{first.id}-{first.answer}").is_checked()
    assert feedback(page, first) == f"Correct. {first.feedback[first.answer]}"
    last = quiz.questions[-1]
    assert feedback(page, last) == f"Correct. {last.feedback[last.answer]}"


def test_reset_clears_answers_feedback_and_score(page, site_url, quiz):
    page.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
    first = quiz.questions[0]
    answer(page, 1, first, wrong_key(first))
    page.get_by_role("button", name="Reset this quiz").click()
    assert score(page) == "The quiz is reset: your answers and score are cleared."
    assert feedback(page, first) == ""
    assert page.locator(f"#quiz-{first.id} input:checked").count() == 0

    page.reload(wait_until="networkidle")
    assert score(page) == "" and feedback(page, first) == ""
    assert page.locator("form.ccin-quiz input:checked").count() == 0
    answer(page, 1, first, first.answer)
    total = len(quiz.questions)
    assert score(page) == f"You have answered 1 of {total} questions: 1 right first time."


def test_pages_read_at_their_end_or_ticked_count_in_the_navigation(page, site_url):
    scrolled, ticked = LONG_PAGES
    page.goto(site_url + scrolled, wait_until="networkidle")
    assert nav_count(page, "Financing cooperatives") == "0 of 13 read"
    assert not read_box(page).is_checked()
    page.mouse.wheel(0, 100_000)
    page.wait_for_function("document.getElementById('ccin-page-read').checked")

    page.goto(site_url + ticked, wait_until="networkidle")
    assert not read_box(page).is_checked()
    tick_read(page)
    page.reload(wait_until="networkidle")
    assert read_box(page).is_checked()
    assert nav_count(page, "Financing cooperatives") == "2 of 13 read"
    assert nav_count(page, "Legal structures") == "0 of 18 read"

    read_box(page).uncheck()
    assert nav_count(page, "Financing cooperatives") == "1 of 13 read"
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    assert nav_count(page, "Financing cooperatives") == "1 of 13 read"


def test_the_read_box_does_what_the_reader_meant_at_the_pages_end(page, site_url):
    # The reader scrolls down to tick the box; reaching the end ticks it a moment before
    # their click lands. The click meant "read", so it must not untick.
    page.goto(site_url + LONG_PAGES[0], wait_until="networkidle")
    box = read_box(page)
    box.scroll_into_view_if_needed()
    page.wait_for_function("document.getElementById('ccin-page-read').checked")
    box.click()
    assert box.is_checked()
    page.reload(wait_until="networkidle")
    assert read_box(page).is_checked()
    read_box(page).click()  # a later click on a ticked box unticks it, as any checkbox
    assert not read_box(page).is_checked()
    read = json.loads(stored(page) or "{}").get("read", {})
    assert not [name for name in read if "tax-reliefs" in name]
    # Unticked stays unticked when a reload lands at the page's end again.
    page.reload(wait_until="networkidle")
    read_box(page).scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    assert not read_box(page).is_checked()


def test_home_page_continues_where_you_left_off(page, site_url):
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    assert page.get_by_text("Your progress is kept only in this browser").is_visible()
    assert not page.get_by_role("link", name="Continue where you left off").is_visible()
    page.goto(site_url + "modules/legal-structures/index.html", wait_until="networkidle")
    page.goto(site_url + LONG_PAGES[0], wait_until="networkidle")
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    link = page.get_by_role("link", name="Continue where you left off")
    assert link.inner_text() == "Continue where you left off: Tax reliefs for investors"
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + LONG_PAGES[0]


def test_progress_saved_to_a_file_loads_in_a_fresh_browser(page, chromium, site_url, tmp_path):
    first = load_quiz(ROOT / "modules" / "finance" / "quiz.yaml").questions[0]
    page.goto(site_url + LONG_PAGES[1], wait_until="networkidle")
    tick_read(page)
    page.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
    answer(page, 1, first, wrong_key(first))
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save your progress to a file").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "ccin-learn-progress.json"
    assert "modules/finance/community-shares" in json.loads(saved.read_text())["read"]

    other, log = offline_page(chromium)
    try:
        other.goto(site_url + "book/index.html", wait_until="networkidle")
        assert nav_count(other, "Financing cooperatives") == "0 of 13 read"
        other.get_by_label("Load progress from a file").set_input_files(saved)
        message = other.locator(".ccin-progress-message")
        message.filter(has_text="Progress loaded").wait_for()
        assert message.inner_text() == (
            "Progress loaded and added to what this browser kept. "
            "You now have 1 page read and answers to 1 quiz."
        )
        assert nav_count(other, "Financing cooperatives") == "1 of 13 read"
        link = other.get_by_role("link", name="Continue where you left off")
        assert link.inner_text() == "Continue where you left off: Self-check quiz"
        other.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
        assert feedback(other, first) == f"Not quite. {first.feedback[wrong_key(first)]}"
        assert log.external_requests == [] and log.console_errors == []
    finally:
        other.close()


def progress_file(read: dict, last: dict | None, quizzes: dict) -> dict:
    """Progress as another browser saves it to a file."""
    return {
        "format": "ccin-learn-progress",
        "version": 1,
        "read": read,
        "last": last,
        "quizzes": quizzes,
    }


def choose_file(page, content: bytes) -> None:
    """Choose a file in "Load progress from a file" on the home page, as a reader does."""
    page.get_by_label("Load progress from a file").set_input_files(
        {"name": "progress.json", "mimeType": "application/json", "buffer": content}
    )


def load_file(page, data: dict) -> str:
    """Load progress saved by another browser; the message the page gives."""
    choose_file(page, json.dumps(data).encode())
    message = page.locator(".ccin-progress-message")
    message.filter(has_text="Progress loaded").wait_for()
    return message.inner_text()


TOMORROW = (datetime.now(UTC) + timedelta(days=1)).isoformat(timespec="milliseconds")


@pytest.mark.parametrize(
    ("saved_at", "continue_to"),
    [
        ("2026-11-02T10:00:00.000Z", "Self-check quiz"),
        (None, "Self-check quiz"),
        (TOMORROW, "Tax reliefs for investors"),
    ],
    ids=["older-file", "file-from-before-times-were-kept", "newer-file"],
)
def test_a_loaded_file_adds_to_this_browsers_progress(page, site_url, quiz, saved_at, continue_to):
    first, second = quiz.questions[0], quiz.questions[1]
    page.goto(site_url + LONG_PAGES[1], wait_until="networkidle")
    tick_read(page)
    page.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
    answer(page, 2, second, second.answer)
    answer(page, 1, first, first.answer)
    quiz_key = next(iter(json.loads(stored(page))["quizzes"]))
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    last = {"page": "modules/finance/tax-reliefs", "title": "Tax reliefs for investors"}
    if saved_at:
        last["at"] = saved_at
    other = progress_file(
        read={"modules/finance/tax-reliefs": "2026-11-02T10:00:00.000Z"},
        last=last,
        quizzes={quiz_key: {first.id: {"chosen": wrong_key(first), "first": "wrong"}}},
    )
    assert load_file(page, other) == (
        "Progress loaded and added to what this browser kept. "
        "You now have 2 pages read and answers to 1 quiz."
    )
    assert nav_count(page, "Financing cooperatives") == "2 of 13 read"
    link = page.get_by_role("link", name="Continue where you left off")
    assert link.inner_text() == f"Continue where you left off: {continue_to}"
    page.goto(site_url + QUIZ_PAGE, wait_until="networkidle")
    # This browser's choices stay on screen; the file's wrong first try counts in the score.
    assert feedback(page, first) == f"Correct. {first.feedback[first.answer]}"
    assert feedback(page, second) == f"Correct. {second.feedback[second.answer]}"
    total = len(quiz.questions)
    assert score(page) == f"You have answered 2 of {total} questions: 1 right first time."


@pytest.mark.parametrize(
    "content",
    [
        b"this is not json",
        b'{"format": "ccin-learn-progress", "version": 1, "read": [], "quizzes": {}}',
        b'{"format": "something-else", "version": 1, "read": {}, "last": null, "quizzes": {}}',
        json.dumps(
            {
                "format": "ccin-learn-progress",
                "version": 1,
                "read": {},
                "last": {"page": "javascript:alert(1)", "title": "x"},
                "quizzes": {},
            }
        ).encode(),
    ],
    ids=["not-json", "wrong-shape", "other-format", "bad-page-name"],
)
def test_a_bad_file_gives_one_line_and_changes_nothing(page, site_url, content):
    page.goto(site_url + LONG_PAGES[1], wait_until="networkidle")
    tick_read(page)
    page.goto(site_url + "book/index.html", wait_until="networkidle")
    before = stored(page)
    choose_file(page, content)
    message = page.locator(".ccin-progress-message")
    message.filter(has_text="nothing was changed").wait_for()
    assert message.inner_text() == BAD_FILE
    assert stored(page) == before
    assert nav_count(page, "Financing cooperatives") == "1 of 13 read"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["book/index.html", QUIZ_PAGE])
def test_progress_controls_pass_axe(page, site_url, path, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site_url + "modules/finance/tax-reliefs.html", wait_until="networkidle")
    page.goto(site_url + path, wait_until="networkidle")
    assert page.log.console_errors == []
    assert serious_axe_violations(page) == []
    # axe re-fetches the theme's style sheets itself and asks for an @import (basic.css)
    # at the wrong path; that 404 is axe's, not the page's, which was checked above.
    page.log.console_errors.clear()
