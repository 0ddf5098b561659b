"""Reports: self-contained escaped HTML, a real PDF, and a CSV safe from formula injection."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from ccin_learn.errors import KitError
from ccin_learn.reports.downloads import file_stem, render, write_report
from ccin_learn.reports.model import report_input
from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, Answer, load_assessment
from ccin_learn.selfassessment.compare import changes
from ccin_learn.selfassessment.session import Comparison
from ccin_learn.selfassessment.store import Version

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
]


@pytest.fixture(scope="module")
def unitary():
    return load_assessment(EXAMPLES_DIR / "example-unitary.json")


@pytest.fixture(scope="module")
def hostile(unitary):
    council = unitary.council.model_copy(update={"name": f"Evil {PAYLOAD} Council"})
    hostile = unitary.model_copy(update={"council": council, "assessor": PAYLOAD})
    hostile = hostile.with_answer(
        "cwb-insourcing", Answer(level=2, evidence=PAYLOAD, notes=FORMULAS[0])
    )
    for action_id, formula in zip(
        ["cwb-community-bank", "cwb-rent-and-rates", "pm-circular-economy"],
        FORMULAS[1:],
        strict=True,
    ):
        hostile = hostile.with_answer(action_id, Answer(level=1, evidence=formula))
    return hostile


def test_html_is_self_contained_and_shows_scores_and_priorities(unitary):
    html = render(report_input(unitary), "html").decode("utf-8")
    assert html.count('<img src="data:image/png;base64,') == 2, "charts inline, with alt text"
    assert 'alt="Bar chart of the level reached on each of the 15 checklist actions' in html
    assert 'src="http' not in html and "<link" not in html, "no external files"
    assert "Example Unitary Council (fictional)" in html
    assert "Fictional example." in html
    assert ">Overall: 38% (15 of 15 answered)<" in html
    assert "Support the creation of a regional mutual/community bank by investing" in html
    assert "@media print" in html


def test_html_escapes_everything_the_council_typed(hostile):
    html = render(report_input(hostile), "html").decode("utf-8")
    assert PAYLOAD not in html
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_incomplete_assessment_says_so_in_html_and_pdf():
    town = load_assessment(EXAMPLES_DIR / "example-town-council.json")
    report = report_input(town)
    assert "This assessment is incomplete" in render(report, "html").decode("utf-8")
    text = pdf_text(render(report, "pdf"))
    assert "7 of 15 answered (incomplete)" in text


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_cover_charts_priorities_and_every_action(unitary):
    data = render(report_input(unitary), "pdf")
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    cover = reader.pages[0].extract_text()
    assert "Example Unitary Council (fictional)" in cover
    assert "14 October 2026" in cover and "Overall: 38%" in cover
    assert any(page.images for page in reader.pages[1:3]), "charts are on the pages after the cover"
    text = pdf_text(data)
    assert "Priorities and next steps" in text
    assert text.count("Level: ") == 15


def test_csv_has_one_row_per_action_and_neutralises_formulas(hostile):
    data = render(report_input(hostile), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 15
    cells = [value for row in rows for value in row.values()]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not any(cell.startswith("-") and not cell.lstrip("-").isdigit() for cell in cells)
    by_id = {row["action_id"]: row for row in rows}
    assert by_id["cwb-insourcing"]["notes"].startswith("'=HYPERLINK")
    assert by_id["cwb-community-bank"]["level_name"] == "Exploring"


def test_write_report_picks_the_format_from_the_name(unitary, tmp_path):
    report = report_input(unitary)
    for suffix in ("html", "pdf", "docx", "csv"):
        write_report(report, tmp_path / f"out.{suffix}")
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "out.docx").read_bytes().startswith(b"PK"), "a Word file is a zip"
    with pytest.raises(KitError, match=r"must end in \.html, \.pdf, \.docx or \.csv"):
        write_report(report, tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()
    assert file_stem(report) == "self-assessment-example-unitary-council-fictional-2026-10-14"


def test_report_compares_with_the_previous_version(unitary):
    older = unitary.with_answer("cwb-insourcing", Answer(level=0))
    found = tuple(changes(older, unitary))
    baseline = Version("Example", 1, datetime(2026, 10, 1, tzinfo=UTC), older)
    comparison = Comparison("Saved version 2", baseline, found)
    html = render(report_input(unitary, comparison), "html").decode("utf-8")
    assert "Levels now compared with version 1 (assessed on 14 October 2026)" in html
    assert "1 action changed, 1 of them moved up" in html
    assert "<dt>Version</dt><dd>Saved version 2</dd>" in html
    assert "Changes since version 1 (assessed on 14 October 2026)" in html
