"""Bar charts as accessible HTML, fast enough to redraw on every click.

The live score panel redraws after each change; matplotlib would take
hundreds of milliseconds, an HTML table of bars takes microseconds. Each row
states its value in words, so nothing depends on colour or on seeing the bar.
The markup is ``templates/bars.html.j2``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ccin_learn.palette import PALETTE
from ccin_learn.widgets.templates import render

BAR_SPAN = 70  # the longest bar, as a percentage of the cell


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float | None
    text: str
    before: float | None = None
    before_text: str = ""


@dataclass(frozen=True)
class BarTable:
    """A captioned table with one bar per row; paired bars when a row has ``before``."""

    caption: str
    rows: Sequence[BarRow]
    maximum: float = 4

    def width(self, value: float | None) -> str:
        """A bar's CSS width in percent: no value is no bar, and bars stay within the cell."""
        share = 0 if value is None else max(0.0, min(1.0, value / self.maximum))
        return f"{share * BAR_SPAN:.1f}"


def bar_tables(*tables: BarTable) -> str:
    """Several bar tables, one after another."""
    return render("bars.html.j2", tables=tables, colours=PALETTE)


def bar_table(caption: str, rows: Sequence[BarRow], maximum: float = 4) -> str:
    """A captioned table with one bar per row; paired bars when ``before`` is given."""
    return bar_tables(BarTable(caption, rows, maximum))
