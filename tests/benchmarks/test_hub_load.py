"""``benchmarks/hub_load.py`` in a tiny configuration: its figures are measured and printed.

The full run (30 sign-ins in 30 s, 50 officers for 60 s) takes minutes and both cores;
here 3 people sign in within 5 s and 4 officers of 2 councils save for 3 s, and the
printed figures are read back. The check that no accepted save is lost is also tried
on made-up versions, where a loss is certain.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from benchmarks.hub_load import ACTION, COUNCIL_TYPE, is_kept
from ccin_learn.selfassessment.assessment import Answer, Council, new_assessment
from ccin_learn.selfassessment.store import Version

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "hub_load.py"
NUMBER = r"(\d+(?:\.\d+)?)"


def run_benchmark(*options: str) -> str:
    """The script's output; skipped with the script's reason if the part cannot run here."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *options],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        env=env,
        check=False,
    )
    skipped = re.search(r"^\w[\w-]*: skipped: (.*)$", done.stdout, re.M)
    if skipped:
        pytest.skip(skipped[1])
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^load average before: .+; \d+ CPU core\(s\)$", done.stdout, re.M)
    assert re.search(r"^load average after: .+; \d+ CPU core\(s\)$", done.stdout, re.M)
    return done.stdout


def spread_of(output: str, label: str, unit: str) -> tuple[float, float, float]:
    """(median, p95, max) from a "label: median X unit, p95 Y unit, max Z unit" line."""
    found = re.search(
        rf"{label}: median {NUMBER} {unit}, p95 {NUMBER} {unit}, max {NUMBER} {unit}", output
    )
    assert found, output
    median, p95, top = (float(found[n]) for n in (1, 2, 3))
    assert 0 < median <= p95 <= top, output
    return median, p95, top


@pytest.mark.slow
def test_people_signing_in_all_get_a_running_server_and_the_p95_is_printed() -> None:
    output = run_benchmark("--skip-officers", "--users", "3", "--window", "5")
    assert "sign-in: 3 users signing in within 5 s" in output
    assert "servers running: 3, failed: 0" in output, output
    _, p95, _ = spread_of(output, "time to a running server", "s")
    assert p95 < 300, output


@pytest.mark.slow
def test_officers_saving_at_once_lose_nothing_and_some_saves_are_refused_as_stale() -> None:
    output = run_benchmark(
        "--skip-signin", "--officers", "4", "--councils", "2", "--seconds", "3", "--processes", "2"
    )
    assert "4 simulated officers across 2 councils, read-change-save for 3 s" in output
    found = re.search(
        r"saves accepted: (\d+), refused as stale: (\d+), errors: (\d+), lost: (\d+)", output
    )
    assert found, output
    accepted, stale, errors, lost = (int(found[n]) for n in (1, 2, 3, 4))
    assert accepted > 0 and stale > 0, "two officers per council must have raced"
    assert (errors, lost) == (0, 0), output
    spread_of(output, "save latency", "ms")
    per_second = re.search(rf"accepted saves per second: {NUMBER}", output)
    assert per_second and float(per_second[1]) > 0, output
    assert "chain broken" not in output


def version(number: int, notes: str, saved_by: str) -> Version:
    council = Council(name="Testborough Council", type=COUNCIL_TYPE)
    assessment = new_assessment(council, date(2026, 1, 5))
    changed = assessment.with_answer(ACTION, Answer(level=2, notes=notes))
    return Version(council.name, number, datetime.now(UTC), changed, saved_by)


def test_a_save_counts_as_kept_only_as_its_own_version_on_what_was_read() -> None:
    token = "officer-a save 7"
    assert is_kept(version(3, token, "officer-a"), token, follows_what_was_read=True)
    assert not is_kept(None, token, follows_what_was_read=True)
    assert not is_kept(version(3, "officer-b save 1", "officer-b"), token, True)
    assert not is_kept(version(3, token, "officer-b"), token, True)
    assert not is_kept(version(3, token, "officer-a"), token, follows_what_was_read=False)
