"""A cohort's learners, from a roster CSV that a trainer exports from a spreadsheet or LMS."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ccin_learn.errors import KitError

LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$")
COLUMNS = ("id", "first_name", "last_name", "email")


@dataclass(frozen=True)
class Learner:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.id


def check_learner_id(learner_id: str, where: str = "") -> str:
    """Learner ids name folders, so they are letters, digits, dots and hyphens only."""
    if not LEARNER_ID.match(learner_id):
        raise KitError(
            f"{where}learner id {learner_id!r} must be 1 to 64 letters, digits, dots or "
            "hyphens, starting with a letter or digit"
        )
    return learner_id


def parse_roster(text: str, source: str = "roster") -> list[Learner]:
    """Learners from CSV text with an ``id`` column (and optional name and email columns)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "id" not in headers:
        raise KitError(
            f"{source}: needs a header row with an 'id' column (and optionally "
            f"{', '.join(COLUMNS[1:])})"
        )
    learners: list[Learner] = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        learner_id = check_learner_id(values.get("id", ""), f"{source} line {line}: ")
        if learner_id in seen:
            raise KitError(f"{source} line {line}: learner id {learner_id!r} appears twice")
        seen.add(learner_id)
        learners.append(
            Learner(
                learner_id,
                values.get("first_name", ""),
                values.get("last_name", ""),
                values.get("email", ""),
            )
        )
    return learners


def load_roster(path: Path) -> list[Learner]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise KitError(f"{path}: file not found") from err
    except UnicodeDecodeError as err:
        raise KitError(f"{path}: not UTF-8 text; save the roster as CSV UTF-8") from err
    return parse_roster(text, str(path))
