"""The spend analysis widget, driven as an officer would: upload, say what is local, read."""

from __future__ import annotations

import base64
import datetime
import re
from pathlib import Path

from ccin_learn.tools.spend import LocalDefinition, analyse, read_payments, summary_csv
from ccin_learn.widgets.spend import FLAG, SpendAnalysis

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "modules"
    / "community-wealth-building"
    / "data"
    / "example-payments.csv"
)
SMALL = b"""Supplier,Amount,Postcode,Local supplier,SME
Alpha Ltd,100,PR1 1AA,Y,Y
Beta Ltd,300,M1 1AA,N,N
<script>alert(1)</script> Ltd,600,PR2 2BB,Y,Y
"""


def upload(tool: SpendAnalysis, name: str, data: bytes) -> None:
    tool.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC),
        },
    )


def test_starts_by_asking_for_a_file():
    tool = SpendAnalysis()
    assert "Upload a payments file" in tool.report.value
    assert tool.download.value == ""


def test_every_control_has_a_label():
    tool = SpendAnalysis()
    for control in (tool.upload, tool.method, tool.districts, tool.flag_column):
        assert control.description
    assert tool.upload.accept == ".csv,text/csv"


def test_uploading_and_typing_districts_shows_the_local_share():
    tool = SpendAnalysis()
    upload(tool, "small.csv", SMALL)
    assert "Enter your local postcode districts" in tool.status.value
    tool.districts.value = "PR1, PR2"
    assert "70.0% of £1,000 net spend (£700) went to local suppliers." in tool.report.value
    assert "Local means: suppliers with a postcode in PR1, PR2." in tool.report.value
    assert tool.status.value == ""


def test_choosing_a_yes_no_column_instead():
    tool = SpendAnalysis()
    upload(tool, "small.csv", SMALL)
    tool.method.value = FLAG
    assert tool.flag_column.layout.display is None
    assert tool.districts.layout.display == "none"
    assert tool.flag_column.value == "Local supplier"  # found by its name
    assert "70.0% of £1,000" in tool.report.value
    tool.flag_column.value = "SME"
    assert "marked yes in the column &#39;SME&#39;" in tool.report.value


def test_text_from_the_file_is_escaped():
    tool = SpendAnalysis(("small.csv", SMALL), "PR1")
    assert "<script>" not in tool.report.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in tool.report.value


def test_report_headings_fit_the_page_around_the_tool():
    assert "<h2>Top suppliers</h2>" in SpendAnalysis(("small.csv", SMALL)).report.value
    in_book = SpendAnalysis(("small.csv", SMALL), heading_level=4)
    assert "<h4>Top suppliers</h4>" in in_book.report.value


def test_a_bad_file_says_why_and_keeps_the_last_report():
    tool = SpendAnalysis(("small.csv", SMALL), "PR1, PR2")
    before = tool.report.value
    upload(tool, "minutes.csv", b"Date,Amount\n1/4/25,100\n")
    assert "Problem: </strong>minutes.csv: no supplier column found" in tool.status.value
    assert tool.report.value == before


def test_a_bad_district_is_explained():
    tool = SpendAnalysis(("small.csv", SMALL))
    tool.districts.value = "PR1, Preston"
    assert "&#39;PRESTON&#39; is not a postcode district" in tool.status.value


def test_download_link_holds_the_summary_csv():
    tool = SpendAnalysis(("small.csv", SMALL), "PR1, PR2")
    match = re.search(
        r'download="([^"]+)" href="data:text/csv;base64,([^"]+)"', tool.download.value
    )
    assert match.group(1) == "small-spend-summary.csv"
    expected = summary_csv(
        analyse(read_payments(SMALL, "small.csv"), LocalDefinition.from_text("PR1, PR2"))
    )
    assert base64.b64decode(match.group(2)).decode("utf-8") == expected


def test_the_fictional_example_report_lists_unreadable_rows_and_credit_notes():
    tool = SpendAnalysis(("example-payments.csv", EXAMPLE.read_bytes()), "XX1, XX2, XX5")
    text = tool.report.value
    assert "5 rows could not be read" in text
    assert "<li>Row 155: amount &#39;TBC&#39; is not a number</li>" in text
    assert "3 credit notes totalling £4,250 were netted off" in text
    assert '<th scope="col">Supplier</th>' in text
    assert "2 blank rows skipped" in text
