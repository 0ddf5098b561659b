"""Fixtures for the grading tests: a tiny course's assessments and a cohort made from them.

The gradebook-level tests run on both of nbgrader's gradebooks a trainer may use: the
cohort folder's SQLite file (the default) and a PostgreSQL database given by URL (a
shared deployment). The PostgreSQL cluster starts only when a test asks for it, so
``-k sqlite`` runs without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ccin_learn.grading.cohort import Cohort, init_cohort
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import make_assessments
from tests.pg_cluster import new_databases

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="module", params=BACKENDS)
def new_gradebook_url(request: pytest.FixtureRequest) -> Iterator[Callable[[], str | None]]:
    """Call it for a new, empty gradebook's URL on each backend in turn.

    SQLite gives None: ``init_cohort``'s default, ``gradebook.db`` in the cohort folder,
    which is what a trainer gets. PostgreSQL gives a new database on this worker's
    cluster (its URL carries the password, so it goes through the Python API, never a
    command line); the databases go at the end of the module. Module-scoped, so a
    module's shared cohort (test_steps.py) can be built on it.
    """
    if request.param == "sqlite":
        yield lambda: None
        return
    with new_databases(request.getfixturevalue("postgresql_cluster"), "gradebook") as new:
        yield new


@pytest.fixture
def gradebook_url(new_gradebook_url: Callable[[], str | None]) -> str | None:
    """A new, empty gradebook's URL (None: the cohort folder's SQLite gradebook)."""
    return new_gradebook_url()


@pytest.fixture
def course_source(tmp_path: Path) -> Path:
    """An assessments folder with one tiny assignment, ps1 (3 autograded + 2 hand-graded)."""
    return make_assessments(tmp_path / "assessments")


@pytest.fixture
def cohort(tmp_path: Path, course_source: Path, gradebook_url: str | None) -> Cohort:
    """A new cohort of two learners, ada01 and bea02, with nothing released yet."""
    return init_cohort(
        tmp_path / "cohort",
        [Learner("ada01"), Learner("bea02")],
        source=course_source,
        db_url=gradebook_url,
    )
