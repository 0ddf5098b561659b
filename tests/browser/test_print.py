"""The book on paper: sources print their address, quiz and example boxes stay whole, and
collapsed tables print open (issue 11, item 8)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.offline import offline_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SOURCES_PAGE = "modules/coop-option/housing-coops.html"
QUIZ_PAGE = "modules/coop-option/quiz.html"
DETAILS_PAGE = "modules/finance/share-offer-planner.html"
EXAMPLE_PAGE = "modules/legal-structures/asset-locks.html"


@pytest.fixture
def printed(chromium: object) -> Iterator[object]:
    """An offline page laid out for print."""
    page, _log = offline_page(chromium)
    page.emulate_media(media="print")
    yield page
    page.close()


def test_a_source_link_prints_its_address(printed, site_url):
    printed.goto(f"{site_url}{SOURCES_PAGE}", wait_until="networkidle")
    link = printed.locator("#sources a[href^='http']").first
    href = link.get_attribute("href")
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert href in after


def test_navigation_and_buttons_do_not_print(printed, site_url):
    printed.goto(f"{site_url}{QUIZ_PAGE}", wait_until="networkidle")
    assert not printed.locator(".bd-sidebar-primary").is_visible()
    assert not printed.locator(".bd-header-article").is_visible()
    assert printed.locator("#jb-print-docs-body h1").is_visible()
    assert printed.locator(".ccin-quiz-question").first.is_visible()


def test_quiz_questions_and_worked_examples_do_not_split(printed, site_url):
    printed.goto(f"{site_url}{QUIZ_PAGE}", wait_until="networkidle")
    question = printed.locator(".ccin-quiz-question").first
    assert question.evaluate("q => getComputedStyle(q).breakInside") == "avoid"
    printed.goto(f"{site_url}{EXAMPLE_PAGE}")
    example = printed.locator(".ccin-worked-example").first
    assert example.evaluate("q => getComputedStyle(q).breakInside") == "avoid"


def test_collapsed_details_print_open_and_close_again(printed, site_url):
    printed.goto(f"{site_url}{DETAILS_PAGE}", wait_until="networkidle")
    details = printed.locator(".bd-article details").first
    assert details.evaluate("d => d.open") is False
    printed.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert details.evaluate("d => d.open") is True
    printed.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert details.evaluate("d => d.open") is False
