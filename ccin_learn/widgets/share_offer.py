"""The community share offer planner: type the offer's figures, see what it takes.

The widget only collects the figures and shows what ``ccin_learn.tools.share_offer``
works out: the investors needed, the notices on the holding limits, and a chart
of three scenarios. Notices carry a label in words, the chart's lines differ in
style and marker as well as colour, and a table gives the same figures as text.
"""

from __future__ import annotations

import base64
import io
from html import escape

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ccin_learn.errors import KitError
from ccin_learn.text import money
from ccin_learn.tools.share_offer import (
    OfferInputs,
    OfferPlan,
    plan_offer,
    plan_summary,
    range_summary,
    scenario_finding,
)

# The example the tool starts with: the typical offer the Community Shares Handbook
# describes (about 200 investors averaging about £1,000). The minimum, maximum and
# weeks are example values only.
EXAMPLE = OfferInputs(target=200_000, minimum=100, maximum=20_000, average=1_000, weeks=8)

LINE_STYLES = (
    {"color": "#1d5d90", "linestyle": "-", "marker": "o"},
    {"color": "#9a4a00", "linestyle": "--", "marker": "s"},
    {"color": "#3d3d3d", "linestyle": ":", "marker": "^"},
)
TEXT = "#1a1a1a"


def scenario_figure(plan: OfferPlan) -> Figure:
    """Money raised by week under each scenario, with the target marked."""
    inputs = plan.inputs
    figure = Figure(figsize=(7, 4))
    axes = figure.subplots()
    weeks = list(range(inputs.weeks + 1))
    every = max(1, inputs.weeks // 8)
    for scenario, style in zip(plan.scenarios, LINE_STYLES, strict=True):
        axes.plot(
            weeks, scenario.raised, label=scenario.name, linewidth=2, markevery=every, **style
        )
    axes.axhline(inputs.target, color="#6b6b6b", linestyle="-.", linewidth=1)
    axes.annotate(
        f"Target {money(inputs.target, pence=True)}",
        (0, inputs.target),
        xytext=(4, 4),
        textcoords="offset points",
        fontsize=9,
        color=TEXT,
    )
    weeks_text = "1 week" if inputs.weeks == 1 else f"{inputs.weeks} weeks"
    axes.set_title(
        f"How a {money(inputs.target, pence=True)} offer could build up over {weeks_text}",
        color=TEXT,
    )
    axes.set_xlabel("Week of the offer")
    axes.set_ylabel("Money raised so far (£)")
    axes.set_xlim(0, inputs.weeks)
    axes.set_ylim(0, inputs.target * 1.12)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: money(value, pence=True)))
    axes.legend(title="Scenario", loc="lower right", fontsize=9)
    axes.grid(True, color="#dddddd", linewidth=0.6)
    figure.tight_layout()
    return figure


def chart_html(plan: OfferPlan) -> str:
    """The chart as an image with alt text that states what it shows."""
    buffer = io.BytesIO()
    scenario_figure(plan).savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = escape(scenario_finding(plan), quote=True)
    return (
        f'<figure class="ccin-offer-chart"><img src="data:image/png;base64,{data}" '
        f'alt="{alt}" style="max-width:100%;height:auto">'
        "<figcaption>Scenarios are illustrations of common patterns, not forecasts. "
        "Lines differ in style: steady is solid, slow start is dashed, early rush is dotted."
        "</figcaption></figure>"
    )


def table_html(plan: OfferPlan) -> str:
    """The scenarios week by week, as a table with header cells, behind a summary."""
    heads = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in plan.scenarios)
    rows = "".join(
        f'<tr><th scope="row">{week}</th>'
        + "".join(f"<td>{money(s.raised[week], pence=True)}</td>" for s in plan.scenarios)
        + "</tr>"
        for week in range(1, plan.inputs.weeks + 1)
    )
    descriptions = "".join(
        f"<li><strong>{escape(s.name)}</strong>: {escape(s.description)}.</li>"
        for s in plan.scenarios
    )
    return (
        "<details><summary>Show the scenarios as a table</summary>"
        f"<ul>{descriptions}</ul>"
        '<table class="ccin-offer-table"><caption>Money raised by the end of each week'
        f'</caption><thead><tr><th scope="col">Week</th>{heads}</tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )


def notices_html(plan: OfferPlan) -> str:
    """The notices as a list, each starting with its label in bold words."""
    if not plan.notices:
        return (
            "<p><strong>No warnings:</strong> the maximum holding is within the legal limit "
            "and the 10% guidance, and the offer is large enough for the Standard Mark.</p>"
        )
    items = "".join(
        f"<li><strong>{escape(n.label)}:</strong> {escape(n.message)}</li>" for n in plan.notices
    )
    return f"<p><strong>Check these before you go ahead:</strong></p><ul>{items}</ul>"


def plan_html(plan: OfferPlan, with_chart: bool = True) -> str:
    """Everything the planner shows for a valid set of figures."""
    chart = chart_html(plan) if with_chart else ""
    return (
        f"<p><strong>{escape(plan_summary(plan))}</strong></p>"
        f"<p>{escape(range_summary(plan))}</p>"
        f"{notices_html(plan)}{chart}{table_html(plan)}"
    )


def error_html(message: str) -> str:
    """One line saying what to fix, instead of results."""
    return f'<p role="alert"><strong>Check your figures:</strong> {escape(message)}.</p>'


def money_box(value: float, description: str) -> widgets.FloatText:
    return widgets.FloatText(
        value=value, description=description, style={"description_width": "initial"}
    )


class ShareOfferPlanner(widgets.VBox):
    """Type a share offer's target, limits and length; see the investors it needs."""

    def __init__(self, start: OfferInputs = EXAMPLE) -> None:
        self.target = money_box(start.target, "Target raise (£)")
        self.minimum = money_box(start.minimum, "Minimum holding (£)")
        self.maximum = money_box(start.maximum, "Maximum holding (£)")
        self.average = money_box(start.average, "Expected average holding (£)")
        self.weeks = widgets.IntText(
            value=start.weeks,
            description="Offer period (weeks)",
            style={"description_width": "initial"},
        )
        self.northern_ireland = widgets.Checkbox(
            value=start.northern_ireland,
            description="The society is in Northern Ireland",
            indent=False,
        )
        self.result = widgets.HTML()
        self.controls = (
            self.target,
            self.minimum,
            self.maximum,
            self.average,
            self.weeks,
            self.northern_ireland,
        )
        for control in self.controls:
            control.observe(self._update, names="value")
        heading = widgets.HTML("<p><strong>Your share offer</strong></p>")
        super().__init__([heading, *self.controls, self.result])
        self._update()

    def inputs(self) -> OfferInputs:
        return OfferInputs(
            target=self.target.value,
            minimum=self.minimum.value,
            maximum=self.maximum.value,
            average=self.average.value,
            weeks=self.weeks.value,
            northern_ireland=self.northern_ireland.value,
        )

    def _update(self, _change: object = None) -> None:
        try:
            plan = plan_offer(self.inputs())
        except KitError as err:
            self.result.value = error_html(str(err))
            return
        self.result.value = plan_html(plan)
