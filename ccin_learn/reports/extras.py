"""What the network knows about a council besides its answers, gathered for its reports.

Who rated and where they differed, the benchmark, the action plan and the
evidence list come from the database, which the app's kernel can read and the
report process cannot; the kernel gathers them here (light imports: no report
library) and sends them with the report's request. Each is only what the
officer may see: the store checks their role for every part.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccin_learn.selfassessment.benchmark import BenchmarkView, benchmark_for
from ccin_learn.selfassessment.evidence import EvidenceItem, items
from ccin_learn.selfassessment.plan import PlanView, plan_view
from ccin_learn.selfassessment.respondents import RoundSummary, agreements, round_summary
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store


@dataclass(frozen=True)
class CouncilExtras:
    """The report's parts beyond the answers; empty for an assessment file."""

    respondents: RoundSummary | None = None
    benchmark: BenchmarkView | None = None
    plan: PlanView | None = None
    evidence: tuple[EvidenceItem, ...] = ()


NONE = CouncilExtras()


def council_extras(
    store: Store, council: str, version: int | None, live_plan: bool = False
) -> CouncilExtras:
    """The parts for saved ``version`` of a council, or for its working copy (None).

    A version's own ratings round if it was agreed (else the open round's), the
    benchmark if the council takes part, the plan as that version kept it (or the
    live plan: always so for the app, which shows the plan as it stands), and the
    council's evidence list.
    """
    if not store.latest_version_number(council):
        return NONE  # a council not saved yet has nothing of these
    agreed = version is not None and version in agreements(store, council)
    view = benchmark_for(store, council)
    return CouncilExtras(
        respondents=round_summary(store, council, version if agreed else None),
        benchmark=view if view.taking_part else None,
        plan=plan_view(store, council, None if live_plan else version),
        evidence=tuple(items(store, council)),
    )


def session_extras(session: Session) -> CouncilExtras:
    """The network's parts for a working copy: a saved version's own ratings when it is
    one, and the plan as it stands (what the officer sees beside it)."""
    version = None if session.has_unsaved_changes() else session.based_on
    return council_extras(session.store, session.council, version, live_plan=True)
