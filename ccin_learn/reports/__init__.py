"""Reports of one assessment, for a cabinet paper: HTML, PDF and CSV.

All three show the same facts, assembled once in ``ReportInput`` from the
assessment, its score card and (optionally) the previous version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ccin_learn import __version__
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write
from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.checklist import Checklist, default_checklist
from ccin_learn.selfassessment.scoring import ScoreCard, score
from ccin_learn.settings import book_url


@dataclass(frozen=True)
class ReportInput:
    """What every report format shows."""

    assessment: Assessment
    card: ScoreCard
    checklist: Checklist
    version: int | None = None
    previous: Assessment | None = None
    previous_label: str = "the previous version"
    book_url: str = ""
    generated_on: date | None = None
    kit_version: str = __version__

    @property
    def previous_card(self) -> ScoreCard | None:
        return None if self.previous is None else score(self.previous, self.checklist)

    @property
    def council_type_name(self) -> str:
        return self.checklist.council_type(self.assessment.council.type).name

    def page_url(self, docname: str) -> str:
        return f"{self.book_url.rstrip('/')}/{docname}.html"


def report_input(
    assessment: Assessment,
    version: int | None = None,
    previous: Assessment | None = None,
    checklist: Checklist | None = None,
) -> ReportInput:
    checklist = checklist or default_checklist()
    label = "the previous version"
    if previous is not None:
        label = f"the assessment of {previous.assessed_on:%d %B %Y}"
    return ReportInput(
        assessment=assessment,
        card=score(assessment, checklist),
        checklist=checklist,
        version=version,
        previous=previous,
        previous_label=label,
        book_url=book_url(),
        generated_on=date.today(),
    )


FORMATS = ("html", "pdf", "csv")


def render(report: ReportInput, fmt: str) -> bytes:
    """The report in one format, as bytes."""
    if fmt == "html":
        from ccin_learn.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        from ccin_learn.reports.pdf import render_pdf

        return render_pdf(report)
    if fmt == "csv":
        from ccin_learn.reports.csvfile import render_csv

        return render_csv(report).encode("utf-8-sig")  # Excel reads UTF-8 with a BOM
    raise KitError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in FORMATS:
        raise KitError(f"{path}: the report file must end in .html, .pdf or .csv")
    return fmt


def write_report(report: ReportInput, path: Path) -> None:
    """Write the report in the format its file name asks for, atomically."""
    atomic_write(path, render(report, format_of(path)))


def file_stem(report: ReportInput) -> str:
    """A safe file name stem, e.g. ``self-assessment-anytown-2026-11-22``."""
    name = "".join(ch if ch.isalnum() else "-" for ch in report.assessment.council.name.lower())
    name = "-".join(part for part in name.split("-") if part)[:60] or "council"
    return f"self-assessment-{name}-{report.assessment.assessed_on.isoformat()}"
