"""A plan's steps as rows and as snapshots: the part of the action plan the store runs.

Every save of a version keeps the plan as it stood (``snapshot_plan``, one of the
store's save steps), so this module sits below the store and imports none of it;
``plan.py`` has the rules officers work by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from ccin_learn.selfassessment.tables import CouncilRow, PlanSnapshotRow, PlanStepRow, VersionRow


@dataclass(frozen=True)
class PlanStep:
    """One step of the plan, as stored (plain values: it travels to the report process)."""

    id: str
    action_id: str
    what: str
    owner: str
    due: date | None
    status: str
    course_page: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    revision: int

    @property
    def done(self) -> bool:
        return self.status == "done"


# A snapshot is the steps as JSON, written and read back by pydantic (dates as ISO 8601).
SNAPSHOT = TypeAdapter(list[PlanStep])


def to_step(row: PlanStepRow) -> PlanStep:
    return PlanStep(
        row.id, row.action_id, row.what, row.owner, row.due, row.status, row.course_page,
        row.created_by, row.created_at, row.updated_at, row.done_at, row.revision,
    )  # fmt: skip


def live_steps(session: Session, council_id: int) -> list[PlanStep]:
    rows = session.scalars(select(PlanStepRow).where(PlanStepRow.council_id == council_id))
    return sorted((to_step(r) for r in rows), key=step_order)


def step_order(step: PlanStep) -> tuple[bool, date, datetime]:
    return (step.due is None, step.due or date.max, step.created_at)


# ---- snapshots, for each version's reports ------------------------------------------


def snapshot_plan(session: Session, council: CouncilRow, version: VersionRow) -> None:
    """Keep the plan as it stands with the version being saved (a store save step)."""
    document = SNAPSHOT.dump_json(live_steps(session, council.id)).decode()
    session.add(PlanSnapshotRow(council_id=council.id, version=version.version, document=document))


def snapshot(session: Session, council_id: int, version: int) -> list[PlanStep] | None:
    found = session.get(PlanSnapshotRow, (council_id, version))
    return None if found is None else SNAPSHOT.validate_json(found.document)


def newly_done(now_steps: list[PlanStep], before: list[PlanStep] | None) -> tuple[PlanStep, ...]:
    """Steps done now that were not done before (all done steps when there is no before)."""
    was_done = {s.id for s in before or [] if s.done}
    return tuple(s for s in now_steps if s.done and s.id not in was_done)
