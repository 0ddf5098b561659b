"""The community share offer planner: type the offer's figures, see what it takes.

The widget only collects the figures and shows what ``ccin_learn.tools.share_offer``
works out: the investors needed, the notices on the holding limits, and a chart
of three scenarios. Notices carry a label in words, the chart's lines differ in
style and marker as well as colour, and a table gives the same figures as text.
"""

from __future__ import annotations

import ipywidgets as widgets

from ccin_learn.errors import KitError
from ccin_learn.palette import ACCENT, BRAND, MUTED
from ccin_learn.text import money, plural
from ccin_learn.tools.share_offer import (
    OfferInputs,
    OfferPlan,
    plan_offer,
    plan_summary,
    range_summary,
    scenario_finding,
)
from ccin_learn.widgets.svgchart import LineChart, Reference, Series, layout
from ccin_learn.widgets.templates import render

# The example the tool starts with: the typical offer the Community Shares Handbook
# describes (about 200 investors averaging about £1,000). The minimum, maximum and
# weeks are example values only.
EXAMPLE = OfferInputs(target=200_000, minimum=100, maximum=20_000, average=1_000, weeks=8)

# How each scenario's line looks besides its colour: solid with circles, dashed with
# squares, dotted with triangles (as the figure caption says).
LINE_STYLES: tuple[tuple[str, str, str], ...] = (
    (BRAND, "", "circle"),
    (ACCENT, "9 5", "square"),
    (MUTED, "2 4", "triangle"),
)


def scenario_chart(plan: OfferPlan) -> LineChart:
    """Money raised by week under each scenario, with the target marked."""
    inputs = plan.inputs
    target = money(inputs.target, pence=True)
    return LineChart(
        title=f"How a {target} offer could build up over {plural(inputs.weeks, 'week')}",
        summary=scenario_finding(plan),
        x_label="Week of the offer",
        y_label="Money raised so far (£)",
        x_values=range(inputs.weeks + 1),
        series=[
            Series(scenario.name, scenario.raised, colour, dash, marker)
            for scenario, (colour, dash, marker) in zip(plan.scenarios, LINE_STYLES, strict=True)
        ],
        y_format=lambda value: money(value, pence=True),
        references=[Reference(inputs.target, f"Target {target}")],
        legend_title="Scenario",
        y_high=inputs.target * 1.12,
        marker_every=max(1, inputs.weeks // 8),
    )


def plan_html(plan: OfferPlan, with_chart: bool = True) -> str:
    """Everything the planner shows for a valid set of figures."""
    return render(
        "share_offer.html.j2",
        plan=plan,
        summary=plan_summary(plan),
        range_text=range_summary(plan),
        chart=layout(scenario_chart(plan)) if with_chart else None,
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
