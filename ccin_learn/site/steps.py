"""Build steps that run other programs and fill caches, shared by the lite site's parts.

Why here: the lite build (``lite.py``) and its memory snapshot (``lite_snapshot.py``) both
run tools (pip, Node, jupyter lite) whose output matters only when they fail, and both
keep results in ``.lite-cache`` that several test workers may fill at once.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ccin_learn.errors import KitError


def run(command: list[str], cwd: Path | None = None) -> None:
    """Run a build step; its output goes to the caller only if it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise KitError(f"{command[0]} failed: {(done.stderr or done.stdout).strip()[-800:]}")


def fetch_once(target: Path, fetch: Callable[[Path], object]) -> None:
    """Fill ``target`` once: fetch into a fresh folder beside it, then rename it in place.

    Builds running at once (test workers) each fetch into their own folder; the first
    rename wins and the others' copies are dropped, so no build sees a half-filled folder.
    """
    if target.exists():
        return
    part = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=target.parent))
    try:
        fetch(part)
        part.rename(target)
    except OSError:
        if not target.exists():
            raise
    finally:
        shutil.rmtree(part, ignore_errors=True)


def sha256(path: Path) -> str:
    """A file's content hash, for the cache keys that decide whether a step runs again."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
