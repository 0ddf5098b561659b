"""The action plan on its own, for a cabinet paper: Word, PDF and CSV files.

The Word file is one heading, a line saying which plan it is, and one plain
table in Word's own table style, so it pastes into a council's cabinet-paper
template without floating shapes or section breaks. The PDF says the same; the
CSV has one row per step, with formula cells neutralised.
"""

from __future__ import annotations

from datetime import date

from ccin_learn.course.names import page_name
from ccin_learn.csvtext import csv_text
from ccin_learn.reports.files import DOCX_MIME, Download
from ccin_learn.reports.network import plan_table
from ccin_learn.reports.outline_blocks import Block, Heading, Para
from ccin_learn.reports.pdf import pdf_bytes
from ccin_learn.reports.word import docx_bytes
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.plan import PlanView

COLUMNS = ("council", "step", "action_id", "checklist_action", "owner", "due", "status",
           "course_page", "done_on", "added_by")  # fmt: skip
FORMATS = ("csv", "docx", "pdf")


def names(checklist: Checklist) -> tuple[dict[str, str], dict[str, str]]:
    """Actions' titles and course pages' names, by id."""
    titles = {a.id: a.title for a in checklist.actions}
    pages = {p: page_name(p) for a in checklist.actions for p in a.course_pages}
    return titles, pages


def which_plan(view: PlanView, today: date) -> str:
    kept = f"as kept with version {view.version}" if view.version else "as it stands"
    return f"{view.council}'s action plan {kept}, on {today:%-d %B %Y}."


def plan_blocks(view: PlanView, checklist: Checklist, today: date) -> list[Block]:
    return [
        Heading(f"Action plan: {view.council}", 1),
        Para(which_plan(view, today)),
        *plan_table(view, checklist, 2),
    ]


def plan_csv(view: PlanView, checklist: Checklist) -> str:
    titles, pages = names(checklist)
    rows = [
        [
            view.council,
            s.what,
            s.action_id,
            titles.get(s.action_id, ""),
            s.owner,
            s.due.isoformat() if s.due else "",
            s.status,
            pages.get(s.course_page or "", ""),
            s.done_at.date().isoformat() if s.done_at else "",
            s.created_by,
        ]
        for s in view.steps
    ]
    return csv_text(COLUMNS, rows)


def render_plan(view: PlanView, checklist: Checklist, fmt: str, today: date) -> bytes:
    """The plan in one format (csv, docx or pdf), as bytes."""
    if fmt == "csv":
        return plan_csv(view, checklist).encode("utf-8-sig")  # Excel reads UTF-8 with a BOM
    title, blocks = f"Action plan: {view.council}", plan_blocks(view, checklist, today)
    footer = which_plan(view, today)
    if fmt == "docx":
        return docx_bytes(blocks, title, view.council, footer)
    return pdf_bytes(blocks, title, view.council, footer)


def plan_downloads(view: PlanView, checklist: Checklist, stem: str, today: date) -> list[Download]:
    """The plan's three files, as the app offers them."""
    return [
        Download("action plan (Word)", f"{stem}.docx", DOCX_MIME,
                 render_plan(view, checklist, "docx", today)),
        Download("action plan (PDF)", f"{stem}.pdf", "application/pdf",
                 render_plan(view, checklist, "pdf", today)),
        Download("action plan (CSV)", f"{stem}.csv", "text/csv",
                 render_plan(view, checklist, "csv", today)),
    ]  # fmt: skip
