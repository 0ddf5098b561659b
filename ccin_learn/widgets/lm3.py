"""The LM3 calculator: enter where your money goes, see the three rounds and the score."""

from __future__ import annotations

import ipywidgets as widgets

from ccin_learn.errors import KitError
from ccin_learn.palette import PALETTE
from ccin_learn.text import money, percent
from ccin_learn.tools.lm3 import LM3Inputs, LM3Result, calculate, meaning, score_text
from ccin_learn.widgets.htmlcharts import BarRow, BarTable
from ccin_learn.widgets.templates import render

WIDE = {"description_width": "19em"}
# A dict, not a Layout: each box makes its own Layout from it. A Layout made on import is
# a widget that exists before any kernel connects (the page's memory snapshot) and never
# reaches the browser.
BOX = {"width": "30em"}

# The hand-worked example on the book page: £100,000 income, 60% spent locally,
# 40% of that re-spent locally, giving LM3 = 1.84.
EXAMPLE = LM3Inputs(
    income=100_000,
    supplier_share=70,
    supplier_local=60,
    staff_local=60,
    supplier_respend=40,
    staff_respend=40,
)


def percent_control(description: str, value: float) -> widgets.BoundedFloatText:
    """A labelled 0 to 100 box; the logic still checks the range for other callers."""
    return widgets.BoundedFloatText(
        value=value,
        min=0,
        max=100,
        step=1,
        description=description,
        style=WIDE,
        layout=BOX,
    )


def result_html(result: LM3Result) -> str:
    """The rounds as a table of labelled bars, then the score and what it means."""
    rows = [
        BarRow("Round 1: income", result.round1, money(result.round1)),
        BarRow("Round 2: spent locally", result.round2, money(result.round2)),
        BarRow("Round 3: re-spent locally", result.round3, money(result.round3)),
    ]
    return render(
        "lm3_result.html.j2",
        tables=[BarTable("Money in each round (£)", rows, maximum=result.round1)],
        colours=PALETTE,
        score=score_text(result),
        total=money(result.total),
        meaning=meaning(result),
    )


def error_html(message: str) -> str:
    return render("check_figures.html.j2", message=message)


class LM3Calculator(widgets.VBox):
    """Inputs for the three rounds, grouped by round; the result updates as you type."""

    def __init__(self, start: LM3Inputs = EXAMPLE) -> None:
        self.income = widgets.FloatText(
            value=start.income,
            step=1000,
            description="Income in the year (£)",
            style=WIDE,
            layout=BOX,
        )
        self.supplier_share = percent_control("Share spent on suppliers (%)", start.supplier_share)
        self.staff_share = widgets.HTML()
        self.supplier_local = percent_control(
            "Supplier spend that is local (%)", start.supplier_local
        )
        self.staff_local = percent_control("Staff pay that is local (%)", start.staff_local)
        self.supplier_respend = percent_control(
            "Local suppliers re-spend locally (%)", start.supplier_respend
        )
        self.staff_respend = percent_control(
            "Local staff re-spend locally (%)", start.staff_respend
        )
        self.result = widgets.HTML()
        for control in self.controls():
            control.observe(self._update, names="value")
        super().__init__(
            [
                note("Round 1: the money that comes in"),
                self.income,
                note("Round 2: how round 1 is spent, and how much of it locally"),
                self.supplier_share,
                self.staff_share,
                self.supplier_local,
                self.staff_local,
                note("Round 3: how much local suppliers and staff spend locally in turn"),
                self.supplier_respend,
                self.staff_respend,
                self.result,
            ]
        )
        self._update()

    def controls(self) -> list[widgets.Widget]:
        return [
            self.income,
            self.supplier_share,
            self.supplier_local,
            self.staff_local,
            self.supplier_respend,
            self.staff_respend,
        ]

    def inputs(self) -> LM3Inputs:
        return LM3Inputs(
            income=self.income.value,
            supplier_share=self.supplier_share.value,
            supplier_local=self.supplier_local.value,
            staff_local=self.staff_local.value,
            supplier_respend=self.supplier_respend.value,
            staff_respend=self.staff_respend.value,
        )

    def _update(self, _change: object = None) -> None:
        inputs = self.inputs()
        self.staff_share.value = render(
            "lm3_staff_share.html.j2", share=percent(inputs.staff_share)
        )
        try:
            self.result.value = result_html(calculate(inputs))
        except KitError as err:
            self.result.value = error_html(str(err))


def note(text: str) -> widgets.HTML:
    """A short bold line that groups the controls of one round."""
    return widgets.HTML(render("note.html.j2", text=text, bold=True))
