"""Issue credentials from a cohort's gradebook: once each, only to those who have earned them.

A learner earns a credential when their assignment is fully graded (no
hand-grading left), their score reaches the pass mark, and they hold the
credential's prerequisites (Finance and Legal structures need the core
module). Each credential is a signed Open Badge (``.jwt``), a PDF certificate
and a line in the register. Re-running issues nothing twice: the register is
the record of what was issued.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from defusedcsv import csv

from ccin_learn.credentials.badge import Award, sign
from ccin_learn.credentials.catalogue import Credential, load_credentials
from ccin_learn.credentials.certificate import certificate_pdf
from ccin_learn.credentials.keys import did_key
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write
from ccin_learn.grading.cohort import Cohort
from ccin_learn.grading.course import COURSE_NAME, kit_example_fields
from ccin_learn.grading.results import Result, results

REGISTER = "register.csv"
REGISTER_COLUMNS = (
    "credential_id",
    "learner_id",
    "learner_name",
    "credential",
    "credential_title",
    "score",
    "issued_at",
    "badge_file",
    "certificate_file",
)


@dataclass(frozen=True)
class Decision:
    """What happened for one learner and one credential in this run."""

    learner: str
    credential: str
    issued: bool
    reason: str


def read_register(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_register(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTER_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    atomic_write(path, buffer.getvalue().encode("utf-8"))


def learner_names(cohort: Cohort) -> dict[str, str]:
    with cohort.gradebook() as gradebook:
        return {
            s.id: " ".join(p for p in (s.first_name, s.last_name) if p) or s.id
            for s in gradebook.students
        }


def why_not(result: Result | None, credential: Credential, held: set[str]) -> str:
    """Why a learner cannot have the credential yet ('' when they can)."""
    if result is None:
        return "has not submitted the assessment"
    shortfall = result.shortfall(credential.pass_mark)
    if shortfall:
        return shortfall
    missing = [p for p in credential.prerequisites if p not in held]
    if missing:
        return f"needs the {', '.join(missing)} credential first"
    return ""


def issue_credentials(
    cohort: Cohort,
    out: Path,
    key: Ed25519PrivateKey,
    credentials: Sequence[Credential] | None = None,
    now: datetime | None = None,
) -> list[Decision]:
    """Issue every credential that has been earned and not yet issued."""
    check_awarding_body(cohort)
    credentials = credentials or load_credentials()
    out.mkdir(parents=True, exist_ok=True)
    register = read_register(out / REGISTER)
    held_by: dict[str, set[str]] = {}
    for row in register:
        held_by.setdefault(row["learner_id"], set()).add(row["credential"])
    by_key = {(r.learner, r.assignment): r for r in results(cohort)}
    names = learner_names(cohort)
    decisions: list[Decision] = []
    issued_at = now or datetime.now(UTC).replace(microsecond=0)
    for credential in credentials:  # prerequisites come first in course order
        for learner in sorted(names):
            held = held_by.setdefault(learner, set())
            if credential.id in held:
                decisions.append(Decision(learner, credential.id, False, "already issued"))
                continue
            reason = why_not(by_key.get((learner, credential.id)), credential, held)
            if reason:
                decisions.append(Decision(learner, credential.id, False, reason))
                continue
            score = by_key[(learner, credential.id)].percent
            award = Award(learner, names[learner], credential, score, issued_at).with_id()
            register.append(write_award(out, award, cohort, key))
            write_register(out / REGISTER, register)  # recorded before the next award
            held.add(credential.id)
            decisions.append(Decision(learner, credential.id, True, "issued"))
    return decisions


def check_awarding_body(cohort: Cohort) -> None:
    """Refuse, before writing anything, while course.yaml names the kit's example body.

    ``grade init`` copies the kit's course.yaml, which names the network as the awarding
    body; a credential signed from it would say the network certifies the learner.
    """
    same = kit_example_fields(cohort.course)
    if same:
        shipped = ", ".join(str(getattr(cohort.course.awarding_body, field)) for field in same)
        raise KitError(
            f"{COURSE_NAME} in {cohort.root} still names the kit's example awarding body "
            f"({shipped}): put your organisation's name, web address, email and country "
            "there before issuing credentials"
        )


def write_award(out: Path, award: Award, cohort: Cohort, key: Ed25519PrivateKey) -> dict[str, str]:
    """Write the signed badge and the certificate; return the register row."""
    folder = out / award.learner_id
    folder.mkdir(parents=True, exist_ok=True)
    badge = folder / f"{award.credential.id}.jwt"
    certificate = folder / f"{award.credential.id}-certificate.pdf"
    atomic_write(badge, (sign(award, cohort.course, key) + "\n").encode("ascii"))
    atomic_write(certificate, certificate_pdf(award, cohort.course, did_key(key.public_key())))
    return {
        "credential_id": award.credential_id,
        "learner_id": award.learner_id,
        "learner_name": award.learner_name,
        "credential": award.credential.id,
        "credential_title": award.credential.title,
        "score": f"{award.score:g}",
        "issued_at": award.issued_at.isoformat(),
        "badge_file": str(badge.relative_to(out)),
        "certificate_file": str(certificate.relative_to(out)),
    }
