"""Tools in the book's pages, as a reader meets them: a disabled picture, then the live tool.

The built book (``built_site``) carries the lite site the build made offline; every request
off the machine is aborted and recorded, so a result proves nothing came from the internet.
Each press of "Run this tool here" starts Python (Pyodide) in the page, which takes seconds
on a loaded 2-core machine: the waits are generous, the checks are what the reader sees.
Each start costs about 20 s of the suite's 15 minutes, so the model finder, whose in-page
build tests/site/test_lite.py holds to the Voila app's and whose native select is as
in Voila, is not started here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from ccin_learn.site.livetool import FIRST_START_MB
from tests.browser.offline import PageLog, offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

START_MS = 150_000  # a cold Pyodide start while other tests load both cores
LM3_PAGE = "modules/community-wealth-building/lm3-calculator.html"
SPEND_PAGE = "modules/community-wealth-building/spend-analysis.html"


@pytest.fixture
def reader(chromium: object) -> Iterator[tuple[object, PageLog]]:
    page, log = offline_page(chromium)
    yield page, log
    page.close()


def open_tool(page: object, site_url: str, path: str) -> object:
    page.goto(f"{site_url}{path}")
    page.locator(".ccin-snapshot").wait_for()
    return page.locator(".ccin-live-tool")


def run_tool(page: object) -> object:
    """Press Run and wait until the tool has drawn itself; the iframe the reader now uses."""
    page.get_by_role("button", name="Run this tool here").click()
    page.locator(".ccin-live-running").wait_for(timeout=START_MS)
    return page.frame_locator("iframe.ccin-live-frame")


def test_a_picture_is_disabled_with_its_note_above_before_anything_heavy_loads(reader, site_url):
    page, log = reader
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    note = open_tool(page, site_url, LM3_PAGE)
    snapshot = page.locator(".ccin-snapshot")
    snapshot.locator("input").first.wait_for()
    inputs = snapshot.locator("input")
    assert inputs.count() == 6
    assert all(inputs.nth(i).is_disabled() for i in range(inputs.count()))
    assert note.bounding_box()["y"] + note.bounding_box()["height"] <= snapshot.bounding_box()["y"]
    assert "a picture until you start it" in note.inner_text()
    assert not [url for url in requested if "/lite/" in url]
    assert log.console_errors == []


def test_lm3_calculator_runs_in_its_page_and_answers_a_changed_input(reader, site_url):
    page, log = reader
    open_tool(page, site_url, LM3_PAGE)
    fetched: dict[str, int] = {}
    page.context.on(  # the context sees the frame's and the kernel worker's requests too
        "requestfinished",
        lambda request: fetched.update({request.url: request.sizes()["responseBodySize"]}),
    )
    worker_says: list[str] = []
    page.on("worker", lambda worker: worker.on("console", lambda m: worker_says.append(m.text)))
    # By keyboard: Enter on the button, and the keyboard goes on in the tool's first box.
    page.get_by_role("button", name="Run this tool here").focus()
    page.keyboard.press("Enter")
    page.locator(".ccin-live-running").wait_for(timeout=START_MS)
    tool = page.frame_locator("iframe.ccin-live-frame")
    expect(tool.get_by_label("Income in the year (£)")).to_be_focused()
    # The note's "downloads about N MB" is what a first start fetches, give or take a third.
    megabytes = sum(fetched.values()) / 1e6
    assert 0.67 * FIRST_START_MB <= megabytes <= 1.33 * FIRST_START_MB, megabytes
    # Python came from the build's memory snapshot, its packages from the one image.
    names = {url.rsplit("/", 1)[-1] for url in fetched}
    assert {"snapshot.bin.gz", "site-packages.bin.gz"} <= names
    assert not [name for name in names if name.endswith(".whl")]
    assert not [text for text in worker_says if "without its memory snapshot" in text]
    assert page.locator(".ccin-snapshot").is_hidden()
    status = page.locator(".ccin-live-status").inner_text()
    assert "LM3 calculator is running in this page" in status
    assert "1.84" in tool.get_by_text("LM3 score:").locator("xpath=..").inner_text()

    staff = tool.get_by_label("Local staff re-spend locally (%)")
    staff.fill("100")
    staff.press("Enter")
    # R3 = 42,000 x 40% + 18,000 x 100% = 34,800, so LM3 = 1.948 -> 1.95
    tool.get_by_text("£34,800").wait_for(timeout=20_000)
    assert "1.95" in tool.get_by_text("LM3 score:").locator("xpath=..").inner_text()
    assert log.external_requests == []
    assert log.console_errors == []


def test_route_planner_adds_a_ticked_module_and_links_back_to_the_book(reader, site_url):
    page, log = reader
    open_tool(page, site_url, "book/plan-your-route.html")
    tool = run_tool(page)
    tool.get_by_text("Total: 5 hours").wait_for()
    # click, not check: the tick is the widget's to draw, after Python has the change
    tool.get_by_label("Financing cooperatives (2.5 hours)").click()
    tool.get_by_text("Total: 7.5 hours").wait_for(timeout=20_000)
    tool.get_by_role("link", name="Financing cooperatives").first.click()
    page.wait_for_url("**/modules/finance/**")
    assert log.external_requests == []


def test_a_tool_that_needs_the_server_says_so_above_its_disabled_picture(reader, site_url):
    page, log = reader
    note = open_tool(page, site_url, SPEND_PAGE)
    snapshot = page.locator(".ccin-snapshot")
    snapshot.locator("input, button").first.wait_for()
    controls = snapshot.locator("input, button, select, textarea")
    assert controls.count() > 0
    assert all(controls.nth(i).is_disabled() for i in range(controls.count()))
    assert page.get_by_role("button", name="Run this tool here").count() == 0
    text = note.inner_text()
    assert "own server" in text and "ccin-learn start" in text
    link = note.get_by_role("link")
    assert link.get_attribute("href").endswith("/voila/render/spend-analysis.ipynb")
    assert note.bounding_box()["y"] < snapshot.bounding_box()["y"]
    assert log.external_requests == []


@pytest.mark.parametrize("width", [390, 1280])
def test_tool_pages_have_no_serious_accessibility_failures(chromium, site_url, width):
    page, _log = offline_page(chromium)
    try:
        page.set_viewport_size({"width": width, "height": 844})
        open_tool(page, site_url, LM3_PAGE)
        page.locator(".ccin-snapshot input").first.wait_for()
        assert serious_axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()


def test_share_offer_planner_answers_a_new_target(reader, site_url):
    page, log = reader
    open_tool(page, site_url, "modules/finance/share-offer-planner.html")
    tool = run_tool(page)
    tool.get_by_text("you need 200 investors").wait_for()
    target = tool.get_by_label("Target raise (£)")
    target.fill("400000")
    target.press("Enter")
    tool.get_by_text("you need 400 investors").wait_for(timeout=20_000)
    assert tool.locator("svg[role=img]").count() == 1
    assert log.external_requests == []


def test_legal_form_chooser_ranks_the_forms_once_a_question_is_answered(reader, site_url):
    page, log = reader
    open_tool(page, site_url, "modules/legal-structures/legal-form-chooser.html")
    tool = run_tool(page)
    waiting = tool.get_by_text("Answer at least one question")
    waiting.wait_for()
    tool.get_by_label("Yes: a lock set by law, for example to take on a council asset").click()
    waiting.wait_for(state="detached", timeout=20_000)
    assert "Community benefit society" in tool.locator("body").inner_text()
    assert log.external_requests == []
