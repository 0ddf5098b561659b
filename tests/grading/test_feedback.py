"""Feedback for every learner, and hidden tests never in it.

One cohort holds every real assessment in the kit's ``assessments/`` (cheaper than one
per assessment): for each, "model" answers with the model answers and "wrong" with
wrong values of the right types (the visible checks pass, the hidden tests fail), both
sent as a learning platform's zips; on the first assessment two more learners submit
through nbgrader's exchange, so it is also a mixed cohort.

- ``grade feedback ASSIGNMENT --zip OUT`` makes everyone's feedback, releases it through
  the exchange to the exchange learners, keeps it for the zip learners, and writes one
  zip per learner for the platform.
- No line of any hidden-test block reaches any feedback page or the released notebook
  (nbgrader issue #917: feedback shows the graded test cells as they ran).
"""

from __future__ import annotations

import ast
import html
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.fetch_feedback import ExchangeFetchFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit

from ccin_learn.grading.autograde import autograde
from ccin_learn.grading.cohort import Cohort, init_cohort, release
from ccin_learn.grading.feedback import make_feedback as feedback
from ccin_learn.grading.results import results
from ccin_learn.grading.roster import Learner
from ccin_learn.grading.zipcollect import collect_zips
from tests.grading.cohorts import answered, between, copy_cohort

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("new_gradebook_url", ["sqlite"], indirect=True),
]

BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
TELLING = 10  # shorter lines (")", "pass") could appear anywhere


def fast(cohort: Cohort) -> Cohort:
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
    return cohort


def page_text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", page.read_text(encoding="utf-8")))


def hidden_lines(source: Path) -> set[str]:
    """Each telling line of every hidden-test block of a source notebook, stripped."""
    return {
        line.strip()
        for cell in nbformat.read(source, 4).cells
        for line in between(cell.source, BEGIN_HIDDEN, END_HIDDEN)
        if len(line.strip()) >= TELLING
    }


def notebook_lines(path: Path) -> set[str]:
    return {
        line.strip() for cell in nbformat.read(path, 4).cells for line in cell.source.splitlines()
    }


# ---- one cohort of every real assessment, exchange and zip learners -------------------


def model_answer(source: str) -> str:
    return "\n".join(
        line for line in source.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)
    )


def wrong_answer(source: str) -> str:
    """The model answer, then each answer changed to a wrong value of the same type."""
    names = [
        target.id
        for node in ast.parse(model_answer(source)).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    spoil = (
        f"\nfor _name in {names!r}:\n"
        "    _v = globals()[_name]\n"
        "    if isinstance(_v, bool): globals()[_name] = not _v\n"
        "    elif isinstance(_v, (int, float)): globals()[_name] = _v * 3 + 7\n"
        "    elif isinstance(_v, str) and len(_v) == 1:\n"
        "        globals()[_name] = 'a' if _v != 'a' else 'd'\n"
        "    elif isinstance(_v, dict):\n"
        "        globals()[_name] = dict(zip(_v, reversed(list(_v.values()))))\n"
        "    elif isinstance(_v, (list, tuple)): globals()[_name] = type(_v)(reversed(_v))\n"
    )
    return model_answer(source) + spoil


def learners_notebook(source: Path, released: Path, wrong: bool) -> nbformat.NotebookNode:
    answers = {}
    for cell in nbformat.read(source, 4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            if cell.cell_type == "code":
                answers[meta["grade_id"]] = (wrong_answer if wrong else model_answer)(cell.source)
            elif not wrong:
                answers[meta["grade_id"]] = model_answer(cell.source)
    return answered(released, answers)


def exchange_submit(cohort: Cohort, assignment: str, learner: str, nb, home: Path) -> None:
    """What ``nbgrader submit`` does for a learner (tests/grading/cohorts.py runs it as a
    command), in this process: each command takes seconds to start on 2 busy cores."""
    (home / assignment).mkdir(parents=True)
    nbformat.write(nb, home / assignment / f"{assignment}.ipynb")
    config = cohort.nbgrader_config()
    config.CourseDirectory.student_id = learner
    config.CourseDirectory.assignment_id = assignment
    config.Exchange.assignment_dir = str(home)
    config.Exchange.path_includes_course = False  # the learner's own nbgrader settings
    config.Exchange.cache = str(home / "cache")  # in the learner's own home
    coursedir = CourseDirectory(config=config)
    ExchangeSubmit(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config
    ).start()


@pytest.fixture(scope="module")
def every_assessment(tmp_path_factory, assessments: Path, new_gradebook_url) -> Cohort:
    """One cohort of every real assessment, all graded, with feedback made.

    "model" and "wrong" send zips from a learning platform for every assessment; on the
    first, "ada01" (model answers) and "bea02" (wrong ones) submit through the exchange too.
    """
    base = tmp_path_factory.mktemp("every")
    learners = [Learner(i) for i in ("ada01", "bea02", "model", "wrong")]
    cohort = fast(init_cohort(base / "cohort", learners, assessments))
    for number, assignment in enumerate(cohort.assignments()):
        release(cohort, assignment)
        name = f"{assignment}.ipynb"
        source = cohort.root / "source" / assignment / name
        released = cohort.root / "release" / assignment / name
        downloads = base / "downloads" / assignment
        downloads.mkdir(parents=True)
        for learner in ("model", "wrong"):
            nb = learners_notebook(source, released, wrong=learner == "wrong")
            with zipfile.ZipFile(downloads / f"{learner}.zip", "w") as archive:
                archive.writestr(f"{assignment}/{name}", nbformat.writes(nb))
        assert collect_zips(cohort, assignment, downloads).collected == ["model", "wrong"]
        if number == 0:
            for learner, wrong in (("ada01", False), ("bea02", True)):
                nb = learners_notebook(source, released, wrong=wrong)
                exchange_submit(cohort, assignment, learner, nb, base / "homes" / learner)
            cohort.api().collect(assignment)
        report = autograde(cohort, assignment, workers=2)
        assert not report.failed, [o.problems for o in report.outcomes]
        made = feedback(cohort, assignment)
        assert not made.failed, made.failed
    return cohort


@pytest.fixture(scope="module")
def first(every_assessment: Cohort) -> str:
    """The assessment the exchange learners submitted."""
    return every_assessment.assignments()[0]


def test_every_learner_of_a_mixed_cohort_gets_feedback(run_cli, every_assessment, first, tmp_path):
    cohort, out = every_assessment, tmp_path / "for-the-platform"
    result = run_cli(["grade", "feedback", first, "--course", cohort.root, "--zip", out])

    assert (
        f"Feedback for {first}: 4 learner(s) in {cohort.root / 'feedback'}; 2 released through "
        "the exchange (ada01, bea02), 2 kept there only (not submitted through the exchange) "
        "(model, wrong)."
    ) in result.out
    assert f"Wrote 4 feedback zip(s) to {out}." in result.out
    released = list((cohort.root / "exchange").glob("*/feedback/*.html"))
    assert len(released) == 2, "one page for each exchange learner"
    for learner in ("ada01", "bea02", "model", "wrong"):
        page = cohort.root / "feedback" / learner / first / f"{first}.html"
        with zipfile.ZipFile(out / f"{learner}-{first}-feedback.zip") as archive:
            assert archive.namelist() == [f"{first}.html"]
            assert archive.read(f"{first}.html") == page.read_bytes()


def test_an_exchange_learner_fetches_feedback_without_hidden_tests(
    every_assessment, first, tmp_path
):
    config = every_assessment.nbgrader_config()
    home = every_assessment.root.parent / "homes" / "ada01"  # where ada01 submitted from
    config.CourseDirectory.student_id = "ada01"
    config.CourseDirectory.assignment_id = first
    config.Exchange.assignment_dir = str(home)
    config.Exchange.path_includes_course = False
    config.Exchange.cache = str(home / "cache")
    coursedir = CourseDirectory(config=config)
    ExchangeFetchFeedback(
        coursedir=coursedir, authenticator=Authenticator(config=config), config=config
    ).start()
    pages = list(home.glob(f"{first}/feedback/*/{first}.html"))
    assert len(pages) == 1
    source = every_assessment.root / "source" / first / f"{first}.ipynb"
    assert not [line for line in hidden_lines(source) if line in page_text(pages[0])]


def test_feedback_zips_refuse_a_file_as_the_folder(run_cli, every_assessment, first, tmp_path):
    (tmp_path / "out").write_text("not a folder")
    result = run_cli(
        ["grade", "feedback", first, "--course", every_assessment.root, "--zip", tmp_path / "out"],
        exit_code=2,
    )
    assert "is a file" in result.err
    assert (tmp_path / "out").read_text() == "not a folder"


def test_a_learner_whose_feedback_fails_is_named_and_the_rest_get_theirs(
    run_cli, every_assessment, first, tmp_path
):
    cohort = copy_cohort(every_assessment.root, tmp_path / "cohort")
    (cohort / "autograded" / "bea02" / first / f"{first}.ipynb").write_text("{not json")

    result = run_cli(["grade", "feedback", first, "--course", cohort], exit_code=1, one_line=False)

    assert f"Feedback for {first}: 3 learner(s)" in result.out
    assert "2 kept there only (not submitted through the exchange) (model, wrong)." in result.out
    assert re.search(r"^  no feedback for bea02: generating feedback failed: .+$", result.out, re.M)
    assert (cohort / "feedback" / "ada01" / first / f"{first}.html").is_file()


def test_every_assessment_has_hidden_tests_and_the_wrong_answers_fail_them(every_assessment):
    scores = {(r.learner, r.assignment): r.score for r in results(every_assessment)}
    for assignment in every_assessment.assignments():
        source = every_assessment.root / "source" / assignment / f"{assignment}.ipynb"
        released = every_assessment.root / "release" / assignment / f"{assignment}.ipynb"
        assert hidden_lines(source) - notebook_lines(released), f"{assignment}: no hidden tests"
        assert scores[("wrong", assignment)] < scores[("model", assignment)], assignment
        wrong = page_text(
            every_assessment.root / "feedback" / "wrong" / assignment / f"{assignment}.html"
        )
        assert "AssertionError" in wrong, f"{assignment}: no failed test in the wrong answers"
        # a failed hidden check is named, but its message (which states the answer) is not
        assert "AssertionError: one of the hidden checks did not pass" in wrong, assignment


def test_no_hidden_test_line_reaches_feedback_or_the_release(every_assessment):
    for assignment in every_assessment.assignments():
        name = f"{assignment}.ipynb"
        released = every_assessment.root / "release" / assignment / name
        hidden = hidden_lines(every_assessment.root / "source" / assignment / name)
        assert not hidden & notebook_lines(released), f"the release of {assignment} shows them"
        for learner in ("model", "wrong"):
            page = page_text(
                every_assessment.root / "feedback" / learner / assignment / f"{assignment}.html"
            )
            leaked = sorted(line for line in hidden if line in page)
            assert not leaked, f"{learner}'s {assignment} feedback shows {leaked[:3]}"
