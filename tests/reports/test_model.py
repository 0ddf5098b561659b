"""What every report format shares: course pages named in words, which versions are compared."""

from __future__ import annotations

import pytest

from ccin_learn.course.names import page_name
from ccin_learn.reports.downloads import render
from ccin_learn.reports.model import report_input


@pytest.mark.parametrize(
    ("docname", "name"),
    [
        ("modules/community-wealth-building/anchor-institutions",
         "Community Wealth Building \u203a Anchor institutions"),
        ("modules/cooperative-placemaking/asset-transfer-and-clts",
         "Cooperative Placemaking \u203a Asset transfer and CLTs"),
        ("modules/finance/index", "Financing cooperatives"),
    ],
)  # fmt: skip
def test_a_course_page_is_named_by_its_module_and_title(docname, name):
    assert page_name(docname) == name


def test_without_a_public_book_reports_name_pages_and_print_no_localhost(
    version_3, version_3_pdf, version_3_docx, pdf_pages, open_docx
):
    links = version_3.course_links(("modules/community-wealth-building/community-bank",))
    assert [link.text for link in links] == [
        "Course: Community Wealth Building \u203a Community bank"
    ]
    pdf = "".join(pdf_pages(version_3_pdf))
    docx_text = "\n".join(p.text for p in open_docx(version_3_docx).paragraphs)
    html = render(version_3, "html").decode("utf-8")
    for text in (pdf, docx_text, html):
        assert "127.0.0.1" not in text and "localhost" not in text
    assert "Course: Community Wealth Building \u203a Community bank" in pdf.replace("\r\n", " ")
    assert "Course: Community Wealth Building \u203a Community bank" in docx_text
    assert "Community Wealth Building \u203a Community bank (in the course book)" in html


def test_with_a_public_book_reports_link_to_it(unitary, monkeypatch, pdf_pages, open_docx):
    monkeypatch.setenv("CCIN_BOOK_URL", "https://learn.example.org/ccin/")
    report = report_input(unitary)
    url = "https://learn.example.org/ccin/modules/community-wealth-building/community-bank.html"
    assert f'<a href="{url}">Community Wealth Building \u203a Community bank</a>' in render(
        report, "html"
    ).decode("utf-8")
    assert url in "".join(pdf_pages(render(report, "pdf"))).replace("\r\n", "")
    document = open_docx(render(report, "docx"))
    assert url in [rel.target_ref for rel in document.part.rels.values() if rel.is_external]


def test_the_cover_says_which_versions_are_compared(version_3, unitary):
    assert version_3.comparison_sentence == (
        "Compares Saved version 3 with version 2 (assessed on 14 October 2026)."
    )
    assert report_input(unitary).comparison_sentence == (
        "An assessment file: no earlier saved version to compare with."
    )
