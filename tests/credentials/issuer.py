"""An awarding body for the credential tests: its course, keys and published folder.

Making an RSA 3072 key takes a moment, so test modules build one body each
(module-scoped fixtures) with ``make_body``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from ccin_learn.credentials import issue
from ccin_learn.credentials.badge import Award
from ccin_learn.credentials.catalogue import load_credentials
from ccin_learn.credentials.keys import IssuerKeys, generate_key, load_issuer_keys
from ccin_learn.credentials.status import publish
from ccin_learn.grading.cohort import CONFIG_NAME, Cohort, open_cohort
from ccin_learn.grading.course import COURSE_NAME, CourseConfig
from ccin_learn.grading.results import Result

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ANYSHIRE = "https://learn.anyshire.example/ccin/issuer/"


@dataclass(frozen=True)
class Body:
    course: CourseConfig
    keys: IssuerKeys
    key_file: Path
    site: Path

    @property
    def profile(self) -> Path:
        return self.site / "profile.json"

    @property
    def status_list(self) -> Path:
        return self.site / "status-list.jwt"


def course_for(issuer_url: str = ANYSHIRE, name: str = "Anyshire Council") -> CourseConfig:
    return CourseConfig.model_validate(
        {
            "course_id": "anyshire-coop",
            "course_title": "The Coop Option: a course for cooperative councils",
            "awarding_body": {
                "name": name,
                "url": "https://anyshire.example/",
                "email": "learning@anyshire.example",
                "country": "GB",
                "issuer_url": issuer_url,
            },
            "verification": "Open the verification page named on this certificate.",
        }
    )


def make_body(folder: Path, issuer_url: str = ANYSHIRE, name: str = "Anyshire Council") -> Body:
    """A body with fresh keys and its published profile and (empty) status list."""
    course = course_for(issuer_url, name)
    key_file, _ed, _public = generate_key(folder / "keys")
    keys = load_issuer_keys(key_file)
    publish(course, keys, folder / "site")
    return Body(course, keys, key_file, folder / "site")


def award(email: str = "ada@example.org", index: int = -1) -> Award:
    credential = load_credentials()[0]
    made = Award("ada01", "Ada Fictional", credential, 85, WHEN, learner_email=email)
    return replace(made.with_id(), status_index=index)


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(payload), signature


def encode(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).decode().rstrip("=")


def tamper(token: str, change: Callable[[dict[str, Any]], object]) -> str:
    """The token with its payload changed and the original signature kept."""
    header, _payload, signature = token.split(".")
    claims = parts(token)[1]
    change(claims)
    return f"{header}.{encode(claims)}.{signature}"


LEARNERS = {"ada01": ("Ada Fictional", "ada@example.org"), "bea02": ("Bea Example", "")}


def grades(cohort: object) -> list[Result]:
    """Both learners passed The Coop Option (ada 90%, bea 80%), fully marked."""
    return [
        Result("ada01", "coop-option", True, 9, 10, False),
        Result("bea02", "coop-option", True, 8, 10, False),
    ]


def gradebook_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue from fixed results and names: these tests are about signing, not nbgrader."""
    monkeypatch.setattr(issue, "results", grades)
    monkeypatch.setattr(issue, "learner_names", lambda cohort: dict(LEARNERS))


def cohort_folder(folder: Path, course: CourseConfig) -> Cohort:
    """A folder ``open_cohort`` accepts: course.yaml and an nbgrader_config.py."""
    folder.mkdir(parents=True, exist_ok=True)
    data = course.model_dump(exclude_none=True)
    (folder / COURSE_NAME).write_text(yaml.safe_dump(data), encoding="utf-8")
    (folder / CONFIG_NAME).write_text("c = get_config()  # noqa\n", encoding="utf-8")
    return open_cohort(folder)
