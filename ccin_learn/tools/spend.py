"""Procurement spend analysis: where a council's published payments go.

Councils in England publish each payment over £500 under the Local Government
Transparency Code. Community Wealth Building starts from a baseline of that spend:
how much goes to local suppliers, to small and medium-sized enterprises (SMEs) and
to voluntary, community and social enterprises (VCSEs), and to which suppliers.

Real files are messy, so the reader copes with what councils actually publish
(£ signs, thousands separators, blank rows, comment lines above the header, varying
column names, UTF-8 with a byte order mark or Windows-1252) and reports each row it
could not read, with its row number and why, instead of failing. Bad input as a
whole (not a CSV, no supplier or amount column, an empty file) is one ``KitError``.

Nothing on the hot path loops over rows in Python. pandas' C parser reads the file
(in parallel threads for a large file on disk); names, postcodes and flags are worked
out once per distinct value; amounts are cleaned by a few ``str.replace`` calls over
the whole column joined into one string and parsed by the C parser again. A
100,000-row file takes under three times as long as a plain ``pandas.read_csv``
(``benchmarks/spend_analysis.py``).
"""

from __future__ import annotations

import codecs
import csv as stdcsv
import io
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ccin_learn.csvtext import csv_text
from ccin_learn.errors import KitError
from ccin_learn.figures import BRAND, TEXT, Chart, short
from ccin_learn.fileio import atomic_write

ROLES = ("supplier", "amount", "postcode", "local", "sme", "vcse", "category")
ROLE_WORDS = {
    "supplier": "supplier",
    "amount": "amount",
    "postcode": "postcode",
    "local": "local supplier flag",
    "sme": "SME flag",
    "vcse": "VCSE flag",
    "category": "category",
}

# Column names councils use, after ``header_key`` (lower case, no punctuation, no
# bracketed part). Earlier names win when a file has several, so a net amount is
# preferred to a gross one.
ALIASES: dict[str, tuple[str, ...]] = {
    "supplier": (
        "supplier name",
        "supplier",
        "vendor name",
        "vendor",
        "beneficiary",
        "beneficiary name",
        "payee name",
        "payee",
        "creditor name",
        "creditor",
        "merchant name",
        "supplier details",
        "organisation name",
        "company name",
    ),
    "amount": (
        "amount",
        "net amount",
        "amount excluding vat",
        "amount excl vat",
        "amount ex vat",
        "amount net",
        "net",
        "net value",
        "net total",
        "value",
        "payment amount",
        "amount paid",
        "transaction amount",
        "line amount",
        "invoice amount",
        "total amount",
        "total",
        "gross amount",
        "gross",
        "amount gbp",
        "amount in sterling",
        "spend",
    ),
    "postcode": (
        "postcode",
        "post code",
        "supplier postcode",
        "supplier post code",
        "vendor postcode",
        "payee postcode",
        "creditor postcode",
        "beneficiary postcode",
        "postal code",
    ),
    "local": (
        "local",
        "local supplier",
        "is local",
        "local flag",
        "local y n",
        "local yes no",
        "local supplier y n",
        "local supplier flag",
    ),
    "sme": (
        "sme",
        "sme flag",
        "is sme",
        "sme status",
        "sme y n",
        "sme yes no",
        "supplier sme",
        "small or medium enterprise",
        "small medium enterprise",
    ),
    "vcse": (
        "vcse",
        "vcse flag",
        "is vcse",
        "vcse status",
        "vcse y n",
        "vcse yes no",
        "voluntary community social enterprise",
        "voluntary community and social enterprise",
        "vcs",
    ),
    "category": (
        "category",
        "expense type",
        "expenditure type",
        "expense category",
        "expenditure category",
        "spend category",
        "merchant category",
        "procurement category",
        "service category",
        "purchase category",
        "cost category",
        "expense description",
    ),
}
# Words that, with no exact name above, still mark a column's role.
FALLBACK_WORDS: dict[str, tuple[set[str], set[str]]] = {
    # role: (any of these words, but none of these)
    "supplier": (
        {"supplier", "vendor", "payee", "beneficiary", "creditor"},
        {
            "id",
            "code",
            "number",
            "no",
            "ref",
            "reference",
            "postcode",
            "post",
            "type",
            "sme",
            "vcse",
            "local",
            "category",
            "vat",
        },
    ),
    "amount": ({"amount", "value"}, {"vat", "tax"}),
    "postcode": ({"postcode"}, set()),
    "sme": ({"sme"}, set()),
    "vcse": ({"vcse"}, set()),
    "category": ({"category"}, set()),
}
YES = {"y", "yes", "true", "t", "1", "x", "local", "sme", "vcse", "micro", "small", "medium"}
NO = {
    "n",
    "no",
    "false",
    "f",
    "0",
    "not local",
    "non local",
    "large",
    "non sme",
    "not sme",
    "non vcse",
    "not vcse",
}
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
DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
AREA = re.compile(r"[A-Z]{1,2}")
POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?:[0-9][A-Z]{2})?$"
BAD_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
SEPARATOR = "\ue000"  # a private-use character: not in real data, not a space or letter
AMOUNT_JUNK = ("£", ",", " ", "\t", "\r", "\u00a0", "Â", "GBP", "gbp")
NOT_NUMBER = re.compile(r"[^0-9.eE+\-\ue000]+")
CREDIT_SUFFIX = re.compile(r"cr(?=\ue000|$)", re.IGNORECASE)
SUMMARY_COLUMNS = (
    "section",
    "item",
    "amount_gbp",
    "share_of_net_spend_percent",
    "payments",
    "note",
)


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


@dataclass(frozen=True)
class LocalDefinition:
    """What counts as local: postcode districts and areas, or a yes/no column in the file."""

    districts: frozenset[str] = frozenset()
    areas: frozenset[str] = frozenset()
    flag_column: str | None = None

    @classmethod
    def from_text(cls, text: str) -> LocalDefinition:
        """Read a list such as ``PR1, PR2, PR5`` (a bare area such as ``PR`` means all of it)."""
        tokens = [t for t in re.split(r"[\s,;]+", text.upper()) if t]
        if not tokens:
            raise KitError("enter at least one postcode district, such as PR1")
        bad = [t for t in tokens if not (DISTRICT.fullmatch(t) or AREA.fullmatch(t))]
        if bad:
            raise KitError(
                f"'{bad[0]}' is not a postcode district (such as PR1) or area (such as PR)"
            )
        return cls(
            districts=frozenset(t for t in tokens if DISTRICT.fullmatch(t)),
            areas=frozenset(t for t in tokens if AREA.fullmatch(t)),
        )

    @classmethod
    def from_flag(cls, column: str) -> LocalDefinition:
        """Local means the file's ``column`` says yes (Y, Yes, True or 1)."""
        if not column.strip():
            raise KitError("choose the column that says whether a supplier is local")
        return cls(flag_column=column)

    def describe(self) -> str:
        if self.flag_column is not None:
            return f"suppliers marked yes in the column '{self.flag_column}'"
        parts = sorted(self.districts) + [f"all of {a}" for a in sorted(self.areas)]
        return "suppliers with a postcode in " + ", ".join(parts)


@dataclass(frozen=True)
class Share:
    """Net spend and number of payments in one group, and its share of all net spend."""

    amount: float
    payments: int
    share: float  # percent of net spend


@dataclass(frozen=True)
class SupplierLine:
    name: str
    amount: float
    payments: int
    share: float
    local: str
    sme: str
    vcse: str


@dataclass(frozen=True)
class CategoryLine:
    name: str
    amount: float
    payments: int
    share: float


@dataclass(frozen=True)
class SpendReport:
    """What the analysis found; ``None`` shares mean the file could not tell."""

    name: str
    local_definition: str | None
    net_spend: float
    payments: int
    suppliers: int
    spellings_merged: int
    credit_notes: Share
    local: Share | None
    not_local: Share | None
    local_unknown: Share | None
    local_unknown_reasons: Mapping[str, int]
    sme: Share | None
    sme_unknown: Share | None
    vcse: Share | None
    vcse_unknown: Share | None
    top_suppliers: tuple[SupplierLine, ...]
    categories: tuple[CategoryLine, ...]
    unreadable: tuple[UnreadableRow, ...]
    blank_rows: int
    encoding: str
    columns: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- reading the file


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


def header_key(text: str) -> str:
    """A column name reduced for matching: ``Amount (£)`` and ``AMOUNT`` become ``amount``."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text.replace("\ufeff", "").casefold())
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("&", " and "))
    return " ".join(text.split())


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


def match_columns(
    headers: Sequence[str], chosen: Mapping[str, str], required: bool = True
) -> dict[str, int]:
    """Map each role to a column index, from ``chosen`` names, aliases or key words."""
    keys = [header_key(h) for h in headers]
    roles: dict[str, int] = {}
    for role, wanted in chosen.items():
        if role not in ROLES:
            raise KitError(f"unknown column role '{role}': use one of {', '.join(ROLES)}")
        if wanted not in headers:
            raise KitError(f"the file has no column called '{wanted}'")
        roles[role] = list(headers).index(wanted)
    for role in ROLES:
        if role not in roles and (index := guess_column(role, keys, roles)) is not None:
            roles[role] = index
    if required:
        for role in ("supplier", "amount"):
            if role not in roles:
                raise KitError(missing_column(role, headers))
    return roles


def guess_column(role: str, keys: Sequence[str], taken: Mapping[str, int]) -> int | None:
    used = set(taken.values())
    for alias in ALIASES[role]:
        for index, key in enumerate(keys):
            if key == alias and index not in used:
                return index
    wanted, unwanted = FALLBACK_WORDS.get(role, (set(), set()))
    for index, key in enumerate(keys):
        words = set(key.split())
        if index not in used and words & wanted and not words & unwanted:
            return index
    return None


def missing_column(role: str, headers: Sequence[str]) -> str:
    examples = {"supplier": "'Supplier Name' or 'Vendor'", "amount": "'Amount' or 'Net Amount'"}
    found = ", ".join(f"'{h}'" for h in headers if h.strip())[:200] or "none"
    return (
        f"no {ROLE_WORDS[role]} column found (looked for names such as {examples[role]}); "
        f"the columns are: {found}"
    )


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
    try:
        raw, skipped = pd.read_csv(source, on_bad_lines="error", **options), {}
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


def distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes into the column's distinct values, and each value as tidy text.

    String work then runs once per distinct value instead of once per row. Spaces
    are collapsed, so " Acme" and "Acme" are one value. A missing cell gets the code
    of an extra blank value at the end.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # pandas has coded it already
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        cells = values.to_numpy() if values.dtype.kind in "biufc" else values.to_numpy(object)
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    spelled = on_joined([*as_text(uniques), ""], tidy_spaces)
    merged, tidy = pd.factorize(np.array(spelled, dtype=object))
    return merged[np.where(codes < 0, len(uniques), codes)], pd.Series(tidy, dtype=object)


def as_text(values: Any) -> list[str]:
    """Cells as text; whole numbers that pandas read as floats lose their ``.0``."""
    array = np.asarray(values)
    if array.dtype.kind == "f" and np.all(np.isnan(array) | (array == np.round(array))):
        return ["" if np.isnan(v) else str(int(v)) for v in array]
    return ["" if v is None or v is np.nan else str(v) for v in array.tolist()]


def text_cells(values: pd.Series) -> np.ndarray:
    """A column's cells as Python strings, "" where a row had no such cell."""
    cells = values.to_numpy(dtype=object, na_value="")
    if pd.api.types.infer_dtype(cells, skipna=False) != "string":  # numbers among text
        cells = pd.Series(cells, dtype=object).astype(str).to_numpy(dtype=object)
    return cells


def on_joined(values: Sequence[str], edit: Callable[[str], str]) -> list[str]:
    """``edit`` applied to every value through one string joined by ``SEPARATOR``.

    One C-speed ``str`` or ``re`` call then edits the whole column. ``edit`` must treat
    ``SEPARATOR`` as the edge of a value (``(?<![^SEPARATOR])`` rather than ``^``).
    """
    joined = SEPARATOR.join(values)
    if joined.count(SEPARATOR) == len(values) - 1:
        edited = edit(joined).split(SEPARATOR)
        if len(edited) == len(values):
            return edited
    return [edit(value) for value in values]  # a value holds the separator itself


def tidy_spaces(text: str) -> str:
    """Runs of spaces, tabs and line breaks become one space; none at either end."""
    text = re.sub(r"[^\S\ue000]+", " ", text)
    return re.sub(r" ?\ue000 ?", SEPARATOR, text).strip(" ")  # a literal: no per-match call


def parse_amounts(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Pounds as numbers, and which cells are blank.

    ``£1,234.50``, ``-£50``, ``(50.00)`` and ``50.00 CR`` all read; the last two are
    credit notes. The cells are joined into one string so that each clean-up is a
    single C-speed ``str.replace`` over the whole column, not a Python call per row.
    """
    if text.dtype.kind in "fiu":  # pandas read every cell of this part as a number
        number = text.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        blank = np.isnan(number)
        number[~np.isfinite(number)] = np.nan
        return number, blank
    cells = text_cells(text)
    joined = SEPARATOR.join(cells)
    if joined.count(SEPARATOR) != len(cells) - 1:  # a cell holds the separator itself
        joined = SEPARATOR.join(c.replace(SEPARATOR, "?") for c in cells)
    for junk in AMOUNT_JUNK:
        if junk in joined:
            joined = joined.replace(junk, "")
    joined = joined.replace("(", "-").replace(")", "").replace("\u2212", "-")
    joined = mark_credit_suffixes(joined).replace("--", "-")
    return parse_numbers(joined, len(cells))


def parse_numbers(joined: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The numbers in ``count`` cleaned cells joined by ``SEPARATOR``, and the empty cells.

    pandas' C parser turns the cells, one a line, into floats, after each cell holding
    anything but a number's characters is marked ``inf``. Only odd cells such as
    ``1.2.3`` or a lone ``-`` send it to the slower ``pandas.to_numeric``.
    """
    marked = mark_non_numbers(joined, count)
    if marked is not None:
        try:
            lines = io.BytesIO((marked.replace(SEPARATOR, "\n") + "\n").encode("ascii"))
            number = pd.read_csv(
                lines,
                header=None,
                names=[0],
                dtype=np.float64,
                engine="c",
                keep_default_na=False,
                na_values=[""],
                skip_blank_lines=False,
            )[0].to_numpy(copy=True)
            if len(number) == count:
                blank = np.isnan(number)
                number[np.isinf(number)] = np.nan
                return number, blank
        except ValueError:  # a cell such as "1.2.3"
            pass
    cells = np.array(joined.split(SEPARATOR), dtype=object)
    number = pd.to_numeric(cells, errors="coerce").astype(np.float64)
    number[~np.isfinite(number)] = np.nan
    return number, cells == ""


def mark_non_numbers(joined: str, count: int) -> str | None:
    """``joined`` with every cell that has a character no number has replaced by ``inf``.

    None if more than a tenth of the cells need it (then it is not worth the loop).
    """
    pieces, last, marked = [], 0, 0
    for found in NOT_NUMBER.finditer(joined):
        start = joined.rfind(SEPARATOR, 0, found.start()) + 1
        if start < last:
            continue  # a second odd character in a cell already marked
        end = joined.find(SEPARATOR, found.end())
        end = len(joined) if end < 0 else end
        pieces += [joined[last:start], "inf"]
        last, marked = end, marked + 1
        if marked > count // 10 + 10:
            return None
    pieces.append(joined[last:])
    return "".join(pieces)


def mark_credit_suffixes(joined: str) -> str:
    """Turn each ``50.00CR`` cell into ``-50.00`` (one step per credit note, not per row)."""
    if not any(cr in joined for cr in ("CR", "cr", "Cr", "cR")):
        return joined  # four fast scans instead of a slow regex one
    starts = [joined.rfind(SEPARATOR, 0, m.start()) + 1 for m in CREDIT_SUFFIX.finditer(joined)]
    if not starts:
        return joined
    pieces, last = [], 0
    for start in starts:
        pieces += [joined[last:start], "-"]
        last = start
    pieces.append(joined[last:])
    return CREDIT_SUFFIX.sub("", "".join(pieces))


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


def supplier_key(joined: str) -> str:
    """One key for the spellings of a supplier: case, spacing, punctuation, '&', 'Limited'."""
    key = re.sub(r"[.'\u2019]", "", joined.casefold()).replace("&", " and ")
    key = re.sub(r"[^\w\ue000]+", " ", key)
    # Each pattern starts with its word, so re finds candidates with a fast text search.
    key = re.sub(r"limited(?<!\wlimited)\b", "ltd", key)
    key = re.sub(r"public ltd company(?<!\wpublic ltd company)\b", "plc", key)
    return re.sub(r"the (?<![^\ue000 ]the )(?<![^\ue000] the )", "", key).replace(" ", "")


def category_key(joined: str) -> str:
    """One key for the spellings of a category: case, spacing and '&' ignored."""
    return re.sub(r"[^\w\ue000]+", "", joined.casefold().replace("&", " and "))


def code_names(
    codes: np.ndarray, spelled: pd.Series, keyer: Callable[[str], str]
) -> tuple[np.ndarray, np.ndarray, int]:
    """Group codes for rows coded into ``spelled``, each group's name, spellings merged.

    Spellings with the same ``keyer`` key are one group, shown by its most common
    spelling. Rows whose value is blank get -1.
    """
    counts = np.bincount(codes, minlength=len(spelled))
    present = (counts > 0) & (spelled != "").to_numpy()
    names = spelled[present]
    keys = pd.Series(on_joined(names.tolist(), keyer), index=names.index, dtype=object)
    keys = keys.mask(keys == "", names.str.casefold())  # a name that is all punctuation
    order = pd.DataFrame({"key": keys, "name": names, "count": counts[present]})
    order = order.sort_values("count", ascending=False, kind="stable")
    group, _ = pd.factorize(order["key"].to_numpy(), sort=False)
    shown = order.drop_duplicates("key")["name"].to_numpy(dtype=object)
    per_value = np.full(len(spelled), -1, dtype=np.int64)
    per_value[order.index.to_numpy()] = group
    return per_value[codes], shown, len(names) - len(shown)


def postcode_places(raw: pd.DataFrame, roles: Mapping[str, int]) -> tuple[np.ndarray, pd.DataFrame]:
    """A code per payment into a table of distinct postcodes: district, area, problem.

    The problem is "no postcode" or "postcode not recognised" where there is no district.
    """
    if "postcode" not in roles:
        places = pd.DataFrame(
            {
                "district": [np.nan],
                "area": [np.nan],
                "problem": ["the file has no postcode column"],
            },
            dtype=object,
        )
        return np.zeros(len(raw), dtype=np.int64), places
    codes, text = distinct(raw[roles["postcode"]])
    squeezed = pd.Series(on_joined(text.tolist(), squeeze_postcode), dtype=object)
    district = squeezed.str.extract(POSTCODE, expand=False).astype(object)
    area = district.str.extract(r"^([A-Z]{1,2})", expand=False).astype(object)
    problem = np.where(
        squeezed == "", "no postcode", np.where(district.isna(), "postcode not recognised", "")
    )
    places = pd.DataFrame({"district": district, "area": area, "problem": problem}, dtype=object)
    return codes, places


def flag_words_of(joined: str) -> str:
    """Lower case words only: ``Non-SME`` becomes ``non sme``."""
    return tidy_spaces(re.sub(r"[^a-z0-9\ue000]+", " ", joined.casefold()))


def squeeze_postcode(joined: str) -> str:
    """Capitals and digits only: ``pr1 2ab`` and ``PR12AB`` both become ``PR12AB``."""
    return re.sub(r"[^A-Z0-9\ue000]", "", joined.upper())


def parse_flags(values: pd.Series) -> np.ndarray:
    """1 for yes, 0 for no, NaN for blank or anything else (worked out per distinct value)."""
    codes, text = distinct(values)
    words = pd.Series(on_joined(text.tolist(), flag_words_of), dtype=object)
    meaning = np.where(words.isin(YES), 1.0, np.where(words.isin(NO), 0.0, np.nan))
    return meaning[codes]


# ---------------------------------------------------------------- the analysis


def analyse(payments: Payments, local: LocalDefinition | None = None, top: int = 10) -> SpendReport:
    """Shares of net spend (credit notes netted off) by place and type of supplier."""
    table = payments.table
    amounts = table["amount"].to_numpy()
    net = pence(amounts.sum())
    if len(table) == 0:
        raise KitError(no_payments(payments))
    if net <= 0:
        raise KitError(
            f"the payments in {payments.name} add up to £0 or less after credit notes, so "
            "there is no spend to share out"
        )
    local_flags, unknown_reasons = local_flags_for(payments, local)
    negative = amounts < 0
    return SpendReport(
        name=payments.name,
        local_definition=None if local is None else local.describe(),
        net_spend=net,
        payments=len(table),
        suppliers=len(payments.supplier_names),
        spellings_merged=payments.spellings,
        credit_notes=share_of(amounts, negative, net),
        local=None if local is None else share_of(amounts, local_flags == 1, net),
        not_local=None if local is None else share_of(amounts, local_flags == 0, net),
        local_unknown=None if local is None else share_of(amounts, np.isnan(local_flags), net),
        local_unknown_reasons=unknown_reasons,
        sme=flag_share(payments, "sme", 1, net),
        sme_unknown=flag_share(payments, "sme", None, net),
        vcse=flag_share(payments, "vcse", 1, net),
        vcse_unknown=flag_share(payments, "vcse", None, net),
        top_suppliers=top_suppliers(payments, local_flags, net, top),
        categories=categories(payments, net),
        unreadable=payments.unreadable,
        blank_rows=payments.blank_rows,
        encoding=payments.encoding,
        columns={role: name for role in ROLES if (name := payments.column(role))},
    )


def no_payments(payments: Payments) -> str:
    message = f"{payments.name} has no payments that could be read"
    if payments.unreadable:
        first = payments.unreadable[0]
        message += (
            f": {len(payments.unreadable)} rows could not be read (the first, row "
            f"{first.row}: {first.reason})"
        )
    return message


def local_flags_for(
    payments: Payments, local: LocalDefinition | None
) -> tuple[np.ndarray, dict[str, int]]:
    """1 local, 0 not local, NaN unknown for each payment, and counts of why unknown."""
    table = payments.table
    if local is None:
        return np.full(len(table), np.nan), {}
    if local.flag_column is not None:
        if local.flag_column not in payments.headers:
            raise KitError(f"the file has no column called '{local.flag_column}'")
        column = payments.raw[payments.headers.index(local.flag_column)]
        flags = parse_flags(column)[payments.kept]
        reasons = {"not yes or no in the local column": int(np.isnan(flags).sum())}
        return flags, {k: v for k, v in reasons.items() if v}
    if "postcode" not in payments.roles:
        raise KitError(
            "the file has no postcode column, so postcode districts cannot say what is "
            "local: choose a yes/no column instead"
        )
    places = payments.postcodes
    inside = places["district"].isin(list(local.districts)) | places["area"].isin(list(local.areas))
    per_postcode = np.where(places["district"].isna(), np.nan, inside.to_numpy(dtype=float))
    codes = table["postcode"].to_numpy()
    counts = np.bincount(codes, minlength=len(places))
    problems: dict[str, int] = {}
    for problem, count in zip(places["problem"], counts, strict=True):
        if problem and count:
            problems[problem] = problems.get(problem, 0) + int(count)
    return per_postcode[codes], problems


def share_of(amounts: np.ndarray, mask: np.ndarray, net: float) -> Share:
    total = pence(amounts[mask].sum())
    return Share(total, int(mask.sum()), 100.0 * total / net)


def pence(amount: float) -> float:
    """Round to the penny, so sums of many payments show no floating-point dust."""
    return round(float(amount), 2)


def flag_share(payments: Payments, role: str, value: int | None, net: float) -> Share | None:
    """Spend whose ``role`` flag is ``value`` (``None``: not known); None with no such column."""
    if role not in payments.roles:
        return None
    flags = payments.table[role].to_numpy()
    mask = np.isnan(flags) if value is None else flags == value
    return share_of(payments.table["amount"].to_numpy(), mask, net)


def group_sums(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=size)


def flag_words(codes: np.ndarray, flags: np.ndarray, size: int) -> np.ndarray:
    """Each group's flag in words: yes, no, partly (some of each) or not known."""
    known = ~np.isnan(flags)
    yes = group_sums(codes[known], flags[known], size)
    answered = np.bincount(codes[known], minlength=size)
    words = np.where(yes == answered, "yes", np.where(yes == 0, "no", "partly"))
    return np.where(answered == 0, "not known", words)


def top_suppliers(
    payments: Payments, local_flags: np.ndarray, net: float, top: int
) -> tuple[SupplierLine, ...]:
    """The suppliers with the most net spend, with their local, SME and VCSE status."""
    codes, size = payments.table["supplier"].to_numpy(), len(payments.supplier_names)
    amounts = group_sums(codes, payments.table["amount"].to_numpy(), size)
    counts = np.bincount(codes, minlength=size)
    best = np.argsort(-amounts, kind="stable")[:top]
    words = {
        "local": flag_words(codes, local_flags, size),
        "sme": flag_words(codes, payments.table["sme"].to_numpy(), size),
        "vcse": flag_words(codes, payments.table["vcse"].to_numpy(), size),
    }
    return tuple(
        SupplierLine(
            str(payments.supplier_names[code]),
            pence(amounts[code]),
            int(counts[code]),
            float(100.0 * amounts[code] / net),
            str(words["local"][code]),
            str(words["sme"][code]),
            str(words["vcse"][code]),
        )
        for code in best
    )


def categories(payments: Payments, net: float) -> tuple[CategoryLine, ...]:
    """Net spend by category, largest first; payments with none are '(no category)'."""
    if "category" not in payments.roles:
        return ()
    names = [*payments.category_names, "(no category)"]
    codes = payments.table["category"].to_numpy()
    codes = np.where(codes < 0, len(names) - 1, codes)
    amounts = group_sums(codes, payments.table["amount"].to_numpy(), len(names))
    counts = np.bincount(codes, minlength=len(names))
    order = [code for code in np.argsort(-amounts, kind="stable") if counts[code]]
    return tuple(
        CategoryLine(
            str(names[code]),
            pence(amounts[code]),
            int(counts[code]),
            float(100.0 * amounts[code] / net),
        )
        for code in order
    )


# ---------------------------------------------------------------- words and exports


def money(amount: float) -> str:
    """Pounds as people read them in a report: ``£1,234``, ``-£50``."""
    sign = "-" if round(amount) < 0 else ""
    return f"{sign}£{abs(amount):,.0f}"


def percent(share: float) -> str:
    return f"{share:.1f}%"


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
            "; ".join(f"{ROLE_WORDS[k]}: {v}" for k, v in report.columns.items()),
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


# ---------------------------------------------------------------- charts


def shares_chart(report: SpendReport) -> Chart:
    """Share of net spend with local suppliers, SMEs and VCSEs, each bar labelled in words."""
    bars = [
        (label, share)
        for label, share in (
            ("Local suppliers", report.local),
            ("SMEs", report.sme),
            ("VCSEs", report.vcse),
        )
        if share is not None
    ]
    figure = Figure(figsize=(7, 0.6 * max(len(bars), 1) + 1.5))
    axes = figure.subplots()
    positions = list(range(len(bars)))[::-1]
    values = [max(share.share, 0.0) for _, share in bars]
    axes.barh(positions, values, color=BRAND)
    for y, value, (_, share) in zip(positions, values, bars, strict=True):
        axes.text(
            value + 1,
            y,
            f"{percent(share.share)} ({money(share.amount)})",
            va="center",
            fontsize=9,
            color=TEXT,
        )
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
            max(value, 0) + top * 0.01,
            y,
            f"{money(line.amount)} ({percent(line.share)})",
            va="center",
            fontsize=8,
            color=TEXT,
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


def categories_chart(report: SpendReport, limit: int = 10) -> Chart:
    lines = report.categories[:limit]
    return amount_chart(lines, "Net spend by category", "Category", "categories")
