"""``benchmarks/live_tools.py`` without a browser: what it refuses, and how it reports.

The timing itself needs Chromium and a built book (minutes on 2 cores); the figures it
printed are in the issue notes. Here: the report's ratios and its refusals.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.live_tools import Side, report

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "live_tools.py"


def lite_of(folder: Path, megabytes: int) -> Path:
    (folder / "lite").mkdir(parents=True)
    (folder / "lite" / "runtime.bin").write_bytes(b"\0" * megabytes * 1_000_000)
    return folder


def test_the_report_gives_ratios_to_the_targets_and_to_the_baseline(tmp_path, capsys):
    now = Side(lite_of(tmp_path / "now", 56), first=[3.0, 3.2, 3.1], later=[2.5, 2.7, 2.6])
    before = Side(lite_of(tmp_path / "before", 45), first=[6.2, 6.0], later=[5.2, 5.0, 5.4])
    report(now, before)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("first visit, press to first result      3.1 s")
    assert "(target 10 s, ratio 0.31); baseline 6.1 s, ratio to it 0.51" in lines[0]
    assert "2.6 s (target 3 s, ratio 0.87); baseline 5.2 s, ratio to it 0.50" in lines[1]
    assert "56.0 MB (target 60 MB, ratio 0.93); baseline 45.0 MB, ratio to it 1.24" in lines[2]
    assert lines[-1] == "baseline runs: first [6.2, 6.0], later [5.2, 5.0, 5.4]"


def test_fewer_than_three_runs_or_no_built_book_is_refused(tmp_path):
    python = [sys.executable, str(SCRIPT)]
    few = subprocess.run([*python, "--runs", "2"], capture_output=True, text=True, cwd=ROOT)
    assert few.returncode == 2 and "a median of fewer is not a figure" in few.stderr
    missing = subprocess.run(
        [*python, "--site", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert missing.returncode == 1
    assert missing.stdout.strip() == (
        f"no built book with its lite site in {tmp_path}: run ccin-learn book build"
    )
