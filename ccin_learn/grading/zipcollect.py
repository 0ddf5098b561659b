"""Collect submissions downloaded from a learning platform as zip files.

Many councils run the course on their own learning platform and download the
learners' notebooks as zip files. nbgrader's ``zip_collect`` extracts them;
this module tells it how to find each learner: every notebook must sit in a
zip file or folder whose name starts with the learner's id, such as
``ada01.zip`` or ``ada01_assignsubmission_file_/coop-option.ipynb``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.grading.cohort import Cohort

NAMED_REGEXP = (
    r".*/extracted/(?:.*/)?(?P<student_id>[A-Za-z0-9][A-Za-z0-9.-]*)(?:_[^/]*)?/"
    r"(?P<file_id>[^/]+\.ipynb)$"
)


def collect_zips(cohort: Cohort, assignment: str, zip_dir: Path) -> list[str]:
    """Copy the zips into nbgrader's ``downloaded`` folder and run ``zip_collect``."""
    cohort.check_assignment(assignment)
    zips = sorted(zip_dir.glob("*.zip")) if zip_dir.is_dir() else []
    if not zips:
        raise KitError(f"no .zip files in {zip_dir}")
    archive = cohort.root / "downloaded" / assignment / "archive"
    shutil.rmtree(cohort.root / "downloaded" / assignment, ignore_errors=True)
    archive.mkdir(parents=True)
    for path in zips:
        shutil.copy(path, archive / path.name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "zip_collect",
            assignment,
            "--force",
            f"--FileNameCollectorPlugin.named_regexp={NAMED_REGEXP}",
        ],
        cwd=cohort.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no detail"])[-1]
        raise KitError(f"collecting the zip files failed: {last}")
    submitted = cohort.root / "submitted"
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())
