"""Text in any script prints: Chinese, Arabic right to left and emoji, in the PDF and Word reports.

A character that no installed font has prints as a visible box and is logged,
never silently dropped.
"""

from __future__ import annotations

import logging

import pytest

from ccin_learn import pdfdoc
from ccin_learn.reports.downloads import render
from ccin_learn.reports.model import report_input
from ccin_learn.selfassessment.assessment import Answer

NAME = "合作社 تعاونية Council 🤝🌱"
EVIDENCE = "社区合作社 signed the charter; الشركاء المحليون agreed 🌱"
WORDS = ["合作社", "تعاونية", "🤝", "🌱", "社区合作社", "الشركاء", "المحليون"]


@pytest.fixture(scope="module")
def world(unitary):
    """The unitary council renamed and with evidence in Chinese, Arabic and emoji."""
    council = unitary.council.model_copy(update={"name": NAME})
    world = unitary.model_copy(update={"council": council})
    return report_input(world.with_answer("cwb-insourcing", Answer(level=1, evidence=EVIDENCE)))


@pytest.mark.slow
def test_the_pdf_prints_chinese_arabic_and_emoji(world, pdf_pages, caplog):
    with caplog.at_level(logging.WARNING, logger="ccin_learn.pdfdoc"):
        text = "".join(pdf_pages(render(world, "pdf")))
    for word in WORDS:
        assert word in text
    assert pdfdoc.REPLACEMENT not in text
    assert not caplog.records


def test_the_word_file_keeps_them_and_marks_arabic_right_to_left(world, open_docx):
    document = open_docx(render(world, "docx"))
    texts = [p.text for p in document.paragraphs]
    assert NAME in texts and f"Evidence: {EVIDENCE}" in texts
    runs = [run for p in document.paragraphs for run in p.runs]
    arabic = [run for run in runs if "تعاونية" in run.text or "الشركاء" in run.text]
    assert arabic and all(run.font.rtl for run in arabic)
    latin = [run for run in runs if run.text.startswith("Council")]
    assert latin and not any(run.font.rtl for run in latin)
    emoji = [run for run in runs if run.text == "🤝🌱"]
    assert emoji and all(run.font.name == "Symbola" for run in emoji)


@pytest.mark.slow
def test_libreoffice_prints_the_word_file_in_every_script(world, soffice_pdf, pdf_pages):
    text = "".join(pdf_pages(soffice_pdf(render(world, "docx"))))
    for word in WORDS:
        assert word in text


@pytest.fixture
def page_text(pdf_pages):
    """The text of a one-page PDF with ``text`` on it, made as every kit PDF is."""

    def make(text: str) -> str:
        pdf = pdfdoc.a4_document((18, 18, 18), 18)
        pdf.add_page()
        pdf.set_font(pdfdoc.FONT, "", 11)
        pdf.multi_cell(0, 6, text, **pdfdoc.TEXT_LINE)
        return pdf_pages(bytes(pdf.output()))[0]

    return make


def test_a_character_no_font_has_prints_as_a_box_and_is_logged(page_text, caplog):
    with caplog.at_level(logging.WARNING, logger="ccin_learn.pdfdoc"):
        text = page_text("Private \ue000 Council")
    assert f"Private {pdfdoc.REPLACEMENT} Council" in text
    assert "no installed font has U+E000" in caplog.text


def test_without_the_fallback_fonts_chinese_prints_as_boxes_with_a_warning(
    page_text, caplog, monkeypatch
):
    monkeypatch.setattr(pdfdoc, "FALLBACKS", ())
    monkeypatch.setattr(pdfdoc, "other_noto_fonts", lambda: ())
    with caplog.at_level(logging.WARNING, logger="ccin_learn.pdfdoc"):
        text = page_text("合作 Council")
    box = pdfdoc.REPLACEMENT
    assert f"{box}{box} Council" in text
    assert "U+5408" in caplog.text and "fonts-noto-cjk" in caplog.text


def test_a_rarer_script_comes_from_another_noto_font(page_text, caplog):
    with caplog.at_level(logging.WARNING, logger="ccin_learn.pdfdoc"):
        text = page_text("सहकारी Council")  # Hindi, from Noto Sans Devanagari
    assert "Council" in text and pdfdoc.REPLACEMENT not in text
    assert not caplog.records
