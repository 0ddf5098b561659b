"""The spend report as matplotlib charts, each a ``Chart`` with a title and alt text.

Every bar says its value in words and the alt text states the finding, so no chart
depends on seeing it. Labels are the same words as the report's (``summary``).
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from ccin_learn.figures import BRAND, TEXT, Chart, short
from ccin_learn.text import money
from ccin_learn.tools.spend.analysis import CategoryLine, SpendReport, SupplierLine
from ccin_learn.tools.spend.summary import (
    CATEGORIES_SHOWN,
    amount_words,
    percent,
    share_words,
    type_shares,
)


def shares_chart(report: SpendReport) -> Chart:
    """Share of net spend with local suppliers, SMEs and VCSEs, each bar labelled in words."""
    bars = type_shares(report)
    figure = Figure(figsize=(7, 0.6 * max(len(bars), 1) + 1.5))
    axes = figure.subplots()
    positions = list(range(len(bars)))[::-1]
    values = [max(share.share, 0.0) for _, share in bars]
    axes.barh(positions, values, color=BRAND)
    for y, value, (_, share) in zip(positions, values, bars, strict=True):
        axes.text(value + 1, y, share_words(share), va="center", fontsize=9, color=TEXT)
    axes.set_yticks(positions, [label for label, _ in bars])
    axes.set_xlim(0, 115)
    axes.set_xticks(range(0, 101, 20))
    axes.set_xlabel("Share of net spend (%)")
    axes.set_ylabel("Type of supplier")
    title = "Share of net spend by type of supplier"
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    parts = [f"{label.lower()} {percent(share.share)}" for label, share in bars]
    alt = (
        f"Bar chart of the share of {money(report.net_spend)} net spend: "
        + ("; ".join(parts) if parts else "the file has no local, SME or VCSE information")
        + "."
    )
    return Chart(figure, title, alt)


def amount_chart(
    lines: Sequence[SupplierLine | CategoryLine], title: str, ylabel: str, what: str
) -> Chart:
    """Horizontal bars of net spend, largest at the top, each labelled with its amount."""
    figure = Figure(figsize=(8, 0.4 * max(len(lines), 1) + 1.5))
    axes = figure.subplots()
    positions = list(range(len(lines)))[::-1]
    values = [line.amount / 1000 for line in lines]
    axes.barh(positions, values, color=BRAND)
    top = max(values, default=1) or 1
    for y, value, line in zip(positions, values, lines, strict=True):
        axes.text(
            max(value, 0) + top * 0.01, y, amount_words(line), va="center", fontsize=8, color=TEXT
        )
    axes.set_yticks(positions, [short(line.name, 36) for line in lines], fontsize=8)
    axes.set_xlim(min(0, min(values, default=0)), top * 1.35)
    axes.set_xlabel("Net spend (£ thousand)")
    axes.set_ylabel(ylabel)
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    if not lines:
        return Chart(figure, title, f"No {what} to show.")
    first = lines[0]
    alt = (
        f"Bar chart of net spend for {len(lines)} {what}. The largest is {first.name} with "
        f"{money(first.amount)} ({percent(first.share)} of net spend)"
    )
    if len(lines) > 1:
        last = lines[-1]
        alt += f"; the smallest shown is {last.name} with {money(last.amount)}"
    return Chart(figure, title, alt + ".")


def suppliers_chart(report: SpendReport) -> Chart:
    count = len(report.top_suppliers)
    return amount_chart(
        report.top_suppliers,
        f"The {count} suppliers with the most net spend",
        "Supplier",
        "top suppliers",
    )


def categories_chart(report: SpendReport, limit: int = CATEGORIES_SHOWN) -> Chart:
    lines = report.categories[:limit]
    return amount_chart(lines, "Net spend by category", "Category", "categories")
