"""The book on a 390x844 phone: the ☰ menu opens and closes, search is reachable, and no
page is wider than the screen (issue 11, item 3; every page is checked at phone width in
``test_site.py``, on the same visit as its axe check)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.offline import PHONE, offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MODULE_PAGE = "modules/coop-option/index.html"
# A page with wide tables, one with widgets and one with a long heading.
REPRESENTATIVE = [
    "modules/legal-structures/legal-form-chooser",
    "modules/community-wealth-building/spend-analysis",
    "modules/coop-option/coop-economy",
]

# Every box that scrolls sideways can be reached by the keyboard (widgets draw after load).
SCROLL_BOXES_REACHABLE = """() => Array.from(document.querySelectorAll(
  '.pst-scrollable-table-container, .ccin-table-scroll, .cell_output .widget-html-content'
)).every(box => box.scrollWidth <= box.clientWidth + 1 || box.tabIndex === 0)"""


@pytest.fixture
def phone(chromium: object) -> Iterator[tuple[object, object]]:
    """An offline page the size of a phone."""
    page, log = offline_page(chromium)
    page.set_viewport_size(PHONE)
    yield page, log
    page.close()


@pytest.fixture
def menu_button(phone, site_url):
    page, _log = phone
    page.goto(f"{site_url}{MODULE_PAGE}", wait_until="networkidle")
    button = page.locator(".bd-header-article .primary-toggle")
    assert button.is_visible()
    return button


def test_menu_opens_by_click_and_shows_the_course_pages(phone, menu_button):
    page, log = phone
    menu = page.locator("#pst-primary-sidebar-modal")
    assert not menu.is_visible()
    menu_button.click()
    menu.wait_for(state="visible", timeout=5000)
    assert menu.get_by_role("link", name="The Coop Option", exact=True).is_visible()
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden", timeout=5000)
    assert log.console_errors == []


@pytest.mark.parametrize("key", ["Enter", " "])
def test_menu_opens_by_keyboard_and_escape_gives_focus_back(phone, menu_button, key):
    page, _log = phone
    menu_button.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused menu button shows no focus ring"
    page.keyboard.press(key)
    menu = page.locator("#pst-primary-sidebar-modal")
    menu.wait_for(state="visible", timeout=5000)
    assert menu_button.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden", timeout=5000)
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('primary-toggle')")


def test_search_is_reachable_on_a_phone(phone, menu_button):
    page, _log = phone
    menu_button.click()
    search = page.locator("#pst-primary-sidebar-modal .search-button__button")
    search.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    assert box.is_visible()
    box.fill("asset lock")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=asset+lock*")
    page.locator("#search-results li").first.wait_for()
    assert page.locator("#search-results li").count() > 0


def test_menu_button_on_a_wide_screen_folds_the_sidebar_away(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{site_url}{MODULE_PAGE}", wait_until="networkidle")
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        button = page.locator(".bd-header-article .primary-toggle")
        button.hover()  # its tooltip says what its label says
        expect(page.locator(".tooltip")).to_have_text("Menu: the course's pages and search")
        button.click()
        sidebar.wait_for(state="hidden")
        # The press hides the tooltip, though the pointer and the focus stay on the button.
        expect(page.locator(".tooltip")).to_have_count(0)
        page.mouse.move(700, 500)
        page.wait_for_timeout(300)
        expect(page.locator(".tooltip")).to_have_count(0)
        button.click()
        sidebar.wait_for(state="visible")
    finally:
        page.close()


def test_a_wide_table_scrolls_in_a_labelled_box_the_keyboard_reaches(phone, site_url):
    page, _log = phone
    page.goto(f"{site_url}modules/legal-structures/choosing-a-legal-form.html")
    page.wait_for_load_state("networkidle")
    region = page.locator(".pst-scrollable-table-container.ccin-scroll-region").first
    assert region.get_attribute("role") == "region"
    assert "scrolls sideways" in region.get_attribute("aria-label")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")


@pytest.mark.parametrize("docname", REPRESENTATIVE)
def test_axe_passes_at_phone_width(phone, site_url, docname):
    page, _log = phone
    page.goto(f"{site_url}{docname}.html", wait_until="networkidle")
    page.wait_for_function(SCROLL_BOXES_REACHABLE, timeout=5000)
    assert serious_axe_violations(page) == []
