"""An installed kit has every file its code reads: pyproject's package-data covers them all.

The self-assessment's checklist, the report and widget templates, the quiz assets and
the apps all ship inside the package; a file that no package-data pattern names works
in a checkout and is missing after ``pip install``.
"""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ccin_learn"
PYPROJECT = PACKAGE.parent / "pyproject.toml"


def shipped() -> set[str]:
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["ccin_learn"]
    found: set[str] = set()
    for pattern in patterns:
        found.update(glob.glob(pattern, root_dir=PACKAGE, recursive=True))
    return found


def test_every_data_file_of_the_package_is_package_data() -> None:
    data_files = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }
    assert data_files, "the package has data files"
    assert sorted(data_files - shipped()) == []
