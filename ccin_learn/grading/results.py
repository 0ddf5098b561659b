"""What the gradebook says about each learner: submitted, scores, hand-grading, passed.

Only released assessments are listed: an assignment counts as released when the
cohort has ``release/<assignment>/``, the folder nbgrader's ``generate_assignment``
writes and ``grade release`` makes. Until then every learner would show as not
submitted against a maximum score of 0, which says nothing. The reasons a result
needs the trainer's review come from autograde (``ccin_learn.grading.review``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nbgrader.api import MissingEntry

from ccin_learn.grading.cohort import Cohort
from ccin_learn.grading.review import read_review


@dataclass(frozen=True)
class Result:
    """One learner's result on one assignment."""

    learner: str
    assignment: str
    submitted: bool
    score: float
    max_score: float
    needs_hand_grading: bool
    review: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        return 0.0 if not self.max_score else round(100 * self.score / self.max_score, 1)

    @property
    def graded(self) -> bool:
        return self.submitted and not self.needs_hand_grading

    def shortfall(self, pass_mark: float) -> str:
        """Why this result does not pass, in words; '' when it does. The one pass rule."""
        if not self.submitted:
            return "has not submitted the assessment"
        if self.needs_hand_grading:
            return "written answers still await hand-grading"
        if self.percent < pass_mark:
            return f"scored {self.percent:g}%, below the pass mark of {pass_mark:g}%"
        return ""

    def passed(self, pass_mark: float) -> bool:
        return not self.shortfall(pass_mark)


@dataclass(frozen=True)
class QuestionScore:
    learner: str
    assignment: str
    notebook: str
    question: str
    score: float
    max_score: float
    needs_hand_grading: bool


def results(cohort: Cohort) -> list[Result]:
    """Every learner's result on every assignment, in roster then course order."""
    found = []
    with cohort.gradebook() as gradebook:
        learners = sorted(student.id for student in gradebook.students)
        for assignment in released(cohort):
            try:
                max_score = gradebook.find_assignment(assignment).max_score
            except MissingEntry:
                continue
            for learner in learners:
                result = one_result(gradebook, learner, assignment, max_score)
                found.append(replace(result, review=read_review(cohort.root, learner, assignment)))
    return found


def released(cohort: Cohort) -> list[str]:
    """The cohort's assignments that have been released to learners, in course order."""
    return [a for a in cohort.assignments() if (cohort.root / "release" / a).is_dir()]


def one_result(gradebook, learner: str, assignment: str, max_score: float) -> Result:
    try:
        submission = gradebook.find_submission(assignment, learner)
    except MissingEntry:
        return Result(learner, assignment, False, 0.0, max_score, False)
    return Result(
        learner,
        assignment,
        True,
        float(submission.score),
        float(max_score),
        bool(submission.needs_manual_grade),
    )


def question_scores(cohort: Cohort) -> list[QuestionScore]:
    """Each learner's score on each graded cell, for a per-question export."""
    found = []
    with cohort.gradebook() as gradebook:
        for assignment in released(cohort):
            for submission in gradebook.assignment_submissions(assignment):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        found.append(
                            QuestionScore(
                                submission.student.id,
                                assignment,
                                notebook.name,
                                grade.name,
                                float(grade.score),
                                float(grade.max_score),
                                bool(grade.needs_manual_grade),
                            )
                        )
    found.sort(key=lambda q: (q.learner, q.assignment, q.notebook, q.question))
    return found
