"""The procurement spend analysis tool: upload payments, say what is local, read the report.

The widget only collects the file and the choices and shows what
``ccin_learn.tools.spend`` works out. A problem with the file reaches the officer
as one plain sentence, and the last good report stays on screen.
"""

from __future__ import annotations

import base64
import logging
from html import escape

import ipywidgets as widgets

from ccin_learn.tools.spend import (
    ROLE_WORDS,
    LocalDefinition,
    Payments,
    Share,
    SpendReport,
    analyse,
    headline,
    money,
    percent,
    read_payments,
    summary_csv,
    summary_file_name,
)
from ccin_learn.widgets.common import guarded as guarded_by
from ccin_learn.widgets.common import message_html
from ccin_learn.widgets.htmlcharts import BarRow, bar_table

log = logging.getLogger("ccin_learn.spend")
LABEL_STYLE = {"description_width": "initial"}
POSTCODES, FLAG = "postcodes", "flag"
SHOWN_UNREADABLE = 20
CATEGORIES_SHOWN = 10
UNEXPECTED = (
    "Something went wrong and the report was not updated. If it happens again, tell "
    "whoever runs this tool (the details are in its log)."
)


guarded = guarded_by(UNEXPECTED, log)


def share_rows(report: SpendReport) -> list[BarRow]:
    rows = [("Local suppliers", report.local), ("SMEs", report.sme), ("VCSEs", report.vcse)]
    return [
        BarRow(label, share.share, f"{percent(share.share)} ({money(share.amount)})")
        for label, share in rows
        if share is not None
    ]


def count(number: int, word: str) -> str:
    """``1 payment``, ``2 payments``."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def unknown_note(label: str, share: Share | None) -> str:
    if share is None or share.payments == 0:
        return ""
    return (
        f"<li>{escape(label)}: {count(share.payments, 'payment')}, {money(share.amount)} "
        f"({percent(share.share)} of net spend).</li>"
    )


def shares_html(report: SpendReport) -> str:
    """The headline, the shares as labelled bars, and what could not be classified."""
    parts = [f"<p><strong>{escape(headline(report))}</strong></p>"]
    if report.local_definition:
        parts.append(f"<p>Local means: {escape(report.local_definition)}.</p>")
    rows = share_rows(report)
    if rows:
        parts.append(bar_table("Share of net spend by type of supplier", rows, maximum=100))
    else:
        parts.append("<p>The file has no local, SME or VCSE information yet.</p>")
    notes = "".join(
        [
            unknown_note("Location not known", report.local_unknown),
            unknown_note("SME status not known", report.sme_unknown),
            unknown_note("VCSE status not known", report.vcse_unknown),
        ]
    )
    reasons = "; ".join(f"{why}: {count}" for why, count in report.local_unknown_reasons.items())
    if reasons:
        notes += f"<li>Why location is not known: {escape(reasons)}.</li>"
    if report.sme is None or report.vcse is None:
        missing = [w for w, s in (("SME", report.sme), ("VCSE", report.vcse)) if s is None]
        notes += f"<li>The file has no {' or '.join(missing)} column.</li>"
    if notes:
        parts.append(f"<p>Not counted in the shares above:</p><ul>{notes}</ul>")
    return "".join(parts)


def totals_html(report: SpendReport) -> str:
    credit = report.credit_notes
    text = (
        f"<p>{count(report.payments, 'payment')} read, to "
        f"{count(report.suppliers, 'supplier')} ({report.spellings_merged} other spellings "
        "of the same names were merged). "
        f"Net spend: {money(report.net_spend)}.</p>"
    )
    if credit.payments:
        text += (
            f"<p>{count(credit.payments, 'credit note')} totalling "
            f"{money(abs(credit.amount))} {'was' if credit.payments == 1 else 'were'} "
            "netted off (taken away from the spend).</p>"
        )
    return text


def suppliers_html(report: SpendReport) -> str:
    """The top suppliers as a table with a header row."""
    body = "".join(
        f'<tr><th scope="row">{escape(line.name)}</th><td>{money(line.amount)}</td>'
        f"<td>{percent(line.share)}</td><td>{line.payments}</td><td>{escape(line.local)}</td>"
        f"<td>{escape(line.sme)}</td><td>{escape(line.vcse)}</td></tr>"
        for line in report.top_suppliers
    )
    return (
        f"<table><caption>The {len(report.top_suppliers)} suppliers with the most net spend"
        '</caption><thead><tr><th scope="col">Supplier</th><th scope="col">Net spend</th>'
        '<th scope="col">Share</th><th scope="col">Payments</th><th scope="col">Local'
        '</th><th scope="col">SME</th><th scope="col">VCSE</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def categories_html(report: SpendReport) -> str:
    if not report.categories:
        return "<p>The file has no category or expense type column.</p>"
    lines = report.categories[:CATEGORIES_SHOWN]
    top = max((line.amount for line in lines), default=1) or 1
    rows = [
        BarRow(line.name, max(line.amount, 0), f"{money(line.amount)} ({percent(line.share)})")
        for line in lines
    ]
    more = len(report.categories) - len(lines)
    extra = f"<p>{more} smaller categories are in the summary CSV.</p>" if more > 0 else ""
    return bar_table("Net spend by category, largest first", rows, maximum=top) + extra


def unreadable_html(report: SpendReport) -> str:
    """The rows left out, with their row numbers and why, so they can be fixed."""
    blank = f"<p>{count(report.blank_rows, 'blank row')} skipped.</p>" if report.blank_rows else ""
    if not report.unreadable:
        return blank + f"<p>Every {'other ' if blank else ''}row could be read.</p>"
    items = "".join(
        f"<li>Row {item.row}: {escape(item.reason)}</li>"
        for item in report.unreadable[:SHOWN_UNREADABLE]
    )
    more = len(report.unreadable) - SHOWN_UNREADABLE
    tail = f"<p>And {more} more: all are listed in the summary CSV.</p>" if more > 0 else ""
    return (
        f"{blank}<p>{count(len(report.unreadable), 'row')} could not be read and "
        "are not counted "
        f"(row 1 is the file's first line):</p><ul>{items}</ul>{tail}"
    )


def columns_html(report: SpendReport) -> str:
    used = "; ".join(
        f"{escape(ROLE_WORDS[role])}: '{escape(name)}'" for role, name in report.columns.items()
    )
    return f"<p>Columns used: {used}. File read as {escape(report.encoding)}.</p>"


def report_html(report: SpendReport, level: int = 2) -> str:
    """The whole report, every piece of text from the file escaped.

    ``level`` is its headings' level, so they fit the page around the tool.
    """
    h = f"h{level}"
    return (
        f"<{h}>Where the money went: {escape(report.name)}</{h}>{shares_html(report)}"
        f"{totals_html(report)}<{h}>Top suppliers</{h}>{suppliers_html(report)}"
        f"<{h}>Spend by category</{h}>{categories_html(report)}"
        f"<{h}>Rows not counted</{h}>{unreadable_html(report)}{columns_html(report)}"
    )


def download_html(report: SpendReport) -> str:
    """A link that downloads the summary CSV from the page itself (a data: URI)."""
    data = base64.b64encode(summary_csv(report).encode("utf-8")).decode("ascii")
    name = escape(summary_file_name(report), quote=True)
    return (
        f'<p><a download="{name}" href="data:text/csv;base64,{data}">'
        "Download the summary (CSV file)</a></p>"
    )


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
        self.report = widgets.HTML("<p>Upload a payments file to see the report.</p>")
        self.download = widgets.HTML()
        self.upload.observe(self.on_upload, names="value")
        for control in (self.method, self.districts, self.flag_column):
            control.observe(self.on_change, names="value")
        super().__init__(
            [
                widgets.HTML(
                    "<p><strong>Payments file (CSV):</strong> the payments your council "
                    "publishes, with supplier names and amounts.</p>"
                ),
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
        analyse(payments)  # raises, before anything changes, if nothing can be counted
        self.payments = payments
        self.quiet = True  # the new column list is not a choice the officer made
        try:
            self.flag_column.options = [h for h in payments.headers if h.strip()]
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
        if self.method.value == FLAG:
            column = self.flag_column.value
            return LocalDefinition.from_flag(column) if column else None
        text = self.districts.value.strip()
        return LocalDefinition.from_text(text) if text else None

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
