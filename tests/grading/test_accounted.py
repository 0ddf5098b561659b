"""Every submission accounted for: what the trainer sees for each awkward kind of submission.

One cohort, autograded once through ``ccin-learn grade autograde``: a renamed notebook,
a pasted copy of a graded cell, a cell turned from markdown to code, an extra
``-Copy1`` notebook, a deleted check, a check that fails only because it wrote a
warning to stderr, a check that needs a module the kernel lacks, an honest learner, and
a learner who never handed in. The tests read ``grade status``, ``grade export`` and
the gradebook, as the trainer would.
"""

from __future__ import annotations

import copy
import csv
import io
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner, Result

from ccin_learn.cli.grade import grade
from ccin_learn.grading.cohort import Cohort, init_cohort, release
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import ANSWERS, answered, make_assessments

# One kernel run per learner, on the default SQLite gradebook only: copying results into
# a PostgreSQL gradebook is covered by test_steps.py.
pytestmark = pytest.mark.slow

WARNS = """\
import warnings
class Total(int):
    def __eq__(self, other):
        warnings.warn("comparing totals this way is deprecated", FutureWarning)
        return int(self) == other
    __hash__ = int.__hash__
total = Total(5)"""
NEEDS_MODULE = """\
class Total(int):
    def __eq__(self, other):
        import ccin_no_such_module
        return int(self) == other
    __hash__ = int.__hash__
total = Total(5)"""
LEARNERS = [
    "ren",
    "dup",
    "typ",
    "cop",
    "del",
    "err",
    "imp",
    "hon",
    "abs",  # on the roster, never handed in
]


def grade_id(cell: nbformat.NotebookNode) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def handed_in(released: Path) -> dict[str, dict[str, nbformat.NotebookNode]]:
    """Each learner's files, as 'grade collect' leaves them in submitted/<learner>/ps1/."""
    right = answered(released, ANSWERS["right"])
    dup = copy.deepcopy(right)
    index = next(i for i, c in enumerate(dup.cells) if grade_id(c) == "test_total")
    pasted = copy.deepcopy(dup.cells[index])  # a pasted copy of a check
    pasted.id = "pasted-copy"  # as JupyterLab gives a pasted cell an id of its own
    dup.cells.insert(index + 1, pasted)
    typ = copy.deepcopy(right)
    for cell in typ.cells:
        if grade_id(cell) == "written":  # the written answer turned into a code cell
            cell.cell_type, cell.outputs, cell.execution_count = "code", [], None
    deleted = copy.deepcopy(right)
    deleted.cells = [c for c in deleted.cells if grade_id(c) != "test_total"]
    return {
        "ren": {"ps1 (1).ipynb": right},
        "dup": {"ps1.ipynb": dup},
        "typ": {"ps1.ipynb": typ},
        "cop": {"ps1.ipynb": right, "ps1-Copy1.ipynb": right},
        "del": {"ps1.ipynb": deleted},
        "err": {"ps1.ipynb": answered(released, {**ANSWERS["right"], "answer_total": WARNS})},
        "imp": {
            "ps1.ipynb": answered(released, {**ANSWERS["right"], "answer_total": NEEDS_MODULE})
        },
        "hon": {"ps1.ipynb": right},
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cohort, Result]:
    """The cohort with ps1 released (ps2 not), handed in, and autograded by the CLI once."""
    base = tmp_path_factory.mktemp("accounted")
    source = make_assessments(base / "assessments", ("ps1", "ps2"))
    cohort = init_cohort(base / "cohort", [Learner(i) for i in LEARNERS], source=source)
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
    release(cohort, "ps1")
    for learner, files in handed_in(cohort.root / "release" / "ps1" / "ps1.ipynb").items():
        folder = cohort.root / "submitted" / learner / "ps1"
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
        for name, notebook in files.items():
            nbformat.write(notebook, folder / name)
    done = CliRunner().invoke(
        grade,
        ["autograde", "ps1", "--course", str(cohort.root), "--workers", "2"],
        standalone_mode=False,
    )
    assert done.exception is None, done.output
    return cohort, done


@pytest.fixture(scope="module")
def status(graded: tuple[Cohort, Result]) -> dict[str, str]:
    """'grade status', one line per learner (ps1 is the only released assessment)."""
    done = CliRunner().invoke(grade, ["status", "--course", str(graded[0].root)])
    assert done.exit_code == 0, done.output
    lines = {}
    for line in done.stdout.splitlines():
        learner, assignment, state = line.split(maxsplit=2)
        assert assignment == "ps1", f"an unreleased assessment is listed: {line}"
        lines[learner] = state
    return lines


@pytest.fixture(scope="module")
def export(graded: tuple[Cohort, Result]) -> dict[str, dict[str, str]]:
    """'grade export' rows by learner."""
    done = CliRunner().invoke(grade, ["export", "--course", str(graded[0].root)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {r["assignment"] for r in rows} == {"ps1"}, "only released assessments"
    return {r["learner"]: r for r in rows}


def test_everyone_who_handed_in_is_submitted(status, export):
    assert status["abs"] == "not submitted"
    for learner in LEARNERS[:-1]:
        assert status[learner].startswith("submitted") or "%" in status[learner], learner
        assert export[learner]["submitted"] == "yes", learner
    assert export["abs"]["submitted"] == "no"


def test_a_renamed_notebook_needs_review_with_the_fix(graded, status, export):
    fix = (
        "needs review: the notebook was renamed to 'ps1 (1).ipynb' — rename it to ps1.ipynb "
        "in submitted/ren/ps1/ and run autograde again, or ask the learner to resubmit"
    )
    assert status["ren"].startswith("submitted; awaiting hand-grading (0/5 so far)")
    assert status["ren"].endswith(fix)
    assert export["ren"]["review"] == fix.removeprefix("needs review: ")
    cli = graded[1]
    assert cli.return_value == 1
    assert "1 could not be graded (kept as submitted, needing review)." in cli.stdout
    assert "traceback" not in cli.stdout and "nbgrader update" not in cli.stdout


def test_a_pasted_graded_cell_is_graded_and_named(status, export):
    assert export["dup"]["score"] == "3"  # both checks pass, as for an honest learner
    assert (
        "needs review: has 2 cells with the grade id 'test_total' in ps1.ipynb "
        "(a pasted copy of a graded cell)"
    ) in status["dup"]


def test_a_changed_cell_type_is_graded_and_named(status, export):
    assert export["typ"]["score"] == "3"
    assert "changed the cell 'written' in ps1.ipynb from markdown to code" in status["typ"]


def test_an_extra_copy_is_named_and_the_original_graded(export):
    assert export["cop"]["score"] == "3"
    assert (
        "also handed in 'ps1-Copy1.ipynb', which nbgrader does not grade"
        in (export["cop"]["review"])
    )


def test_a_deleted_check_is_restored_and_graded(graded, export):
    cohort, cli = graded
    assert (
        "del: deleted the locked cell 'test_total' in ps1.ipynb; it was restored from the "
        "master copy and graded"
    ) in cli.stdout
    assert export["del"]["score"] == export["hon"]["score"] == "3"
    assert export["del"]["review"] == ""
    with cohort.gradebook() as gradebook:
        check = gradebook.find_grade("test_total", "ps1", "ps1", "del")
        assert (check.auto_score, check.needs_manual_grade) == (2, False)


def test_a_check_failing_only_on_stderr_is_explained(export):
    assert export["err"]["score"] == "1"  # nbgrader's own score: stderr counts as failure
    assert export["err"]["review"] == (
        "the check 'test_total' wrote to stderr (a warning), which nbgrader scores as a "
        "failure: look at it in Formgrader"
    )


def test_a_check_needing_a_missing_module_is_explained(export):
    assert export["imp"]["score"] == "1"
    assert export["imp"]["review"].startswith(
        "the check 'test_total' needs module 'ccin_no_such_module', which the grading kernel lacks"
    )


def test_an_honest_learner_needs_no_review(status, export):
    assert status["hon"] == "submitted; awaiting hand-grading (3/5 so far)"
    assert export["hon"]["review"] == ""
