"""Every credential the kit issues must pass 1EdTech's Open Badges 3.0 JSON Schema.

The schema is vendored (``schemas/``, source and commit in its README) so the
check needs no network. It is run before a credential is signed, so a
credential a standard verifier would reject is never issued, and again by
``verify``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator

SCHEMA = "ob_v3p0_achievementcredential_schema.json"


@cache
def validator() -> Draft201909Validator:
    text = resources.files("ccin_learn.credentials").joinpath("schemas", SCHEMA).read_text("utf-8")
    return Draft201909Validator(json.loads(text))


def schema_problems(credential: dict[str, Any]) -> list[str]:
    """What the OB 3.0 schema finds wrong with ``credential`` (empty when it passes)."""
    problems = []
    for error in sorted(validator().iter_errors(credential), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "the credential"
        problems.append(f"{where}: {error.message}")
    return problems
