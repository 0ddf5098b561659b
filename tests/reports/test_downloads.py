"""Preparing the downloads in the app: every format from one report, quickly."""

from __future__ import annotations

import statistics
import time

import pytest

from ccin_learn.reports.downloads import downloads, session_report
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store

BOUND_S = 2.5  # measured about 0.6 s on the 2-core development machine; generous for CI


@pytest.fixture
def full_session(tmp_path, unitary) -> Session:
    """A council with version 1 saved and all 15 actions answered since (version 2 saved)."""
    first = unitary.with_answer("pm-circular-economy", unitary.answer("pm-circular-economy")
                                .model_copy(update={"level": 0}))  # fmt: skip
    store = Store(f"sqlite:///{tmp_path / 'kit.sqlite'}", default_checklist())
    store.save(first, based_on=0)
    store.save(unitary, based_on=1)
    return Session.open(store, unitary.council.name)


def prepare(session: Session) -> float:
    started = time.perf_counter()
    made = downloads(session_report(session))
    elapsed = time.perf_counter() - started
    assert [d.filename.rsplit(".", 1)[1] for d in made] == ["json", "csv", "html", "pdf", "docx"]
    return elapsed


@pytest.mark.slow
def test_prepare_downloads_takes_at_most_a_moment(full_session, capsys):
    assert full_session.card.complete
    prepare(full_session)  # warm-up: imports, fonts, matplotlib's caches
    median = statistics.median(prepare(full_session) for _ in range(5))
    with capsys.disabled():
        print(f"\nPrepare downloads: median {median:.2f} s of 5")
    assert median <= BOUND_S
