"""The PDF report as a reader sees it: PDFium renders the pages and reads each character's box."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from ccin_learn.reports.downloads import render
from ccin_learn.reports.model import report_input
from ccin_learn.reports.outline import Heading, Para, outline
from ccin_learn.selfassessment.assessment import Answer

MM = 72 / 25.4  # PDF points in a millimetre


def lines(page_text: str) -> list[str]:
    return [line.strip() for line in page_text.splitlines() if line.strip()]


def test_the_cover_has_everything_a_cabinet_paper_needs(version_3, version_3_pdf, pdf_pages):
    cover = " ".join(lines(pdf_pages(version_3_pdf)[0]))
    assert "Example Unitary Council (fictional)" in cover
    assert "14 October 2026" in cover and "Saved version 3" in cover
    assert "Compares Saved version 3 with version 2 (assessed on 14 October" in cover
    assert "15 of 15 answered" in cover
    assert version_3.card.headline == "Overall: 38% (15 of 15 answered)"
    assert version_3.card.headline in cover
    assert "The three priorities" in cover
    for priority in version_3.card.priorities:
        assert priority.action.title in cover
    assert "What the levels mean" in cover


def test_an_early_assessment_says_it_is_too_early_for_a_score(unitary, pdf_pages):
    first = next(iter(unitary.answers))
    early = unitary.model_copy(update={"answers": {first: unitary.answers[first]}})
    cover = " ".join(lines(pdf_pages(render(report_input(early), "pdf"))[0]))
    assert "1 of 15 answered: too early for an overall score (answer at least 8)" in cover
    assert "Overall:" not in cover and "Overall too early 1 of 15 answered" in cover


def test_no_false_no_answered_action_line(version_3_pdf, pdf_pages):
    assert "no answered action" not in "".join(pdf_pages(version_3_pdf))


def test_every_character_lies_on_its_page_and_page_1_is_filled(version_3_pdf):
    document = pdfium.PdfDocument(version_3_pdf)
    try:
        for number, page in enumerate(document, start=1):
            width, height = page.get_size()
            text = page.get_textpage()
            boxes = [text.get_charbox(i) for i in range(text.count_chars())]
            boxes = [box for box in boxes if box[2] > box[0]]  # spaces have no box
            assert boxes, f"page {number} has text"
            for left, bottom, right, top in boxes:
                assert left >= 0 and right <= width and bottom >= 0 and top <= height, number
            if number == 1:
                content = [b for b in boxes if b[1] > 20 * MM]  # above the footer
                lowest = min(bottom for _, bottom, _, _ in content)
                assert lowest < height / 3, "page 1 is filled to its lower third"
            bitmap = page.render(scale=1).to_pil().convert("L")
            assert bitmap.getextrema()[0] < 100, f"page {number} renders with dark text"
    finally:
        document.close()


def test_text_is_left_aligned_not_justified(version_3_pdf):
    for page in PdfReader(io.BytesIO(version_3_pdf)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        spacing = [float(value) for value in re.findall(r"(-?[\d.]+) Tw", stream)]
        assert not any(spacing), "justified lines stretch the spaces between words"


def kept_texts(report) -> list[str]:
    """Headings and action titles: what must never be the last line on a page."""
    return [
        block.text
        for block in outline(report)
        if isinstance(block, Heading) or (isinstance(block, Para) and block.keep_with_next)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("extra_lines", [0, 4, 9, 15])
def test_no_heading_is_left_alone_at_the_foot_of_a_page(unitary, pdf_pages, extra_lines):
    """Longer evidence moves every later heading down the pages: none may end a page."""
    evidence = " ".join(["Cabinet minute and delivery plan agreed with partners."] * extra_lines)
    answer = unitary.answer("cwb-inclusive-economy-charter")
    report = report_input(unitary.with_answer(
        "cwb-inclusive-economy-charter", Answer(level=answer.level, evidence=evidence or "x")
    ))  # fmt: skip
    kept = kept_texts(report)
    pages = pdf_pages(render(report, "pdf"))
    for number, page in enumerate(pages[:-1], start=1):
        last = lines(page)[-2]  # the line above the footer
        assert not any(text.endswith(last) for text in kept), (number, last)
