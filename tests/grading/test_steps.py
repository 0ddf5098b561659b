"""Each grading step on its own, as nbgrader's tests do: one step's failure names that step.

The steps share one cohort per module (release -> submit -> collect -> autograde ->
hand-grade -> feedback -> export), each in its own fixture; a test checks only its
own step, so a broken release shows as one failure, not as every later test failing.
test_workflow.py runs the same steps end to end with every kind of submission.

They run twice, the gradebook in SQLite then in PostgreSQL (``new_gradebook_url``):
one autograde run of two learners' submissions is the PostgreSQL check of autograde's
copy from its scratch gradebook into the cohort's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from ccin_learn.grading.autograde import autograde
from ccin_learn.grading.cohort import Cohort, collect, init_cohort, release
from ccin_learn.grading.export import grades_csv
from ccin_learn.grading.feedback import make_feedback as feedback
from ccin_learn.grading.results import results
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import make_assessments, submit

pytestmark = pytest.mark.slow

LEARNERS = {"ada01": "right", "bea02": "partial"}


@pytest.fixture(scope="module")
def base(
    tmp_path_factory: pytest.TempPathFactory, new_gradebook_url: Callable[[], str | None]
) -> Path:
    """The folder of the cohort on each backend (one for the SQLite run, one for PostgreSQL)."""
    return tmp_path_factory.mktemp("steps")


@pytest.fixture(scope="module")
def new_cohort(base: Path, new_gradebook_url: Callable[[], str | None]) -> Cohort:
    """The module's cohort, its gradebook on SQLite, then on PostgreSQL (see conftest.py)."""
    source = make_assessments(base / "assessments")
    learners = [Learner(i) for i in LEARNERS]
    return init_cohort(base / "cohort", learners, source=source, db_url=new_gradebook_url())


@pytest.fixture(scope="module")
def released(new_cohort: Cohort) -> Cohort:
    release(new_cohort, "ps1")
    return new_cohort


@pytest.fixture(scope="module")
def submitted(released: Cohort, base: Path) -> Cohort:
    for learner, kind in LEARNERS.items():
        submit(released.root, "ps1", learner, kind, base / "homes")
    return released


@pytest.fixture(scope="module")
def collected(submitted: Cohort) -> list[str]:
    return collect(submitted, "ps1")


@pytest.fixture(scope="module")
def graded(submitted: Cohort, collected: list[str]) -> Cohort:
    autograde(submitted, "ps1", workers=1)
    return submitted


@pytest.fixture(scope="module")
def hand_graded(graded: Cohort) -> Cohort:
    """What a trainer does in Formgrader, through nbgrader's gradebook API."""
    with graded.gradebook() as gradebook:
        for learner, score in {"ada01": 2.0}.items():
            grade = gradebook.find_grade("written", "ps1", "ps1", learner)
            grade.manual_score = score
            grade.needs_manual_grade = False
        gradebook.db.commit()
    return graded


def test_init_writes_the_config_and_the_gradebook(new_cohort: Cohort) -> None:
    config = new_cohort.config_file.read_text(encoding="utf-8")
    assert "c.CourseDirectory.course_id = 'cohort'" in config  # the folder's name
    # Formgrader's feedback button, which reads this file, hides hidden tests too
    steps = new_cohort.nbgrader_config().GenerateFeedback.preprocessors
    assert "ccin_learn.grading.feedback.HideHiddenTests" in steps
    assert new_cohort.assignments() == ["ps1"]
    with new_cohort.gradebook() as gradebook:
        assert sorted(s.id for s in gradebook.students) == sorted(LEARNERS)


def test_release_hides_solutions_and_hidden_tests(released: Cohort) -> None:
    notebook = nbformat.read(released.root / "release" / "ps1" / "ps1.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "total = 2 + 3" not in text and "BEGIN HIDDEN TESTS" not in text
    assert 'assert isinstance(total, int), "total must be a whole number"' in text


def test_collect_lists_who_submitted(submitted: Cohort, collected: list[str]) -> None:
    assert collected == sorted(LEARNERS)
    assert (submitted.root / "submitted" / "bea02" / "ps1" / "ps1.ipynb").is_file()


def test_autograde_scores_each_answer_and_waits_for_the_written_one(graded: Cohort) -> None:
    got = {r.learner: (r.score, r.needs_hand_grading) for r in results(graded)}
    # bea02 left the written answer blank: nbgrader scores it 0 with nothing to mark
    assert got == {"ada01": (3.0, True), "bea02": (2.0, False)}


def test_feedback_goes_to_every_hand_graded_learner(hand_graded: Cohort) -> None:
    feedback(hand_graded, "ps1")
    for learner in LEARNERS:
        page = hand_graded.root / "feedback" / learner / "ps1" / "ps1.html"
        assert page.is_file(), learner


def test_export_has_a_row_per_learner_with_the_pass_verdict(hand_graded: Cohort) -> None:
    rows = list(csv.DictReader(io.StringIO(grades_csv(hand_graded, {"ps1": 70.0}))))
    got = {r["learner"]: (r["score"], r["percent"], r["passed"]) for r in rows}
    assert got == {"ada01": ("5", "100", "yes"), "bea02": ("2", "40", "no")}
