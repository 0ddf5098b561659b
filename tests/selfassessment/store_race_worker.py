"""One officer in the store's race test, as a process of its own (as a hub's kernels are).

``python -m tests.selfassessment.store_race_worker CHECKLIST OUT SECONDS WORKER``
opens the store at ``$CCIN_DB_URL`` (never on the command line: it holds a password),
says ``ready``, waits for a line on stdin, then for SECONDS loads the latest version of
the council, changes an answer and saves it based on what it loaded. Each outcome is a
JSON line in OUT: saved (based on, version, level) or refused as stale (based on).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ccin_learn.selfassessment.assessment import Answer
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.store import ConflictError, Store

COUNCIL = "Testborough Council"


def one_round(store: Store, level: int) -> dict[str, object]:
    """Read, change, save: what happened, for the test to check."""
    latest = store.load(COUNCIL)
    answers = {**latest.assessment.answers, "c1": Answer(level=level)}
    changed = latest.assessment.model_copy(update={"answers": answers})
    try:
        saved = store.save(changed, based_on=latest.version)
    except ConflictError as err:
        return {"refused": latest.version, "message": str(err)}
    return {"saved": saved.version, "based_on": latest.version, "level": level}


def main(checklist_file: str, out: str, seconds: str, worker: str) -> None:
    checklist = Checklist.model_validate_json(Path(checklist_file).read_text(encoding="utf-8"))
    store = Store(None, checklist, person=f"officer {worker}")
    print("ready", flush=True)
    sys.stdin.readline()
    outcomes = []
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        outcomes.append(one_round(store, len(outcomes) % 5))
    Path(out).write_text("".join(json.dumps(o) + "\n" for o in outcomes), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
