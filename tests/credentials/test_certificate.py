"""The PDF certificate, as a person holding it reads it: the name in any script, a QR code
and link to the verification page, plain words on how to check it, nothing that says the
network awarded it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
import segno
from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader

from ccin_learn.credentials.badge import Award
from ccin_learn.credentials.catalogue import load_credentials
from ccin_learn.credentials.certificate import (
    FOOTER_HEIGHT,
    MARGIN,
    QR_BORDER,
    QR_SIZE,
    CertificateLinks,
    certificate_pdf,
)
from ccin_learn.errors import KitError
from ccin_learn.grading.course import CourseConfig
from ccin_learn.pdfdoc import FONT_DIR

VERIFY = "https://learn.anyshire.gov.uk/ccin/book/credentials/verify.html"
PROFILE = "https://learn.anyshire.gov.uk/ccin/issuer/profile.json"
NAMES = ["李", "محمد", "Zoë Ångström-Łukasz"]


@pytest.fixture(scope="module")
def anyshire(course: CourseConfig) -> CourseConfig:
    """The shipped course with the trainer's own awarding body, as a cohort would have it."""
    body = course.awarding_body.model_copy(
        update={"name": "Anyshire Council", "url": "https://www.anyshire.gov.uk/",
                "email": "learning@anyshire.gov.uk",
                "issuer_url": "https://learn.anyshire.gov.uk/ccin/issuer/"}
    )  # fmt: skip
    return course.model_copy(update={"awarding_body": body})


def award(name: str) -> Award:
    when = datetime(2026, 11, 20, tzinfo=UTC)
    return Award("li01", name, load_credentials()[0], 85, when).with_id()


@pytest.fixture(scope="module")
def certificates(anyshire: CourseConfig) -> dict[str, tuple[Award, bytes]]:
    """One certificate per name, the credential not published (the QR goes to the page)."""
    made = {}
    for name in NAMES:
        given = award(name)
        made[name] = (
            given,
            certificate_pdf(given, anyshire, CertificateLinks(VERIFY, None, PROFILE)),
        )
    return made


def page_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        assert len(document) == 1, "the certificate is one page"
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def flat(text: str) -> str:
    """Text with line breaks joined, as a reader follows a wrapped sentence."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).replace("- ", "-")


# The glyph check: each character of the name has a drawn glyph in the embedded fonts ------


def cmap_pairs(stream: bytes, kind: str) -> dict[int, str | int]:
    """A CMap's single and range entries (bfchar/bfrange to text, cidchar/cidrange to CIDs)."""
    text = stream.decode("latin-1")
    found: dict[int, str | int] = {}
    value = (lambda raw: bytes.fromhex(raw).decode("utf-16-be")) if kind == "bf" else int
    for block in re.findall(rf"begin{kind}char(.*?)end{kind}char", text, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<?([0-9A-Fa-f]+|\d+)>?", block):
            found[int(code, 16)] = value(target)
    for block in re.findall(rf"begin{kind}range(.*?)end{kind}range", text, re.S):
        for low, high, start in re.findall(r"<(\w+)>\s*<(\w+)>\s*<?(\w+)>?", block):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                if kind == "bf":
                    first = bytes.fromhex(start).decode("utf-16-be")
                    found[int(low, 16) + offset] = first[:-1] + chr(ord(first[-1]) + offset)
                else:
                    found[int(low, 16) + offset] = int(start) + offset
    return found


def glyph_drawn(font: dict, code: int) -> bool:
    """Whether the embedded font program draws a visible, non-.notdef glyph for ``code``."""
    encoding = font["/Encoding"]
    cid = code if isinstance(encoding, str) else cmap_pairs(encoding.get_data(), "cid").get(code)
    descendant = font["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"]
    if "/FontFile2" in descriptor:
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_data()))
        to_gid = descendant.get("/CIDToGIDMap")
        gid = cid if to_gid is None or to_gid == "/Identity" else int.from_bytes(
            to_gid.get_object().get_data()[2 * cid : 2 * cid + 2], "big")  # fmt: skip
        names = program.getGlyphOrder()
        if not gid or gid >= len(names):
            return False
        glyphs, name = program.getGlyphSet(), names[gid]
    else:
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(descriptor["/FontFile3"].get_data()), None)
        top = fonts[fonts.fontNames[0]]
        glyphs = top.CharStrings
        name = f"cid{cid:05d}" if hasattr(top, "ROS") else top.charset[cid]
        if not cid or name not in glyphs:
            return False
    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    return pen.bounds is not None


def undrawn(data: bytes, text: str) -> set[str]:
    """The characters of ``text`` that no font embedded in the PDF draws."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    drawn: set[str] = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        for code, chars in cmap_pairs(font["/ToUnicode"].get_data(), "bf").items():
            if isinstance(chars, str) and glyph_drawn(font, code):
                drawn.update(chars)
    return {char for char in text if not char.isspace() and char not in drawn}


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_prints_with_real_glyphs(certificates, name):
    data = certificates[name][1]
    assert name in page_text(data), "the name reads back from the PDF"
    assert "\u25a1" not in page_text(data), "no character replaced by a box"
    assert undrawn(data, name) == set(), "every character of the name has a drawn glyph"


def test_the_glyph_check_fails_for_a_font_without_the_characters():
    """The check above can fail: DejaVu alone (the old certificate) has no Chinese."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_page()
    pdf.set_font("DejaVu", "", 20)
    pdf.cell(0, 10, "李 Zoë")
    assert undrawn(bytes(pdf.output()), "李 Zoë") == {"李"}


# What the certificate says ----------------------------------------------------------------


def test_it_says_how_to_check_it_in_plain_words(certificates, anyshire):
    given, data = certificates["李"]
    text = flat(page_text(data))
    link = f"{VERIFY}?credential={given.credential_id}"
    assert link in text.replace(" ", ""), "the link to the verification page is printed"
    assert "Scan the code or open this address" in text
    assert "drop in the credential file the learner gives you (coop-option.jwt)" in text
    assert f"publishes at {PROFILE}" in text, "the address of the public key"
    assert "has not been revoked" in text and "nothing needs installing" in text
    assert f"Credential id: {given.credential_id}" in text
    assert "Awarded by Anyshire Council" in text
    for wrong in ("`", "ccin-learn", "did:key", "Run ", "command", "Innovation Network"):
        assert wrong not in text, f"no {wrong!r} on the certificate"
    assert not re.search(r"\bthe the\b", text, re.I), "no doubled article"
    assert anyshire.verification not in text, "course.yaml's verification text is not printed"


def qr_matrix_on_page(data: bytes, modules: int) -> list[list[bool]]:
    """The QR code as drawn on the page: PDFium renders it and each module's centre is read."""
    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=6, grayscale=True).to_pil()
    finally:
        document.close()
    pixels, scale = image.load(), 6 * 72 / 25.4  # pixels per millimetre
    x0, y0, size = MARGIN, 297 - 15 - FOOTER_HEIGHT, QR_SIZE  # A4, 15 mm bottom margin
    step = size / modules
    return [
        [pixels[int((x0 + (c + 0.5) * step) * scale), int((y0 + (r + 0.5) * step) * scale)] < 128
         for c in range(modules)]
        for r in range(modules)
    ]  # fmt: skip


def test_the_qr_code_on_the_page_opens_the_verification_page_with_the_credential(certificates):
    given, data = certificates["李"]
    expected = segno.make(f"{VERIFY}?credential={given.credential_id}", error="m", micro=False)
    rows = [[bool(v) for v in row] for row in expected.matrix_iter(scale=1, border=QR_BORDER)]
    assert qr_matrix_on_page(data, len(rows)) == rows


def test_a_published_credential_is_linked_itself(anyshire):
    given = award("Zoë")
    published = "https://learn.anyshire.gov.uk/ccin/issuer/credentials/abc.jwt"
    data = certificate_pdf(given, anyshire, CertificateLinks(VERIFY, published))
    text = flat(page_text(data))
    assert published in text.replace(" ", "")
    assert "To check that credential, open" in text and "and drop it in" in text
    assert f"open{VERIFY}" in text.replace(" ", ""), "and the verification page is named"
    expected = segno.make(published, error="m", micro=False)
    rows = [[bool(v) for v in row] for row in expected.matrix_iter(scale=1, border=QR_BORDER)]
    assert qr_matrix_on_page(data, len(rows)) == rows


def test_the_kit_example_awarding_body_gets_no_certificate(course):
    with pytest.raises(KitError, match="example awarding body"):
        certificate_pdf(award("Zoë"), course, CertificateLinks(VERIFY))


@pytest.mark.parametrize("url", ["ftp://x.example/verify", "verify.html", "https://a b/"])
def test_a_link_that_is_not_a_web_address_is_refused(url):
    with pytest.raises(KitError, match="not a web address"):
        CertificateLinks(url)
