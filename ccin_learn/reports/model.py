"""What every report shows, assembled once from an assessment and what it is compared with.

The HTML, PDF, Word and CSV reports read the same ``ReportInput``, so they never
disagree about a score, a label or which charts to draw. The charts are drawn
once per report and their images reused by every format (drawing is the cost).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from ccin_learn import __version__
from ccin_learn.course.names import page_name
from ccin_learn.figures import Chart
from ccin_learn.reports.extras import NONE, CouncilExtras
from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.benchmark import LEVEL, PERCENT
from ccin_learn.selfassessment.charts import (
    actions_chart,
    benchmark_chart,
    comparison_chart,
    principles_chart,
)
from ccin_learn.selfassessment.checklist import Checklist, default_checklist
from ccin_learn.selfassessment.compare import Change
from ccin_learn.selfassessment.scoring import ScoreCard, score
from ccin_learn.selfassessment.session import Comparison
from ccin_learn.settings import book_url, book_url_is_public

# Every format embeds the charts at this resolution, so each is rendered once:
# sharp in print at A4 width (about 150 pixels an inch).
CHART_DPI = 150


@dataclass(frozen=True)
class ReportInput:
    """What every report format shows."""

    assessment: Assessment
    card: ScoreCard
    checklist: Checklist
    status: str = ""
    previous: Assessment | None = None
    previous_label: str = ""
    changes: tuple[Change, ...] = field(default=())
    book_url: str = ""
    book_is_public: bool = False
    generated_on: date | None = None
    kit_version: str = __version__
    extras: CouncilExtras = NONE  # respondents, benchmark, plan, evidence (from a database)

    @property
    def previous_card(self) -> ScoreCard | None:
        return None if self.previous is None else score(self.previous, self.checklist)

    @functools.cached_property
    def charts(self) -> list[Chart]:
        """The report's charts, drawn on first use and kept with the report."""
        return draw_charts(self)

    @property
    def council_type_name(self) -> str:
        return self.checklist.council_type(self.assessment.council.type).name

    @property
    def comparison_sentence(self) -> str:
        """Which versions the report compares, for the cover: never a silent blank."""
        if self.previous_label:
            return f"Compares {self.status or 'this assessment'} with {self.previous_label}."
        if self.status:
            return f"{self.status}: no earlier saved version to compare with."
        return "An assessment file: no earlier saved version to compare with."

    def page_url(self, docname: str) -> str:
        return f"{self.book_url.rstrip('/')}/{docname}.html"

    def course_links(self, docnames: tuple[str, ...]) -> list[CourseLink]:
        """The course pages, each named in words, with an address only if the book is public.

        A report printed for a cabinet paper must not send readers to
        127.0.0.1, which is the officer's own machine.
        """
        return [
            CourseLink(page_name(page), self.page_url(page) if self.book_is_public else None)
            for page in docnames
        ]


@dataclass(frozen=True)
class CourseLink:
    """A course page as a report shows it: its name in words and, if public, its address."""

    name: str
    url: str | None

    @property
    def text(self) -> str:
        return f"Course: {self.name}" + (f" ({self.url})" if self.url else "")


def report_input(
    assessment: Assessment,
    comparison: Comparison | None = None,
    checklist: Checklist | None = None,
    extras: CouncilExtras = NONE,
) -> ReportInput:
    """The report of ``assessment``; ``comparison`` says which version it is and what changed."""
    checklist = checklist or default_checklist()
    baseline = comparison.baseline if comparison else None
    return ReportInput(
        assessment=assessment,
        card=score(assessment, checklist),
        checklist=checklist,
        status=comparison.status if comparison else "",
        previous=baseline.assessment if baseline else None,
        previous_label=comparison.baseline_label if comparison else "",
        changes=comparison.changes if comparison else (),
        book_url=book_url(),
        book_is_public=book_url_is_public(),
        generated_on=date.today(),
        extras=extras,
    )


def report_charts(report: ReportInput) -> list[Chart]:
    """The charts a report shows, in order: the one place that chooses them.

    Drawn once per report; each chart keeps its PNG and SVG, so the PDF, Word
    and HTML files of one download share the same images.
    """
    return report.charts


def draw_charts(report: ReportInput) -> list[Chart]:
    drawn = [
        actions_chart(report.card, report.checklist),
        principles_chart(report.card, report.checklist),
    ]
    previous = report.previous_card
    if previous is not None:
        drawn.append(
            comparison_chart(report.card, previous, report.checklist, report.previous_label)
        )
    view = report.extras.benchmark
    if view is not None:
        drawn += [c for kind in (PERCENT, LEVEL) if (c := benchmark_chart(view, kind))]
    return drawn
