"""The share offer planner widget shows what the logic says, escaped, and reacts to edits."""

from __future__ import annotations

import pytest

from ccin_learn.palette import ACCENT, BRAND, GREY, MUTED
from ccin_learn.tools.share_offer import OfferInputs, plan_offer
from ccin_learn.widgets.share_offer import (
    EXAMPLE,
    ShareOfferPlanner,
    error_html,
    plan_html,
)
from tests.widgets.svgreading import SVG, group, points, series_lines, svg_of, text_of, texts, ticks


def test_starts_with_the_typical_offer_and_no_warnings():
    planner = ShareOfferPlanner()
    text = planner.result.value
    assert "you need 200 investors: at least 25 new investors a week over 8 weeks" in text
    assert "No warnings:" in text


def test_raising_the_maximum_over_the_limits_shows_labelled_warnings():
    planner = ShareOfferPlanner()
    planner.maximum.value = 150_000
    text = planner.result.value
    assert "<strong>Over the legal limit:</strong>" in text
    assert "<strong>Above the 10% guidance:</strong>" in text
    assert "2 investors would be enough" in text  # 200,000 / 150,000, rounded up


def test_ticking_northern_ireland_applies_its_lower_limit():
    planner = ShareOfferPlanner()
    planner.target.value = 2_000_000
    planner.maximum.value = 25_000
    assert "Over the legal limit" not in planner.result.value
    planner.northern_ireland.value = True
    assert "more than £20,000 of withdrawable shares in Northern Ireland" in planner.result.value


def test_a_small_offer_is_told_about_the_standard_mark():
    planner = ShareOfferPlanner()
    planner.target.value = 30_000
    planner.maximum.value = 3_000
    planner.average.value = 300
    assert "<strong>Under £50,000:</strong>" in planner.result.value
    assert "you need 100 investors" in planner.result.value  # 30,000 / 300


def test_bad_figures_show_one_line_and_no_results():
    planner = ShareOfferPlanner()
    planner.target.value = 0
    assert planner.result.value == error_html("the target raise must be more than £0")
    assert 'role="alert"' in planner.result.value
    assert "<svg" not in planner.result.value
    planner.target.value = 200_000
    assert "200 investors" in planner.result.value


def test_every_control_has_a_label():
    planner = ShareOfferPlanner()
    assert [c.description for c in planner.controls] == [
        "Target raise (£)",
        "Minimum holding (£)",
        "Maximum holding (£)",
        "Expected average holding (£)",
        "Offer period (weeks)",
        "The society is in Northern Ireland",
    ]


def test_chart_is_an_svg_image_whose_name_states_the_finding():
    svg = svg_of(plan_html(plan_offer(EXAMPLE)))
    assert svg.get("role") == "img"
    label = svg.get("aria-label") or ""
    assert label.startswith("How £200,000 could build up over 8 weeks in three scenarios.")
    assert "By the end of week 4: steady: £100,000 (50% of the target)" in label
    assert svg.findtext(f"{SVG}title") == label
    assert svg.get("width") == "100%" and svg.get("viewBox")


def test_chart_has_title_axis_labels_and_named_scenarios():
    svg = svg_of(plan_html(plan_offer(EXAMPLE)))
    assert text_of(svg, "chart-title") == "How a £200,000 offer could build up over 8 weeks"
    assert text_of(svg, "x-label") == "Week of the offer"
    assert text_of(svg, "y-label") == "Money raised so far (£)"
    (legend,) = group(svg, "legend")
    assert texts(legend) == ["Scenario", "Steady", "Slow start, late surge", "Early rush"]
    lines = series_lines(svg)
    assert [line.get("stroke") for line in lines] == [BRAND, ACCENT, MUTED]
    assert len({line.get("stroke-dasharray") for line in lines}) == 3  # solid, dashed, dotted


def test_chart_ticks_are_weeks_and_money():
    svg = svg_of(plan_html(plan_offer(EXAMPLE)))
    assert [label for _x, label in ticks(svg, "x-ticks")] == [str(w) for w in range(9)]
    money_ticks = [label for _y, label in ticks(svg, "y-ticks")]
    assert money_ticks == ["£0", "£50,000", "£100,000", "£150,000", "£200,000"]


def test_chart_lines_follow_the_scenarios_figures():
    plan = plan_offer(EXAMPLE)
    svg = svg_of(plan_html(plan))
    y_of = {label: y for y, label in ticks(svg, "y-ticks")}
    per_pound = (y_of["£0"] - y_of["£200,000"]) / 200_000
    for scenario, line in zip(plan.scenarios, series_lines(svg), strict=True):
        drawn = [(y_of["£0"] - y) / per_pound for _x, y in points(line)]
        assert drawn == [pytest.approx(v, abs=200) for v in scenario.raised]  # within 0.1%
    weeks = {label: x for x, label in ticks(svg, "x-ticks")}
    assert [x for x, _y in points(series_lines(svg)[0])] == [weeks[str(w)] for w in range(9)]


def test_chart_marks_the_target_with_a_labelled_line():
    svg = svg_of(plan_html(plan_offer(EXAMPLE)))
    (target,) = group(svg, "reference")
    assert texts(target) == ["Target £200,000"]
    line = target.find(f"{SVG}line")
    assert line is not None and line.get("stroke") == GREY
    y_of = {label: y for y, label in ticks(svg, "y-ticks")}
    assert float(line.get("y1") or 0) == y_of["£200,000"]


def test_a_long_offer_keeps_its_week_ticks_few_and_round():
    inputs = OfferInputs(target=1_000_000, minimum=100, maximum=100_000, average=1_000, weeks=52)
    svg = svg_of(plan_html(plan_offer(inputs)))
    assert [label for _x, label in ticks(svg, "x-ticks")] == ["0", "10", "20", "30", "40", "50"]
    assert [label for _y, label in ticks(svg, "y-ticks")][-1] == "£1,000,000"
    assert len(group(svg, "series")[0].findall(f"{SVG}circle")) == 9  # every 6th week


def test_table_gives_the_figures_week_by_week_with_header_cells():
    html = plan_html(plan_offer(EXAMPLE), with_chart=False)
    assert '<th scope="col">Week</th><th scope="col">Steady</th>' in html
    week_4 = '<tr><th scope="row">4</th><td>£100,000</td><td>£50,000</td><td>£150,000</td></tr>'
    assert week_4 in html


def test_error_text_is_escaped():
    html = error_html("<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
