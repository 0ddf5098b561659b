"""A fictional cohort, headless, from release to verified credentials.

release -> hand-in -> autograde (parallel, sandboxed) against plain nbgrader's own
sequential run -> hand-grade (nbgrader API) -> feedback -> export -> credentials ->
verify, with one learner per kind of submission: right, partly right, blank, and an
edited test. The notebooks are put where collect puts them: collecting through the
exchange is tested in test_steps.py, test_course_ids.py and the trainer guide's test,
and an infinite loop in test_hostile.py.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime

import nbformat
import pytest

from ccin_learn.credentials.badge import Sources, VerificationError, verify
from ccin_learn.credentials.catalogue import Credential, pass_marks
from ccin_learn.credentials.issue import Signing, issue_credentials, read_register
from ccin_learn.credentials.keys import generate_key, load_issuer_keys
from ccin_learn.credentials.status import publish
from ccin_learn.grading.autograde import autograde
from ccin_learn.grading.cohort import init_cohort, open_cohort, release
from ccin_learn.grading.export import grades_csv, questions_csv
from ccin_learn.grading.feedback import make_feedback as feedback
from ccin_learn.grading.results import question_scores, results
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import ANSWERS, answered, copy_cohort, make_assessments

pytestmark = pytest.mark.slow

KINDS = {"ada": "right", "bea": "partial", "cal": "blank", "eve": "tamper"}
SECOND = {"ada": "right", "bea": "right"}  # bea passes the second without the first


def credential(cid: str, prerequisites: tuple[str, ...] = ()) -> Credential:
    return Credential(
        id=cid,
        title=f"Micro-credential: Test {cid}",
        module_title=f"Test {cid}",
        outcomes=("explain the test",),
        study_hours=1,
        assessment_hours=1,
        level="Introductory test level",
        assessment="Notebook, autograded and hand-graded",
        participation="Online",
        quality_assurance="Tested model answers and a rubric",
        prerequisites=prerequisites,
        pass_mark=70,
    )


CREDENTIALS = (credential("ps1"), credential("ps2", ("ps1",)))


def hand_grade(cohort, assignment: str, scores: dict[str, float]) -> None:
    """What a trainer does in Formgrader, through nbgrader's gradebook API."""
    with cohort.gradebook() as gradebook:
        for learner, score in scores.items():
            grade = gradebook.find_grade("written", assignment, assignment, learner)
            grade.manual_score = score
            grade.needs_manual_grade = False  # as Formgrader does when a mark is saved
        gradebook.db.commit()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("cohort")
    source = make_assessments(base / "assessments", ("ps1", "ps2"))
    learners = [Learner(i, first_name=i.capitalize(), last_name="Fictional") for i in KINDS]
    cohort = init_cohort(base / "cohort", learners, source=source)
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
    for assignment, kinds in (("ps1", KINDS), ("ps2", SECOND)):
        release(cohort, assignment)
        released = cohort.root / "release" / assignment / f"{assignment}.ipynb"
        for learner, kind in kinds.items():
            folder = cohort.root / "submitted" / learner / assignment
            folder.mkdir(parents=True)
            (folder / "timestamp.txt").write_text("2026-11-20 09:00:00.000000 UTC")
            nbformat.write(answered(released, ANSWERS[kind]), folder / f"{assignment}.ipynb")
    sequential = copy_cohort(cohort.root, base / "sequential")
    report = autograde(cohort, "ps1", workers=2)
    autograde(cohort, "ps2", workers=2)
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "ps1"],
        cwd=sequential,
        capture_output=True,
        check=True,
    )
    return {
        "base": base,
        "cohort": cohort,
        "report": report,
        "sequential": open_cohort(sequential),
    }


def scores(cohort, assignment="ps1") -> dict[str, float]:
    return {r.learner: r.score for r in results(cohort) if r.assignment == assignment}


def test_right_partial_and_blank_answers_score_as_nbgrader_says(run):
    got = scores(run["cohort"])
    assert got["ada"] == 3  # both autograded questions: 2 + 1 (written answer not yet graded)
    assert got["bea"] == 2  # the first right, the second wrong
    assert got["cal"] == 0  # blank


def test_parallel_scores_equal_nbgraders_sequential_scores(run):
    assert run["report"].workers == 2

    def by_cell(cohort):
        return sorted(
            (q.learner, q.question, q.score)
            for q in question_scores(cohort)
            if q.assignment == "ps1"
        )

    assert by_cell(run["cohort"]) == by_cell(run["sequential"])
    assert scores(run["cohort"]) == scores(run["sequential"])


def test_edited_test_cell_is_reported_and_graded_with_the_master_copy(run):
    eve = next(o for o in run["report"].outcomes if o.learner == "eve")
    assert eve.graded
    assert any("edited the locked cell 'test_total'" in p for p in eve.problems)
    assert scores(run["cohort"])["eve"] == 1  # total = 4 fails the restored hidden test
    others = [o for o in run["report"].outcomes if o.learner in ("ada", "bea", "cal")]
    assert all(not any("locked" in p for p in o.problems) for o in others)


def test_grading_again_is_idempotent_and_keeps_hand_grades(run):
    cohort = run["cohort"]
    hand_grade(cohort, "ps1", {"ada": 2})
    before = sorted((r.learner, r.score, r.needs_hand_grading) for r in results(cohort))
    again = autograde(cohort, "ps1", workers=2)
    assert len(again.unchanged) == 4, "unchanged submissions are not graded twice"
    after = sorted((r.learner, r.score, r.needs_hand_grading) for r in results(cohort))
    assert after == before
    assert scores(cohort)["ada"] == 5


def test_feedback_export_credentials_and_verification(run, tmp_path):
    cohort = run["cohort"]
    hand_grade(cohort, "ps1", {"ada": 2, "bea": 1, "cal": 0, "eve": 0})
    hand_grade(cohort, "ps2", {"ada": 2, "bea": 2})
    feedback(cohort, "ps1")
    assert (cohort.root / "feedback" / "ada" / "ps1" / "ps1.html").is_file()

    grades = list(csv.DictReader(io.StringIO(grades_csv(cohort, pass_marks()))))
    ada = next(g for g in grades if g["learner"] == "ada" and g["assignment"] == "ps1")
    assert (ada["score"], ada["percent"], ada["awaiting_hand_grading"]) == ("5", "100", "no")
    per_question = list(csv.DictReader(io.StringIO(questions_csv(cohort))))
    assert {q["question"] for q in per_question} == {"test_total", "test_choice", "written"}

    private, _ed, _public = generate_key(tmp_path / "keys")
    keys = load_issuer_keys(private)
    profile, status_list = publish(cohort.course, keys, tmp_path / "site")
    out = tmp_path / "issued"
    when = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    first = issue_credentials(cohort, out, Signing(keys), CREDENTIALS, now=when)
    issued = {(d.learner, d.credential) for d in first if d.issued}
    assert issued == {("ada", "ps1"), ("ada", "ps2")}
    reasons = {(d.learner, d.credential): d.reason for d in first if not d.issued}
    assert reasons[("bea", "ps2")] == "needs the ps1 credential first"
    assert reasons[("bea", "ps1")] == "scored 60%, below the pass mark of 70%"
    assert reasons[("cal", "ps2")] == "has not submitted the assessment"

    again = issue_credentials(cohort, out, Signing(keys), CREDENTIALS, now=when)
    assert not any(d.issued for d in again), "re-running issues nothing twice"
    assert len(read_register(out / "register.csv")) == 2

    token = (out / "ada" / "ps1.jwt").read_text().strip()
    offline = Sources(profile, status_list)
    badge = verify(token, offline).vc
    assert badge["credentialSubject"]["achievement"]["achievementType"] == "MicroCredential"
    assert badge["credentialSubject"]["result"][0]["value"] == "100"
    assert (out / "ada" / "ps1-certificate.pdf").read_bytes().startswith(b"%PDF")

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["result"][0]["value"] = "40"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(f"{header}.{forged}.{signature}", offline)
