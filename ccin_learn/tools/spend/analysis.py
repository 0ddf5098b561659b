"""The analysis of a council's payments: shares of net spend by place and type of supplier.

Community Wealth Building starts from a baseline of a council's spend: how much goes
to local suppliers, to small and medium-sized enterprises (SMEs) and to voluntary,
community and social enterprises (VCSEs), and to which suppliers. Shares are of net
spend, credit notes netted off; a share the file cannot tell is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ccin_learn.errors import KitError
from ccin_learn.tools.spend.cells import parse_flags
from ccin_learn.tools.spend.columns import ROLES
from ccin_learn.tools.spend.reading import Payments, UnreadableRow

DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
AREA = re.compile(r"[A-Z]{1,2}")


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


def local_definition(
    by_flag: bool, districts: str, flag_column: str | None
) -> LocalDefinition | None:
    """What counts as local from a person's choices, or None while it is not yet given.

    ``by_flag`` chooses a yes/no column (``flag_column``) over postcode ``districts``.
    """
    if by_flag:
        return LocalDefinition.from_flag(flag_column) if flag_column else None
    text = districts.strip()
    return LocalDefinition.from_text(text) if text else None


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


def analyse(payments: Payments, local: LocalDefinition | None = None, top: int = 10) -> SpendReport:
    """Shares of net spend (credit notes netted off) by place and type of supplier."""
    table = payments.table
    amounts = table["amount"].to_numpy()
    net = net_spend(payments)
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


def net_spend(payments: Payments) -> float:
    """All the payments added up, credit notes netted off; a KitError if there is none.

    This is the check that a file can be analysed at all, before anything is shown.
    """
    amounts = payments.table["amount"].to_numpy()
    net = pence(amounts.sum())
    if len(amounts) == 0:
        raise KitError(no_payments(payments))
    if net <= 0:
        raise KitError(
            f"the payments in {payments.name} add up to £0 or less after credit notes, so "
            "there is no spend to share out"
        )
    return net


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
