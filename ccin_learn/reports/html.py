"""The HTML report: one self-contained, print-friendly file with inline charts.

Jinja2 autoescapes everything, so a council's evidence or notes can never
become markup; only the charts, drawn by the kit itself, go in unescaped.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ccin_learn.figures import PALETTE, Chart
from ccin_learn.reports.model import ReportInput, report_charts
from ccin_learn.text import percent


@functools.cache
def environment() -> Environment:
    """The report templates, loaded once on first use."""
    return Environment(
        loader=PackageLoader("ccin_learn.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def inline_svg(chart: Chart) -> Markup:
    """The chart as inline SVG, labelled for screen readers by its alt text."""
    svg = chart.svg().replace(
        "<svg ", f'<svg role="img" aria-label="{Markup.escape(chart.alt)}" ', 1
    )
    return Markup(svg)  # safe: drawn by matplotlib from the kit's own labels


def render_html(report: ReportInput) -> str:
    charts = [{"title": c.title, "alt": c.alt, "svg": inline_svg(c)} for c in report_charts(report)]
    return (
        environment()
        .get_template("report.html.j2")
        .render(r=report, charts=charts, percent=percent, colours=PALETTE)
    )
