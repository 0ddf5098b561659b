"""SVG line charts: nice ticks, values to coordinates, and the chart a person sees."""

from __future__ import annotations

import itertools
import re

import pytest

from ccin_learn.palette import PALETTE
from ccin_learn.text import money
from ccin_learn.widgets.svgchart import (
    MONEY_STEPS,
    LineChart,
    Reference,
    Scale,
    Series,
    layout,
    line_chart_svg,
    nice_step,
    plain_number,
    tick_values,
    wrap,
)
from tests.widgets.svgreading import (
    SVG,
    group,
    points,
    series_lines,
    svg_of,
    text_of,
    texts,
    ticks,
)


def pounds(value: float) -> str:
    return money(value, pence=True)


def chart(**changes: object) -> LineChart:
    values: dict[str, object] = {
        "title": "Money by week",
        "summary": "Two lines: one rises to £300, the other to £150.",
        "x_label": "Week",
        "y_label": "Money (£)",
        "x_values": [0, 1, 2, 3],
        "series": [
            Series("Up", [0, 100, 200, 300], PALETTE["brand"]),
            Series("Half", [0, 50, 100, 150], PALETTE["accent"], "9 5", "square"),
        ],
        "y_format": pounds,
    }
    values.update(changes)
    return LineChart(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("span", "intervals", "steps", "smallest", "step"),
    [
        (224_000, 5, MONEY_STEPS, 0, 50_000),
        (1_120_000, 5, MONEY_STEPS, 0, 250_000),
        (33_600, 5, MONEY_STEPS, 0, 10_000),
        (8, 8, (1, 2, 5, 10), 1, 1),
        (52, 8, (1, 2, 5, 10), 1, 10),
        (20, 8, (1, 2, 5, 10), 1, 5),  # weeks never step by 2.5
        (3, 8, (1, 2, 5, 10), 1, 1),  # nor by less than a week
        (1.12, 5, MONEY_STEPS, 0.01, 0.25),
        (0.0112, 5, MONEY_STEPS, 0.01, 0.01),  # nor money by less than a penny
        (100, 10, (1, 2, 5, 10), 0, 10),  # an exact fit is not pushed to the next step
    ],
)
def test_nice_step_is_a_round_number_giving_at_most_the_intervals_asked(
    span, intervals, steps, smallest, step
):
    assert nice_step(span, intervals, smallest, steps) == pytest.approx(step)
    assert span / nice_step(span, intervals, smallest, steps) <= intervals or step == smallest


def test_nice_step_refuses_an_empty_span():
    with pytest.raises(ValueError):
        nice_step(0, 5)


def test_ticks_run_from_zero_to_the_top_without_float_dust():
    assert tick_values(224_000, 5, steps=MONEY_STEPS) == [0, 50_000, 100_000, 150_000, 200_000]
    assert tick_values(0.7, 7) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    assert tick_values(13, 8) == [0, 2, 4, 6, 8, 10, 12]


def test_a_scale_maps_values_in_proportion_and_can_run_upwards():
    across = Scale(0, 8, 100, 500)
    assert [across(0), across(2), across(8)] == [100, 200, 500]
    up = Scale(0, 200_000, 300, 100)  # a y axis: 0 at the bottom
    assert [up(0), up(50_000), up(200_000)] == [300, 250, 100]


def test_counts_are_labelled_without_a_decimal_point():
    assert [plain_number(v) for v in (0, 1.0, 12, 1.5, 1000)] == ["0", "1", "12", "1.5", "1,000"]


def test_wrap_cuts_long_text_at_spaces_to_fit():
    lines = wrap("How a £1,000,000 offer could build up over 52 weeks", 380, 15)
    assert len(lines) == 2 and " ".join(lines).endswith("52 weeks")
    assert wrap("Short", 380, 15) == ("Short",)


def test_the_svg_is_an_image_named_in_words_that_scales_to_its_container():
    svg = svg_of(line_chart_svg(chart()))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Two lines: one rises to £300, the other to £150."
    assert svg.findtext(f"{SVG}title") == svg.get("aria-label")
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", svg.get("viewBox") or "")
    assert svg.get("width") == "100%"
    assert "px" not in (svg.get("style") or "") and svg.get("height") is None


def test_axis_labels_title_and_legend_are_text():
    svg = svg_of(line_chart_svg(chart(legend_title="Scenario")))
    assert text_of(svg, "chart-title") == "Money by week"
    assert text_of(svg, "x-label") == "Week"
    assert text_of(svg, "y-label") == "Money (£)"
    assert texts(svg)[-3:] == ["Scenario", "Up", "Half"]


def test_points_are_placed_in_proportion_to_their_values():
    svg = svg_of(line_chart_svg(chart()))
    up, half = (points(line) for line in series_lines(svg))
    bottom = up[0][1]
    heights = [bottom - y for _x, y in up]
    assert heights[2] == pytest.approx(2 * heights[1], abs=0.2)
    assert heights[3] == pytest.approx(3 * heights[1], abs=0.2)
    assert [bottom - y for _x, y in half] == pytest.approx([h / 2 for h in heights], abs=0.2)
    steps = [b[0] - a[0] for a, b in itertools.pairwise(up)]
    assert max(steps) - min(steps) < 0.2  # weeks equally spaced


def test_tick_labels_are_formatted_money_at_their_values():
    svg = svg_of(line_chart_svg(chart()))
    y_ticks = ticks(svg, "y-ticks")
    assert [label for _y, label in y_ticks] == ["£0", "£100", "£200", "£300"]
    (up, _half) = (points(line) for line in series_lines(svg))
    assert y_ticks[1][0] == up[1][1]  # the £100 tick is level with the point worth £100
    assert [label for _x, label in ticks(svg, "x-ticks")] == ["0", "1", "2", "3"]
    assert [x for x, _label in ticks(svg, "x-ticks")] == [x for x, _y in up]


def test_a_reference_line_is_drawn_at_its_value_with_its_label():
    svg = svg_of(line_chart_svg(chart(references=[Reference(200, "Target £200")], y_high=336)))
    (rule,) = group(svg, "reference")
    line = rule.find(f"{SVG}line")
    assert line is not None
    tick_200 = {label: y for y, label in ticks(svg, "y-ticks")}["£200"]
    assert float(line.get("y1") or 0) == tick_200
    assert texts(rule) == ["Target £200"]


def test_lines_differ_in_dash_and_marker_as_well_as_colour():
    svg = svg_of(line_chart_svg(chart()))
    up, half = series_lines(svg)
    assert up.get("stroke-dasharray") is None and half.get("stroke-dasharray") == "9 5"
    groups = group(svg, "series")
    assert len(groups[0].findall(f"{SVG}circle")) == 4
    assert len(groups[1].findall(f"{SVG}rect")) == 4


def test_markers_every_nth_point_only():
    svg = svg_of(line_chart_svg(chart(marker_every=2)))
    groups = group(svg, "series")
    assert len(groups[0].findall(f"{SVG}circle")) == 2


def test_user_text_is_escaped_everywhere_it_appears():
    nasty = '<script>alert("x")</script> & "quotes"'
    html = line_chart_svg(
        chart(
            title=nasty,
            summary=nasty,
            x_label=nasty,
            y_label=nasty,
            legend_title=nasty,
            series=[Series(nasty, [0, 1, 2, 3], PALETTE["brand"])],
            references=[Reference(2, nasty)],
        )
    )
    assert "<script>" not in html
    svg = svg_of(html)  # still well-formed XML
    assert svg.get("aria-label") == nasty
    assert text_of(svg, "x-label") == nasty
    assert texts(svg).count(nasty) >= 5


def test_coordinates_carry_no_float_dust():
    odd = chart(
        x_values=list(range(14)),
        series=[Series("Odd", [i * 949.67 for i in range(14)], PALETTE["muted"], "", "triangle")],
        y_high=12_345.67 * 1.12,
    )
    assert not re.search(r"\d\.\d{2,}", line_chart_svg(odd))


def test_colours_are_the_kits():
    html = line_chart_svg(chart(references=[Reference(100, "Target")]))
    assert set(re.findall(r"#[0-9a-fA-F]{3,6}\b", html)) <= set(PALETTE.values())


def test_a_long_title_wraps_and_pushes_the_plot_down():
    short, long = (
        layout(chart(title=t))
        for t in ("Short", "How a £1,000,000 offer could build up over 52 weeks, in three ways")
    )
    assert len(long.title_lines) == 2
    assert long.plot.top > short.plot.top
    assert long.height > short.height


def test_a_chart_with_nothing_to_span_is_refused():
    with pytest.raises(ValueError):
        layout(chart(x_values=[0], series=[Series("One", [5], PALETTE["brand"])]))
    with pytest.raises(ValueError):
        layout(chart(series=[Series("Flat", [0, 0, 0, 0], PALETTE["brand"])]))
