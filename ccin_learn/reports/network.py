"""The network's parts of the printed report: who rated, the benchmark, the plan, the evidence.

Written once as blocks, like the rest of the outline, so the PDF, the Word file
and the HTML report (which lays the same blocks out) say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator

from ccin_learn.reports.model import ReportInput
from ccin_learn.reports.outline_blocks import Block, Heading, Para, Table
from ccin_learn.selfassessment.benchmark import MIN_COUNCILS, BenchmarkView, number
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.evidence import EvidenceItem
from ccin_learn.selfassessment.plan import PlanView, action_title, step_cells
from ccin_learn.selfassessment.respondents import RoundSummary

PLAN_HEADER = ("Step", "Checklist action", "Owner", "Due", "Status", "Course page")
PLAN_WIDTHS = (4, 3, 3, 2, 2, 3)


def respondents_rows(summary: RoundSummary | None) -> list[tuple[str, str]]:
    """Cover lines: how many officers rated, and who agreed the answer."""
    if summary is None:
        return []
    rows = [("Officers who rated", f"{summary.count}: {', '.join(summary.officers)}")]
    if summary.agreed_by and summary.agreed_at:
        rows.append(("Agreed by", f"{summary.agreed_by} on {summary.agreed_at:%-d %B %Y}"))
    return rows


def disagreements(summary: RoundSummary | None) -> Iterator[Block]:
    """Where officers' ratings were two levels or more apart, officer by officer."""
    if summary is None:
        return
    yield Heading("Where officers differed by two levels or more", 2)
    yield Para(summary.sentence)
    rows = tuple(
        (spread.action.title, answer.person, answer.words)
        for spread in summary.disagreements
        for answer in spread.answers
    )
    if rows:
        yield Table(("Action", "Officer", "Their rating"), rows, (4, 2, 2),
                    "Officers' ratings where they differed")  # fmt: skip


def benchmark(view: BenchmarkView | None) -> Iterator[Block]:
    """The council's place among councils of its type: shown figures only."""
    if view is None:
        return
    yield Heading("Benchmark among councils of the same type", 2)
    if not view.any_shown:
        yield Para(view.not_shown_words)
        return
    yield Para(
        f"{view.council} (agreed version {view.own_version}) among {view.type_name.lower()}s "
        f"that take part, from each council's latest agreed version. A figure is shown only "
        f"when at least {MIN_COUNCILS} councils count towards it; no council is named."
    )
    header = ("Figure", "Councils", "Lower quartile", "Median", "Upper quartile",
              view.council, "Band")  # fmt: skip
    rows = tuple(
        (
            f.spec.label,
            str(f.group.councils),
            number(f.group.lower, f.spec.kind),
            number(f.group.median, f.spec.kind),
            number(f.group.upper, f.spec.kind),
            "" if f.own is None else number(f.own, f.spec.kind),
            f.band,
        )
        for f in view.shown
        if f.group is not None
    )
    yield Table(header, rows, (4, 2, 2, 2, 2, 2, 3),
                f"Where {view.council} stands among councils of the same type")  # fmt: skip
    withheld = len(view.figures) - len(view.shown)
    if withheld:
        yield Para(f"{withheld} more figures are not shown: fewer than {MIN_COUNCILS} councils "
                   "count towards each.", "small")  # fmt: skip


def plan(view: PlanView | None, checklist: Checklist) -> Iterator[Block]:
    """The action plan as a table, then what was done since the version before."""
    if view is None:
        return
    yield Heading("Action plan", 2)
    yield from plan_table(view, checklist, 3)


def plan_table(view: PlanView, checklist: Checklist, level: int) -> Iterator[Block]:
    """The plan's steps, then those done since the version before (report and plan file),
    under a heading of ``level``."""
    if not view.steps:
        yield Para("No steps in the plan yet.")
    else:
        rows = tuple(step_cells(step, checklist) for step in view.steps)
        yield Table(PLAN_HEADER, rows, PLAN_WIDTHS, f"Action plan for {view.council}")
    if view.since_version:
        yield Heading(f"Done since version {view.since_version}", level)
        if not view.done_since:
            yield Para(f"Nothing marked done since version {view.since_version}.")
        for step in view.done_since:
            yield Para(f"{step.what} ({action_title(step, checklist)}; owner: {step.owner})")


def evidence_lines(found: tuple[EvidenceItem, ...], action_id: str) -> Iterator[Block]:
    """Under an action: its files (with the start of their SHA-256) and links."""
    mine = [item for item in found if item.action_id == action_id]
    if mine:
        yield Para("Evidence attached:", keep_with_next=True)
    for item in mine:
        if item.kind == "file":
            yield Para(f"File: {item.summary}. SHA-256 {item.sha256[:12] if item.sha256 else ''}",
                       "small")  # fmt: skip
        else:
            yield Para(f"Link: {item.summary}", "small", link=item.url)


def network_blocks(report: ReportInput) -> list[Block]:
    """The parts that follow the priorities: the disagreements, benchmark and plan."""
    extras = report.extras
    return [
        *disagreements(extras.respondents),
        *benchmark(extras.benchmark),
        *plan(extras.plan, report.checklist),
    ]
