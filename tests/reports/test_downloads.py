"""Preparing the downloads in the app: every format from one report, quickly."""

from __future__ import annotations

import statistics
import time

import pytest

from ccin_learn.reports.downloads import downloads, session_report
from ccin_learn.selfassessment.session import Session

# Measured 0.9 s (wall-clock and CPU) on the shared 2-core development machine; generous for CI.
BOUND_S = 2.5


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
