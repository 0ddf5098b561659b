"""Preparing the downloads in the app: every format from one report, quickly."""

from __future__ import annotations

import statistics
import time

import pytest

from ccin_learn.reports.downloads import downloads, session_report
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store

# Measured 0.9 s (wall-clock and CPU) on the shared 2-core development machine; generous for CI.
BOUND_S = 2.5


@pytest.fixture
def full_session(tmp_path, unitary) -> Session:
    """A council with version 1 saved and all 15 actions answered since (version 2 saved)."""
    first = unitary.with_answer("pm-circular-economy", unitary.answer("pm-circular-economy")
                                .model_copy(update={"level": 0}))  # fmt: skip
    store = Store(f"sqlite:///{tmp_path / 'kit.sqlite'}", default_checklist())
    store.save(first, based_on=0)
    store.save(unitary, based_on=1)
    return Session.open(store, unitary.council.name)


def prepare(session: Session) -> tuple[float, float]:
    """Seconds of wall-clock and of this process's CPU to prepare every download."""
    wall, cpu = time.perf_counter(), time.process_time()
    made = downloads(session_report(session))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert [d.filename.rsplit(".", 1)[1] for d in made] == ["json", "csv", "html", "pdf", "docx"]
    return wall, cpu


@pytest.mark.slow
def test_prepare_downloads_takes_at_most_a_moment(full_session, capsys):
    """Judged by CPU time, which other work on a shared test machine does not inflate."""
    assert full_session.card.complete
    prepare(full_session)  # warm-up: imports, fonts, matplotlib's caches
    walls, cpus = zip(*(prepare(full_session) for _ in range(5)), strict=True)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    with capsys.disabled():
        print(f"\nPrepare downloads, median of 5: {wall:.2f} s wall-clock, {cpu:.2f} s CPU")
    assert cpu <= BOUND_S
