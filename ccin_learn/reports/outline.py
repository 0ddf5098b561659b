"""The printed report as a sequence of blocks, which the PDF and the Word file both lay out.

A cabinet paper is drafted in Word and circulated as PDF: both must say the
same thing. Writing the content once, as headings, paragraphs, tables and
charts, and leaving fonts and page layout to each format, keeps them in step.
"""

from __future__ import annotations

from collections.abc import Iterator

from ccin_learn.reports.model import ReportInput, report_charts
from ccin_learn.reports.network import evidence_lines, network_blocks, respondents_rows
from ccin_learn.reports.outline_blocks import Block, Heading, Para, Picture, Table
from ccin_learn.text import percent

TITLE = "Cooperative council self-assessment"
DISCLAIMER = (
    "The checklist is CCIN's \u201cBeing a Cooperative Council\u201d from its Members' Pack "
    "2025. This is a self-assessment by the council, not an audit, and not legal or "
    "financial advice."
)


def outline(report: ReportInput) -> list[Block]:
    """Every block of the printed report, in reading order."""
    return [
        *cover(report),
        *changes(report),
        *charts(report),
        *priorities(report),
        *network_blocks(report),
        *actions(report),
        Para(footer_text(report), "small"),
    ]


def cover(report: ReportInput) -> Iterator[Block]:
    """Page 1: who, when, which versions, how complete, the headline and the priorities."""
    a, card = report.assessment, report.card
    yield Heading(TITLE, 1)
    yield Para(a.council.name, "title", bold=True)
    if a.example_note:
        yield Para(f"Fictional example. {a.example_note}", bold=True)
    details = [
        ("Type of council", report.council_type_name),
        ("ONS/GSS code", a.council.gss_code or ""),
        ("Assessment date", f"{a.assessed_on:%d %B %Y}"),
        ("Assessed by", a.assessor or ""),
        ("Version", report.status),
        ("Compared with", report.comparison_sentence),
        ("Completeness", card.completeness),
        *respondents_rows(report.extras.respondents),
    ]
    rows = tuple((f"{label}:", value) for label, value in details if value)
    yield Table((), rows, (1, 2))
    yield Para(card.headline, "lead", bold=True)
    yield Table(("Area", "Score", "Answered"), theme_rows(report), (3, 1, 2))
    if not card.complete:
        yield Para("This assessment is incomplete: scores count only the answered actions.")
    yield from cover_priorities(report)
    yield Heading("What the levels mean", 2)
    levels = tuple((f"{lv.level} {lv.name}", lv.meaning) for lv in report.checklist.levels)
    yield Table(("Level", "Meaning"), levels, (1, 3))


def theme_rows(report: ReportInput) -> tuple[tuple[str, ...], ...]:
    """The overall score (only once the headline gives it) and each theme's."""
    card = report.card
    overall = percent(card.overall) if card.headline_ready else "too early"
    themes = tuple(
        (t.title, percent(t.percent), f"{t.answered} of {t.total} answered") for t in card.themes
    )
    return (("Overall", overall, f"{card.answered} of {card.total} answered"), *themes)


def cover_priorities(report: ReportInput) -> Iterator[Block]:
    priorities, name = report.card.priorities, report.checklist.level_name
    count = {1: "The priority", 2: "The two priorities", 3: "The three priorities"}
    yield Heading(count.get(len(priorities), "Priorities"), 2)
    if not priorities:
        yield Para("No priorities yet: answer at least one action below Embedded.")
    for number, p in enumerate(priorities, start=1):
        yield Para(
            f"{number}. {p.action.title}: now {p.level} {name(p.level)}; next, "
            f"{p.next_level} {name(p.next_level)}."
        )


def changes(report: ReportInput) -> Iterator[Block]:
    """What changed since the version compared with, as a table (the chart shows it too)."""
    if not report.previous_label:
        return
    yield Heading(f"Changes since {report.previous_label}", 2)
    if not report.changes:
        yield Para("No action's level or applicability has changed.")
        return
    rows = tuple((c.action.title, c.before, c.after) for c in report.changes)
    yield Table(("Action", "Before", "Now"), rows, (4, 2, 2))


def charts(report: ReportInput) -> Iterator[Block]:
    yield Heading("Where the council stands", 2)
    for chart in report_charts(report):
        yield Heading(chart.title, 3)
        yield Picture(chart)
        yield Para(chart.alt, "small")


def priorities(report: ReportInput) -> Iterator[Block]:
    yield Heading("Priorities and next steps", 2)
    if not report.card.priorities:
        yield Para("No priorities yet: answer at least one action below Embedded.")
        return
    yield Para("The answered actions at the lowest levels, with the next level as the next step.")
    name = report.checklist.level_name
    for number, p in enumerate(report.card.priorities, start=1):
        yield Heading(f"{number}. {p.action.title}", 3)
        yield Para(
            f"Now: {p.level} {name(p.level)}. Next step, to reach "
            f"{p.next_level} {name(p.next_level)}: {p.next_step}"
        )
        for link in report.course_links(p.action.course_pages):
            yield Para(link.text, "small", link=link.url)
        for resource in p.resources:
            yield Para(f"CCIN resource: {resource.title} ({resource.url})", "small",
                       link=resource.url)  # fmt: skip


def actions(report: ReportInput) -> Iterator[Block]:
    checklist, a = report.checklist, report.assessment
    yield Heading("Each action, with its evidence", 2)
    for theme in checklist.themes:
        yield Heading(theme.title, 3)
        for action in checklist.actions_in(theme.id):
            answer = a.answer(action.id)
            level = checklist.level_words(answer.level, answer.not_applicable is not None)
            if answer.not_applicable:
                level = f"{level}: {answer.not_applicable.reason}"
            yield Para(action.title, bold=True, keep_with_next=True)
            yield Para(f"Level: {level}")
            if answer.evidence:
                yield Para(f"Evidence: {answer.evidence}")
            if answer.notes:
                yield Para(f"Notes: {answer.notes}")
            yield from evidence_lines(report.extras.evidence, action.id)


def footer_text(report: ReportInput) -> str:
    made = f"Made with ccin-learn {report.kit_version}"
    if report.generated_on:
        made += f" on {report.generated_on:%d %B %Y}"
    return f"{made}. {DISCLAIMER}"


def running_footer(report: ReportInput) -> str:
    """The line at the foot of every page."""
    a = report.assessment
    return f"{a.council.name}: self-assessment of {a.assessed_on:%d %B %Y}"
