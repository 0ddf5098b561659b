"""The live tools server's home page and each tool's header, as a learner sees them.

One kit Voila server (``ccin-learn start``'s, on a free port) serves every test of
this module. The book's address is a made-up local one: the tests check where the
links lead, not the book itself.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from ccin_learn.apps import APPS_DIR
from ccin_learn.apps.catalogue import default_tools
from ccin_learn.apps.launcher import NO_REPORT_PROCESS, running_voila
from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, load_assessment
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.evidence import attach_file
from ccin_learn.selfassessment.store import Store
from tests.browser.offline import PAST_THE_EDGE, PHONE, offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BOOK_URL = "http://127.0.0.1:9/"
TOOLS = default_tools()
FIRST_WIDGET_MS = 60_000  # Voila runs the tool's notebook before anything shows
LOADS = 10


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('tools-db') / 'app.sqlite'}"


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int], db_url: str
) -> Iterator[str]:
    """The kit's Voila server for the apps folder; yields its base URL."""
    tmp = tmp_path_factory.mktemp("tools-index")
    with running_voila(
        "127.0.0.1",
        free_port(),
        BOOK_URL,
        tmp / "voila.log",
        db_url=db_url,
        extra=[NO_REPORT_PROCESS],  # no page here downloads a report
    ) as base:
        yield base


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def tool_lines(page: object) -> object:
    return page.locator("main li")


def test_index_lists_every_tool_with_what_it_does_and_its_course_page(chromium, server):
    page, log = offline_page(chromium)
    page.goto(server)
    expect(page).to_have_title(f"Live tools: {TOOLS.course}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Live tools")
    expect(page.locator("header").get_by_role("link", name=TOOLS.course)).to_have_attribute(
        "href", BOOK_URL
    )
    assert page.locator("html").get_attribute("lang") == "en"
    lines = tool_lines(page)
    expect(lines).to_have_count(len(TOOLS.tools))
    for line, tool in zip(lines.all(), TOOLS.tools, strict=True):
        expect(line).to_contain_text(f"{tool.name}: {tool.does}")
        back = line.get_by_role("link", name=f"Its page in the course: {tool.name}")
        expect(back).to_have_attribute("href", f"{BOOK_URL}{tool.page}.html")
    assert log.external_requests == []
    assert log.console_errors == []
    page.close()


def test_every_tool_link_on_the_index_opens_that_tool(chromium, server):
    page, _ = offline_page(chromium)
    page.goto(server)
    hrefs = [
        page.get_by_role("link", name=tool.name, exact=True).get_attribute("href")
        for tool in TOOLS.tools
    ]
    page.close()
    for tool, href in zip(TOOLS.tools, hrefs, strict=True):
        assert href == f"/voila/render/{tool.app}.ipynb"
        assert status_of(server.rstrip("/") + href) == 200, tool.app


def test_every_app_notebook_is_on_the_index_and_nothing_else():
    notebooks = {path.stem for path in APPS_DIR.glob("*.ipynb")}
    assert {tool.app for tool in TOOLS.tools} == notebooks


def test_the_index_is_never_empty(chromium, server):
    page, log = offline_page(chromium)
    counts = []
    for _ in range(LOADS):
        page.goto(server)
        counts.append(tool_lines(page).count())
    assert counts == [len(TOOLS.tools)] * LOADS
    assert log.external_requests == []
    assert log.console_errors == []
    page.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_index_is_accessible_and_fits_a_phone(chromium, server, width, height):
    page, _ = offline_page(chromium)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server)
    assert serious_axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.close()


@pytest.mark.parametrize("address", ["voila/tree", "voila/tree/jupyter", "voila/api/contents"])
def test_voilas_file_tree_is_not_served(server, address):
    assert status_of(server + address) == 404


@pytest.mark.parametrize("address", ["voila/tree", "voila/render/no-such-tool.ipynb"])
def test_an_unknown_address_gets_the_kits_page_with_the_ways_back(chromium, server, address):
    page, log = offline_page(chromium)
    response = page.goto(server + address)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="See all the live tools")).to_have_attribute("href", "/")
    assert "pathway" not in page.content(), "no file name of the apps folder is shown"
    assert page.locator("html").get_attribute("lang") == "en"
    assert log.external_requests == []
    page.close()


@pytest.mark.parametrize("tool", TOOLS.tools, ids=lambda tool: tool.app)
def test_a_tool_has_the_kits_header_and_its_name_as_title(chromium, server, tool):
    page, log = offline_page(chromium)
    page.set_viewport_size(PHONE)  # on a phone, as many councillors open it
    page.goto(f"{server}voila/render/{tool.app}.ipynb", timeout=FIRST_WIDGET_MS)
    expect(page).to_have_title(tool.name)
    header = page.locator("header.ccin-kit-header")
    expect(header.get_by_role("link", name=TOOLS.course)).to_have_attribute("href", BOOK_URL)
    expect(header.get_by_role("link", name="Back to its page in the course")).to_have_attribute(
        "href", f"{BOOK_URL}{tool.page}.html"
    )
    expect(header.get_by_role("link", name="All live tools")).to_have_attribute("href", "/")
    expect(page.locator(".jupyter-widgets").first).to_be_visible(timeout=FIRST_WIDGET_MS)
    expect(header).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    # Every control and line fits the phone's screen (the app lays itself out too).
    page.wait_for_timeout(500)  # the widgets draw their children after their box
    assert page.evaluate(PAST_THE_EDGE) == []
    # Each radio button stands at the start of its answer, all in one column.
    starts = page.evaluate(
        """() => Array.from(document.querySelectorAll('.widget-radio-box label')).map(label =>
          label.querySelector('input').getBoundingClientRect().left
            - label.getBoundingClientRect().left)"""
    )
    assert all(offset < 8 for offset in starts), starts
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert log.external_requests == []
    assert log.console_errors == []
    page.close()


def test_an_evidence_file_downloads_under_its_own_name_and_an_unknown_one_is_refused(
    server: str, db_url: str
) -> None:
    """On a laptop the server's user owns every council: the file comes back byte for byte,
    as an attachment that no browser runs; an address that names no file gets one line."""
    store = Store(db_url, default_checklist(), person="officer")
    example = load_assessment(EXAMPLES_DIR / "example-unitary.json")
    store.save(example, 0)
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    name = "Minutes \u2013 M\u00f4n.pdf"  # an en dash and a circumflex: not ASCII
    item = attach_file(store, example.council.name, "cwb-insourcing", name, data)
    with urllib.request.urlopen(f"{server}evidence/{item.id}", timeout=30) as answer:
        assert answer.read() == data
        headers = answer.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == (
        'attachment; filename="Minutes _ M_n.pdf"; '
        "filename*=UTF-8''Minutes%20%E2%80%93%20M%C3%B4n.pdf"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server}evidence/{'0' * 32}", timeout=30)
    assert refused.value.code == 404
    assert refused.value.read().decode() == "No such evidence file, or not one you can open.\n"
