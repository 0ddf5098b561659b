"""What a page costs a reader to download: text pages stay under 1 MB, tool pages under 2.5 MB.

Bytes are those Chromium reports on the wire for a page opened with an empty cache
(see benchmarks/page_weight.py for the full table).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from tests.browser.offline import offline_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MB = 1_000_000
TEXT_PAGE = "modules/coop-option/what-is-a-cooperative.html"
TOOL_PAGE = "book/plan-your-route.html"


@dataclass
class Visit:
    """One page, opened on an empty cache, and everything it fetched."""

    page: object
    external_requests: list[str]
    urls: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)

    @property
    def transferred(self) -> float:
        return sum(self.sizes.values())

    def fetched(self, name: str) -> bool:
        return any(name in self.urls.get(request, "") for request in self.sizes)


@pytest.fixture
def visit(chromium, site_url):
    """Open a book page in a fresh context, counting the bytes of every finished request."""
    contexts = []

    def open_page(path: str) -> Visit:
        context = chromium.new_context()
        contexts.append(context)
        page, log = offline_page(context)
        seen = Visit(page, log.external_requests)
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on(
            "Network.requestWillBeSent",
            lambda event: seen.urls.__setitem__(event["requestId"], event["request"]["url"]),
        )
        session.on(
            "Network.loadingFinished",
            lambda event: seen.sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        page.goto(site_url + path, wait_until="networkidle")
        return seen

    yield open_page
    for context in contexts:
        context.close()


def test_a_text_page_is_under_1_mb_and_loads_no_widget_manager(visit):
    text = visit(TEXT_PAGE)
    assert 0 < text.transferred <= 1.0 * MB
    assert text.external_requests == []
    assert text.fetched("pydata-sphinx-theme.css")
    assert not text.fetched("embed-amd.js")
    assert not text.fetched("require.js")
    assert not text.fetched("fontawesome.js")


def test_a_text_page_still_draws_its_icons(visit):
    text = visit(TEXT_PAGE)
    menu_icon = text.page.locator(".primary-toggle .fa-bars:visible").first
    assert menu_icon.bounding_box()["width"] > 8
    assert text.page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
    glyph = menu_icon.evaluate("i => getComputedStyle(i, '::before').content")
    assert glyph not in {"none", "normal", ""}


def test_the_search_dialog_icon_sits_beside_the_text_not_over_it(visit):
    text = visit(TEXT_PAGE)
    text.page.keyboard.press("Control+k")
    field = text.page.locator("#pst-search-dialog input[type=search]")
    field.wait_for()
    icon = text.page.locator("#pst-search-dialog .fa-magnifying-glass").bounding_box()
    assert icon["width"] > 8
    text_start = field.evaluate(
        "f => f.getBoundingClientRect().left + parseFloat(getComputedStyle(f).paddingLeft)"
    )
    assert icon["x"] + icon["width"] <= text_start


def test_a_tool_page_is_under_2_5_mb_and_shows_its_saved_widgets(visit):
    tool = visit(TOOL_PAGE)
    assert tool.transferred <= 2.5 * MB
    assert tool.external_requests == []
    assert tool.fetched("embed-amd.js")
    boxes = tool.page.get_by_role("checkbox")
    boxes.first.wait_for()
    assert boxes.count() >= 5
    assert tool.page.get_by_role("checkbox", name="The Coop Option (5 hours)").is_checked()
