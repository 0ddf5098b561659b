"""Grades as CSV for the trainer's records or a learning platform, safe to open in Excel."""

from __future__ import annotations

from ccin_learn.credentials.catalogue import load_credentials
from ccin_learn.csvtext import csv_text
from ccin_learn.grading.cohort import Cohort
from ccin_learn.grading.results import question_scores, results

DEFAULT_PASS_MARK = 70.0


def pass_marks() -> dict[str, float]:
    return {credential.id: credential.pass_mark for credential in load_credentials()}


def grades_csv(cohort: Cohort) -> str:
    """One row per learner and assignment."""
    marks = pass_marks()
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
                yes(r.passed(marks.get(r.assignment, DEFAULT_PASS_MARK))),
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
