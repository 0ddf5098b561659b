"""The analysis in words and as a CSV file: the headline, what a report shows, the summary.

Every screen that shows a spend report (the tool, the module's notebook, the charts)
takes its sentences and its choices of what to show from here: which shares are
headline ones, which unknowns to mention, how many categories and unreadable rows a
page lists before it points to the summary CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

from ccin_learn.csvtext import csv_text
from ccin_learn.fileio import atomic_write
from ccin_learn.text import money
from ccin_learn.tools.spend.analysis import CategoryLine, Share, SpendReport, SupplierLine
from ccin_learn.tools.spend.columns import ROLE_WORDS
from ccin_learn.tools.spend.reading import UnreadableRow

SUMMARY_COLUMNS = (
    "section",
    "item",
    "amount_gbp",
    "share_of_net_spend_percent",
    "payments",
    "note",
)
CATEGORIES_SHOWN = 10  # a report lists the largest ones; the summary CSV has them all
UNREADABLE_SHOWN = 20  # likewise for the rows that could not be read


def percent(share: float) -> str:
    """A share of net spend to one decimal place: ``36.8%``, ``70.0%``.

    Unlike ``ccin_learn.text.percent`` (a score, ``42%``), a share always shows its
    tenth, so the shares of a report line up and add up as people expect.
    """
    return f"{share:.1f}%"


def share_words(share: Share) -> str:
    """A share and its amount: ``36.8% (£350)``."""
    return f"{percent(share.share)} ({money(share.amount)})"


def amount_words(line: SupplierLine | CategoryLine) -> str:
    """A supplier's or category's net spend and its share: ``£600 (63.2%)``."""
    return f"{money(line.amount)} ({percent(line.share)})"


def headline(report: SpendReport) -> str:
    """The report's first sentence: the local share, or why there is none yet."""
    if report.local is None:
        return (
            f"{money(report.net_spend)} of net spend with {report.suppliers} suppliers; "
            "say what counts as local to see the local share."
        )
    return (
        f"{percent(report.local.share)} of {money(report.net_spend)} net spend "
        f"({money(report.local.amount)}) went to local suppliers."
    )


def type_shares(report: SpendReport) -> list[tuple[str, Share]]:
    """The shares by type of supplier that the file can tell, each with its label."""
    shares = (("Local suppliers", report.local), ("SMEs", report.sme), ("VCSEs", report.vcse))
    return [(label, share) for label, share in shares if share is not None]


def unknown_shares(report: SpendReport) -> list[tuple[str, Share]]:
    """The spend whose location, SME or VCSE status is not known, where there is some."""
    shares = (
        ("Location not known", report.local_unknown),
        ("SME status not known", report.sme_unknown),
        ("VCSE status not known", report.vcse_unknown),
    )
    return [(label, share) for label, share in shares if share is not None and share.payments]


def missing_flag_columns(report: SpendReport) -> list[str]:
    """The kinds of supplier the file has no column for: ``["SME", "VCSE"]`` at most."""
    return [word for word, share in (("SME", report.sme), ("VCSE", report.vcse)) if share is None]


def column_words(report: SpendReport) -> list[tuple[str, str]]:
    """Each column used, as the role in words and the file's own name for it."""
    return [(ROLE_WORDS[role], name) for role, name in report.columns.items()]


def shown_categories(report: SpendReport) -> tuple[tuple[CategoryLine, ...], int]:
    """The categories a report lists (the largest first), and how many more the CSV has."""
    shown = report.categories[:CATEGORIES_SHOWN]
    return shown, len(report.categories) - len(shown)


def shown_unreadable(report: SpendReport) -> tuple[tuple[UnreadableRow, ...], int]:
    """The unreadable rows a report lists, in file order, and how many more the CSV has."""
    shown = report.unreadable[:UNREADABLE_SHOWN]
    return shown, len(report.unreadable) - len(shown)


def summary_rows(report: SpendReport) -> list[list[object]]:
    """The summary table: one row per figure, so it opens cleanly in a spreadsheet."""
    rows: list[list[object]] = [
        ["about", "file", "", "", "", report.name],
        ["about", "local means", "", "", "", report.local_definition or "not set"],
        [
            "about",
            "columns used",
            "",
            "",
            "",
            "; ".join(f"{role}: {name}" for role, name in column_words(report)),
        ],
        [
            "headline",
            "net spend",
            round(report.net_spend, 2),
            100.0,
            report.payments,
            f"{report.suppliers} suppliers; {report.spellings_merged} other spellings merged",
        ],
    ]
    for label, share in headline_shares(report):
        if share is not None:
            rows.append(
                [
                    "headline",
                    label,
                    round(share.amount, 2),
                    round(share.share, 1),
                    share.payments,
                    "",
                ]
            )
    rows += [
        [
            "top supplier",
            line.name,
            round(line.amount, 2),
            round(line.share, 1),
            line.payments,
            f"local: {line.local}; SME: {line.sme}; VCSE: {line.vcse}",
        ]
        for line in report.top_suppliers
    ]
    rows += [
        ["category", line.name, round(line.amount, 2), round(line.share, 1), line.payments, ""]
        for line in report.categories
    ]
    rows.append(["not counted", "blank rows", "", "", report.blank_rows, ""])
    rows += [
        ["unreadable row", f"row {item.row}", "", "", "", item.reason] for item in report.unreadable
    ]
    return rows


def headline_shares(report: SpendReport) -> list[tuple[str, Share | None]]:
    return [
        ("credit notes (netted off)", report.credit_notes),
        ("local suppliers", report.local),
        ("not local", report.not_local),
        ("location not known", report.local_unknown),
        ("SMEs", report.sme),
        ("SME not known", report.sme_unknown),
        ("VCSEs", report.vcse),
        ("VCSE not known", report.vcse_unknown),
    ]


def summary_csv(report: SpendReport) -> str:
    """The summary as CSV text, every cell made safe against spreadsheet formulas."""
    return csv_text(SUMMARY_COLUMNS, summary_rows(report))


def write_summary_csv(report: SpendReport, path: Path) -> None:
    """Write the summary CSV atomically: the old file stays whole if anything fails."""
    atomic_write(Path(path), summary_csv(report).encode("utf-8"))


def summary_file_name(report: SpendReport) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(report.name).stem).strip("-") or "payments"
    return f"{stem}-spend-summary.csv"
