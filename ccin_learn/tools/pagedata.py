"""Data the in-page tools read: JSON dumped at build time from the validated data files.

In the reader's browser (Pyodide) there is no pydantic or PyYAML, so the lite build
(``ccin_learn.site.lite``) validates each data file as the kit always does and packs the
result into the in-page wheel as ``ccin_learn/data/<name>.json``. The tools turn it into
the same dataclasses the Voila app and the tests use, so one code path runs everywhere.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load(name: str) -> Any:
    """The page data ``name`` (e.g. ``"coop_models"``), as plain JSON values."""
    return json.loads((resources.files("ccin_learn") / "data" / f"{name}.json").read_text("utf-8"))
