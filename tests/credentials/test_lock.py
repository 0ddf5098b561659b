"""Two `credentials issue` runs at once sign and record each credential exactly once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

import pytest

from ccin_learn.credentials.issue import Signing, issue_credentials, read_register
from ccin_learn.credentials.status import read_state
from tests.credentials.issuer import Body, cohort_folder, gradebook_free, make_body, parts

RUNS = 2


def run_issue(body: Body, cohort_root: Path, out: Path, start: object) -> None:
    """One issuing process: wait for the other, then issue (forked: the patches carry over)."""
    from ccin_learn.grading.cohort import open_cohort

    cohort = open_cohort(cohort_root)
    start.wait()  # type: ignore[attr-defined]
    issue_credentials(cohort, out, Signing(body.keys))


def test_two_issues_at_once_sign_and_record_each_credential_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = make_body(tmp_path)
    cohort = cohort_folder(tmp_path / "spring", body.course)
    gradebook_free(monkeypatch)
    out = tmp_path / "issued"
    context = multiprocessing.get_context("fork")
    start = context.Barrier(RUNS)
    runs = [
        context.Process(target=run_issue, args=(body, cohort.root, out, start)) for _ in range(RUNS)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join(60)
    assert [run.exitcode for run in runs] == [0] * RUNS

    register = read_register(out / "register.csv")
    assert Counter((r["learner_id"], r["credential"]) for r in register) == {
        ("ada01", "coop-option"): 1,
        ("bea02", "coop-option"): 1,
    }
    signed = read_state(body.keys.folder)
    assert len(signed) == 2, "each credential was signed (given a status index) once"
    assert {r["credential_id"] for r in signed} == {r["credential_id"] for r in register}
    for row in register:
        token = (out / row["badge_file"]).read_text().strip()
        assert parts(token)[1]["id"] == row["credential_id"], "the file is the recorded one"
    assert sorted(p.name for p in out.rglob("*.jwt")) == ["coop-option.jwt"] * 2
