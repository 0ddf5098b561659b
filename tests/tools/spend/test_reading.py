"""Reading a payments file: the columns a person can choose from."""

from __future__ import annotations

from ccin_learn.tools.spend.reading import read_payments


def test_named_columns_leave_out_blank_headers_in_file_order():
    payments = read_payments(b"Supplier,,Amount, \nAlpha Ltd,x,100,y\n", "gap.csv")
    assert payments.headers == ("Supplier", "", "Amount", "")
    assert payments.named_columns() == ["Supplier", "Amount"]
