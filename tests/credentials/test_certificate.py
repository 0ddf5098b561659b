"""The PDF certificate prints a learner's name in any script (the fonts it shares with reports)."""

from __future__ import annotations

from datetime import UTC, datetime

import pypdfium2 as pdfium

from ccin_learn.credentials.badge import Award
from ccin_learn.credentials.catalogue import load_credentials
from ccin_learn.credentials.certificate import certificate_pdf


def test_a_chinese_or_arabic_name_prints_on_the_certificate(course):
    name = "李华 (Li Hua) سارة"
    award = Award("li01", name, load_credentials()[0], 85, datetime(2026, 11, 20, tzinfo=UTC))
    document = pdfium.PdfDocument(certificate_pdf(award.with_id(), course, "did:key:z6Mk"))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "李华 (Li Hua)" in text and "سارة" in text
    assert "\u25a1" not in text, "no character replaced by a box"
