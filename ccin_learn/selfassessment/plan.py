"""A council's action plan: steps towards the checklist's actions, kept from version to version.

The plan belongs to the council, not to one officer's working copy: an editor or
lead adds, changes or removes a step and every member sees it at once; viewers
read it. So the plan carries over from one version to the next by itself. Each
saved version keeps a snapshot of the plan as it stood (``snapshot_plan`` runs
inside every save's transaction), from which a version's reports show its plan
and the steps done since the version before.

A change names the step's revision: if a colleague changed the step meanwhile,
the change is refused with one line and the officer's boxes keep what they typed.

The steps' rows and snapshots are in ``plan_rows.py``, below the store that saves them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from ccin_learn.course.names import page_name
from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import Role
from ccin_learn.selfassessment.assessment import NAME_LIMIT, Frozen, plain_words, refuse_invisible
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.plan_rows import (
    PlanStep,
    live_steps,
    newly_done,
    snapshot,
    to_step,
)
from ccin_learn.selfassessment.session import friendly_validation
from ccin_learn.selfassessment.store import Store
from ccin_learn.selfassessment.tables import (
    CouncilRow,
    PlanStepRow,
    find_council,
    latest_number,
    now,
)

Status = Literal["not started", "in progress", "done", "dropped"]
STATUSES: tuple[Status, ...] = ("not started", "in progress", "done", "dropped")
STEP_LIMIT = 500
FIELD_WORDS = {"what": "step", "owner": "step's owner"}  # as the officer reads the boxes


class PlanError(KitError):
    """A step that cannot be added or changed, with the reason."""


class StepInput(Frozen):
    """What an officer types for a step; checked before anything is stored."""

    action_id: str
    what: str = Field(min_length=1, max_length=STEP_LIMIT)
    owner: str = Field(min_length=1, max_length=NAME_LIMIT)
    due: date | None = None
    status: Status = "not started"
    course_page: str | None = None

    @field_validator("what", "owner", mode="wrap")
    @classmethod
    def _plain(
        cls, text: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> object:
        return plain_words(text, handler, FIELD_WORDS[str(info.field_name)])

    @field_validator("what", "owner")
    @classmethod
    def _visible(cls, text: str, info: ValidationInfo) -> str:
        return refuse_invisible(text, f"the {FIELD_WORDS[str(info.field_name)]}")


@dataclass(frozen=True)
class PlanView:
    """A plan to show or export: its steps and those done since the version before."""

    council: str
    steps: tuple[PlanStep, ...]
    since_version: int | None  # the version "done since" counts from; None: no version yet
    done_since: tuple[PlanStep, ...]
    version: int | None = None  # a saved version's snapshot; None: the live plan


def checked_step(data: dict[str, object], checklist: Checklist) -> StepInput:
    """The officer's input as a step, or one line saying what is wrong."""
    try:
        step = StepInput.model_validate(data)
    except ValidationError as err:
        raise PlanError(f"not saved: {friendly_validation(err)}") from err
    known = {a.id for a in checklist.actions}
    if step.action_id not in known:
        raise PlanError(f"not saved: choose a checklist action (not {step.action_id!r})")
    pages = checklist.action(step.action_id).course_pages
    if step.course_page is not None and step.course_page not in pages:
        raise PlanError(
            "not saved: choose a course page that serves this action, or none "
            f"(not {step.course_page!r})"
        )
    return step


def council_row(session: Session, council: str) -> CouncilRow:
    row = find_council(session, council)
    if row is None:
        raise PlanError(f"save {council}'s assessment once before planning")
    return row


def steps(store: Store, council: str) -> list[PlanStep]:
    """The live plan, by due date (undated last), then as added."""
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return []
        return live_steps(session, row.id)


def add_step(store: Store, council: str, data: dict[str, object]) -> PlanStep:
    """Add a step to the council's plan."""
    store.officer.require(council, Role.EDITOR)
    step = checked_step(data, store.checklist)
    moment = now()
    with store.transaction() as session:
        row = PlanStepRow(
            id=secrets.token_hex(16),
            council_id=council_row(session, council).id,
            created_by=store.person,
            created_at=moment,
            revision=1,
            **fields(step, moment),
        )
        session.add(row)
        session.flush()
        return to_step(row)


def fields(step: StepInput, moment: datetime, done_at: datetime | None = None) -> dict:
    """The row's columns from the officer's input; done_at set when the step becomes done."""
    return {
        "action_id": step.action_id,
        "what": step.what,
        "owner": step.owner,
        "due": step.due,
        "status": step.status,
        "course_page": step.course_page,
        "updated_at": moment,
        "done_at": (done_at or moment) if step.status == "done" else None,
    }


def change_step(
    store: Store, council: str, step_id: str, revision: int, data: dict[str, object]
) -> PlanStep:
    """Change a step, unless someone changed it since ``revision`` (then refuse, in one line)."""
    store.officer.require(council, Role.EDITOR)
    step = checked_step(data, store.checklist)
    with store.transaction() as session:
        row = current_row(session, council, step_id, revision)
        for name, value in fields(step, now(), row.done_at).items():
            setattr(row, name, value)
        row.revision += 1
        session.flush()
        return to_step(row)


def remove_step(store: Store, council: str, step_id: str, revision: int) -> None:
    """Take a step out of the plan (earlier versions' snapshots keep it)."""
    store.officer.require(council, Role.EDITOR)
    with store.transaction() as session:
        session.delete(current_row(session, council, step_id, revision))


def current_row(session: Session, council: str, step_id: str, revision: int) -> PlanStepRow:
    """The step's row, locked for the change, if it is still at ``revision``."""
    row = session.scalars(
        select(PlanStepRow)
        .where(
            PlanStepRow.id == step_id, PlanStepRow.council_id == council_row(session, council).id
        )
        .with_for_update()
    ).first()
    if row is None:
        raise PlanError("not saved: someone has removed this step from the plan meanwhile")
    if row.revision != revision:
        raise PlanError(
            f"not saved: this step was changed at {row.updated_at.astimezone():%H:%M} by "
            "someone else since you opened it; your changes are still in the boxes"
        )
    return row


def plan_view(store: Store, council: str, version: int | None = None) -> PlanView:
    """The live plan (default) or a version's, with what was done since the version before.

    The live plan counts from the latest saved version; version N counts from N - 1.
    """
    store.officer.require(council, Role.VIEWER)
    with store.sessions() as session:
        row = find_council(session, council)
        if row is None:
            return PlanView(council, (), None, ())
        since: int | None
        if version is None:  # the plan on screen counts from the latest version (none: None)
            current, since = live_steps(session, row.id), latest_number(session, row.id) or None
        else:
            current, since = snapshot(session, row.id, version) or [], version - 1 or None
        before = snapshot(session, row.id, since) if since else None
        return PlanView(row.name, tuple(current), since, newly_done(current, before), version)


def due_words(due: date | None) -> str:
    """A step's due date as the plan's tables print it."""
    return f"{due:%-d %b %Y}" if due else "No date"


def action_title(step: PlanStep, checklist: Checklist) -> str:
    known = {a.id: a.title for a in checklist.actions}
    return known.get(step.action_id, step.action_id)


def step_cells(step: PlanStep, checklist: Checklist) -> tuple[str, ...]:
    """A step as a row of the plan's table, the same in the app and in every report:
    step, checklist action, owner, due, status, course page."""
    page = page_name(step.course_page) if step.course_page else ""
    return (step.what, action_title(step, checklist), step.owner, due_words(step.due),
            step.status.capitalize(), page)  # fmt: skip
