"""The procurement spend analysis tool: upload payments, say what is local, read the report.

The widget only collects the file and the choices and shows what
``ccin_learn.tools.spend`` works out; its HTML comes from the ``spend_*.html.j2``
templates, which escape every piece of text from the file. A problem with the file
reaches the officer as one plain sentence, and the last good report stays on screen.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Sequence

import ipywidgets as widgets

from ccin_learn.figures import PALETTE
from ccin_learn.text import money, plural
from ccin_learn.tools.spend.analysis import (
    CategoryLine,
    LocalDefinition,
    SpendReport,
    analyse,
    local_definition,
    net_spend,
)
from ccin_learn.tools.spend.reading import Payments, read_payments
from ccin_learn.tools.spend.summary import (
    amount_words,
    column_words,
    headline,
    missing_flag_columns,
    percent,
    share_words,
    shown_categories,
    shown_unreadable,
    summary_csv,
    summary_file_name,
    type_shares,
    unknown_shares,
)
from ccin_learn.widgets.common import guarded as guarded_by
from ccin_learn.widgets.common import message_html
from ccin_learn.widgets.htmlcharts import BarRow, BarTable
from ccin_learn.widgets.templates import render

log = logging.getLogger("ccin_learn.spend")
LABEL_STYLE = {"description_width": "initial"}
POSTCODES, FLAG = "postcodes", "flag"
UNEXPECTED = (
    "Something went wrong and the report was not updated. If it happens again, tell "
    "whoever runs this tool (the details are in its log)."
)


guarded = guarded_by(UNEXPECTED, log)


def share_tables(report: SpendReport) -> list[BarTable]:
    """The shares by type of supplier as labelled bars out of 100%, if the file has any."""
    rows = [BarRow(label, share.share, share_words(share)) for label, share in type_shares(report)]
    return [BarTable("Share of net spend by type of supplier", rows, maximum=100)] if rows else []


def category_tables(lines: Sequence[CategoryLine]) -> list[BarTable]:
    """Categories as bars scaled to the largest, if there are any."""
    if not lines:
        return []
    rows = [BarRow(line.name, max(line.amount, 0), amount_words(line)) for line in lines]
    top = max(line.amount for line in lines) or 1
    return [BarTable("Net spend by category, largest first", rows, maximum=top)]


def report_html(report: SpendReport, level: int = 2) -> str:
    """The whole report, every piece of text from the file escaped.

    ``level`` is its headings' level, so they fit the page around the tool.
    """
    categories, more_categories = shown_categories(report)
    unreadable, more_unreadable = shown_unreadable(report)
    return render(
        "spend_report.html.j2",
        report=report,
        level=level,
        headline=headline(report),
        share_tables=share_tables(report),
        category_tables=category_tables(categories),
        more_categories=more_categories,
        unknowns=unknown_shares(report),
        missing=missing_flag_columns(report),
        unreadable=unreadable,
        more_unreadable=more_unreadable,
        columns=column_words(report),
        colours=PALETTE,
        money=money,
        percent=percent,
        plural=plural,
    )


def download_html(report: SpendReport) -> str:
    """A link that downloads the summary CSV from the page itself (a data: URI)."""
    data = base64.b64encode(summary_csv(report).encode("utf-8")).decode("ascii")
    return render("spend_download.html.j2", file_name=summary_file_name(report), data=data)


class SpendAnalysis(widgets.VBox):
    """Upload a payments CSV, say what counts as local, and see where the money went."""

    def __init__(
        self,
        example: tuple[str, bytes] | None = None,
        districts: str = "",
        heading_level: int = 2,
    ) -> None:
        self.payments: Payments | None = None
        self.heading_level = heading_level
        self.quiet = False
        self.upload = widgets.FileUpload(
            accept=".csv,text/csv",
            multiple=False,
            description="Choose payments CSV",
            icon="",  # no icon font to fetch: the book loads nothing from elsewhere
            tooltip="Choose your council's payments file (CSV)",
            layout=widgets.Layout(width="auto"),
        )
        self.method = widgets.RadioButtons(
            options=[("Postcode districts", POSTCODES), ("A yes/no column in the file", FLAG)],
            value=POSTCODES,
            description="Local means",
            style=LABEL_STYLE,
        )
        self.districts = widgets.Text(
            value=districts,
            description="Local postcode districts",
            style=LABEL_STYLE,
            placeholder="for example PR1, PR2, PR5",
            continuous_update=False,
            layout=widgets.Layout(width="32em"),
        )
        self.flag_column = widgets.Dropdown(
            options=[],
            description="Column that says a supplier is local",
            style=LABEL_STYLE,
            layout=widgets.Layout(display="none"),
        )
        self.status = widgets.HTML()
        self.report = widgets.HTML(
            render("note.html.j2", text="Upload a payments file to see the report.", bold=False)
        )
        self.download = widgets.HTML()
        self.upload.observe(self.on_upload, names="value")
        for control in (self.method, self.districts, self.flag_column):
            control.observe(self.on_change, names="value")
        super().__init__(
            [
                widgets.HTML(render("spend_intro.html.j2")),
                self.upload,
                self.method,
                self.districts,
                self.flag_column,
                self.status,
                self.report,
                self.download,
            ]
        )
        if example is not None:
            self.load(*example)

    @guarded
    def on_upload(self, _change: object = None) -> None:
        if self.upload.value:
            chosen = self.upload.value[0]
            self.load(chosen["name"], bytes(chosen["content"]))

    @guarded
    def on_change(self, _change: object = None) -> None:
        if self.quiet:
            return
        self.show_method()
        self.refresh()

    def load(self, name: str, data: bytes) -> None:
        """Read a file; only a file that reads replaces the one shown."""
        payments = read_payments(data, name)
        net_spend(payments)  # raises, before anything changes, if nothing can be counted
        self.payments = payments
        self.quiet = True  # the new column list is not a choice the officer made
        try:
            self.flag_column.options = payments.named_columns()
            self.flag_column.value = payments.column("local")
        finally:
            self.quiet = False
        self.refresh()

    def show_method(self) -> None:
        by_flag = self.method.value == FLAG
        self.districts.layout.display = "none" if by_flag else None
        self.flag_column.layout.display = None if by_flag else "none"

    def definition(self) -> LocalDefinition | None:
        """What counts as local from the controls, or None while it is not yet given."""
        return local_definition(
            self.method.value == FLAG, self.districts.value, self.flag_column.value
        )

    def say(self, text: str, kind: str = "info") -> None:
        self.status.value = message_html(text, kind)

    def refresh(self) -> None:
        if self.payments is None:
            return
        report = analyse(self.payments, self.definition())
        self.report.value = report_html(report, self.heading_level)
        self.download.value = download_html(report)
        self.say(
            ""
            if report.local is not None
            else "Enter your local postcode districts, or choose a yes/no column, to see the "
            "local share."
        )
