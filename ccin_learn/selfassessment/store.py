"""Saved assessments: every save is a new version, and stale saves are refused.

SQLAlchemy 2 over a SQLite file by default (in the user's data folder), or any
database URL, e.g. PostgreSQL for a shared deployment. A save names the
version it was based on; if someone saved a newer one meanwhile, the save is
refused with a message, never applied over their work. Each save is one
transaction, and a unique (council, version) key settles races.

Unsaved edits are kept as a draft per council *and person*, so that closing the
browser tab loses nothing and one officer's unsaved edits never reach another
officer's screen or version; saving a version clears only the saver's draft,
and only when the draft holds what was saved (not edits from their other tab).
Databases made before drafts had an owner are moved over on opening: their
drafts go to the person opening the database (on a laptop, its only user).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import (
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from ccin_learn.errors import KitError, one_line, shown_url
from ccin_learn.selfassessment.access import Officer, Role
from ccin_learn.selfassessment.assessment import (
    NAME_LIMIT,
    Assessment,
    council_key,
    parse_assessment,
    to_json,
    unstamped,
)
from ccin_learn.selfassessment.checklist import Checklist, default_checklist
from ccin_learn.selfassessment.plan_rows import snapshot_plan
from ccin_learn.selfassessment.tables import (
    LEGACY_DRAFTS,
    PERSON_COLUMN,
    Base,
    CouncilRow,
    DraftRow,
    VersionRow,
    find_council,
    latest_number,
    now,
)
from ccin_learn.settings import DB_URL_VAR, current_person


class StoreError(KitError):
    """The store cannot do what was asked; the message says why."""


class ConflictError(StoreError):
    """A save was based on a version that is no longer the latest."""


@dataclass(frozen=True)
class Version:
    """One saved version of a council's assessment."""

    council: str
    version: int
    saved_at: datetime
    assessment: Assessment
    saved_by: str | None = None  # None: saved before the kit recorded who saved

    @property
    def by_whom(self) -> str:
        """ " by alice" for a list of versions, or "" when nobody recorded who saved it."""
        return f" by {self.saved_by}" if self.saved_by else ""


@dataclass(frozen=True)
class Draft:
    """Unsaved edits, and the version they started from (0: none yet)."""

    based_on: int
    saved_at: datetime
    assessment: Assessment


def default_db_url() -> str:
    """``$CCIN_DB_URL``, else a SQLite file in the user's data folder."""
    if os.environ.get(DB_URL_VAR):
        return os.environ[DB_URL_VAR]
    folder = Path(user_data_dir("ccin-learn", appauthor=False))
    return f"sqlite:///{folder / 'assessments.sqlite'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder, a busy timeout and WAL."""
    try:
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True)
    except (ArgumentError, ImportError, ValueError) as err:
        raise StoreError(f"cannot use database URL {shown_url(url)!r}: {err}") from err
    except OSError as err:
        raise StoreError(
            f"cannot create the database folder for {shown_url(url)}: {err.strerror}"
        ) from err
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(connection: Any, _record: object) -> None:
    """Wait for a busy database (set first, so switching to WAL waits too), then WAL."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Store:
    """All saved assessments in one database, as seen by one person (whose drafts it keeps)."""

    def __init__(
        self,
        url: str | None = None,
        checklist: Checklist | None = None,
        person: str | None = None,
        officer: Officer | None = None,
    ) -> None:
        self.url = url or default_db_url()
        self.checklist = checklist or default_checklist()
        named = person or (officer.name if officer is not None else None)
        self.person = (named or current_person())[:PERSON_COLUMN]
        # Whose rights every read and write is checked against (access.py); without a
        # hub, the person owns every council in the file.
        self.officer = officer or Officer.owner(self.person)
        self.engine = make_engine(self.url)
        try:
            create_tables(self.engine)
            add_saved_by(self.engine)
            adopt_legacy_drafts(self.engine, self.person)
        except (OperationalError, ProgrammingError, IntegrityError) as err:
            raise StoreError(
                f"cannot open the database {shown_url(self.url)}: {one_line(err.orig)}"
            ) from err
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def as_person(self, person: str) -> Store:
        """The same database seen by another person (tests, and a hub's admin tools)."""
        return Store(self.url, self.checklist, person)

    def seen_by(self, officer: Officer) -> Store:
        """The same database and engine, seen by ``officer``: a server answering many
        people opens the database once, and each request keeps its own rights."""
        view = copy.copy(self)
        view.officer, view.person = officer, officer.name[:PERSON_COLUMN]
        return view

    def sign_in(self, officer: Officer) -> None:
        """From now on, work as ``officer``: their drafts, their name on versions, their
        rights (a preheated app kernel learns who opened it only then)."""
        self.officer = officer
        self.person = officer.name[:PERSON_COLUMN]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One atomic unit of work: all of it is written, or none."""
        with self.sessions.begin() as session:
            yield session

    def councils(self) -> list[str]:
        """Names of the councils with a saved version or a draft, alphabetically."""
        with self.sessions() as session:
            names = session.scalars(select(CouncilRow.name).order_by(CouncilRow.key))
            return [name for name in names if self.officer.may(name, Role.VIEWER)]

    def latest_version_number(self, council: str) -> int:
        """0 when the council has no saved version."""
        self.officer.require(council, Role.VIEWER)
        with self.sessions() as session:
            row = find_council(session, council)
            return 0 if row is None else latest_number(session, row.id)

    def save(self, assessment: Assessment, based_on: int, also: SaveStep | None = None) -> Version:
        """Save a new version, refusing it if ``based_on`` is not the latest version.

        ``also`` runs in the same transaction once the version's row is written (the
        lead's agreement is recorded with the version it agrees, or neither is), after
        the steps every save takes (``SAVE_STEPS``: the plan's snapshot).
        """
        name = assessment.council.name
        self.officer.require(name, Role.EDITOR)
        try:
            with self.transaction() as session:
                council = find_council(session, name) or self.new_council(session, name)
                latest = latest_number(session, council.id)
                if based_on != latest:
                    raise ConflictError(conflict_message(name, based_on, latest))
                document = to_json(unstamped(assessment))
                row = VersionRow(
                    council_id=council.id,
                    version=latest + 1,
                    saved_at=now(),
                    document=document,
                    saved_by=self.person,
                )
                session.add(row)
                session.flush()
                for step in (*SAVE_STEPS, *([also] if also else [])):
                    step(session, council, row)
                # The saver's draft goes only if it is what was saved: the same person's
                # other tab may have kept different edits there since, and those stay.
                draft = session.get(DraftRow, (council.id, self.person))
                if draft is not None and draft.document == document:
                    session.delete(draft)
        except IntegrityError as err:
            raise ConflictError(conflict_message(name, based_on, based_on + 1)) from err
        return Version(name, row.version, row.saved_at, unstamped(assessment), self.person)

    def import_file(self, assessment: Assessment, force: bool = False) -> Version:
        """Save a file's assessment as the newest version, under the stale-save rule.

        The file says which version it was exported from or edited on
        (``based_on_version``); a file based on an older version than the latest is
        refused, so an import never silently replaces someone's newer work. A file
        that does not say is refused too once the council has versions. ``force``
        saves it on top of the latest version anyway.
        """
        name = assessment.council.name
        latest = self.latest_version_number(name)
        based_on = assessment.based_on_version or 0
        if force:
            based_on = latest
        elif based_on > latest:
            raise ConflictError(
                f"not imported: the file says it is based on version {based_on} of {name}'s "
                f"assessment, but the latest saved version is {latest}"
            )
        elif based_on != latest:
            raise ConflictError(stale_import_message(name, assessment.based_on_version, latest))
        try:
            return self.save(assessment, based_on)
        except ConflictError as err:  # someone saved between the check and the save
            raise ConflictError(
                stale_import_message(name, based_on, self.latest_version_number(name))
            ) from err

    def load(self, council: str, version: int | None = None) -> Version:
        """A saved version (default: the latest)."""
        self.officer.require(council, Role.VIEWER)
        with self.sessions() as session:
            row = find_council(session, council)
            if row is None:
                raise StoreError(f"no saved assessment for {council!r}")
            query = select(VersionRow).where(VersionRow.council_id == row.id)
            if version is None:
                query = query.order_by(VersionRow.version.desc()).limit(1)
            else:
                query = query.where(VersionRow.version == version)
            found = session.scalars(query).first()
            if found is None:
                what = f"version {version}" if version else "a saved version"
                raise StoreError(f"{row.name!r} has no {what}")
            return self.to_version(row.name, found)

    def history(self, council: str) -> list[Version]:
        """Every saved version, oldest first."""
        self.officer.require(council, Role.VIEWER)
        with self.sessions() as session:
            row = find_council(session, council)
            if row is None:
                raise StoreError(f"no saved assessment for {council!r}")
            rows = session.scalars(
                select(VersionRow)
                .where(VersionRow.council_id == row.id)
                .order_by(VersionRow.version)
            )
            return [self.to_version(row.name, found) for found in rows]

    def to_version(self, name: str, row: VersionRow) -> Version:
        label = f"{name} version {row.version}"
        assessment = parse_assessment(row.document.encode(), label, self.checklist)
        return Version(name, row.version, row.saved_at, assessment, row.saved_by)

    def save_draft(self, assessment: Assessment, based_on: int) -> datetime:
        """Keep this person's unsaved edits, replacing their last draft; return when."""
        name = assessment.council.name
        self.officer.require(name, Role.EDITOR)
        with self.transaction() as session:
            council = find_council(session, name) or self.new_council(session, name)
            draft = session.get(DraftRow, (council.id, self.person))
            if draft is None:
                draft = DraftRow(council_id=council.id, person=self.person)
                session.add(draft)
            draft.based_on, draft.saved_at = based_on, now()
            draft.document = to_json(unstamped(assessment))
            return draft.saved_at

    def draft(self, council: str) -> Draft | None:
        """This person's draft of ``council``, if they have one."""
        self.officer.require(council, Role.VIEWER)
        with self.sessions() as session:
            row = find_council(session, council)
            if row is None:
                return None
            found = session.get(DraftRow, (row.id, self.person))
            if found is None:
                return None
            return Draft(
                found.based_on,
                found.saved_at,
                parse_assessment(found.document.encode(), f"draft of {row.name}", self.checklist),
            )

    def discard_draft(self, council: str) -> None:
        self.officer.require(council, Role.VIEWER)
        with self.transaction() as session:
            row = find_council(session, council)
            if row is not None:
                session.query(DraftRow).filter_by(council_id=row.id, person=self.person).delete()

    def new_council(self, session: Session, name: str) -> CouncilRow:
        """Add a council to the database, if the officer may start one."""
        self.officer.require_new_council(name)
        return add_council(session, name)


# What runs inside every version's save transaction, after the version's row is written:
# each gets the session, the council's row and the new version's row.
SaveStep = Callable[[Session, CouncilRow, VersionRow], None]
SAVE_STEPS: tuple[SaveStep, ...] = (snapshot_plan,)

TABLE_RACE_TRIES = 5


def create_tables(engine: Engine) -> None:
    """Make any missing table, even while other processes do the same.

    Voila starts several kernels at once, and each opens the store: two of them can
    both see a table missing and both create it, and the second fails ("table
    councils already exists" on SQLite, a duplicate ``pg_type`` row on PostgreSQL).
    So each table is made on its own, and a failure is only a fault if the table is
    still missing afterwards; a passing lock is tried again. (Retrying the whole set
    instead ran out of tries once there were more tables than tries.)
    """
    for table in Base.metadata.sorted_tables:
        for attempt in range(TABLE_RACE_TRIES):
            try:
                table.create(engine, checkfirst=True)
                break
            except (OperationalError, ProgrammingError, IntegrityError):
                if inspect(engine).has_table(table.name):
                    break  # another process made it first
                if attempt == TABLE_RACE_TRIES - 1:
                    raise


def add_saved_by(engine: Engine) -> None:
    """Give a database from before versions recorded their saver the column for it.

    Its older versions keep NULL there ("not recorded"): nobody can say now who saved
    them. Another process adding the column at the same moment is not a fault.
    """
    columns = {c["name"] for c in inspect(engine).get_columns(VersionRow.__tablename__)}
    if "saved_by" in columns:
        return
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    f"ALTER TABLE {VersionRow.__tablename__} "
                    f"ADD COLUMN saved_by VARCHAR({PERSON_COLUMN})"
                )
            )
    except (OperationalError, ProgrammingError):
        columns = {c["name"] for c in inspect(engine).get_columns(VersionRow.__tablename__)}
        if "saved_by" not in columns:
            raise


def adopt_legacy_drafts(engine: Engine, person: str) -> None:
    """Move drafts from before drafts had an owner to ``person``, in one transaction."""
    if LEGACY_DRAFTS not in inspect(engine).get_table_names():
        return
    try:
        move_legacy_drafts(engine, person)
    except (OperationalError, ProgrammingError):
        if LEGACY_DRAFTS in inspect(engine).get_table_names():
            raise  # not another process having moved them first: a real fault


def move_legacy_drafts(engine: Engine, person: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO person_drafts (council_id, person, based_on, saved_at, document) "
                f"SELECT council_id, :person, based_on, saved_at, document FROM {LEGACY_DRAFTS}"
            ),
            {"person": person},
        )
        connection.execute(text(f"DROP TABLE {LEGACY_DRAFTS}"))


# INSERT ... ON CONFLICT DO NOTHING, in the two databases the kit is tested on.
ON_CONFLICT_INSERTS: dict[str, Callable[..., PostgresqlInsert | SqliteInsert]] = {
    "postgresql": postgresql_insert,
    "sqlite": sqlite_insert,
}


def add_council(session: Session, name: str) -> CouncilRow:
    """The council's row, made now unless another session has just made it.

    Two officers can start the same new council at once (one saving a draft, the other
    a version): the second insert does nothing and finds the first one's row, instead of
    failing on the unique key, which a save would take for someone else's newer version.
    """
    key = council_key(name)
    if len(key) > NAME_LIMIT:  # Council refuses such names; never let one reach the database
        raise StoreError(f"council name is too long: at most {NAME_LIMIT} characters")
    values = {"key": key, "name": " ".join(name.split()), "created_at": now()}
    insert = ON_CONFLICT_INSERTS.get(session.get_bind().dialect.name)
    if insert is None:  # another database: there the race fails on the unique key
        session.add(CouncilRow(**values))
        session.flush()
    else:
        session.execute(insert(CouncilRow).values(values).on_conflict_do_nothing())
    found = find_council(session, name)
    if found is None:
        raise StoreError(f"could not add {name!r} to the database")
    return found


def conflict_message(name: str, based_on: int, latest: int) -> str:
    started = f"version {based_on}" if based_on else "a blank assessment"
    return (
        f"not saved: someone saved version {latest} of {name}'s assessment after you "
        f"started from {started}. Your answers are kept"
    )


def stale_import_message(name: str, based_on: int | None, latest: int) -> str:
    """Why a file was not imported, and the two ways forward."""
    started = (
        f"is based on version {based_on}"
        if based_on
        else "does not say which version it is based on"
    )
    return (
        f"not imported: the file {started}, but version {latest} of {name}'s assessment "
        f"is newer. Export version {latest}, make your changes there and import that, "
        "or import with --force to save this file on top of it"
    )
