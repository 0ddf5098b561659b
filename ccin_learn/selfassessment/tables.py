"""The self-assessment's database tables, in one place so every feature shares one schema.

The store (``store.py``) saves versions and drafts; the network's features
(respondents and agreement, the benchmark, the action plan, evidence files) each
keep their rows here too, so ``create_tables`` makes them all at once and no
feature module has to import another's. Every table hangs off ``councils``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from ccin_learn.selfassessment.assessment import council_key


class Base(DeclarativeBase):
    pass


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored with its time zone and always read back in UTC, on any database.

    SQLite gives back the naive UTC time it was given; PostgreSQL gives an aware time
    in the connection's zone (the server's, say Europe/London). Both become aware UTC,
    as ``save`` returns it, so a time reads the same whichever database kept it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Council.name and its case-folded key are at most NAME_LIMIT (150) characters.
NAME_COLUMN = 160
# A person's name: a JupyterHub user name (at most 255 characters) or a login name.
PERSON_COLUMN = 255
# A checklist action's id ("cwb-anchor-procurement") or a book page ("finance/index").
ID_COLUMN = 120
# A file's name as the officer's computer gave it, after the kit has cleaned it.
FILE_NAME_COLUMN = 255


class CouncilRow(Base):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(NAME_COLUMN), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_COLUMN))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VersionRow(Base):
    __tablename__ = "assessment_versions"
    __table_args__ = (UniqueConstraint("council_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    version: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document: Mapped[str] = mapped_column(Text)
    # Who saved it (NULL for versions saved before the kit recorded it).
    saved_by: Mapped[str | None] = mapped_column(String(PERSON_COLUMN), nullable=True)


LEGACY_DRAFTS = "drafts"  # before drafts had an owner: one per council


class DraftRow(Base):
    __tablename__ = "person_drafts"

    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    person: Mapped[str] = mapped_column(String(PERSON_COLUMN), primary_key=True)
    based_on: Mapped[int] = mapped_column(Integer)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document: Mapped[str] = mapped_column(Text)


# ---- several respondents, one agreed answer ---------------------------------------------

OPEN_ROUND = 0  # a response not yet used in an agreement


class ResponseRow(Base):
    """One officer's own rating of a council, shared with its lead.

    ``agreed_in`` is OPEN_ROUND until the lead agrees a version using it; then it is
    that version's number, so a version's report can say who rated and where they
    differed, and the officer's next rating starts a new round.
    """

    __tablename__ = "assessment_responses"
    __table_args__ = (UniqueConstraint("council_id", "person", "agreed_in"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    person: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    agreed_in: Mapped[int] = mapped_column(Integer, default=OPEN_ROUND)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    document: Mapped[str] = mapped_column(Text)  # an assessment file, as versions keep it


class AgreementRow(Base):
    """The lead's recorded step of agreeing a version as the council's answer."""

    __tablename__ = "assessment_agreements"

    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreed_by: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- the benchmark among councils ------------------------------------------------------


class BenchmarkMemberRow(Base):
    """A council that has opted in to the benchmark (deleting the row opts it out)."""

    __tablename__ = "benchmark_members"

    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    opted_in_by: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    opted_in_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- the action plan -------------------------------------------------------------------


class PlanStepRow(Base):
    """One step of a council's action plan: the plan lives on from version to version."""

    __tablename__ = "plan_steps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # a random hex id
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    action_id: Mapped[str] = mapped_column(String(ID_COLUMN))
    course_page: Mapped[str | None] = mapped_column(String(ID_COLUMN), nullable=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # refuses stale edits


class PlanSnapshotRow(Base):
    """The plan as it stood when a version was saved, for that version's reports."""

    __tablename__ = "plan_snapshots"

    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(Text)  # JSON list of the steps


# ---- evidence attached to answers ------------------------------------------------------


class EvidenceRow(Base):
    """A file or link an officer attached to their answer to one action.

    A file's bytes live in ``content`` with their SHA-256, checked again on every read.
    """

    __tablename__ = "evidence_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # a random hex id
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    action_id: Mapped[str] = mapped_column(String(ID_COLUMN))
    person: Mapped[str] = mapped_column(String(PERSON_COLUMN))
    kind: Mapped[str] = mapped_column(String(10))  # "file" or "link"
    name: Mapped[str] = mapped_column(String(FILE_NAME_COLUMN))
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(120), nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---- the queries every feature shares -------------------------------------------------


def now() -> datetime:
    return datetime.now(UTC)


def find_council(session: Session, name: str) -> CouncilRow | None:
    return session.scalars(select(CouncilRow).where(CouncilRow.key == council_key(name))).first()


def latest_number(session: Session, council_id: int) -> int:
    found = session.scalar(
        select(func.max(VersionRow.version)).where(VersionRow.council_id == council_id)
    )
    return found or 0
