"""The network's parts of the printed report: who rated, the benchmark, the plan, the evidence.

Written once as blocks, like the rest of the outline, so the PDF, the Word file
and the HTML report (which lays the same blocks out) say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ccin_learn.reports.model import ReportInput
from ccin_learn.reports.outline_blocks import Block, Heading, Para, Table
from ccin_learn.selfassessment.benchmark import MIN_COUNCILS, BenchmarkView, number
from ccin_learn.selfassessment.evidence import EvidenceItem
from ccin_learn.selfassessment.plan import PlanView
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


def plan_rows(plan: PlanView, titles: dict[str, str], pages: dict[str, str]) -> tuple:
    return tuple(
        (
            s.what,
            titles.get(s.action_id, s.action_id),
            s.owner,
            due_words(s.due),
            s.status.capitalize(),
            pages.get(s.course_page or "", ""),
        )
        for s in plan.steps
    )


def due_words(due: date | None) -> str:
    return f"{due:%-d %b %Y}" if due else "No date"


def plan(view: PlanView | None, titles: dict[str, str], pages: dict[str, str]) -> Iterator[Block]:
    """The action plan as a table, then what was done since the version before."""
    if view is None:
        return
    yield Heading("Action plan", 2)
    yield from plan_table(view, titles, pages, 3)


def plan_table(
    view: PlanView, titles: dict[str, str], pages: dict[str, str], level: int
) -> Iterator[Block]:
    """The plan's steps, then those done since the version before (report and plan file),
    under a heading of ``level``."""
    if not view.steps:
        yield Para("No steps in the plan yet.")
    else:
        yield Table(PLAN_HEADER, plan_rows(view, titles, pages), PLAN_WIDTHS,
                    f"Action plan for {view.council}")  # fmt: skip
    if view.since_version:
        yield Heading(f"Done since version {view.since_version}", level)
        if not view.done_since:
            yield Para(f"Nothing marked done since version {view.since_version}.")
        for step in view.done_since:
            yield Para(f"{step.what} ({titles.get(step.action_id, step.action_id)}; "
                       f"owner: {step.owner})")  # fmt: skip


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
    titles = {a.id: a.title for a in report.checklist.actions}
    pages = {
        page: link.name
        for a in report.checklist.actions
        for page, link in zip(a.course_pages, report.course_links(a.course_pages), strict=True)
    }
    return [
        *disagreements(extras.respondents),
        *benchmark(extras.benchmark),
        *plan(extras.plan, titles, pages),
    ]
