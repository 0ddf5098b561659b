"""The built book in Chromium with every request off this machine blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.site.toc import toc_docnames
from ccin_learn.tools.legal_forms import QUESTIONS
from tests.browser.offline import CLIPPED_TEXT, PHONE, offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = toc_docnames(Path(__file__).resolve().parents[2])
LAPTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("docname", PAGES)
def test_page_renders_offline_passes_axe_and_fits_a_phone(chromium, site_url, docname):
    """Each page once: on a laptop's screen it renders offline with no error and passes
    axe; narrowed to a phone, nothing is wider than the screen and no text is cut off
    (one visit does both, as a reader turning a tablet would: the layout is CSS)."""
    page, log = offline_page(chromium)
    try:
        page.set_viewport_size(LAPTOP)
        response = page.goto(f"{site_url}{docname}.html", wait_until="networkidle")
        assert response is not None and response.ok
        assert page.locator("article h1").first.is_visible()
        assert (
            page.locator(".ccin-reading-time").first.inner_text().startswith("Reading time: about")
        )
        assert log.external_requests == []
        assert log.console_errors == []
        assert serious_axe_violations(page) == []
        page.set_viewport_size(PHONE)
        page.wait_for_function(f"window.innerWidth === {PHONE['width']}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate(CLIPPED_TEXT) == []
    finally:
        page.close()


def test_navigation_lists_all_five_modules(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.goto(site_url, wait_until="networkidle")
        nav = page.locator("nav.bd-docs-nav")
        for module in default_catalogue().modules:
            link = nav.get_by_role("link", name=module.title, exact=True)
            assert link.count() == 1, f"{module.title} missing from the navigation"
            assert link.get_attribute("href").endswith(f"{module.page}.html")
    finally:
        page.close()


def test_route_planner_widget_renders_from_saved_state(chromium, site_url):
    page, log = offline_page(chromium)
    try:
        page.goto(f"{site_url}book/plan-your-route.html", wait_until="networkidle")
        # The tool's own boxes: the page also ends with "Mark this page as read".
        boxes = page.locator(".cell_output").get_by_role("checkbox")
        boxes.first.wait_for()
        assert boxes.count() == len(default_catalogue().modules)
        assert page.get_by_role("checkbox", name="The Coop Option (5 hours)").is_checked()
        assert page.get_by_text("Total: 5 hours").is_visible()
        # A picture until the reader presses Run: its boxes do not take a tick.
        assert all(boxes.nth(i).is_disabled() for i in range(boxes.count()))
        assert page.get_by_role("button", name="Run this tool here").is_visible()
        assert log.external_requests == []
    finally:
        page.close()


def test_legal_form_questions_are_named_groups_for_screen_readers(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.goto(
            f"{site_url}modules/legal-structures/legal-form-chooser.html", wait_until="networkidle"
        )
        groups = page.get_by_role("radiogroup")
        groups.first.wait_for()
        names = groups.evaluate_all(
            "gs => gs.map(g => document.getElementById(g.getAttribute('aria-labelledby'))"
            ".textContent.trim())"
        )
        assert len(names) == len(QUESTIONS)
        assert names == [question.prompt for question in QUESTIONS]
    finally:
        page.close()


def test_the_facts_tables_stack_on_a_phone_and_say_what_each_cell_is(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{site_url}book/facts.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        cell = page.locator("table.ccin-fact-table td:nth-child(2)").first
        label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"Applies in: "'
        assert cell.is_visible()
    finally:
        page.close()


def test_a_page_ends_with_its_facts_their_date_and_sources(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.goto(f"{site_url}modules/finance/tax-reliefs.html", wait_until="networkidle")
        facts = page.locator(".ccin-fact-source")
        assert page.get_by_text("Facts checked: December 2026").is_visible()
        assert facts.count() >= 3
        source = facts.filter(has_text="Generating energy").get_by_role("link").first
        href = source.get_attribute("href")
        assert (
            href
            == "https://www.gov.uk/hmrc-internal-manuals/venture-capital-schemes-manual/vcm3160"
        )
    finally:
        page.close()
