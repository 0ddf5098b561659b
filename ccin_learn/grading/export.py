"""Grades as CSV for the trainer's records or a learning platform, safe to open in Excel."""

from __future__ import annotations

from collections.abc import Mapping

from ccin_learn.csvtext import csv_text
from ccin_learn.grading.cohort import Cohort
from ccin_learn.grading.results import Result, question_scores, results


def grades_csv(cohort: Cohort, pass_marks: Mapping[str, float]) -> str:
    """One row per learner and released assignment; ``pass_marks`` by assignment.

    ``review`` holds why a result needs the trainer's look (a renamed notebook, a check
    that failed for a reason the learner did not cause), blank when none.
    """
    return csv_text(
        [
            "learner",
            "assignment",
            "submitted",
            "score",
            "max_score",
            "percent",
            "awaiting_hand_grading",
            "passed",
            "review",
        ],
        (
            [
                r.learner,
                r.assignment,
                yes(r.submitted),
                f"{r.score:g}",
                f"{r.max_score:g}",
                f"{r.percent:g}",
                yes(r.needs_hand_grading),
                passed_text(r, pass_marks.get(r.assignment)),
                "; ".join(r.review),
            ]
            for r in results(cohort)
        ),
    )


def questions_csv(cohort: Cohort) -> str:
    """One row per learner, assignment and question (graded cell)."""
    return csv_text(
        [
            "learner",
            "assignment",
            "notebook",
            "question",
            "score",
            "max_score",
            "awaiting_hand_grading",
        ],
        (
            [
                q.learner,
                q.assignment,
                q.notebook,
                q.question,
                f"{q.score:g}",
                f"{q.max_score:g}",
                yes(q.needs_hand_grading),
            ]
            for q in question_scores(cohort)
        ),
    )


def yes(value: bool) -> str:
    return "yes" if value else "no"


def passed_text(result: Result, pass_mark: float | None) -> str:
    """yes or no; blank for an assignment that earns no credential, so has no pass mark."""
    return "" if pass_mark is None else yes(result.passed(pass_mark))
