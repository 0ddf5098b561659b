"""What every report shows, assembled once from an assessment and what it is compared with.

The HTML, PDF and CSV reports read the same ``ReportInput``, so they never
disagree about a score, a label or which charts to draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ccin_learn import __version__
from ccin_learn.figures import Chart
from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.charts import actions_chart, comparison_chart, principles_chart
from ccin_learn.selfassessment.checklist import Checklist, default_checklist
from ccin_learn.selfassessment.compare import Change
from ccin_learn.selfassessment.scoring import ScoreCard, score
from ccin_learn.selfassessment.session import Comparison
from ccin_learn.settings import book_url


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
    comparison: Comparison | None = None,
    checklist: Checklist | None = None,
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
        generated_on=date.today(),
    )


def report_charts(report: ReportInput) -> list[Chart]:
    """The charts a report shows, in order: the one place that chooses them."""
    drawn = [
        actions_chart(report.card, report.checklist),
        principles_chart(report.card, report.checklist),
    ]
    previous = report.previous_card
    if previous is not None:
        drawn.append(
            comparison_chart(report.card, previous, report.checklist, report.previous_label)
        )
    return drawn
