"""The store's tests run on SQLite (a laptop) and on PostgreSQL (a shared deployment)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.store import Store

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Call it for the URL of a new, empty database on each backend in turn.

    The PostgreSQL cluster starts only when a test asks for it, so ``-k sqlite`` runs
    without one.
    """
    if request.param == "postgresql":
        return request.getfixturevalue("postgresql_database")
    numbers = iter(range(1, 1000))
    return lambda: f"sqlite:///{tmp_path / f'kit-{next(numbers)}.sqlite'}"


@pytest.fixture
def db_url(new_db_url: Callable[[], str]) -> str:
    """The URL of a new, empty database (SQLite file or PostgreSQL database)."""
    return new_db_url()


@pytest.fixture
def store(db_url: str, checklist: Checklist) -> Store:
    """A self-assessment store on a new database of each backend, with the small checklist."""
    return Store(db_url, checklist)
