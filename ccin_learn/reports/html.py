"""The HTML report: one self-contained, print-friendly file with inline charts.

Jinja2 autoescapes everything, so a council's evidence or notes can never
become markup. The charts are the same PNG images as in the PDF and Word
reports, inlined as data URLs: drawing each chart once for all three formats
keeps "Prepare downloads" within a second.
"""

from __future__ import annotations

import base64
import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ccin_learn.figures import PALETTE, Chart
from ccin_learn.reports.model import CHART_DPI, ReportInput, report_charts
from ccin_learn.reports.network import network_blocks, respondents_rows
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


def data_url(chart: Chart) -> str:
    """The chart's PNG (the one the PDF and Word files embed) as a ``data:`` URL."""
    return "data:image/png;base64," + base64.b64encode(chart.png(dpi=CHART_DPI)).decode("ascii")


def render_html(report: ReportInput) -> str:
    charts = [{"title": c.title, "alt": c.alt, "src": data_url(c)} for c in report_charts(report)]
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            r=report,
            charts=charts,
            network=network_blocks(report),
            respondents=respondents_rows(report.extras.respondents),
            percent=percent,
            colours=PALETTE,
        )
    )
