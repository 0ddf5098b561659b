"""Build the book once per test run, whichever process gets there first.

Several test files need the built book (the browser tests, the site tests). Under
pytest-xdist the first worker to ask used to build it for about 50 s while the other
worker, needing it too, waited on the lock doing nothing. The controller now starts the
build in a separate process as the run begins (``start_early``), so both workers run
other tests meanwhile; whoever asks for the book later just waits for the lock. The lock
and the "built" marker make it correct whichever process builds: the book is built
exactly once, and a failed early build is simply done again by the fixture, which then
shows the error.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

LOCK = "book-build.lock"
DONE = "book-built"
LOG = "book-build-early.log"


def build_once(kit_root: Path, shared: Path) -> bool:
    """Build the book into the kit's html folder unless this run has built it already;
    True if this call built it."""
    from ccin_learn.site.build import build_book  # lazy: the early build's process only
    from ccin_learn.site.paths import KitPaths

    with (shared / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / DONE
        if not done.exists():
            build_book(KitPaths(kit_root), strict=True)
            done.write_text("built\n", encoding="utf-8")
            return True
    return False


def start_early(kit_root: Path, shared: Path) -> subprocess.Popen[bytes]:
    """Start ``build_once`` in its own process; its output goes to a log in ``shared``."""
    with (shared / LOG).open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.book_once", str(kit_root), str(shared)],
            cwd=kit_root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


if __name__ == "__main__":
    built = build_once(Path(sys.argv[1]), Path(sys.argv[2]))
    print("the early build made the book" if built else "a test process had built the book")
