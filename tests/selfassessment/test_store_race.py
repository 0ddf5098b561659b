"""Officers in processes of their own (a hub's kernels) racing to save one council.

Each process loads the latest version, changes it and saves it, over and over for a few
seconds. The store must give every accepted save the next version number, refuse as
stale every save based on anything but the latest, and lose nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccin_learn.selfassessment.store import Store

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 6
SECONDS = 2.5


def start_officers(url: str, checklist_file: Path, folder: Path) -> list[subprocess.Popen[str]]:
    """The officers' processes, each ready to start; the URL goes by environment only."""
    env = {**os.environ, "CCIN_DB_URL": url}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    worker = [sys.executable, "-m", "tests.selfassessment.store_race_worker"]
    officers = [
        subprocess.Popen(
            [
                *worker,
                str(checklist_file),
                str(folder / f"officer-{n}.jsonl"),
                str(SECONDS),
                str(n),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for n in range(PROCESSES)
    ]
    for officer in officers:
        assert officer.stdout is not None and officer.stdout.readline() == "ready\n"
    return officers


def race(officers: list[subprocess.Popen[str]], folder: Path) -> list[dict]:
    """Start them all at once; every outcome of every officer, once all have finished."""
    for officer in officers:
        assert officer.stdin is not None
        officer.stdin.write("go\n")
        officer.stdin.close()
    for officer in officers:
        assert officer.wait(timeout=60) == 0, "an officer's process failed"
    lines = []
    for n in range(PROCESSES):
        lines += (folder / f"officer-{n}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.slow
def test_officers_in_many_processes_never_share_a_version_or_lose_a_save(
    db_url, make_assessment, checklist, tmp_path
):
    store = Store(db_url, checklist)
    store.save(make_assessment({"c1": 0}), based_on=0)
    checklist_file = tmp_path / "checklist.json"
    checklist_file.write_text(checklist.model_dump_json(), encoding="utf-8")
    outcomes = race(start_officers(db_url, checklist_file, tmp_path), tmp_path)

    saved = sorted((o for o in outcomes if "saved" in o), key=lambda o: o["saved"])
    refused = [o for o in outcomes if "refused" in o]
    assert len(saved) >= PROCESSES and refused, "the officers must have raced"
    assert [o["saved"] for o in saved] == list(range(2, len(saved) + 2)), "unique, consecutive"
    assert all(o["saved"] == o["based_on"] + 1 for o in saved), "none replaced a newer version"
    assert all("someone saved version" in o["message"] for o in refused)
    history = store.history("Testborough Council")
    assert [v.version for v in history] == list(range(1, len(saved) + 2))
    kept = {v.version: v.assessment.answer("c1").level for v in history}
    assert all(kept[o["saved"]] == o["level"] for o in saved), "no accepted save lost"
    assert all(o["refused"] + 1 in kept for o in refused), "refused only when really stale"
