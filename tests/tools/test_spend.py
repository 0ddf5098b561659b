"""The spend analysis: parsing messy payments files and the figures, worked out by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from ccin_learn.errors import KitError
from ccin_learn.text import money
from ccin_learn.tools.spend import (
    LocalDefinition,
    analyse,
    categories_chart,
    headline,
    load_payments,
    read_payments,
    shares_chart,
    summary_csv,
    summary_file_name,
    suppliers_chart,
    write_summary_csv,
)

CORPUS = Path(__file__).parent / "spend_corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "modules"
    / "community-wealth-building"
    / "data"
    / "example-payments.csv"
)

SMALL = b"""Supplier,Amount,Postcode,SME,VCSE,Category
Alpha Ltd,100,PR1 1AA,Y,N,Cleaning
Beta Co-op,300,PR2 2BB,Y,Y,Catering
Gamma plc,600,M1 1AA,N,N,Cleaning
Alpha Limited,-50,PR1 1AA,Y,N,Cleaning
"""


def small_report(local: str | None = "PR1, PR2"):
    payments = read_payments(SMALL, "small.csv")
    return analyse(payments, LocalDefinition.from_text(local) if local else None)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# ------------------------------------------------------------------ hand-worked figures


def test_small_file_shares_are_worked_out_on_net_spend():
    report = small_report()
    assert report.net_spend == 950.00  # 100 + 300 + 600 - 50
    assert report.payments == 4
    assert report.suppliers == 3  # Alpha Ltd and Alpha Limited are one
    assert report.local.amount == 350.00  # 100 + 300 - 50
    assert report.local.share == pytest.approx(36.842, abs=1e-3)
    assert report.not_local.amount == 600.00
    assert report.local_unknown.amount == 0
    assert report.sme.amount == 350.00
    assert report.vcse.amount == 300.00
    assert report.vcse.share == pytest.approx(31.579, abs=1e-3)
    assert (report.credit_notes.payments, report.credit_notes.amount) == (1, -50.00)


def test_top_suppliers_and_categories_come_largest_first():
    report = small_report()
    assert [(s.name, s.amount, s.payments) for s in report.top_suppliers] == [
        ("Gamma plc", 600.00, 1),
        ("Beta Co-op", 300.00, 1),
        ("Alpha Ltd", 50.00, 2),
    ]
    gamma, beta, _alpha = report.top_suppliers
    assert (gamma.local, gamma.sme, gamma.vcse) == ("no", "no", "no")
    assert (beta.local, beta.sme, beta.vcse) == ("yes", "yes", "yes")
    assert [(c.name, c.amount, c.payments) for c in report.categories] == [
        ("Cleaning", 650.00, 3),
        ("Catering", 300.00, 1),
    ]


def test_headline_states_the_local_share_or_asks_for_a_definition():
    assert headline(small_report()) == ("36.8% of £950 net spend (£350) went to local suppliers.")
    unset = small_report(None)
    assert unset.local is None
    assert "say what counts as local" in headline(unset)


def test_a_postcode_area_counts_all_its_districts():
    report = analyse(read_payments(SMALL), LocalDefinition.from_text("pr"))
    assert report.local.amount == 350.00
    assert report.local_definition == "suppliers with a postcode in all of PR"


def test_top_is_limited_and_a_mixed_supplier_is_partly_local():
    data = b"Supplier,Amount,Postcode\nA,10,PR1\nA,20,M1\nB,5,PR1\n"
    report = analyse(read_payments(data), LocalDefinition.from_text("PR1"), top=1)
    assert [(s.name, s.local) for s in report.top_suppliers] == [("A", "partly")]


# ------------------------------------------------------------------ the messy corpus


def local_of(spec: object) -> LocalDefinition:
    if isinstance(spec, dict):
        return LocalDefinition.from_flag(spec["flag"])
    return LocalDefinition.from_text(str(spec))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_gives_the_hand_worked_figures(name):
    expected = EXPECTED[name]
    payments = load_payments(CORPUS / name)
    report = analyse(payments, local_of(expected["local"]))
    assert report.net_spend == pytest.approx(expected["net_spend"], abs=0.005)
    assert report.payments == expected["payments"]
    assert report.suppliers == expected["suppliers"]
    assert report.local.amount == pytest.approx(expected["local_spend"], abs=0.005)
    assert report.blank_rows == expected["blank_rows"]
    assert [[u.row, u.reason] for u in report.unreadable] == expected["unreadable"]
    checks = {
        "spellings_merged": lambda: report.spellings_merged,
        "top_supplier": lambda: [
            report.top_suppliers[0].name,
            report.top_suppliers[0].amount,
            report.top_suppliers[0].payments,
        ],
        "credit_notes": lambda: [report.credit_notes.payments, report.credit_notes.amount],
        "columns": lambda: dict(report.columns),
        "categories": lambda: [[c.name, c.amount] for c in report.categories],
        "sme_spend": lambda: report.sme.amount,
        "vcse_spend": lambda: report.vcse.amount,
        "encoding": lambda: report.encoding,
        "names": lambda: list(payments.supplier_names),
        "first_row": lambda: int(payments.table["row"].iloc[0]),
        "local_unknown": lambda: report.local_unknown.amount,
        "unknown_reasons": lambda: dict(report.local_unknown_reasons),
    }
    for key, actual in checks.items():
        if key in expected:
            got = actual()
            want = expected[key]
            if key == "columns":
                assert all(got[role] == column for role, column in want.items())
            else:
                assert got == want, key


def test_the_corpus_covers_every_messy_case():
    cases = " ".join(spec["case"] for spec in EXPECTED.values())
    for words in (
        "£ signs",
        "thousands",
        "blank",
        "case",
        "spacing",
        "'Ltd'/'Limited'",
        "credit notes",
        "Vendor",
        "Net Amount",
        "Supplier Name",
        "Amount (£)",
        "byte order mark",
        "Windows-1252",
        "no supplier",
        "no amount",
    ):
        assert words in cases, words


def test_old_mac_line_endings_and_tabs_are_read():
    text = "Supplier\tAmount\rAlpha Ltd\t10\rBeta Ltd\t5\r"
    report = analyse(read_payments(text.encode()))
    assert report.net_spend == 15.00 and report.suppliers == 2


def test_many_stray_commas_are_still_reported_with_their_rows():
    data = b"Supplier,Amount\nA,1\nB,2,x,y,z,w,v\nC,3\n"
    report = analyse(read_payments(data))
    assert report.net_spend == 4.00
    assert [(u.row, u.reason[:26]) for u in report.unreadable] == [
        (3, "has 7 cells but the header")
    ]


def test_utf8_at_the_top_and_windows_1252_further_down_is_read_as_windows_1252():
    data = ("Supplier,Amount\n" + "A,1\n" * 70_000).encode() + "Café,£2\n".encode("cp1252")
    payments = read_payments(data)
    assert payments.encoding == "Windows-1252"
    assert "Café" in list(payments.supplier_names)
    assert analyse(payments).net_spend == 70_002.00


def test_chosen_column_names_override_the_automatic_match():
    data = b"Name of payee,Paid,Other\nA,5,9\nB,6,9\n"
    payments = read_payments(data, columns={"supplier": "Name of payee", "amount": "Paid"})
    assert analyse(payments).net_spend == 11.00
    with pytest.raises(KitError, match="no column called 'Missing'"):
        read_payments(data, columns={"supplier": "Missing", "amount": "Paid"})


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty.csv is empty"),
        (b"  \n\n", "empty.csv is empty"),
        (b"PK\x03\x04rest of a zip", "not a CSV file: it looks like an Excel workbook"),
        (b"%PDF-1.7 ...", "not a CSV file: it looks like a PDF"),
        (b"abc\x00\x01\x02", "not a CSV file: it holds binary data"),
        (b"Dear officer\nPlease find attached\n", "not a CSV file: no line has columns"),
        (b"Date,Amount\n1/4/25,100\n", "no supplier column found"),
        (b"Supplier,Date\nA,1/4/25\n", "no amount column found"),
    ],
)
def test_bad_input_is_one_line_kit_error(data, message):
    with pytest.raises(KitError, match=message) as caught:
        read_payments(data, "empty.csv")
    assert "\n" not in str(caught.value)


def test_a_file_with_no_readable_payment_is_refused_with_the_first_reason():
    payments = read_payments(b"Supplier,Amount\nA,TBC\n,5\n", "none.csv")
    with pytest.raises(KitError, match=r"none.csv has no payments that could be read: 2 rows"):
        analyse(payments)
    with pytest.raises(KitError, match="has no payments"):
        analyse(read_payments(b"Supplier,Amount\n", "header-only.csv"))


def test_spend_that_nets_to_nothing_is_refused():
    with pytest.raises(KitError, match="£0 or less after credit notes"):
        analyse(read_payments(b"Supplier,Amount\nA,100\nA,-100\n"))


def test_missing_file_is_a_kit_error(tmp_path):
    with pytest.raises(KitError, match="cannot read"):
        load_payments(tmp_path / "nowhere.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one postcode district"),
        ("PR1, 2AB", "'2AB' is not a postcode district"),
        ("PR1 2AB", "'2AB'"),
        ("LOCAL", "'LOCAL'"),
    ],
)
def test_bad_local_definitions_are_refused(text, message):
    with pytest.raises(KitError, match=message):
        LocalDefinition.from_text(text)


def test_local_definitions_need_what_the_file_has():
    no_postcode = read_payments(b"Supplier,Amount\nA,1\n")
    with pytest.raises(KitError, match="no postcode column"):
        analyse(no_postcode, LocalDefinition.from_text("PR1"))
    with pytest.raises(KitError, match="no column called 'Local'"):
        analyse(no_postcode, LocalDefinition.from_flag("Local"))


def test_bad_input_leaves_an_earlier_summary_untouched(tmp_path):
    out = tmp_path / "summary.csv"
    write_summary_csv(small_report(), out)
    before = out.read_bytes()
    (tmp_path / "bad.csv").write_bytes(b"Date,Amount\n1/4/25,100\n")
    with pytest.raises(KitError):
        write_summary_csv(analyse(load_payments(tmp_path / "bad.csv")), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "summary.csv"]


# ------------------------------------------------------------------ the summary CSV


def test_summary_csv_holds_the_figures_and_the_unreadable_rows():
    report = analyse(
        load_payments(CORPUS / "unreadable_rows.csv"), LocalDefinition.from_text("PR2")
    )
    rows = rows_of(summary_csv(report))
    assert rows[0] == [
        "section",
        "item",
        "amount_gbp",
        "share_of_net_spend_percent",
        "payments",
        "note",
    ]
    assert [
        "headline",
        "net spend",
        "400.0",
        "100.0",
        "2",
        "2 suppliers; 0 other spellings merged",
    ] in rows
    assert ["headline", "local suppliers", "300.0", "75.0", "1", ""] in rows
    assert ["unreadable row", "row 5", "", "", "", "amount 'TBC' is not a number"] in rows
    assert summary_file_name(report) == "unreadable-rows-spend-summary.csv"


def test_summary_csv_neutralises_formulas_from_the_file():
    data = b'Supplier,Amount\n"=HYPERLINK(""http://x"")",100\n@SUM(A1),50\n'
    rows = rows_of(summary_csv(analyse(read_payments(data))))
    names = [row[1] for row in rows if row[0] == "top supplier"]
    assert names == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]


def test_summary_is_written_atomically(tmp_path, monkeypatch):
    out = tmp_path / "summary.csv"
    out.write_text("old", encoding="utf-8")
    report = small_report()

    def broken_replace(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(KitError, match="No space left"):
        write_summary_csv(report, out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]
    monkeypatch.undo()
    write_summary_csv(report, out)
    assert out.read_bytes() == summary_csv(report).encode("utf-8")


# ------------------------------------------------------------------ charts and words


def test_charts_have_titles_labelled_axes_and_alt_text_with_the_finding():
    report = small_report()
    shares = shares_chart(report)
    axes = shares.figure.axes[0]
    assert axes.get_title() == "Share of net spend by type of supplier"
    assert axes.get_xlabel() == "Share of net spend (%)" and axes.get_ylabel()
    assert "local suppliers 36.8%" in shares.alt
    suppliers = suppliers_chart(report)
    assert "The largest is Gamma plc with £600" in suppliers.alt
    assert suppliers.figure.axes[0].get_xlabel() == "Net spend (£ thousand)"
    assert "Cleaning" in categories_chart(report).alt
    labels = [t.get_text() for t in axes.texts]
    assert "36.8% (£350)" in labels  # each bar says its value in words


def test_money_reads_naturally():
    assert money(1234.4) == "£1,234"
    assert money(-50) == "-£50"


def test_the_fictional_example_reads_with_its_messy_rows_reported():
    payments = load_payments(EXAMPLE)
    report = analyse(payments, LocalDefinition.from_text("XX1, XX2, XX5"))
    assert report.payments == 305 and report.suppliers == 18
    assert [u.reason for u in report.unreadable] == [
        "no amount",
        "amount 'TBC' is not a number",
        "repeats the header row",
        "no supplier name",
        "has 11 cells but the header has 10: a comma in a name may need quotes",
    ]
    assert report.credit_notes.payments == 3 and report.blank_rows == 2
    assert EXAMPLE.read_text(encoding="utf-8-sig").startswith("# FICTIONAL EXAMPLE")
