"""The trainer's side of the micro-credentials: a cohort's nbgrader course, end to end."""

from __future__ import annotations

import os
import sysconfig


def put_scripts_on_path() -> None:
    """Make this environment's commands findable by name.

    nbgrader's gradebook runs the ``alembic`` command by name (``nbgrader/api.py``), so
    ``.venv/bin/ccin-learn grade ...`` run without activating the environment would fail
    with "No such file or directory: 'alembic'". Putting the interpreter's scripts folder
    first on PATH fixes that for this process and every nbgrader process it starts.
    """
    scripts = sysconfig.get_path("scripts")
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in parts:
        os.environ["PATH"] = os.pathsep.join([scripts, *(p for p in parts if p)])


put_scripts_on_path()
