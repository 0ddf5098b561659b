"""The community share offer planner: type the offer's figures, see what it takes.

The widget only collects the figures and shows what ``ccin_learn.tools.share_offer``
works out: the investors needed, the notices on the holding limits, and a chart
of three scenarios. Notices carry a label in words, the chart's lines differ in
style and marker as well as colour, and a table gives the same figures as text.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ccin_learn.errors import KitError
from ccin_learn.figures import ACCENT, BRAND, GREY, GRID, MUTED, TEXT
from ccin_learn.text import money, plural
from ccin_learn.tools.share_offer import (
    OfferInputs,
    OfferPlan,
    plan_offer,
    plan_summary,
    range_summary,
    scenario_finding,
)
from ccin_learn.widgets.templates import render

# The example the tool starts with: the typical offer the Community Shares Handbook
# describes (about 200 investors averaging about £1,000). The minimum, maximum and
# weeks are example values only.
EXAMPLE = OfferInputs(target=200_000, minimum=100, maximum=20_000, average=1_000, weeks=8)

LINE_STYLES: tuple[dict[str, Any], ...] = (
    {"color": BRAND, "linestyle": "-", "marker": "o"},
    {"color": ACCENT, "linestyle": "--", "marker": "s"},
    {"color": MUTED, "linestyle": ":", "marker": "^"},
)


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
    axes.axhline(inputs.target, color=GREY, linestyle="-.", linewidth=1)
    axes.annotate(
        f"Target {money(inputs.target, pence=True)}",
        (0, inputs.target),
        xytext=(4, 4),
        textcoords="offset points",
        fontsize=9,
        color=TEXT,
    )
    axes.set_title(
        f"How a {money(inputs.target, pence=True)} offer could build up over "
        f"{plural(inputs.weeks, 'week')}",
        color=TEXT,
    )
    axes.set_xlabel("Week of the offer")
    axes.set_ylabel("Money raised so far (£)")
    axes.set_xlim(0, inputs.weeks)
    axes.set_ylim(0, inputs.target * 1.12)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: money(value, pence=True)))
    axes.legend(title="Scenario", loc="lower right", fontsize=9)
    axes.grid(True, color=GRID, linewidth=0.6)
    figure.tight_layout()
    return figure


def chart_png(plan: OfferPlan) -> str:
    """The chart as a base64 PNG, for an image in the page."""
    buffer = io.BytesIO()
    scenario_figure(plan).savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plan_html(plan: OfferPlan, with_chart: bool = True) -> str:
    """Everything the planner shows for a valid set of figures."""
    return render(
        "share_offer.html.j2",
        plan=plan,
        summary=plan_summary(plan),
        range_text=range_summary(plan),
        png=chart_png(plan) if with_chart else "",
        alt=scenario_finding(plan) if with_chart else "",
        money=money,
    )


def error_html(message: str) -> str:
    """One line saying what to fix, instead of results."""
    return render("check_figures.html.j2", message=message)


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
        heading = widgets.HTML(render("note.html.j2", text="Your share offer", bold=True))
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
