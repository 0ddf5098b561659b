"""Reading a payments file: its bytes, encoding, header row and rows, into ``Payments``.

Real files are messy, so the reader copes with what councils actually publish
(£ signs, thousands separators, blank rows, comment lines above the header, varying
column names, UTF-8 with a byte order mark or Windows-1252) and reports each row it
could not read, with its row number and why, instead of failing. Bad input as a
whole (not a CSV, no supplier or amount column, an empty file) is one ``KitError``.

pandas' C parser reads the rows (in parallel threads for a large file on disk);
``columns`` finds the header and each column's role, ``cells`` cleans the values.
"""

from __future__ import annotations

import codecs
import csv as stdcsv
import io
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccin_learn.errors import KitError
from ccin_learn.tools.spend.cells import (
    category_key,
    code_names,
    distinct,
    parse_amounts,
    parse_flags,
    postcode_places,
    supplier_key,
    text_cells,
)
from ccin_learn.tools.spend.columns import match_columns

NOT_CSV_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook or other zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook"),
    (b"%PDF", "a PDF"),
)
HEADER_SEARCH_LINES = 30
HEAD_BYTES = 256 * 1024
EXTRA_CELLS = 2  # cells past the header's that a row may have and still be reported
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
DELIMITERS = (",", ";", "\t", "|")
BAD_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


@dataclass(frozen=True)
class UnreadableRow:
    """A row of the file that could not be counted, and why (row 1 is the file's first line)."""

    row: int
    reason: str


@dataclass(frozen=True)
class Payments:
    """The readable payments of one file, cleaned, with what could not be read.

    ``table`` has one row per readable payment: ``row`` (its row number in the file),
    ``amount`` (pounds, credit notes negative), ``supplier``, ``category`` and
    ``postcode`` (codes into ``supplier_names``, ``category_names`` (-1 for none) and
    the ``postcodes`` table of district, area and problem), and ``local``, ``sme`` and
    ``vcse`` (1 yes, 0 no, NaN when not known). ``raw`` keeps every row and column of
    the file as text so that any column can be chosen later as the local flag;
    ``kept`` marks its rows that are in ``table``.
    """

    name: str
    encoding: str
    headers: tuple[str, ...]
    roles: Mapping[str, int]
    table: pd.DataFrame
    raw: pd.DataFrame
    kept: np.ndarray
    supplier_names: np.ndarray
    category_names: np.ndarray
    postcodes: pd.DataFrame
    spellings: int
    unreadable: tuple[UnreadableRow, ...]
    blank_rows: int

    def column(self, role: str) -> str | None:
        """The file's own name for the column used as ``role``, if there is one."""
        index = self.roles.get(role)
        return None if index is None else self.headers[index]

    def named_columns(self) -> list[str]:
        """The file's columns that have a name, in order: those a person can choose from."""
        return [header for header in self.headers if header.strip()]


def load_payments(path: Path, columns: Mapping[str, str] | None = None) -> Payments:
    """Read a payments CSV file from disk (see ``read_payments``).

    Given a path, pandas can parse a large file in parallel threads.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise KitError(f"cannot read {path}: {err.strerror}") from err
    return read_payments(data, Path(path).name, columns, source=Path(path))


def read_payments(
    data: bytes,
    name: str = "payments.csv",
    columns: Mapping[str, str] | None = None,
    source: Path | None = None,
) -> Payments:
    """Read a payments CSV from its bytes (``source``: the same bytes' file, if any).

    ``columns`` may name the file's column for any role in ``ROLES`` when the
    automatic match gets it wrong, e.g. ``{"supplier": "Name of payee"}``.
    """
    check_bytes(data, name)
    head, encoding = decode_head(data)
    header_at, delimiter, headers = find_header(head, name, columns or {})
    roles = named_errors(name, match_columns, headers, columns or {})
    flags = tuple(roles[role] for role in ("local", "sme", "vcse") if role in roles)
    form = ReadForm(delimiter, header_at + 1, len(headers), flags)
    body = None
    if encoding == "UTF-8":
        try:
            body = parse_body(str(source) if source else io.BytesIO(data), "utf-8-sig", form)
        except UnicodeDecodeError:  # UTF-8 at the top, Windows-1252 further down
            encoding = "Windows-1252"
    if body is None:
        body = parse_body(io.BytesIO(data), "cp1252", form)
    return build_payments(name, encoding, headers, roles, body, header_at + 1)


def check_bytes(data: bytes, name: str) -> None:
    """Refuse, in one sentence, a file that is empty or plainly not a CSV."""
    if not data.strip():
        raise KitError(f"{name} is empty")
    for signature, what in NOT_CSV_SIGNATURES:
        if data.startswith(signature):
            raise KitError(f"{name} is not a CSV file: it looks like {what}; save it as CSV")
    if b"\x00" in data[:4096]:
        raise KitError(f"{name} is not a CSV file: it holds binary data; save it as CSV")


def decode_head(data: bytes) -> tuple[str, str]:
    """The text of the file's first part and the file's encoding.

    UTF-8 (with or without a byte order mark) if the first part is valid UTF-8, else
    Windows-1252, which is what Excel on Windows writes for "CSV (Comma delimited)".
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(data[:HEAD_BYTES], final=len(data) <= HEAD_BYTES), "UTF-8"
    except UnicodeDecodeError:
        return data[:HEAD_BYTES].decode("cp1252", errors="replace"), "Windows-1252"


def split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(stdcsv.reader([line], delimiter=delimiter), [])
    except stdcsv.Error:
        return []


def find_header(
    text: str, name: str, chosen: Mapping[str, str] | None = None
) -> tuple[int, str, list[str]]:
    """The header's line index, the delimiter and the column names.

    The header is the first of the file's first lines that names both a supplier and
    an amount column, so comment and title lines above it are skipped.
    """
    lines = LINE.findall(text)[:HEADER_SEARCH_LINES]
    first: list[str] | None = None
    for index, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            cells, delimiter, complete = header_cells(line.rstrip("\r\n"), chosen or {})
            if complete:
                return index, delimiter, cells
            first = first or cells or None
    if first is None:
        if any(line.strip() and not line.lstrip().startswith("#") for line in lines):
            raise KitError(f"{name} is not a CSV file: no line has columns separated by commas")
        raise KitError(f"{name} has no header row and no payments")
    named_errors(name, match_columns, first, {})  # raises the missing column's error
    raise KitError(f"{name}: could not find the header row")  # pragma: no cover


def named_errors(name: str, step: Callable[..., Any], *args: Any) -> Any:
    """Run ``step``; a KitError it raises gets the file's name in front."""
    try:
        return step(*args)
    except KitError as err:
        raise KitError(f"{name}: {err}") from err


def header_cells(line: str, chosen: Mapping[str, str]) -> tuple[list[str], str, bool]:
    """The line's cells and delimiter, and whether they name supplier and amount columns.

    The cells are empty if no delimiter splits the line into two or more.
    """
    fallback: tuple[list[str], str, bool] = ([], ",", False)
    for delimiter in DELIMITERS:
        cells = [c.replace("\ufeff", "").strip() for c in split_line(line, delimiter)]
        if len(cells) < 2:
            continue
        usable = {role: column for role, column in chosen.items() if column in cells}
        found = match_columns(cells, usable, required=False)
        if "supplier" in found and "amount" in found:
            return cells, delimiter, True
        if not fallback[0]:
            fallback = (cells, delimiter, False)
    return fallback


@dataclass(frozen=True)
class ReadForm:
    """How to read the rows under the header: the delimiter, the header's row and width."""

    delimiter: str
    header_row: int
    width: int
    few_values: tuple[int, ...] = ()  # yes/no columns: read as pandas categories


@dataclass(frozen=True)
class Body:
    """The cells under the header, and the rows with more cells than the header.

    ``raw`` has one row per row under the header (blank rows too, so row numbers stay
    true) and one column per header cell. ``cells`` is how many cells each row has
    when that is more than the header's, else 0. ``skipped`` maps the row numbers of
    rows left out altogether to why.
    """

    raw: pd.DataFrame
    cells: np.ndarray
    skipped: Mapping[int, str]


def parse_body(source: str | io.BytesIO, encoding: str, form: ReadForm) -> Body:
    """Parse the rows under the header with pandas' C parser.

    The frame has ``EXTRA_CELLS`` more columns than the header, so a row with a few
    cells too many (an unquoted comma in a name) is kept and reported, not lost. Such
    a read may run in parallel threads (pandas does that for a large file on disk).
    If it fails, because a row has even more cells, the file is read again noting
    each row that has to be skipped.
    """
    names = list(range(form.width + EXTRA_CELLS))
    options = {
        "sep": form.delimiter,
        "header": None,
        "names": names,
        "skiprows": form.header_row,
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "engine": "c",
        "encoding": encoding,
        "encoding_errors": "replace",
        "index_col": False,
        "dtype": dict.fromkeys(form.few_values, "category"),
    }
    if encoding != "cp1252":
        options["encoding_errors"] = "strict"
    skipped: dict[int, str] = {}
    try:
        raw = pd.read_csv(source, on_bad_lines="error", **options)
    except pd.errors.ParserError:
        if isinstance(source, io.BytesIO):
            source.seek(0)
        raw, skipped = parse_noting_skips(source, options)
    filled = raw.iloc[:, form.width :].notna().to_numpy()
    extra = np.where(filled.any(axis=1), filled.shape[1] - np.argmax(filled[:, ::-1], axis=1), 0)
    cells = np.where(extra > 0, form.width + extra, 0)
    return Body(raw.iloc[:, : form.width], cells, skipped)


def parse_noting_skips(
    source: str | io.BytesIO, options: dict[str, Any]
) -> tuple[pd.DataFrame, dict[int, str]]:
    """Parse again, skipping (and noting) rows pandas cannot fit to the columns."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            raw = pd.read_csv(source, on_bad_lines="warn", **options)
        except pd.errors.ParserError as err:
            raise KitError(f"could not read the file as a CSV: {first_line(err)}") from err
    width = len(options["names"]) - EXTRA_CELLS
    skipped = {
        int(line): f"has {saw} cells but the header has {width}: a comma in a name may need quotes"
        for message in caught
        for line, _expected, saw in BAD_LINE.findall(str(message.message))
    }
    return raw, skipped


def first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def row_numbers(count: int, skipped: Mapping[int, str], header_row: int) -> np.ndarray:
    """The file row number of each parsed row, leaving gaps for the skipped rows."""
    gaps = list(skipped)
    numbers = np.arange(header_row + 1, header_row + 1 + count + len(gaps))
    if gaps:
        numbers = numbers[~np.isin(numbers, gaps)]
    return numbers[:count]


def build_payments(
    name: str,
    encoding: str,
    headers: list[str],
    roles: Mapping[str, int],
    body: Body,
    header_row: int,
) -> Payments:
    """Clean the parsed cells, set aside blank and unreadable rows, code the rest."""
    raw = body.raw
    rows = row_numbers(len(raw), body.skipped, header_row)
    supplier_codes, spelled = distinct(raw[roles["supplier"]])
    no_supplier = (spelled == "").to_numpy()[supplier_codes]
    header_name = headers[roles["supplier"]].casefold()
    header_repeat = (spelled.str.casefold() == header_name).to_numpy()[supplier_codes]
    amount, no_amount = parse_amounts(raw[roles["amount"]])
    blank = blank_rows(raw, no_supplier & no_amount & (body.cells == 0))
    bad = ~blank & (no_supplier | np.isnan(amount) | (body.cells > 0))
    problems = Problems(
        rows, raw[roles["amount"]], no_supplier, no_amount, header_repeat, body.cells, len(headers)
    )
    unreadable = unreadable_rows(problems, bad, body.skipped)
    keep = ~blank & ~bad
    codes, names, spellings = code_names(supplier_codes[keep], spelled, supplier_key)
    table = pd.DataFrame({"row": rows[keep], "amount": amount[keep], "supplier": codes})
    category_names = np.array([], dtype=object)
    table["category"] = -1
    if "category" in roles:
        category_codes, category_spelled = distinct(raw[roles["category"]])
        table["category"], category_names, _ = code_names(
            category_codes[keep], category_spelled, category_key
        )
    postcode_codes, postcodes = postcode_places(raw, roles)
    table["postcode"] = postcode_codes[keep]
    for role in ("local", "sme", "vcse"):
        table[role] = parse_flags(raw[roles[role]])[keep] if role in roles else np.nan
    return Payments(
        name=name,
        encoding=encoding,
        headers=tuple(headers),
        roles=dict(roles),
        table=table,
        raw=raw,
        kept=keep,
        supplier_names=names,
        category_names=category_names,
        postcodes=postcodes,
        spellings=spellings,
        unreadable=unreadable,
        blank_rows=int(blank.sum()),
    )


def blank_rows(raw: pd.DataFrame, candidates: np.ndarray) -> np.ndarray:
    """Rows with nothing but spaces in every cell (an all-comma line counts as blank).

    ``candidates`` are the rows with no supplier and no amount; only they are checked.
    """
    blank = np.zeros(len(raw), dtype=bool)
    if candidates.any():
        cells = raw[candidates].astype(object)
        empty = cells.isna() | cells.map(lambda cell: str(cell).strip() == "")
        blank[candidates] = empty.all(axis=1).to_numpy()
    return blank


@dataclass(frozen=True)
class Problems:
    """What is wrong with each row, for the reasons given to the reader."""

    rows: np.ndarray
    amount: pd.Series
    no_supplier: np.ndarray
    no_amount: np.ndarray
    header_repeat: np.ndarray
    cells: np.ndarray
    width: int


def unreadable_rows(
    problems: Problems, bad: np.ndarray, skipped: Mapping[int, str]
) -> tuple[UnreadableRow, ...]:
    """Each row that was not counted, with a reason a person can act on, in file order."""
    shown = [cell.strip()[:40] for cell in text_cells(problems.amount[bad])]
    cells = problems.cells[bad]
    too_many = [
        f"has {n} cells but the header has {problems.width}: a comma in a name may need quotes"
        for n in cells
    ]
    no_supplier, no_amount = problems.no_supplier[bad], problems.no_amount[bad]
    reasons = np.select(
        [cells > 0, problems.header_repeat[bad], no_supplier & no_amount, no_supplier, no_amount],
        [
            np.array(too_many, dtype=object),
            "repeats the header row",
            "no supplier name and no amount",
            "no supplier name",
            "no amount",
        ],
        default=np.array([f"amount '{cell}' is not a number" for cell in shown], dtype=object),
    )
    found = [
        UnreadableRow(int(r), str(why)) for r, why in zip(problems.rows[bad], reasons, strict=True)
    ]
    found += [UnreadableRow(row, why) for row, why in skipped.items()]
    return tuple(sorted(found, key=lambda item: item.row))
