"""Line charts as accessible SVG, drawn by a Jinja2 template with no plotting library.

The widgets run in the reader's browser too (Pyodide), where matplotlib has no build,
so a chart is laid out here in plain Python and drawn by ``templates/line_chart.svg.j2``.
This module holds the arithmetic (nice tick steps, values to coordinates, where the
legend goes) as small pure functions; the template only writes out what they give.

The SVG has ``role="img"``, an ``aria-label`` and a ``<title>`` that say what the chart
shows in words; its axis labels, ticks and legend are text; its lines differ in dash and
marker as well as colour. It scales to its container (a ``viewBox``, ``width="100%"``),
and is laid out narrow enough that its text stays readable on a 390 px phone.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ccin_learn.palette import GREY, GRID, TEXT
from ccin_learn.widgets.templates import render

# The drawing's own units (the viewBox). 400 wide keeps 14-unit text at about 12.5 px on
# a 390 px phone; capped at MAX_WIDTH, it is about the size of the page's text on a wide
# screen.
WIDTH = 400
MAX_WIDTH = "30em"
FONT = 14
TITLE_FONT = 15
PAD = 10
PLOT_HEIGHT = 220
LEGEND_ROW = 20
LEGEND_SAMPLE = 32  # the length of a line's sample in the legend
MARK = 8  # the markers' size
GAP = 6  # between an axis and its tick labels
CHARACTER = 0.62  # a generous average width of a character, in em
WHOLE_STEPS = (1, 2, 5, 10)  # for counts such as weeks: never a step of 2.5
MONEY_STEPS = (1, 2, 2.5, 5, 10)

Format = Callable[[float], str]


def nice_step(
    span: float, intervals: int, smallest: float = 0.0, steps: Sequence[float] = WHOLE_STEPS
) -> float:
    """The smallest of ``steps`` times a power of ten (say 1, 2 or 5 times) that cuts
    ``span`` into at most ``intervals`` pieces, and at least ``smallest`` (1 week, 1p)."""
    if span <= 0 or intervals < 1:
        raise ValueError("a scale needs a positive span and at least one interval")
    raw = span / intervals
    power = 10 ** math.floor(math.log10(raw))
    step = next(n * power for n in steps if n * power >= raw * (1 - 1e-9))
    return max(step, smallest)


def tick_values(
    high: float, intervals: int, smallest: float = 0.0, steps: Sequence[float] = WHOLE_STEPS
) -> list[float]:
    """Ticks from 0 up to ``high`` at a nice step, without float dust (0.30000000000000004)."""
    step = nice_step(high, intervals, smallest, steps)
    count = math.floor(high / step + 1e-9)
    digits = max(0, -math.floor(math.log10(step))) + 2
    return [round(i * step, digits) for i in range(count + 1)]


def plain_number(value: float) -> str:
    """A tick label for a count: ``3``, not ``3.0``; ``1.5`` stays."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def wrap(text: str, width: float, size: float) -> tuple[str, ...]:
    """``text`` cut at spaces into lines that fit ``width`` drawing units at font ``size``."""
    return tuple(textwrap.wrap(text, max(1, math.floor(width / (size * CHARACTER)))))


@dataclass(frozen=True)
class Scale:
    """Maps values from ``low``..``high`` onto drawing units ``start``..``end`` (linear)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(self.start + share * (self.end - self.start), 1)


def text_width(text: str, size: float = FONT) -> float:
    """A generous guess at how wide ``text`` is drawn (CHARACTER em a character)."""
    return len(text) * size * CHARACTER


@dataclass(frozen=True)
class Series:
    """One line: its name in the legend, a value per x, and how it looks besides colour."""

    name: str
    values: Sequence[float]
    colour: str
    dash: str = ""  # an SVG stroke-dasharray; "" is a solid line
    marker: str = "circle"  # "circle", "square" or "triangle"


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the plot (a target), labelled at its left end."""

    value: float
    label: str
    colour: str = GREY
    dash: str = "8 4 2 4"


@dataclass(frozen=True)
class LineChart:
    """What a line chart shows; ``layout`` works out where everything goes."""

    title: str
    summary: str  # what the chart shows, in words: the SVG's accessible name
    x_label: str
    y_label: str
    x_values: Sequence[float]
    series: Sequence[Series]
    y_format: Format
    x_format: Format = plain_number
    references: Sequence[Reference] = ()
    legend_title: str = ""
    y_high: float | None = None  # the top of the value axis; the largest value if None
    marker_every: int = 1
    x_intervals: int = 8
    y_intervals: int = 5
    x_smallest_step: float = 1.0
    y_smallest_step: float = 0.01
    x_steps: Sequence[float] = WHOLE_STEPS
    y_steps: Sequence[float] = MONEY_STEPS


@dataclass(frozen=True)
class Tick:
    position: float  # across the axis: x for the week axis, y for the money axis
    label: str


@dataclass(frozen=True)
class Mark:
    """A marker centred on (x, y): a circle, a square or a triangle, MARK units across."""

    kind: str
    x: float
    y: float

    @property
    def corner(self) -> tuple[float, float]:
        """The top left corner of a square."""
        return (round(self.x - MARK / 2, 1), round(self.y - MARK / 2, 1))

    @property
    def triangle(self) -> tuple[tuple[float, float], ...]:
        """The three corners of a triangle, point up."""
        half = MARK / 2 + 1
        return (
            (self.x, round(self.y - half, 1)),
            (round(self.x + half, 1), round(self.y + half - 1, 1)),
            (round(self.x - half, 1), round(self.y + half - 1, 1)),
        )


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dash: str
    marker: str
    points: tuple[tuple[float, float], ...]
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class LegendEntry:
    """A short sample of a line with its marker, then its name."""

    line: Line
    y: float
    start: float
    end: float
    mark: Mark
    text_x: float


@dataclass(frozen=True)
class Rule:
    """A reference line across the plot, its label just above its left end."""

    y: float
    label: str
    colour: str
    dash: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class ChartLayout:
    """Everything the template draws, in drawing units."""

    chart: LineChart
    width: float
    height: float
    plot: Box
    title_x: float
    title_lines: tuple[tuple[float, str], ...]  # the baseline of each line, and its text
    x_ticks: tuple[Tick, ...]
    x_tick_y: float  # the baseline of the week labels
    y_ticks: tuple[Tick, ...]
    y_tick_x: float  # the right end of the money labels
    x_label: tuple[float, float]  # the middle of the axis label's baseline
    y_label: tuple[float, float]  # the same, before it is turned a quarter left
    lines: tuple[Line, ...]
    rules: tuple[Rule, ...]
    legend_title: tuple[float, float]
    legend: tuple[LegendEntry, ...]
    colours: dict[str, str]
    font: int = FONT
    title_font: int = TITLE_FONT
    max_width: str = MAX_WIDTH


def layout(chart: LineChart) -> ChartLayout:
    """Where the axes, ticks, lines, target and legend of ``chart`` go."""
    x_low, x_high = min(chart.x_values), max(chart.x_values)
    largest = max(max(s.values) for s in chart.series)
    y_high = chart.y_high if chart.y_high is not None else largest
    if x_high <= x_low or y_high <= 0:
        raise ValueError("a line chart needs two or more x values and a top above 0")
    y_values = tick_values(y_high, chart.y_intervals, chart.y_smallest_step, chart.y_steps)
    y_labels = [chart.y_format(v) for v in y_values]
    # Left: the rotated axis label, then the widest tick label, then a tick mark.
    left = PAD + FONT + PAD + max(text_width(label) for label in y_labels) + 8
    title = wrap(chart.title, WIDTH - 2 * PAD, TITLE_FONT)
    leading = TITLE_FONT + 4
    title_lines = tuple((PAD + leading * (i + 1) - 4, text) for i, text in enumerate(title))
    top = PAD + leading * len(title) + PAD + 4
    right = WIDTH - PAD - text_width(chart.x_format(x_high)) / 2
    bottom = top + PLOT_HEIGHT
    plot = Box(round(left, 1), top, round(right, 1), bottom)
    x_scale = Scale(x_low, x_high, plot.left, plot.right)
    y_scale = Scale(0, y_high, plot.bottom, plot.top)
    x_ticks = tuple(
        Tick(x_scale(x_low + v), chart.x_format(x_low + v))
        for v in tick_values(
            x_high - x_low, chart.x_intervals, chart.x_smallest_step, chart.x_steps
        )
    )
    y_ticks = tuple(Tick(y_scale(v), label) for v, label in zip(y_values, y_labels, strict=True))
    lines = tuple(plot_line(s, chart, x_scale, y_scale) for s in chart.series)
    rules = tuple(
        Rule(y, r.label, r.colour, r.dash, plot.left + GAP, round(y - 5, 1))
        for r in chart.references
        for y in [y_scale(r.value)]
    )
    x_tick_y = bottom + GAP + FONT
    x_label_y = x_tick_y + 8 + FONT
    legend_top = x_label_y + PAD + 8
    first_row = legend_top + (LEGEND_ROW if chart.legend_title else 0)
    legend = tuple(
        legend_entry(line, plot.left, first_row + LEGEND_ROW * i + LEGEND_ROW / 2)
        for i, line in enumerate(lines)
    )
    return ChartLayout(
        chart=chart,
        width=WIDTH,
        height=first_row + LEGEND_ROW * len(lines) + PAD,
        plot=plot,
        title_x=WIDTH / 2,
        title_lines=title_lines,
        x_ticks=x_ticks,
        x_tick_y=x_tick_y,
        y_ticks=y_ticks,
        y_tick_x=round(plot.left - GAP, 1),
        x_label=(round((plot.left + plot.right) / 2, 1), x_label_y),
        y_label=(PAD + FONT, round((plot.top + plot.bottom) / 2, 1)),
        lines=lines,
        rules=rules,
        legend_title=(plot.left, legend_top + FONT),
        legend=legend,
        colours={"text": TEXT, "grid": GRID, "axis": GREY},
    )


def legend_entry(line: Line, left: float, y: float) -> LegendEntry:
    """A legend row centred on ``y``: the line's sample with a marker, then its name."""
    end = round(left + LEGEND_SAMPLE, 1)
    mark = Mark(line.marker, round(left + LEGEND_SAMPLE / 2, 1), y)
    return LegendEntry(line, y, left, end, mark, round(end + 8, 1))


def plot_line(series: Series, chart: LineChart, x_scale: Scale, y_scale: Scale) -> Line:
    """A series in drawing units, with a marker on every ``marker_every``-th point."""
    points = tuple(
        (x_scale(x), y_scale(y)) for x, y in zip(chart.x_values, series.values, strict=True)
    )
    marks = tuple(Mark(series.marker, x, y) for x, y in points[:: max(1, chart.marker_every)])
    return Line(series.name, series.colour, series.dash, series.marker, points, marks)


def line_chart_svg(chart: LineChart) -> str:
    """The chart as an SVG element, to put in a page or a widget's HTML."""
    return render("line_chart.svg.j2", layout=layout(chart))
