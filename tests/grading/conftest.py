"""Fixtures for the grading tests: a tiny course's assessments and a cohort made from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccin_learn.grading.cohort import Cohort, init_cohort
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import make_assessments


@pytest.fixture
def course_source(tmp_path: Path) -> Path:
    """An assessments folder with one tiny assignment, ps1 (3 autograded + 2 hand-graded)."""
    return make_assessments(tmp_path / "assessments")


@pytest.fixture
def cohort(tmp_path: Path, course_source: Path) -> Cohort:
    """A new cohort of two learners, ada01 and bea02, with nothing released yet."""
    return init_cohort(
        tmp_path / "cohort", [Learner("ada01"), Learner("bea02")], source=course_source
    )
