"""The CSV report: one row per action, safe to open in a spreadsheet.

``csv_text`` neutralises any cell that starts with = + - @ (and other formula
starters), so evidence typed into the app cannot run as a formula in Excel.
"""

from __future__ import annotations

from ccin_learn.csvtext import csv_text
from ccin_learn.reports.model import ReportInput

COLUMNS = (
    "council",
    "assessed_on",
    "theme",
    "action_id",
    "action",
    "level",
    "level_name",
    "not_applicable_reason",
    "evidence",
    "notes",
    "principles",
)


def rows(report: ReportInput) -> list[list[str | int]]:
    a, checklist = report.assessment, report.checklist
    themes = {theme.id: theme.title for theme in checklist.themes}
    out = []
    for action in checklist.actions:
        answer = a.answer(action.id)
        out.append(
            [
                a.council.name,
                a.assessed_on.isoformat(),
                themes[action.theme],
                action.id,
                action.title,
                "" if answer.level is None else answer.level,
                "" if answer.level is None else checklist.level_name(answer.level),
                answer.not_applicable.reason if answer.not_applicable else "",
                answer.evidence,
                answer.notes,
                "; ".join(f"{n} {checklist.principle_name(n)}" for n in action.principles),
            ]
        )
    return out


def render_csv(report: ReportInput) -> str:
    return csv_text(COLUMNS, rows(report))
