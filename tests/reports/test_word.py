"""The Word report: Word's own headings, tables and pictures, and it opens in LibreOffice."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn

from ccin_learn.reports.downloads import DOCX_MIME, downloads
from ccin_learn.reports.model import report_charts


def test_headings_use_word_heading_styles(version_3, version_3_docx, open_docx):
    document = open_docx(version_3_docx)
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    assert headings[0] == ("Heading 1", "Cooperative council self-assessment")
    assert ("Heading 2", "The three priorities") in headings
    assert ("Heading 2", "Changes since version 2 (assessed on 14 October 2026)") in headings
    assert ("Heading 3", "Community Wealth Building") in headings
    texts = [p.text for p in document.paragraphs]
    assert "Example Unitary Council (fictional)" in texts
    assert version_3.card.headline in texts


def test_scores_and_changes_are_real_tables(version_3_docx, open_docx):
    tables = [[[cell.text for cell in row.cells] for row in t.rows]
              for t in open_docx(version_3_docx).tables]  # fmt: skip
    scores = next(t for t in tables if t[0] == ["Area", "Score", "Answered"])
    assert scores[1] == ["Overall", "38%", "15 of 15 answered"]
    assert scores[2] == ["Community Wealth Building", "44%", "8 of 8 answered"]
    changes = next(t for t in tables if t[0] == ["Action", "Before", "Now"])
    assert changes[1:] == [["Promote the circular economy", "0 Not started", "1 Exploring"]]


def test_charts_are_pictures_with_alt_text(version_3, version_3_docx, open_docx):
    document = open_docx(version_3_docx)
    described = [(shape._inline.docPr.get("title"), shape._inline.docPr.get("descr"))
                 for shape in document.inline_shapes]  # fmt: skip
    assert described == [(chart.title, chart.alt) for chart in report_charts(version_3)]
    blips = document.element.body.findall(".//" + qn("a:blip"))
    assert len(blips) == 3


def test_the_word_report_is_offered_for_download(version_3):
    offered = {d.filename.rsplit(".", 1)[1]: d for d in downloads(version_3)}
    assert set(offered) == {"json", "csv", "html", "pdf", "docx"}
    assert offered["docx"].label == "Word report (.docx, for a cabinet paper)"
    assert offered["docx"].mime == DOCX_MIME


@pytest.mark.slow
def test_libreoffice_opens_it_with_the_council_headline_and_priorities(
    version_3, version_3_docx, soffice_pdf, pdf_pages
):
    text = " ".join(" ".join(pdf_pages(soffice_pdf(version_3_docx))).split())
    assert "Example Unitary Council (fictional)" in text
    assert version_3.card.headline in text
    for priority in version_3.card.priorities:
        assert priority.action.title in text
