"""Several officers rate one council; its lead agrees the council's answer.

A single response per council hides how far its officers disagree, which is the
known weakness of one-response diagnostics. Here each officer a lead invites
(an editor) rates the actions on their own: their working copy is their rating,
and sharing it stores a copy for the lead (one open rating per officer; sharing
again replaces it). The lead sees, per action, the spread of the shared ratings
with each officer's evidence, sets the council's answer in their own working
copy and **agrees** it: a new version saved with a record of who agreed it and
when, in the same transaction that marks the ratings it used. A version's
reports then say how many officers rated and where they differed by two levels
or more; the officers' next ratings start a new round.

Only members rate (editors and above); only the council's lead, or a network
administrator, sees the ratings and agrees.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import Role
from ccin_learn.selfassessment.assessment import (
    Answer,
    Assessment,
    parse_assessment,
    to_json,
    unstamped,
)
from ccin_learn.selfassessment.checklist import Action, Checklist
from ccin_learn.selfassessment.compare import describe
from ccin_learn.selfassessment.store import Store, StoreError, Version
from ccin_learn.selfassessment.tables import (
    OPEN_ROUND,
    AgreementRow,
    CouncilRow,
    ResponseRow,
    VersionRow,
    find_council,
    now,
)

# Ratings this far apart on one action are a disagreement the lead should look at.
DISAGREEMENT_LEVELS = 2


@dataclass(frozen=True)
class Rating:
    """One officer's shared rating of the council."""

    person: str
    shared_at: datetime
    assessment: Assessment


@dataclass(frozen=True)
class OfficerAnswer:
    """What one officer said about one action: level (or not applicable) and evidence."""

    person: str
    words: str  # "2 Committed", "Not applicable: ...", "Not answered"
    level: int | None
    evidence: str
    notes: str


@dataclass(frozen=True)
class ActionSpread:
    """Every officer's answer to one action, and whether they are far apart."""

    action: Action
    answers: tuple[OfficerAnswer, ...]

    @property
    def levels(self) -> list[int]:
        return [a.level for a in self.answers if a.level is not None]

    @property
    def disagree(self) -> bool:
        """True when rated levels differ by DISAGREEMENT_LEVELS or more."""
        levels = self.levels
        return bool(levels) and max(levels) - min(levels) >= DISAGREEMENT_LEVELS

    @property
    def middle(self) -> int | None:
        """The middle rating (the lower of the two middle ones when even), or None."""
        return statistics.median_low(self.levels) if self.levels else None


@dataclass(frozen=True)
class RoundSummary:
    """Who rated for one agreed version (or the open round), and where they differed.

    Plain values only: it travels to the report process with the report's request.
    """

    officers: tuple[str, ...]
    disagreements: tuple[ActionSpread, ...]
    agreed_by: str | None = None
    agreed_at: datetime | None = None
    version: int | None = None  # None: the open round, not yet agreed

    @property
    def count(self) -> int:
        return len(self.officers)

    @property
    def sentence(self) -> str:
        """ "3 officers rated; they differed by two levels or more on 1 action."""
        rated = f"{self.count} officer{'s' if self.count != 1 else ''} rated"
        if not self.disagreements:
            return f"{rated}; no two differed by two levels or more on any action."
        many = len(self.disagreements)
        return f"{rated}; they differed by two levels or more on {many} action" + (
            "s." if many != 1 else "."
        )


def share_rating(store: Store, assessment: Assessment) -> Rating:
    """Store the officer's working copy as their open rating, replacing an earlier one."""
    council = assessment.council.name
    store.officer.require(council, Role.EDITOR)
    document = to_json(unstamped(assessment))
    with store.transaction() as session:
        row = find_council(session, council)
        if row is None:
            raise StoreError(f"save {council}'s assessment once before sharing a rating")
        found = open_row(session, row.id, store.person)
        if found is None:
            found = ResponseRow(council_id=row.id, person=store.person, agreed_in=OPEN_ROUND)
            session.add(found)
        found.shared_at, found.document = now(), document
        return Rating(store.person, found.shared_at, unstamped(assessment))


def open_row(session: Session, council_id: int, person: str) -> ResponseRow | None:
    return session.scalars(
        select(ResponseRow).where(
            ResponseRow.council_id == council_id,
            ResponseRow.person == person,
            ResponseRow.agreed_in == OPEN_ROUND,
        )
    ).first()


def ratings(store: Store, council: str, version: int = OPEN_ROUND) -> list[Rating]:
    """The ratings of a round (default: the open one, not yet agreed), by officer name.

    Only the council's lead sees them: they are officers' own views, before agreement.
    """
    store.officer.require(council, Role.LEAD)
    with store.sessions() as session:
        row = find_council(session, council)
        return [] if row is None else round_ratings(session, row, version, store.checklist)


def round_ratings(
    session: Session, council: CouncilRow, agreed_in: int, checklist: Checklist
) -> list[Rating]:
    """A round's ratings of a council, by officer name."""
    rows = session.scalars(
        select(ResponseRow)
        .where(ResponseRow.council_id == council.id, ResponseRow.agreed_in == agreed_in)
        .order_by(ResponseRow.person)
    )
    return [to_rating(found, council.name, checklist) for found in rows]


def to_rating(row: ResponseRow, council: str, checklist: Checklist) -> Rating:
    label = f"{row.person}'s rating of {council}"
    assessment = parse_assessment(row.document.encode(), label, checklist)
    return Rating(row.person, row.shared_at, assessment)


def my_rating(store: Store, council: str) -> Rating | None:
    """The officer's own open rating, if they have shared one."""
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return None
        found = open_row(session, row.id, store.person)
        return None if found is None else to_rating(found, row.name, store.checklist)


def answer_words(answer: Answer, checklist: Checklist) -> str:
    words = describe(answer, checklist)
    words = words[:1].upper() + words[1:]  # it starts a table cell
    if answer.not_applicable is not None:
        return f"{words}: {answer.not_applicable.reason}"
    return words


def spread(found: list[Rating], checklist: Checklist) -> list[ActionSpread]:
    """Per action, in checklist order, each officer's answer with their evidence."""
    return [
        ActionSpread(action, tuple(officer_answer(r, action.id, checklist) for r in found))
        for action in checklist.actions
    ]


def officer_answer(rating: Rating, action_id: str, checklist: Checklist) -> OfficerAnswer:
    answer = rating.assessment.answer(action_id)
    return OfficerAnswer(
        rating.person, answer_words(answer, checklist), level_of(answer), answer.evidence,
        answer.notes,
    )  # fmt: skip


def level_of(answer: Answer) -> int | None:
    """The level an officer gave, or None when they said not applicable or did not answer."""
    return answer.level if answer.applicable else None


def middle_ratings(assessment: Assessment, found: list[Rating], checklist: Checklist) -> Assessment:
    """The lead's working copy with each rated action at the officers' middle rating.

    A starting point only: actions nobody rated keep the lead's answer, and the
    lead still looks at each and agrees explicitly.
    """
    result = assessment
    for item in spread(found, checklist):
        if item.middle is not None:
            current = result.answer(item.action.id)
            answer = current.model_copy(update={"level": item.middle, "not_applicable": None})
            result = result.with_answer(item.action.id, answer)
    return result


def agree(store: Store, assessment: Assessment, based_on: int) -> tuple[Version, int]:
    """Save the lead's working copy as the council's agreed answer.

    The version, the record of agreeing it and the ratings it used (marked with its
    number) are written in one transaction: a refused save (someone saved a version
    meanwhile) records nothing, and neither does agreeing with no rating shared (a
    lone officer shares their own first). Returns the version and how many ratings
    it used.
    """
    council = assessment.council.name
    store.officer.require(council, Role.LEAD)
    used: list[int] = []

    def record(session: Session, council_row: CouncilRow, version: VersionRow) -> None:
        session.add(
            AgreementRow(
                council_id=council_row.id,
                version=version.version,
                agreed_by=store.person,
                agreed_at=version.saved_at,
            )
        )
        marked: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(ResponseRow)
            .where(
                ResponseRow.council_id == council_row.id,
                ResponseRow.agreed_in == OPEN_ROUND,
            )
            .values(agreed_in=version.version)
        )
        if not marked.rowcount:  # undoes the version too: the transaction rolls back
            raise no_ratings(council)
        used.append(marked.rowcount)

    saved = store.save(assessment, based_on, also=record)
    return saved, used[0] if used else 0


def agreements(store: Store, council: str) -> dict[int, tuple[str, datetime]]:
    """Each agreed version's number: who agreed it and when."""
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return {}
        rows = session.scalars(select(AgreementRow).where(AgreementRow.council_id == row.id))
        return {found.version: (found.agreed_by, found.agreed_at) for found in rows}


def latest_agreed(store: Store, council: str) -> int:
    """The number of the council's latest agreed version (0: none agreed yet)."""
    return max(agreements(store, council), default=0)


def round_summary(store: Store, council: str, version: int | None = None) -> RoundSummary | None:
    """Who rated for agreed ``version`` (default: the open round) and where they differed.

    Everyone who may see the version may see this: the count, the officers' names and
    the levels where they differed, as the report of that version prints them. None
    when nobody rated (a version saved without ratings).
    """
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return None
        wanted = OPEN_ROUND if version is None else version
        found = round_ratings(session, row, wanted, store.checklist)
        agreement = None if version is None else session.get(AgreementRow, (row.id, version))
    if not found:
        return None
    differing = tuple(s for s in spread(found, store.checklist) if s.disagree)
    return RoundSummary(
        officers=tuple(r.person for r in found),
        disagreements=differing,
        agreed_by=agreement.agreed_by if agreement else None,
        agreed_at=agreement.agreed_at if agreement else None,
        version=version,
    )


def no_ratings(council: str) -> KitError:
    """Agreeing needs ratings: the lead agrees officers' ratings, not a blank."""
    return KitError(
        f"not agreed: no officer has shared a rating of {council} since its last agreed "
        "version. Officers (the lead too) press \u201cShare my rating with the lead\u201d first"
    )
