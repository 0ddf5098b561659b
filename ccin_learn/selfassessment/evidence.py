"""Evidence attached to an officer's answer: files (PDF, Word, Excel, ODT, PNG, JPEG) and links.

Files are kept in the same database as the assessments, with their SHA-256,
which is checked again whenever a file is read, so a file comes back exactly as
it was attached or not at all. Their type is read from their content (the
``filetype`` library's signatures, and for the zipped office formats the part
that makes them one), never from their name: ``report.pdf`` that is really a
ZIP or a program is refused. A file is 1 byte to 10 MB, and a council keeps at
most 100 MB. Every refusal is one line naming the file and why, and stores
nothing.

Any member of a council (viewer and up) sees and downloads its evidence; an
editor attaches; the officer who attached an item, or the council's lead,
removes it. To anyone else, a file that exists and one that does not get the
same answer, so an address tells a stranger nothing.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import filetype
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import AccessError, Role
from ccin_learn.selfassessment.store import Store
from ccin_learn.selfassessment.tables import (
    FILE_NAME_COLUMN,
    CouncilRow,
    EvidenceRow,
    find_council,
    now,
)

MB = 1024 * 1024
FILE_LIMIT = 10 * MB
COUNCIL_LIMIT = 100 * MB
URL_LIMIT = 2000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
# The types a council may attach, and how people call them.
TYPES = {
    "application/pdf": "PDF",
    DOCX: "Word document",
    XLSX: "Excel workbook",
    ODT: "OpenDocument text",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}
# The part inside the zip that makes it the document its signature says it is.
ZIP_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", ODT: "content.xml"}
ACCEPT = ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"  # what the upload box offers first
ALLOWED_WORDS = "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG"
NOT_FOUND = "no such evidence file, or not one you can open"
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})


class EvidenceError(KitError):
    """An attachment refused, or a file that cannot be given back, with the reason."""


class EvidenceNotFound(EvidenceError):
    """No such item, or not one this officer may open (the same words for both)."""


@dataclass(frozen=True)
class EvidenceItem:
    """A file or link as lists and reports show it (no bytes: it travels to reports)."""

    id: str
    council: str
    action_id: str
    person: str
    kind: str  # "file" or "link"
    name: str
    url: str | None
    media_type: str | None
    size: int
    sha256: str | None
    added_at: datetime

    @property
    def type_words(self) -> str:
        return TYPES.get(self.media_type or "", "link")

    @property
    def size_words(self) -> str:
        return size_words(self.size)

    @property
    def summary(self) -> str:
        """ "minutes.pdf (PDF, 120 KB), added by ann on 4 December 2026"."""
        what = f"{self.type_words}, {self.size_words}" if self.kind == "file" else self.url
        return f"{self.name} ({what}), added by {self.person} on {self.added_at:%-d %B %Y}"


def size_words(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def clean_name(name: str) -> str:
    """The file's own name, without folders or characters that do not show."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c) not in HIDDEN_CATEGORIES)
    shown = " ".join(shown.split()).strip(". ")
    if len(shown) > FILE_NAME_COLUMN:
        stem, dot, suffix = shown.rpartition(".")
        keep = FILE_NAME_COLUMN - len(suffix) - 1
        shown = f"{stem[:keep]}.{suffix}" if dot and len(suffix) <= 10 else shown[:FILE_NAME_COLUMN]
    return shown or "evidence"


def detect_type(data: bytes, name: str) -> str:
    """The file's type from its bytes, or a one-line refusal naming the file."""
    if not data:
        raise EvidenceError(f"not attached: {name} is empty (0 bytes)")
    if len(data) > FILE_LIMIT:
        raise EvidenceError(
            f"not attached: {name} is {size_words(len(data))}; a file can be at most 10 MB"
        )
    guessed = filetype.guess(data)
    mime = guessed.mime if guessed else None
    if mime not in TYPES:
        if guessed is None:
            raise EvidenceError(f"not attached: {name} is not a file type the kit knows, not "
                                f"{ALLOWED_WORDS}")  # fmt: skip
        raise EvidenceError(
            f"not attached: {name} holds {guessed.extension.upper()} content, not {ALLOWED_WORDS}"
        )
    if mime in ZIP_PARTS and not has_part(data, ZIP_PARTS[mime]):
        raise EvidenceError(f"not attached: {name} is damaged: it is not a complete "
                            f"{TYPES[mime]}")  # fmt: skip
    return mime


def has_part(data: bytes, part: str) -> bool:
    """True when the zip holds ``part`` (read from its directory; nothing is extracted)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def to_item(row: EvidenceRow, council: str) -> EvidenceItem:
    return EvidenceItem(
        row.id, council, row.action_id, row.person, row.kind, row.name, row.url,
        row.media_type, row.size, row.sha256, row.added_at,
    )  # fmt: skip


def require_action(store: Store, action_id: str) -> None:
    if action_id not in {a.id for a in store.checklist.actions}:
        raise EvidenceError(f"not attached: no checklist action {action_id!r}")


def attach_file(store: Store, council: str, action_id: str, name: str, data: bytes) -> EvidenceItem:
    """Attach a file to the officer's answer, within the council's 100 MB."""
    store.officer.require(council, Role.EDITOR)
    require_action(store, action_id)
    shown = clean_name(name)
    mime = detect_type(data, shown)
    with store.transaction() as session:
        row = locked_council(session, council)
        total = select(func.sum(EvidenceRow.size)).where(EvidenceRow.council_id == row.id)
        used = int(session.scalar(total) or 0)
        if used + len(data) > COUNCIL_LIMIT:
            raise EvidenceError(
                f"not attached: {shown} ({size_words(len(data))}) would take {row.name}'s "
                f"files over 100 MB ({size_words(used)} used): remove some first"
            )
        item = EvidenceRow(
            id=secrets.token_hex(16), council_id=row.id, action_id=action_id,
            person=store.person, kind="file", name=shown, media_type=mime, size=len(data),
            sha256=hashlib.sha256(data).hexdigest(), content=data, added_at=now(),
        )  # fmt: skip
        session.add(item)
        session.flush()
        return to_item(item, row.name)


def locked_council(session: Session, council: str) -> CouncilRow:
    """The council's row, locked so two uploads cannot both slip under the quota."""
    found = find_council(session, council)
    if found is None:
        raise EvidenceError(f"save {council}'s assessment once before attaching evidence")
    locked = select(CouncilRow).where(CouncilRow.id == found.id).with_for_update()
    return session.scalars(locked).one()


def attach_link(
    store: Store, council: str, action_id: str, url: str, title: str = ""
) -> EvidenceItem:
    """Attach a web address (http or https only) with an optional title."""
    store.officer.require(council, Role.EDITOR)
    require_action(store, action_id)
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > URL_LIMIT:
        raise EvidenceError(
            "not added: a link must be a web address starting https:// (or http://)"
        )
    shown = clean_name(title) if title.strip() else parts.netloc
    with store.transaction() as session:
        row = locked_council(session, council)
        item = EvidenceRow(
            id=secrets.token_hex(16), council_id=row.id, action_id=action_id,
            person=store.person, kind="link", name=shown, url=url, size=0, added_at=now(),
        )  # fmt: skip
        session.add(item)
        session.flush()
        return to_item(item, row.name)


def items(store: Store, council: str, action_id: str | None = None) -> list[EvidenceItem]:
    """The council's evidence (one action's, if given), oldest first."""
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return []
        query = select(EvidenceRow).where(EvidenceRow.council_id == row.id)
        if action_id is not None:
            query = query.where(EvidenceRow.action_id == action_id)
        found = session.scalars(query.order_by(EvidenceRow.added_at, EvidenceRow.id))
        return [to_item(r, row.name) for r in found]


def read_file(store: Store, item_id: str) -> tuple[EvidenceItem, bytes]:
    """A file's details and bytes, checked against its SHA-256, for a member only."""
    with store.sessions() as session:
        row = session.get(EvidenceRow, item_id) if len(item_id) <= 32 else None
        council = None if row is None else session.get(CouncilRow, row.council_id)
        if row is None or council is None or row.kind != "file" or row.content is None:
            raise EvidenceNotFound(NOT_FOUND)
        try:
            store.officer.require(council.name, Role.VIEWER)
        except AccessError:
            raise EvidenceNotFound(NOT_FOUND) from None
        data = bytes(row.content)
        item = to_item(row, council.name)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise EvidenceError(
            f"{item.name} does not match the checksum it was stored with: tell whoever runs "
            "the kit (the database may be damaged); it is not given out"
        )
    return item, data


def remove(store: Store, council: str, item_id: str) -> EvidenceItem:
    """Take an item off; the officer who attached it, or the council's lead, may."""
    store.officer.require(council, Role.EDITOR)
    with store.transaction() as session:
        row = session.get(EvidenceRow, item_id)
        council_row = find_council(session, council)
        if row is None or council_row is None or row.council_id != council_row.id:
            raise EvidenceNotFound(NOT_FOUND)
        if row.person != store.person and not store.officer.may(council, Role.LEAD):
            raise AccessError(
                f"only {row.person}, who attached {row.name}, or the council's lead can remove it"
            )
        item = to_item(row, council_row.name)
        session.delete(row)
        return item
