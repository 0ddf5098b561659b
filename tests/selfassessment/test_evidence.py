"""Evidence files and links: the type read from the content, the limits, checksums, and
members only, on both databases."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import docx
import pytest

from ccin_learn.selfassessment import evidence
from ccin_learn.selfassessment.access import AccessError, Officer, Role, group_name
from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.evidence import (
    EvidenceError,
    EvidenceNotFound,
    attach_file,
    attach_link,
    clean_name,
    detect_type,
    items,
    read_file,
    remove,
)
from ccin_learn.selfassessment.store import Store
from ccin_learn.selfassessment.tables import EvidenceRow

COUNCIL = "Testborough Council"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)


def zipped(*parts: tuple[str, str], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, text) in enumerate(parts):
            kind = zipfile.ZIP_STORED if stored_first and number == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, text, compress_type=kind)
    return buffer.getvalue()


def word_file() -> bytes:
    document = docx.Document()
    document.add_paragraph("Cabinet minute 42")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


XLSX = zipped(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"))
ODT = zipped(
    ("mimetype", evidence.ODT), ("content.xml", "<office:document-content/>"), stored_first=True
)


@pytest.fixture
def council(store: Store, make_assessment: Callable[..., Assessment]) -> str:
    store.save(make_assessment({"c1": 1}, name=COUNCIL), 0)
    return COUNCIL


def member(store: Store, name: str, role: Role | None) -> Store:
    groups = [] if role is None else [group_name(COUNCIL, role)]
    return Store(store.url, store.checklist, officer=Officer.from_groups(name, groups))


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("minutes.pdf", PDF, "PDF"),
        ("policy.docx", word_file(), "Word document"),
        ("spend.xlsx", XLSX, "Excel workbook"),
        ("plan.odt", ODT, "OpenDocument text"),
        ("photo.png", PNG, "PNG image"),
        ("photo.jpg", JPEG, "JPEG image"),
    ],
)
def test_each_allowed_type_is_read_from_the_content(name: str, data: bytes, words: str) -> None:
    assert evidence.TYPES[detect_type(data, name)] == words


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.pdf", zipped(("a.txt", "x")), "report.pdf holds ZIP content, not PDF, Word"),
        ("report.pdf", b"MZ\x90\x00" + bytes(100), "report.pdf holds EXE content"),
        ("notes.pdf", b"just some text", "notes.pdf is not a file type the kit knows"),
        ("empty.pdf", b"", "empty.pdf is empty (0 bytes)"),
        ("big.pdf", PDF + bytes(10 * 1024 * 1024), "big.pdf is 10.0 MB; a file can be at most"),
        (
            "fake.docx",
            zipped(("[Content_Types].xml", "<T/>"), ("word/x.xml", "<x/>")),
            "fake.docx is damaged",
        ),
    ],
)
def test_a_wrong_empty_or_too_big_file_is_refused_in_one_line_and_nothing_is_kept(
    store: Store, council: str, name: str, data: bytes, words: str
) -> None:
    with pytest.raises(EvidenceError, match=re.escape(words)) as refused:
        attach_file(store, council, "c1", name, data)
    assert str(refused.value).startswith("not attached: ") and "\n" not in str(refused.value)
    assert items(store, council) == []


def test_a_council_keeps_at_most_its_quota(
    store: Store, council: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "COUNCIL_LIMIT", 2 * len(PDF))
    attach_file(store, council, "c1", "one.pdf", PDF)
    attach_file(store, council, "c2", "two.pdf", PDF)
    with pytest.raises(EvidenceError, match="would take Testborough Council's files over 100 MB"):
        attach_file(store, council, "c1", "three.pdf", PDF)
    assert [i.name for i in items(store, council)] == ["one.pdf", "two.pdf"]


def test_a_file_comes_back_exactly_with_its_checksum_to_members_only(
    store: Store, council: str
) -> None:
    editor = member(store, "ann", Role.EDITOR)
    added = attach_file(editor, council, "c1", "C:\\Users\\ann\\minutes\u202e.pdf", PDF)
    assert (added.name, added.person, added.kind, added.size) == ("minutes.pdf", "ann", "file",
                                                                   len(PDF))  # fmt: skip
    item, data = read_file(member(store, "vic", Role.VIEWER), added.id)
    assert data == PDF and item.sha256 == added.sha256 and item.type_words == "PDF"
    for outsider in (member(store, "sid", None),):
        with pytest.raises(EvidenceNotFound) as refused:
            read_file(outsider, added.id)
        with pytest.raises(EvidenceNotFound) as missing:
            read_file(outsider, "0" * 32)
        assert str(refused.value) == str(missing.value), "the same words: nothing learnt"
    with pytest.raises(AccessError, match="you are a viewer"):
        attach_file(member(store, "vic", Role.VIEWER), council, "c1", "x.pdf", PDF)


def test_a_damaged_file_is_not_given_out(store: Store, council: str) -> None:
    added = attach_file(store, council, "c1", "minutes.pdf", PDF)
    with store.transaction() as session:
        session.get(EvidenceRow, added.id).content = PDF.replace(b"Catalog", b"Katalog")
    with pytest.raises(EvidenceError, match="does not match the checksum"):
        read_file(store, added.id)


def test_links_must_be_web_addresses(store: Store, council: str) -> None:
    link = attach_link(store, council, "c2", "https://example.org/minutes", "Cabinet minutes")
    assert (link.kind, link.name, link.url) == ("link", "Cabinet minutes",
                                                 "https://example.org/minutes")  # fmt: skip
    assert attach_link(store, council, "c2", " http://example.org/a ").name == "example.org"
    for bad in ("javascript:alert(1)", "data:text/html,hi", "example.org", "ftp://x.org/a"):
        with pytest.raises(EvidenceError, match="a link must be a web address starting https"):
            attach_link(store, council, "c2", bad)
    assert [i.action_id for i in items(store, council, "c2")] == ["c2", "c2"]


def test_only_who_attached_it_or_the_lead_removes_an_item(store: Store, council: str) -> None:
    ann, ben = member(store, "ann", Role.EDITOR), member(store, "ben", Role.EDITOR)
    added = attach_file(ann, council, "c1", "minutes.pdf", PDF)
    with pytest.raises(AccessError, match="only ann, who attached minutes"):
        remove(ben, council, added.id)
    remove(member(store, "lee", Role.LEAD), council, added.id)
    assert items(store, council) == []


def test_names_keep_what_shows_and_lose_folders_and_hidden_characters() -> None:
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("a\u200bb\x00c.pdf") == "abc.pdf"
    assert clean_name("   ") == "evidence"
    long = clean_name("x" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")
