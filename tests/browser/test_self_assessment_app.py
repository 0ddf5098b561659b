"""The self-assessment app in a real browser, as an officer uses it.

One Voila server (on a fresh temporary database) serves every test of this
module; each test works on its own council, so the tests do not depend on
each other's order. Expected scores are worked out by hand from CCIN's rule:
sum of levels / (4 x answered applicable actions) x 100, halves rounded up.
"""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import psutil
import pytest
from playwright.sync_api import expect

from ccin_learn.apps.launcher import running_voila
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.store import Store
from tests.browser.offline import PageLog, offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHECKLIST = default_checklist()
APP = "self-assessment.ipynb"
BOOK = "http://127.0.0.1:9/"  # no test follows a link to the book
USED_KERNEL = re.compile(r"Using pre-heated kernel: ([0-9a-f-]{36})")
KERNEL_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")
FIRST_WIDGET_MS = 60_000  # Voila takes a few seconds to run the app before anything shows
REPLY_MS = 30_000  # a kernel round trip: normally well under a second
CHARTER = "cwb-inclusive-economy-charter"
RATE_REBATES = "cwb-living-wage-rate-rebates"
COOP_STRATEGY = "pm-cooperative-development-strategy"
COMMUNITY_ENERGY = "pm-community-energy"
ACTIVE = re.compile(r"\bmod-active\b")  # the pressed toggle button
PLACEMAKING = "Cooperative Placemaking"
WEALTH_BUILDING = "Community Wealth Building"


@dataclass(frozen=True)
class Server:
    app_url: str
    port: int
    db_path: Path
    log_path: Path


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]
) -> Iterator[Server]:
    """The self-assessment app, served by Voila on a database that starts empty."""
    tmp = tmp_path_factory.mktemp("self-assessment-app")
    port, db_path = free_port(), tmp / "app.sqlite"
    with running_voila(
        "127.0.0.1", port, BOOK, tmp / "voila.log", db_url=f"sqlite:///{db_path}"
    ) as base:
        yield Server(f"{base}voila/render/{APP}", port, db_path, tmp / "voila.log")


@pytest.fixture
def app_url(server: Server) -> str:
    return server.app_url


def wait_for_next_visitors_kernel(server: Server) -> None:
    """Wait until Voila has a preheated kernel, not yet handed to a visit, that has run the app.

    An officer takes far longer to fill in a council than Voila takes to preheat the
    next kernel; waiting for it makes the test as deterministic as that. The kernel
    has run the app once it holds the database open (the app's first query); Voila's
    log names every kernel it has handed to a visit ("Using pre-heated kernel: ID").
    """
    deadline = time.monotonic() + FIRST_WIDGET_MS / 1000
    voila = next(p for p in psutil.Process().children() if f"--port={server.port}" in p.cmdline())
    while time.monotonic() < deadline:
        used = set(USED_KERNEL.findall(server.log_path.read_text(errors="replace")))
        for kernel in voila.children():
            try:
                ids = set(KERNEL_FILE.findall(" ".join(kernel.cmdline())))
                opened = {f.path for f in kernel.open_files()}
            except psutil.NoSuchProcess:
                continue
            if ids and not ids & used and str(server.db_path) in opened:
                return
        time.sleep(0.2)
    pytest.fail("Voila preheated no kernel for the next visit")


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """Wait up to REPLY_MS, not Playwright's 5 s, for the kernel's replies (reports take
    a few seconds to render, and longer on a busy machine); restored for other modules."""
    expect.set_options(timeout=REPLY_MS)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def page_and_log(chromium: object) -> Iterator[tuple[object, PageLog]]:
    """A fresh page that may only reach localhost, and what it tried and what broke."""
    page, log = offline_page(chromium)
    page.set_default_timeout(REPLY_MS)
    yield page, log
    page.close()


@pytest.fixture
def page(page_and_log: tuple[object, PageLog]) -> object:
    return page_and_log[0]


# ---- what an officer does --------------------------------------------------------------


def option_label(action_id: str, level: int) -> str:
    """The text of a level's radio button, e.g. "2 Committed: Cabinet or committee has..."."""
    action = CHECKLIST.action(action_id)
    return f"{level} {CHECKLIST.level_name(level)}: {action.levels[level]}"


def open_app(page: object, url: str) -> None:
    """Load the app; Voila sends the page as the kernel runs, so wait for the widget."""
    page.goto(url, wait_until="commit", timeout=FIRST_WIDGET_MS)
    expect(page.get_by_label("Council name")).to_be_visible(timeout=FIRST_WIDGET_MS)


def start_council(page: object, name: str, council_type: str = "Unitary council") -> None:
    page.get_by_label("Council name").fill(name)
    page.get_by_label("Type of council").select_option(label=council_type)
    page.get_by_role("button", name="Start").click()
    expect(council_heading(page, name)).to_be_visible()


def reopen_by_name(page: object, name: str, council_type: str = "Unitary council") -> None:
    """Open an existing council the way that does not depend on the "Saved councils" list."""
    start_council(page, name, council_type)


def open_saved(page: object, name: str) -> None:
    page.get_by_label("Saved councils").select_option(label=name)
    page.get_by_role("button", name="Open").click()
    expect(council_heading(page, name)).to_be_visible()


def council_heading(page: object, name: str) -> object:
    """The council's name at the top of the workspace."""
    return page.get_by_role("heading", name=name, exact=True, level=2)


def choose_level(page: object, action_id: str, level: int) -> None:
    """Click the option's label (in ipywidgets the label, not the input, takes the click)."""
    page.get_by_text(option_label(action_id, level), exact=True).click()


def show_theme(page: object, title: str) -> None:
    page.get_by_role("button", name=title, exact=True).click()
    expect(page.get_by_role("button", name=title, exact=True)).to_have_class(ACTIVE)


def level_radio(page: object, action_id: str, level: int) -> object:
    return page.get_by_role("radio", name=option_label(action_id, level), exact=True)


def overall(page: object) -> object:
    return page.locator("p.ccin-overall")


def too_early(answered: int) -> str:
    """The headline below half the actions answered (see ScoreCard.headline)."""
    return f"{answered} of 15 answered: too early for an overall score (answer at least 8)"


def theme_row(page: object, theme: str, score: str, answered: str) -> object:
    """The score panel's row of a theme, e.g. "Community Wealth Building 50% 1 of 8 answered"."""
    return page.get_by_role("row", name=f"{theme} {score} {answered} answered", exact=True)


def message(page: object, text: str) -> object:
    """A message the app shows (in one of its live status regions) containing ``text``."""
    return page.get_by_role("status").filter(has_text=text)


def priorities(page: object) -> object:
    return page.locator("ol.ccin-priorities > li")


def chart_row(page: object, action_id: str) -> object:
    """The value cell of an action in the "Level reached on each action" chart."""
    title = CHECKLIST.action(action_id).title
    chart = page.locator("table.ccin-bars").filter(has_text="Level reached on each action")
    return (
        chart.locator("tr")
        .filter(has=page.get_by_role("rowheader", name=title, exact=True))
        .locator("td")
    )


def rate_levels_in_both_themes(page: object) -> None:
    """Charter 2 (Wealth Building), strategy 4 (Placemaking): 6 / 8 = 75%."""
    choose_level(page, CHARTER, 2)
    expect(theme_row(page, WEALTH_BUILDING, "50%", "1 of 8")).to_be_visible()
    expect(overall(page)).to_have_text(
        "1 of 15 answered: too early for an overall score (answer at least 8)"
    )
    show_theme(page, PLACEMAKING)
    choose_level(page, COOP_STRATEGY, 4)
    expect(theme_row(page, PLACEMAKING, "100%", "1 of 7")).to_be_visible()
    expect(overall(page)).to_have_text(
        "2 of 15 answered: too early for an overall score (answer at least 8)"
    )


# ---- tests -----------------------------------------------------------------------------


def test_new_county_council_starts_with_its_not_applicable_default(page, app_url):
    open_app(page, app_url)
    start_council(page, "Shireton County Council", "County council")

    expect(page.get_by_text("County council; working from a new assessment.")).to_be_visible()
    # The rate-rebate action is filled in as not applicable for a county, and the kit
    # counts a not-applicable action as answered (see tests/test_scoring.py), so the
    # panel shows 1 of 15 answered and no score until a level is chosen.
    expect(overall(page)).to_have_text(
        "1 of 15 answered: too early for an overall score (answer at least 8)"
    )
    expect(theme_row(page, WEALTH_BUILDING, "no score yet", "1 of 8")).to_be_visible()
    expect(chart_row(page, RATE_REBATES)).to_have_text("not applicable")
    expect(chart_row(page, CHARTER)).to_have_text("not answered")
    rebates = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_role("heading", name=CHECKLIST.action(RATE_REBATES).title))
        .last
    )
    expect(rebates.get_by_label("Not applicable to our council")).to_be_checked()
    expect(rebates.get_by_label("Why it does not apply")).to_have_value(
        CHECKLIST.council_type("county").not_applicable[0].reason
    )
    expect(level_radio(page, RATE_REBATES, 2)).to_be_disabled()


def test_levels_in_both_themes_drive_the_score_and_priorities(page, app_url):
    open_app(page, app_url)
    start_council(page, "Scoreford Borough Council")
    expect(page.get_by_text("Rate some actions to see your priorities.")).to_be_visible()

    rate_levels_in_both_themes(page)
    # An Embedded action has no next step, so only the charter is a priority.
    expect(priorities(page)).to_have_count(1)
    expect(priorities(page).first).to_contain_text(
        f"{CHECKLIST.action(CHARTER).title} (now 2 Committed)"
    )

    choose_level(page, COMMUNITY_ENERGY, 1)
    # placemaking (4 + 1) / 8 = 62.5% -> 63% (halves up); 3 answered is too few to headline.
    expect(overall(page)).to_have_text(
        "3 of 15 answered: too early for an overall score (answer at least 8)"
    )
    expect(theme_row(page, WEALTH_BUILDING, "50%", "1 of 8")).to_be_visible()
    expect(theme_row(page, PLACEMAKING, "63%", "2 of 7")).to_be_visible()
    expect(priorities(page)).to_have_count(2)
    expect(priorities(page).nth(0)).to_contain_text(
        f"{CHECKLIST.action(COMMUNITY_ENERGY).title} (now 1 Exploring)"
    )
    expect(priorities(page).nth(1)).to_contain_text(CHECKLIST.action(CHARTER).title)


def save_rate_and_reload(page: object, server: Server, name: str) -> None:
    open_app(page, server.app_url)
    wait_for_next_visitors_kernel(server)
    start_council(page, name)
    rate_levels_in_both_themes(page)
    page.get_by_role("button", name="Save this version").click()
    expect(message(page, f"Saved version 1 of {name}.")).to_be_visible()
    open_app(page, server.app_url)


def expect_levels_restored(page: object) -> None:
    expect(theme_row(page, WEALTH_BUILDING, "50%", "1 of 8")).to_be_visible()
    expect(theme_row(page, PLACEMAKING, "100%", "1 of 7")).to_be_visible()
    expect(level_radio(page, CHARTER, 2)).to_be_checked()
    show_theme(page, PLACEMAKING)
    expect(level_radio(page, COOP_STRATEGY, 4)).to_be_checked()


def test_saved_council_reopens_from_the_saved_councils_list(page, server):
    name = "Listbury City Council"
    save_rate_and_reload(page, server, name)
    saved = page.get_by_label("Saved councils").locator("option", has_text=name)
    expect(saved).to_have_count(1, timeout=5_000)  # the list is drawn with the picker
    open_saved(page, name)
    expect_levels_restored(page)


def test_saved_version_is_there_after_a_reload(page, server):
    name = "Keepham District Council"
    save_rate_and_reload(page, server, name)
    reopen_by_name(page, name)
    expect(page.get_by_text("Unitary council; working from version 1.")).to_be_visible()
    expect(message(page, f"Opened {name}.")).to_be_visible()
    expect_levels_restored(page)


def test_unsaved_answers_survive_a_reload(page, app_url):
    name = "Draftwich Town Council"
    open_app(page, app_url)
    start_council(page, name)
    choose_level(page, CHARTER, 3)
    expect(theme_row(page, WEALTH_BUILDING, "75%", "1 of 8")).to_be_visible()

    open_app(page, app_url)
    reopen_by_name(page, name)
    expect(message(page, "Restored your unsaved answers from")).to_be_visible()
    expect(level_radio(page, CHARTER, 3)).to_be_checked()
    expect(theme_row(page, WEALTH_BUILDING, "75%", "1 of 8")).to_be_visible()


def download(page: object, link_text: str) -> bytes:
    with page.expect_download() as started:
        page.get_by_role("link", name=link_text).click()
    return Path(started.value.path()).read_bytes()


def mapped_libraries(process: psutil.Process) -> set[str]:
    """Which of the report writers' compiled parts a process has loaded (matplotlib draws
    the charts, HarfBuzz shapes the PDF's text; the app itself needs neither)."""
    maps = Path(f"/proc/{process.pid}/maps").read_text(encoding="utf-8", errors="replace")
    return {name for name in ("matplotlib", "uharfbuzz") if f"/{name}/" in maps}


def server_processes(server: Server) -> tuple[list[psutil.Process], list[psutil.Process]]:
    """The app's kernels (those holding its database open; the other tools' kernels
    do not) and the report process under this module's Voila."""
    voila = next(p for p in psutil.Process().children() if f"--port={server.port}" in p.cmdline())
    children = voila.children()
    kernels = [p for p in children if str(server.db_path) in {f.path for f in p.open_files()}]
    reports = [p for p in children if "ccin_learn.reports.service" in p.cmdline()]
    return kernels, reports


def test_reports_download_as_html_and_pdf_made_outside_the_kernel(page, server):
    """The files come from the server's report process; no kernel loads the report
    libraries (about 110 MB each), so a training room's kernels stay small."""
    name, app_url = "Reportsea Borough Council", server.app_url
    open_app(page, app_url)
    start_council(page, name)
    choose_level(page, CHARTER, 2)
    expect(theme_row(page, WEALTH_BUILDING, "50%", "1 of 8")).to_be_visible()
    page.get_by_role("button", name="Prepare downloads").click()
    expect(message(page, "Downloads ready")).to_be_visible()

    html = download(page, "Download the HTML report (for a cabinet paper)").decode("utf-8")
    assert name in html
    assert "Overall" in html
    pdf = download(page, "Download the PDF report (for a cabinet paper)")
    assert pdf.startswith(b"%PDF")
    kernels, reports = server_processes(server)
    assert kernels and len(reports) == 1
    assert [mapped_libraries(k) for k in kernels] == [set()] * len(kernels)
    assert mapped_libraries(reports[0]) == {"matplotlib", "uharfbuzz"}


@pytest.fixture
def open_council_page(
    page_and_log: tuple[object, PageLog], app_url: str, request: pytest.FixtureRequest
) -> tuple[object, PageLog]:
    """A parish council (one not-applicable default) open in the app, new for each test."""
    page, log = page_and_log
    open_app(page, app_url)
    words = request.node.name.removeprefix("test_").replace("_", " ")
    start_council(page, f"Parish of {words}", "Town or parish council")
    expect(overall(page)).to_have_text(
        "1 of 15 answered: too early for an overall score (answer at least 8)"
    )
    return page, log


def test_app_makes_no_external_requests_and_logs_no_errors(open_council_page):
    page, log = open_council_page
    choose_level(page, CHARTER, 1)
    expect(theme_row(page, WEALTH_BUILDING, "25%", "2 of 8")).to_be_visible()
    assert log.external_requests == []
    assert log.console_errors == []


def test_app_has_no_serious_accessibility_failures(open_council_page):
    page, _log = open_council_page
    assert serious_axe_violations(page) == []


def test_buttons_are_named_by_their_words_alone(open_council_page):
    """A screen reader says "Save this version", not an icon's private-use glyph first."""
    page, _log = open_council_page
    for words in ("Save this version", "Prepare downloads", "Choose another council"):
        expect(page.get_by_role("button", name=words, exact=True)).to_have_count(1)


def test_screen_readers_hear_which_question_each_group_answers(open_council_page):
    page, _log = open_council_page
    levels = page.get_by_role("radiogroup", name="Level reached")
    expect(levels).to_have_count(len(CHECKLIST.actions_in("cwb")))
    expect(levels.first.get_by_role("radio")).to_have_count(6)
    expect(page.get_by_role("group", name="Theme").get_by_role("button")).to_have_count(2)


def test_level_descriptions_do_not_overlap(open_council_page):
    page, _log = open_council_page
    labels = page.locator(".widget-radio-box").first.locator("label")
    expect(labels).to_have_count(6)
    overflowing = labels.evaluate_all(
        "labels => labels.filter(l => l.scrollHeight > l.clientHeight + 1)"
        ".map(l => l.textContent.slice(0, 12))"
    )
    assert overflowing == []


def test_level_can_be_changed_with_the_keyboard(open_council_page):
    page, _log = open_council_page
    page.get_by_role("radio", name="Not answered yet").first.focus()

    page.keyboard.press("ArrowDown")
    expect(level_radio(page, CHARTER, 0)).to_be_checked()
    expect(level_radio(page, CHARTER, 0)).to_be_focused()
    expect(theme_row(page, WEALTH_BUILDING, "0%", "2 of 8")).to_be_visible()

    level_radio(page, CHARTER, 2).focus()  # focus alone does not choose
    expect(theme_row(page, WEALTH_BUILDING, "0%", "2 of 8")).to_be_visible()
    page.keyboard.press("Space")
    expect(level_radio(page, CHARTER, 2)).to_be_checked()
    expect(theme_row(page, WEALTH_BUILDING, "50%", "2 of 8")).to_be_visible()


# ---- saving, conflicts, versions and the app's place (issue 12) --------------------------


def save(page: object) -> None:
    page.get_by_role("button", name="Save this version").click()


def evidence_box(page: object, action_id: str) -> object:
    """The evidence box of one action (found through the action's heading)."""
    title = CHECKLIST.action(action_id).title
    editor = (
        page.locator(".widget-vbox")
        .filter(has=page.get_by_role("heading", name=title, level=3, exact=True))
        .last
    )
    return editor.get_by_label("Evidence", exact=True)


def saved_level(server: Server, name: str, action_id: str) -> tuple[int, int | None, str]:
    """The latest saved version's number, and one action's level and evidence, from the database."""
    saved = Store(f"sqlite:///{server.db_path}").load(name)
    answer = saved.assessment.answer(action_id)
    return saved.version, answer.level, answer.evidence


def test_save_message_and_saving_state_appear_beside_the_save_button(page, app_url):
    open_app(page, app_url)
    start_council(page, "Nearby Borough Council")
    choose_level(page, CHARTER, 1)
    state = page.locator(".ccin-save-state")
    expect(state).to_contain_text(re.compile(r"Draft saved at \d\d:\d\d \(not yet a version\)"))
    save(page)
    saved = message(page, "Saved version 1 of Nearby Borough Council.")
    expect(saved).to_be_visible()
    expect(state).to_contain_text(re.compile(r"Version 1 saved at \d\d:\d\d"))
    expect(saved).to_have_attribute("aria-live", "polite")
    button = page.get_by_role("button", name="Save this version").bounding_box()
    shown = saved.bounding_box()
    assert 0 <= shown["y"] - (button["y"] + button["height"]) < 60, "right under the button"
    assert shown["y"] + shown["height"] <= page.viewport_size["height"] + page.evaluate(
        "window.scrollY"
    ), "in view, not scrolled away"


def test_two_tabs_saving_the_same_council_lose_nothing_either_typed(chromium, server):
    name = "Twotab Borough Council"
    first, _ = offline_page(chromium)
    second, _ = offline_page(chromium)
    try:
        open_app(first, server.app_url)
        start_council(first, name)
        choose_level(first, CHARTER, 1)
        save(first)
        expect(message(first, "Saved version 1")).to_be_visible()
        open_app(second, server.app_url)
        reopen_by_name(second, name)
        # Both change the charter; only the first types evidence; only the second
        # rates community energy.
        choose_level(first, CHARTER, 3)
        evidence_box(first, CHARTER).fill("Charter adopted by cabinet, 3 November 2026")
        evidence_box(first, CHARTER).blur()
        choose_level(second, CHARTER, 2)
        show_theme(second, PLACEMAKING)
        choose_level(second, COMMUNITY_ENERGY, 4)
        save(second)
        expect(message(second, "Saved version 2")).to_be_visible()

        save(first)
        expect(message(first, "someone saved version 2")).to_be_visible()
        expect(message(first, "Your answers are kept")).to_be_visible()
        conflict = first.locator("table.ccin-conflict")
        expect(conflict).to_have_count(1)
        expect(conflict).to_contain_text("Charter adopted by cabinet")  # their side: mine
        expect(conflict.locator("td").nth(0)).to_contain_text("3 Delivering")
        expect(conflict.locator("td").nth(1)).to_contain_text("2 Committed")
        expect(evidence_box(first, CHARTER)).to_have_value(
            "Charter adopted by cabinet, 3 November 2026"
        )
        first.get_by_role("radio", name="Keep my answer").check()
        first.get_by_role("button", name="Save with these choices").click()
        expect(message(first, "Saved version 3: your answers on top of version 2")).to_be_visible()
    finally:
        first.close()
        second.close()
    version, level, evidence = saved_level(server, name, CHARTER)
    assert (version, level, evidence) == (3, 3, "Charter adopted by cabinet, 3 November 2026")
    assert saved_level(server, name, COMMUNITY_ENERGY)[1] == 4, "the second tab's work is in"


def test_save_change_save_then_compare_and_download_the_right_changes(page, app_url):
    name = "Changewell District Council"
    open_app(page, app_url)
    start_council(page, name)
    choose_level(page, CHARTER, 1)
    save(page)
    expect(message(page, "Saved version 1")).to_be_visible()
    choose_level(page, CHARTER, 2)
    choose_level(page, RATE_REBATES, 3)
    show_theme(page, PLACEMAKING)
    choose_level(page, COOP_STRATEGY, 1)
    choose_level(page, COMMUNITY_ENERGY, 0)
    save(page)
    expect(message(page, "Saved version 2")).to_be_visible()
    expect(page.get_by_text("Saved version 2: changes since version 1")).to_be_visible()
    versions = page.get_by_label("Saved versions")
    expect(versions.locator("option:checked")).to_have_text(
        # Dropdowns use nbsp; who saved it is this machine's user (no hub here)
        re.compile(r"^Version\s2,\ssaved\s.*\sby\s\S+\s\(working\sfrom\sthis\)$")
    )

    page.get_by_role("button", name=re.compile(r"\bCompare$")).click()
    pair = page.locator("table.ccin-version-pair")
    expect(pair).to_be_visible()
    expect(pair.locator("tr.ccin-changed")).to_have_count(4)
    expect(page.get_by_text("4 actions changed.")).to_be_visible()

    page.get_by_role("button", name="Prepare downloads").click()
    expect(message(page, "Downloads ready for version 2 saved at")).to_be_visible()
    html = download(page, "Download the HTML report (for a cabinet paper)").decode("utf-8")
    assert "<dt>Version</dt><dd>Saved version 2</dd>" in html
    assert "Changes since version 1" in html and "4 actions changed" in html
    kept = json.loads(download(page, "Download the JSON file (to keep or import next year)"))
    assert kept["based_on_version"] == 2 and kept["answers"][CHARTER]["level"] == 2
    word = docx.Document(
        io.BytesIO(download(page, "Download the Word report (.docx, for a cabinet paper)"))
    )
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    text = "\n".join([paragraph.text for paragraph in word.paragraphs] + cells)
    assert name in text and "Compares Saved version 2 with version 1" in text
    assert any(p.style.name == "Heading 1" for p in word.paragraphs)


def test_reload_and_back_return_to_the_open_council_and_theme(page_and_log, server):
    page, log = page_and_log
    name = "Placeholm Town Council"
    open_app(page, server.app_url)
    start_council(page, name)
    save(page)
    expect(message(page, "Saved version 1")).to_be_visible()
    show_theme(page, PLACEMAKING)
    expect(page).to_have_url(re.compile(r"\?council=Placeholm\+Town\+Council&section=placemaking$"))

    wait_for_next_visitors_kernel(server)
    page.reload(wait_until="commit")
    expect(council_heading(page, name)).to_be_visible(timeout=FIRST_WIDGET_MS)
    expect(page.get_by_role("button", name=PLACEMAKING, exact=True)).to_have_class(ACTIVE)

    page.goto(server.app_url.split("/voila/")[0] + "/", wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back(wait_until="commit")
    expect(council_heading(page, name)).to_be_visible(timeout=FIRST_WIDGET_MS)
    expect(page.get_by_role("button", name=PLACEMAKING, exact=True)).to_have_class(ACTIVE)
    expect(page.locator(".jp-Dialog")).to_have_count(0)  # e.g. a theme that failed to load
    assert log.console_errors == []
