"""The HTML report: one self-contained, print-friendly file with inline charts.

Jinja2 autoescapes everything, so a council's evidence or notes can never
become markup; only the charts, drawn by the kit itself, go in unescaped.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ccin_learn.reports import ReportInput
from ccin_learn.selfassessment.charts import actions_chart, comparison_chart, principles_chart

ENVIRONMENT = Environment(
    loader=PackageLoader("ccin_learn.reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def inline_svg(chart) -> Markup:
    """The chart as inline SVG, labelled for screen readers by its alt text."""
    svg = chart.svg().replace(
        "<svg ", f'<svg role="img" aria-label="{Markup.escape(chart.alt)}" ', 1
    )
    return Markup(svg)  # safe: drawn by matplotlib from the kit's own labels


def charts(report: ReportInput) -> list[dict[str, object]]:
    drawn = [
        actions_chart(report.card, report.checklist),
        principles_chart(report.card, report.checklist),
    ]
    previous = report.previous_card
    if previous is not None:
        drawn.append(
            comparison_chart(report.card, previous, report.checklist, report.previous_label)
        )
    return [{"title": c.title, "alt": c.alt, "svg": inline_svg(c)} for c in drawn]


def render_html(report: ReportInput) -> str:
    template = ENVIRONMENT.get_template("report.html.j2")
    return template.render(r=report, charts=charts(report))
