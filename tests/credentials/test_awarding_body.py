"""No credential names the kit's example awarding body.

``grade init`` copies the kit's course.yaml, which names the network; a trainer who
issues before editing it would sign certificates saying the network certifies their
learners. The refusal compares with the kit's own assessments/course.yaml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ccin_learn.credentials.keys import generate_key
from ccin_learn.grading.cohort import init_cohort
from tests.grading.cohorts import make_assessments

pytestmark = pytest.mark.slow  # init_cohort takes seconds


@pytest.fixture
def shipped_cohort(tmp_path: Path, assessments: Path) -> Path:
    """A cohort whose course.yaml is the kit's, as `grade init` copies it, unedited."""
    source = make_assessments(tmp_path / "assessments")
    shutil.copy(assessments / "course.yaml", source / "course.yaml")
    return init_cohort(tmp_path / "spring", [], source=source).root


def issue(cohort: Path, tmp_path: Path, run_cli, exit_code: int):
    private = tmp_path / "keys" / "issuer-key.pem"
    if not private.exists():
        private, _ed, _public = generate_key(tmp_path / "keys")
    args = ["credentials", "issue", "--course", cohort, "-o", cohort / "issued", "--key", private]
    return run_cli(args, exit_code=exit_code)


def test_the_shipped_awarding_body_is_refused_until_the_trainer_names_their_own(
    shipped_cohort: Path, tmp_path: Path, run_cli
) -> None:
    err = issue(shipped_cohort, tmp_path, run_cli, exit_code=1).err.strip()
    assert err == (
        f"ccin-learn: error: course.yaml in {shipped_cohort} still names the kit's example "
        "awarding body (Cooperative Councils' Innovation Network, https://councils.coop/, "
        "comms@councils.coop, https://councils.coop/ccin/issuer/): put your organisation's "
        "name, web address, email, country and issuer address there before issuing credentials"
    )
    assert not (shipped_cohort / "issued").exists(), "nothing is written"

    course = shipped_cohort / "course.yaml"
    data = yaml.safe_load(course.read_text(encoding="utf-8"))
    data["awarding_body"] = {
        "name": "Anyshire Council",
        "url": "https://anyshire.example/",
        "email": "learning@anyshire.example",
        "country": "GB",
        "issuer_url": "https://anyshire.example/ccin/issuer/",
    }
    course.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = issue(shipped_cohort, tmp_path, run_cli, exit_code=0).out
    assert out.startswith(f"Issued 0 credential(s) into {shipped_cohort / 'issued'}.")
