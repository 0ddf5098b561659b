"""The share offer planner widget shows what the logic says, escaped, and reacts to edits."""

from __future__ import annotations

import base64
import re

from ccin_learn.tools.share_offer import plan_offer
from ccin_learn.widgets.share_offer import (
    EXAMPLE,
    ShareOfferPlanner,
    error_html,
    plan_html,
    scenario_figure,
)


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
    assert "<img" not in planner.result.value
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


def test_chart_is_a_png_with_alt_text_that_states_the_finding():
    html = plan_html(plan_offer(EXAMPLE))
    image = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)"', html)
    assert image is not None
    assert base64.b64decode(image.group(1)).startswith(b"\x89PNG")
    assert "By the end of week 4: steady: £100,000 (50% of the target)" in image.group(2)


def test_chart_has_title_axis_labels_and_named_scenarios():
    axes = scenario_figure(plan_offer(EXAMPLE)).axes[0]
    assert axes.get_title() == "How a £200,000 offer could build up over 8 weeks"
    assert axes.get_xlabel() == "Week of the offer"
    assert axes.get_ylabel() == "Money raised so far (£)"
    lines = axes.get_legend().get_lines()
    assert {line.get_linestyle() for line in lines} == {"-", "--", ":"}
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "Steady",
        "Slow start, late surge",
        "Early rush",
    ]


def test_table_gives_the_figures_week_by_week_with_header_cells():
    html = plan_html(plan_offer(EXAMPLE), with_chart=False)
    assert '<th scope="col">Week</th><th scope="col">Steady</th>' in html
    week_4 = '<tr><th scope="row">4</th><td>£100,000</td><td>£50,000</td><td>£150,000</td></tr>'
    assert week_4 in html


def test_error_text_is_escaped():
    html = error_html("<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
