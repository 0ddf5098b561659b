"""The self-assessment app's layout and keyboard use at 1280 and 390 px (issue 12, item 5).

One Voila server serves the module. Most tests only look, so each width has one page
with a council open that those tests share; the tests that type or change a level open
their own council. What is checked is what an officer meets: where things are on screen
(bounding boxes), which element has focus after a key press, and the styles the browser
computes for a focused control.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect

from ccin_learn.apps.launcher import NO_REPORT_PROCESS, running_voila
from ccin_learn.selfassessment.checklist import default_checklist
from tests.browser.offline import offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHECKLIST = default_checklist()
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FIRST_WIDGET_MS = 60_000  # Voila runs the app before anything shows
REPLY_MS = 30_000  # a kernel round trip: normally well under a second
WCAG_NON_TEXT_CONTRAST = 3.0
FOCUS_RING_MIN_PX = 2.0
SCROLLER = ".lm-BoxPanel-child"  # the box Voila's page scrolls in
CONTROLS = {  # in the open council's workspace (the council picker is hidden then)
    "button": "button.jupyter-button:not(.widget-toggle-button)",
    "toggle button": "button.widget-toggle-button",
    "radio button": ".widget-radio-box input[type='radio']:not(:disabled)",
    "checkbox": ".widget-checkbox input[type='checkbox']",
    "text box": ".widget-text input[type='text']",
    "text area": ".widget-textarea textarea",
    "list": ".widget-dropdown select",
    "date": ".widget-datepicker input[type='date']",
}


@pytest.fixture(scope="module")
def app_url(
    tmp_path_factory: pytest.TempPathFactory, free_port: Callable[[], int]
) -> Iterator[str]:
    """The self-assessment app, served by Voila on a database that starts empty."""
    tmp = tmp_path_factory.mktemp("app-layout")
    with running_voila(
        "127.0.0.1",
        free_port(),
        "http://127.0.0.1:9/",
        tmp / "voila.log",
        db_url=f"sqlite:///{tmp / 'app.sqlite'}",
        extra=[NO_REPORT_PROCESS],  # no test here downloads a report
    ) as base:
        yield f"{base}voila/render/self-assessment.ipynb"


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    expect.set_options(timeout=REPLY_MS)
    yield
    expect.set_options(timeout=None)


def opened_council(chromium: object, app_url: str, viewport: dict, name: str) -> object:
    """A new page at ``viewport`` with a new unitary council open in the app."""
    page, _log = offline_page(chromium)
    page.set_viewport_size(viewport)
    page.set_default_timeout(REPLY_MS)
    page.goto(app_url, wait_until="commit", timeout=FIRST_WIDGET_MS)
    start_council(page, name)
    return page


def start_council(page: object, name: str) -> None:
    expect(page.get_by_label("Council name")).to_be_visible(timeout=FIRST_WIDGET_MS)
    page.get_by_label("Council name").fill(name)
    page.get_by_label("Type of council").select_option(label="Unitary council")
    page.get_by_role("button", name="Start").click()
    expect(council_heading(page, name)).to_be_visible()


def council_heading(page: object, name: str) -> object:
    return page.get_by_role("heading", name=name, exact=True, level=2)


@pytest.fixture(scope="module")
def wide(chromium: object, app_url: str) -> Iterator[object]:
    page = opened_council(chromium, app_url, WIDE, "Widescreen Borough Council")
    yield page
    page.close()


@pytest.fixture(scope="module")
def phone(chromium: object, app_url: str) -> Iterator[object]:
    page = opened_council(chromium, app_url, PHONE, "Handheld District Council")
    yield page
    page.close()


@pytest.fixture(params=["wide", "phone"])
def either(request: pytest.FixtureRequest) -> object:
    """The shared page at 1280 px, then at 390 px."""
    return request.getfixturevalue(request.param)


def scroll_questions(page: object, by: int) -> None:
    page.locator(SCROLLER).first.evaluate("(box, by) => box.scrollTo(0, by)", by)
    page.wait_for_timeout(200)  # one frame is enough for sticky boxes; this is generous


def box(locator: object) -> dict:
    found = locator.bounding_box()
    assert found is not None, "not on screen"
    return found


def shown_within(page: object, locator: object) -> bool:
    """The element is wholly inside the part of the page's scrolling box that shows."""
    area, inner = box(page.locator(SCROLLER).first), box(locator)
    return (
        area["y"] - 1 <= inner["y"]
        and inner["y"] + inner["height"] <= area["y"] + area["height"] + 1
    )


def test_wide_screen_keeps_the_scores_and_save_beside_the_questions(wide):
    scroll_questions(wide, 3000)
    first_question = CHECKLIST.actions_in("cwb")[0].title
    expect(wide.get_by_role("heading", name=first_question)).not_to_be_in_viewport()
    assert shown_within(wide, wide.get_by_role("heading", name="Scores", exact=True))
    assert shown_within(wide, wide.locator("p.ccin-overall"))
    assert shown_within(wide, wide.get_by_role("button", name="Save this version"))
    questions, scores = (
        box(wide.locator(".ccin-questions")),
        box(wide.locator(".ccin-score-column")),
    )
    assert scores["x"] >= questions["x"] + questions["width"], "scores to the right"
    scroll_questions(wide, 0)


def test_phone_keeps_the_headline_score_at_the_top_while_the_questions_scroll(phone):
    bar = phone.locator(".ccin-summary-bar")
    expect(bar).to_contain_text("0 of 15 answered: too early for an overall score")
    levels = phone.get_by_role("radiogroup", name="Level reached").nth(2)
    levels.evaluate("group => group.scrollIntoView({block: 'center'})")
    phone.wait_for_timeout(200)  # one frame is enough for sticky boxes; this is generous
    top = box(phone.locator(SCROLLER).first)["y"]
    assert top > 0 and box(bar)["y"] == pytest.approx(top, abs=1), "bar at the top"
    expect(levels).to_be_in_viewport()
    assert box(levels)["y"] > box(bar)["y"] + box(bar)["height"], "not under the bar"
    assert box(levels)["x"] < PHONE["width"] / 4, "questions take the screen's width"
    scores = box(phone.locator(".ccin-score-column"))
    assert scores["y"] > box(phone.locator(".ccin-questions"))["y"], "scores under questions"
    scroll_questions(phone, 0)


def test_radio_buttons_come_before_their_words_in_one_column(either):
    labels = either.locator(".widget-radio-box").first.locator("label")
    expect(labels).to_have_count(6)
    places = labels.evaluate_all(
        """labels => labels.map(label => {
            const input = label.querySelector('input').getBoundingClientRect();
            const words = document.createRange();
            words.selectNodeContents(label.firstChild);
            const text = words.getBoundingClientRect();
            const line = parseFloat(getComputedStyle(label).lineHeight);
            return {input: input.left, inputRight: input.right, text: text.left,
                    lines: Math.round(text.height / line)};
        })"""
    )
    assert max(p["lines"] for p in places) >= 2, "a long level description wraps"
    assert {round(p["input"]) for p in places} == {round(places[0]["input"])}, "one column"
    assert all(p["inputRight"] <= p["text"] for p in places), "each button before its words"


def test_no_button_text_is_cut_off(either):
    buttons = either.locator("button:visible")
    expect(buttons.filter(has_text="Make this version the working copy")).to_have_count(1)
    cut = buttons.evaluate_all(
        "buttons => buttons.filter(b => b.scrollWidth > b.clientWidth)"
        ".map(b => b.textContent.trim())"
    )
    assert cut == []


def contrast(rgb: tuple[int, ...], other: tuple[int, ...] = (255, 255, 255)) -> float:
    """WCAG's contrast ratio of two sRGB colours."""

    def luminance(colour: tuple[int, ...]) -> float:
        linear = [
            c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(rgb), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


FOCUS_RING = """element => {
    element.focus();
    const style = getComputedStyle(element);
    return {focused: document.activeElement === element, style: style.outlineStyle,
            width: parseFloat(style.outlineWidth), colour: style.outlineColor};
}"""


@pytest.mark.parametrize("kind", CONTROLS)
def test_every_kind_of_control_shows_a_strong_focus_ring(wide, kind):
    wide.keyboard.press("Shift")  # focus by keyboard, as a keyboard user's would be
    shown = wide.locator(".ccin-workspace").locator(CONTROLS[kind]).locator("visible=true")
    ring = shown.first.evaluate(FOCUS_RING)
    assert ring["focused"]
    assert ring["style"] == "solid" and ring["width"] >= FOCUS_RING_MIN_PX, ring
    rgb = tuple(int(n) for n in re.findall(r"\d+", ring["colour"])[:3])
    assert contrast(rgb) >= WCAG_NON_TEXT_CONTRAST, ring


def focused(page: object) -> str:
    """What has focus, in words: its tag and type, and its name or text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            const name = e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent;
            return `${e.tagName.toLowerCase()}:${e.type || ''}:${name.trim().slice(0, 40)}`; }"""
    )


def tab_until_save(page: object, limit: int = 100) -> list[str]:
    stops = []
    while len(stops) < limit:
        page.keyboard.press("Tab")
        stops.append(focused(page))
        if stops[-1] == "button:submit:Save this version":
            return stops
    pytest.fail(f"Save not reached in {limit} Tab presses: {stops[-5:]}")


def test_keyboard_starts_at_the_opened_council_and_reaches_save_quickly(chromium, app_url):
    page = opened_council(chromium, app_url, WIDE, "Tabbington Borough Council")
    expect(council_heading(page, "Tabbington Borough Council")).to_be_focused()
    stops = tab_until_save(page)
    radios = [s for s in stops if s.startswith("input:radio:")]
    assert radios == ["input:radio:Not answered yet"] * len(CHECKLIST.actions_in("cwb"))
    assert stops[0] == "a::Go to scores and Save"
    # 84 presses when each radio button was a stop; 41 before each action had one toggle
    # for its evidence files and links (its upload and link controls open on asking).
    assert len(stops) <= 49, stops

    council_heading(page, "Tabbington Borough Council").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Scores", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save this version")).to_be_focused()

    page.get_by_role("button", name="Choose another council").click()
    start_council(page, "Secondton Town Council")
    expect(council_heading(page, "Secondton Town Council")).to_be_focused()
    page.close()


def test_arrow_keys_choose_the_level_and_the_score_follows(chromium, app_url):
    page = opened_council(chromium, app_url, WIDE, "Arrowsmith District Council")
    first = page.get_by_role("radiogroup", name="Level reached").first
    first.get_by_role("radio", name="Not answered yet").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = first.get_by_role("radio", name=re.compile(r"^1 Exploring: "))
    expect(chosen).to_be_checked()
    expect(chosen).to_be_focused()
    theme = page.get_by_role("row", name=re.compile("^Community Wealth Building "))
    expect(theme).to_have_text(re.compile(r"25%\s*1 of 8 answered"))  # level 1 of 4
    page.keyboard.press("Tab")
    expect(page.get_by_label("Not applicable to our council").first).to_be_focused()
    page.close()


def test_course_links_say_they_open_a_new_tab(wide):
    wide.get_by_role("radiogroup", name="Level reached").first.get_by_role(
        "radio", name=re.compile(r"^2 Committed: ")
    ).check()
    link = wide.locator("ol.ccin-priorities a").first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_accessible_name(re.compile(r"^Course: .+ \(opens in a new tab\)$"))
    hidden = box(link.locator(".ccin-visually-hidden"))
    assert hidden["width"] <= 1 and hidden["height"] <= 1


def test_no_serious_accessibility_failures_with_a_council_open(either):
    assert serious_axe_violations(either) == []
