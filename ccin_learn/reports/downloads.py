"""The downloads of a self-assessment: the one use case the app and the command line share.

The app offers the officer's working copy; ``ccin-learn assess report`` writes
a file's assessment or a saved version. Either way the report says which
version it is ("Saved version 3", "Unsaved changes to version 3") and compares
it with the version before, never with itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write
from ccin_learn.reports.csvfile import render_csv
from ccin_learn.reports.extras import council_extras, session_extras
from ccin_learn.reports.files import DOCX_MIME, Download
from ccin_learn.reports.html import render_html
from ccin_learn.reports.model import ReportInput, report_input
from ccin_learn.reports.pdf import render_pdf
from ccin_learn.reports.plan_files import plan_downloads
from ccin_learn.reports.word import render_docx
from ccin_learn.selfassessment.assessment import Assessment, to_json
from ccin_learn.selfassessment.session import Session, compare_saved
from ccin_learn.selfassessment.store import Store

FORMATS = ("html", "pdf", "docx", "csv")


def session_report(session: Session) -> ReportInput:
    """The report of an officer's working copy, saved or not.

    Its JSON file says which saved version the working copy is based on, so
    importing it later obeys the stale-save rule.
    """
    return report_input(
        session.file_assessment(), session.comparison(), session.checklist, session_extras(session)
    )


def saved_report(store: Store, council: str, version: int | None = None) -> ReportInput:
    """The report of a saved version (default: the latest), compared with the one before."""
    comparison = compare_saved(store, council, version)
    saved = store.load(council, version)
    extras = council_extras(store, council, saved.version)
    return report_input(saved.assessment, comparison, store.checklist, extras)


def file_report(assessment: Assessment) -> ReportInput:
    """The report of an assessment file, which has no versions to compare with."""
    return report_input(assessment)


def render(report: ReportInput, fmt: str) -> bytes:
    """The report in one format, as bytes."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "csv":
        return render_csv(report).encode("utf-8-sig")  # Excel reads UTF-8 with a BOM
    raise KitError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def downloads(report: ReportInput) -> list[Download]:
    """Every file an officer can download: the JSON to keep, the CSV and the three reports.

    The report's charts are drawn once and shared by the HTML, PDF and Word files.
    """
    stem = file_stem(report)
    json_data = to_json(report.assessment).encode("utf-8")
    return [
        Download("JSON file (to keep or import next year)", f"{stem}.json",
                 "application/json", json_data),
        Download("CSV table (one row per action)", f"{stem}.csv", "text/csv",
                 render(report, "csv")),
        Download("HTML report (for a cabinet paper)", f"{stem}.html", "text/html",
                 render(report, "html")),
        Download("PDF report (for a cabinet paper)", f"{stem}.pdf", "application/pdf",
                 render(report, "pdf")),
        Download("Word report (.docx, for a cabinet paper)", f"{stem}.docx", DOCX_MIME,
                 render(report, "docx")),
        *plan_files(report, stem),
    ]  # fmt: skip


def plan_files(report: ReportInput, stem: str) -> list[Download]:
    """The action plan's own files, once the council's plan has a step."""
    plan = report.extras.plan
    if plan is None or not plan.steps:
        return []
    today = report.generated_on or date.today()
    return plan_downloads(plan, report.checklist, stem.replace("self-assessment", "action-plan"),
                          today)  # fmt: skip


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise KitError(f"{path}: the report file must end in .html, .pdf, .docx or .csv")
    return fmt


def write_report(report: ReportInput, path: Path) -> None:
    """Write the report in the format its file name asks for, atomically."""
    atomic_write(path, render(report, format_of(path)))


def file_stem(report: ReportInput) -> str:
    """A safe file name stem, e.g. ``self-assessment-anytown-2026-11-22``."""
    name = "".join(ch if ch.isalnum() else "-" for ch in report.assessment.council.name.lower())
    name = "-".join(part for part in name.split("-") if part)[:60] or "council"
    return f"self-assessment-{name}-{report.assessment.assessed_on.isoformat()}"
