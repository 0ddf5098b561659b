"""Cleaning a payments file's cells: amounts, names, postcodes and yes/no flags.

Nothing here loops over rows in Python. Names, postcodes and flags are worked out
once per distinct value of a column (``distinct``), and the text work on those values
is one C-speed ``str`` or ``re`` call over all of them joined by ``SEPARATOR``
(``on_joined``). Amounts are cleaned by a few ``str.replace`` calls over the whole
column joined into one string, then parsed by pandas' C parser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

# What a yes/no cell says, once ``flag_words_of`` has made it lower-case words.
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
# A postcode with its spaces squeezed out, or just its outward part: the district.
POSTCODE = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?:[0-9][A-Z]{2})?$"
SEPARATOR = "\ue000"  # a private-use character: not in real data, not a space or letter
AMOUNT_JUNK = ("£", ",", " ", "\t", "\r", "\u00a0", "Â", "GBP", "gbp")
NOT_NUMBER = re.compile(r"[^0-9.eE+\-\ue000]+")
CREDIT_SUFFIX = re.compile(r"cr(?=\ue000|$)", re.IGNORECASE)


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
