"""Recognising a payments file's columns: which one names the supplier, the amount and so on.

Councils name their columns in many ways (``Supplier Name``, ``Vendor``, ``Payee``;
``Amount``, ``Net Amount``, ``Value (£)``). Each name is reduced to a key (lower case,
no punctuation, no bracketed part) and matched against the names councils use, then
against key words; a person can name the column for any role when the match is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ccin_learn.errors import KitError

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


def header_key(text: str) -> str:
    """A column name reduced for matching: ``Amount (£)`` and ``AMOUNT`` become ``amount``."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text.replace("\ufeff", "").casefold())
    text = re.sub(r"[^a-z0-9]+", " ", text.replace("&", " and "))
    return " ".join(text.split())


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
