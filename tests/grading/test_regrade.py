"""Fixing an unfair test: regrade who it affects, keep the trainer's hand marks.

The trainer grades ps1, hand-marks both written answers of two learners, then finds
that the hidden check of ``choice`` wrongly refuses "a" and that the second written
answer deserves 2 points, not 1. They fix both in ``source/ps1/``, release again, and
run ``grade autograde ps1 --changed-source``. The learners had fetched ps1 before the
fix, so their copies hold the old test: that is not an edit of theirs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner, Result

from ccin_learn.cli.grade import grade
from ccin_learn.grading.cohort import Cohort, init_cohort, release
from ccin_learn.grading.results import results
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import ANSWERS, answered, make_assessments, meta

pytestmark = pytest.mark.slow

KINDS = {"ada": "right", "bea": "partial"}
HAND_MARKS = {"ada": {"written": 2, "reason": 1}, "bea": {"written": 1, "reason": 0}}


def add_second_written_answer(notebook_path: Path) -> None:
    """A second hand-graded answer (1 point) below a locked question: its rubric."""
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells += [
        nbformat.v4.new_markdown_cell(
            "Why does it matter to a council? (1 point)",
            metadata=meta("question_reason", grade=False, solution=False, locked=True),
        ),
        nbformat.v4.new_markdown_cell(
            "YOUR ANSWER HERE",
            metadata=meta("reason", grade=True, solution=True, locked=False, points=1),
        ),
    ]
    nbformat.write(notebook, notebook_path)


def autograde(cohort: Cohort, *flags: str) -> Result:
    done = CliRunner().invoke(
        grade,
        ["autograde", "ps1", "--course", str(cohort.root), "--workers", "2", *flags],
        standalone_mode=False,
    )
    assert done.exception is None and done.return_value == 0, done.output
    return done


def hand_mark(cohort: Cohort, marks: dict[str, dict[str, int]]) -> None:
    """What the trainer does in Formgrader, through nbgrader's gradebook API."""
    with cohort.gradebook() as gradebook:
        for learner, cells in marks.items():
            for cell, score in cells.items():
                grade_ = gradebook.find_grade(cell, "ps1", "ps1", learner)
                grade_.manual_score, grade_.needs_manual_grade = score, False
                comment = gradebook.find_comment(cell, "ps1", "ps1", learner)
                comment.manual_comment = f"{learner}'s {cell}: marked by hand"
        gradebook.db.commit()


def hand_marks(cohort: Cohort) -> dict[tuple[str, str], tuple]:
    """(learner, cell) -> (manual score, awaiting hand-grading, manual comment)."""
    with cohort.gradebook() as gradebook:
        return {
            (learner, cell): (
                gradebook.find_grade(cell, "ps1", "ps1", learner).manual_score,
                gradebook.find_grade(cell, "ps1", "ps1", learner).needs_manual_grade,
                gradebook.find_comment(cell, "ps1", "ps1", learner).manual_comment,
            )
            for learner in KINDS
            for cell in ("written", "reason")
        }


def auto_scores(cohort: Cohort) -> dict[tuple[str, str], float]:
    with cohort.gradebook() as gradebook:
        return {
            (learner, cell): gradebook.find_grade(cell, "ps1", "ps1", learner).auto_score
            for learner in KINDS
            for cell in ("test_total", "test_choice")
        }


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    """ps1 released, handed in, autograded, and both written answers hand-marked."""
    base = tmp_path_factory.mktemp("regrade")
    source = make_assessments(base / "assessments")
    add_second_written_answer(source / "source" / "ps1" / "ps1.ipynb")
    cohort = init_cohort(base / "cohort", [Learner(i) for i in KINDS], source=source)
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
    release(cohort, "ps1")
    released = cohort.root / "release" / "ps1" / "ps1.ipynb"
    for learner, kind in KINDS.items():
        folder = cohort.root / "submitted" / learner / "ps1"
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
        answers = {**ANSWERS[kind], "reason": "Councils buy locally."}
        nbformat.write(answered(released, answers), folder / "ps1.ipynb")
    autograde(cohort)
    hand_mark(cohort, HAND_MARKS)
    return cohort


@pytest.fixture(scope="module")
def fixed(marked: Cohort) -> dict:
    """The test and the points fixed in source/, released again, then plain autograde."""
    path = marked.root / "source" / "ps1" / "ps1.ipynb"
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        info = cell.metadata["nbgrader"]
        if info["grade_id"] == "test_choice":
            cell.source = cell.source.replace('choice == "b"', 'choice in ("a", "b")').replace(
                "set choice to a, b or c", "choice must be one of a, b or c"
            )
        if info["grade_id"] == "reason":
            info["points"] = 2
    nbformat.write(notebook, path)
    release(marked, "ps1", force=True)
    before = (auto_scores(marked), hand_marks(marked))
    plain = autograde(marked)
    return {"before": before, "plain": plain, "after": (auto_scores(marked), hand_marks(marked))}


@pytest.fixture(scope="module")
def regraded(fixed: dict, marked: Cohort) -> Result:
    return autograde(marked, "--changed-source")


def test_plain_autograde_says_the_master_changed_and_changes_nothing(fixed):
    out = fixed["plain"].stdout
    assert (
        "ada: the master copy of ps1 changed since ada was graded (test_choice, reason): "
        "run autograde ps1 --changed-source"
    ) in out
    assert "0 unchanged since last time" in out
    assert fixed["after"] == fixed["before"]


def test_changed_source_regrades_with_the_fixed_test(regraded, marked):
    scores = auto_scores(marked)
    assert scores[("bea", "test_choice")] == 1  # "a" now passes the fixed check
    assert scores[("ada", "test_choice")] == 1
    assert scores[("bea", "test_total")] == scores[("ada", "test_total")] == 2


def test_changed_source_keeps_hand_marks_of_unchanged_answers(regraded, marked):
    marks = hand_marks(marked)
    assert marks[("ada", "written")] == (2, False, "ada's written: marked by hand")
    assert marks[("bea", "written")] == (1, False, "bea's written: marked by hand")
    # the answer whose points changed goes back to hand-grading, its old mark shown
    assert marks[("ada", "reason")] == (1, True, "ada's reason: marked by hand")
    assert marks[("bea", "reason")][1] is True


def test_changed_source_tells_the_trainer_what_it_did(regraded):
    assert (
        "Regraded 2 submission(s) whose tests or questions changed (test_choice, reason); "
        "kept 2 hand mark(s); 2 written answer(s) need re-marking because their question "
        "or points changed."
    ) in regraded.stdout
    assert "ada: hand mark(s) of reason need re-marking in Formgrader" in regraded.stdout
    # their copies hold the test as released before the fix: said so, not called an edit
    assert "ada: has the locked cell 'test_choice' in ps1.ipynb as released before" in (
        regraded.stdout
    )
    assert "edited the locked cell" not in regraded.stdout


def test_force_after_re_marking_keeps_every_hand_mark(regraded, marked):
    hand_mark(marked, {"ada": {"reason": 2}, "bea": {"reason": 1}})
    forced = autograde(marked, "--force")
    assert "Regraded 2 submission(s) graded before (--force); kept 4 hand mark(s)." in (
        forced.stdout
    )
    got = {r.learner: (r.score, r.max_score, r.needs_hand_grading) for r in results(marked)}
    assert got == {"ada": (7, 7, False), "bea": (5, 7, False)}
