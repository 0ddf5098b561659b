"""CSV text that is safe to open in a spreadsheet, for every CSV the kit writes.

defusedcsv neutralises any cell that starts with = + - @ (and other formula
starters), so text a council or learner typed cannot run as a formula in Excel.
The reports, the spend summary and the grade exports all write their tables through
this one function (the credential register, a list of dicts, uses defusedcsv's DictWriter).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from defusedcsv import csv


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The header and rows as CSV text, every cell made safe against spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
