"""What a spend report shows, in words: shares, unknowns, and how much it lists."""

from __future__ import annotations

from ccin_learn.tools.spend.analysis import LocalDefinition, analyse
from ccin_learn.tools.spend.reading import read_payments
from ccin_learn.tools.spend.summary import (
    CATEGORIES_SHOWN,
    UNREADABLE_SHOWN,
    amount_words,
    column_words,
    missing_flag_columns,
    percent,
    share_words,
    shown_categories,
    shown_unreadable,
    type_shares,
    unknown_shares,
)

SMALL = b"""Supplier,Amount,Postcode,SME
Alpha Ltd,100,PR1 1AA,Y
Beta Ltd,300,,N
Gamma Ltd,600,M1 1AA,
"""


def test_shares_read_to_one_decimal_with_their_amounts():
    report = analyse(read_payments(SMALL, "small.csv"), LocalDefinition.from_text("PR1"))
    assert percent(70) == "70.0%"
    assert [(label, share_words(share)) for label, share in type_shares(report)] == [
        ("Local suppliers", "10.0% (£100)"),
        ("SMEs", "10.0% (£100)"),
    ]
    assert amount_words(report.top_suppliers[0]) == "£600 (60.0%)"


def test_unknowns_and_missing_columns_are_named_only_where_there_are_some():
    report = analyse(read_payments(SMALL, "small.csv"), LocalDefinition.from_text("PR1"))
    assert [(label, share.payments) for label, share in unknown_shares(report)] == [
        ("Location not known", 1),
        ("SME status not known", 1),
    ]
    assert missing_flag_columns(report) == ["VCSE"]
    assert column_words(report) == [
        ("supplier", "Supplier"),
        ("amount", "Amount"),
        ("postcode", "Postcode"),
        ("SME flag", "SME"),
    ]
    unset = analyse(read_payments(SMALL, "small.csv"))
    assert [label for label, _ in type_shares(unset)] == ["SMEs"]
    assert [label for label, _ in unknown_shares(unset)] == ["SME status not known"]


def test_a_report_lists_the_first_categories_and_unreadable_rows_and_counts_the_rest():
    rows = [f"S{i},{i + 1},C{i}" for i in range(CATEGORIES_SHOWN + 3)]
    rows += ["T,TBC,C0"] * (UNREADABLE_SHOWN + 2)
    data = ("Supplier,Amount,Category\n" + "\n".join(rows) + "\n").encode()
    report = analyse(read_payments(data, "many.csv"))
    categories, more = shown_categories(report)
    assert len(categories) == CATEGORIES_SHOWN and more == 3
    assert categories[0].name == f"C{CATEGORIES_SHOWN + 2}"  # the largest first
    unreadable, more = shown_unreadable(report)
    assert len(unreadable) == UNREADABLE_SHOWN and more == 2
    assert unreadable[0].row == CATEGORIES_SHOWN + 5  # file order: row 1 is the header
    small = analyse(read_payments(SMALL, "small.csv"))
    assert shown_categories(small) == ((), 0) and shown_unreadable(small) == ((), 0)
