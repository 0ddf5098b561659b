"""Issue credentials from a cohort's gradebook: once each, only to those who have earned them.

A learner earns a credential when their assignment is fully graded (no
hand-grading left), their score reaches the pass mark, and they hold the
credential's prerequisites (Finance and Legal structures need the core
module). Each credential is a signed Open Badge (``.jwt``), a PDF certificate
and a line in the register. Re-running issues nothing twice: the register is
the record of what was issued.

Two runs at once (two terminals, a timer and a person) must not sign a credential
twice: the whole run holds an exclusive ``fcntl.flock`` on the output folder's
register lock, and re-reads the register once it has it, so the second run sees
what the first issued. Each credential's status-list index is recorded in the key
folder before it is signed (``status.allocate``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ccin_learn.credentials.badge import Award, open_badge, published, sign_credential
from ccin_learn.credentials.catalogue import Credential, load_credentials
from ccin_learn.credentials.certificate import CertificateLinks, certificate_pdf
from ccin_learn.credentials.image import baked_badge
from ccin_learn.credentials.keys import IssuerKeys, check_outside
from ccin_learn.credentials.profile import issuer_id, key_id
from ccin_learn.credentials.status import allocate, locked, mark_revoked, write_list
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, read_csv_rows, write_csv_rows
from ccin_learn.grading.cohort import Cohort
from ccin_learn.grading.course import COURSE_NAME, CourseConfig, kit_example_fields
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
    "status_index",
    "revoked_at",
    "revoked_reason",
)
LOCK = ".register.lock"
FORMATS = ("jwt", "di", "both")


@dataclass(frozen=True)
class Decision:
    """What happened for one learner and one credential in this run."""

    learner: str
    credential: str
    issued: bool
    reason: str


def read_register(path: Path) -> list[dict[str, str]]:
    return read_csv_rows(path)


def write_register(path: Path, rows: list[dict[str, str]]) -> None:
    write_csv_rows(path, REGISTER_COLUMNS, rows)


def learner_names(cohort: Cohort) -> dict[str, tuple[str, str]]:
    """Each learner's name (their id if the roster gave none) and email ('' if none)."""
    with cohort.gradebook() as gradebook:
        return {
            s.id: (" ".join(p for p in (s.first_name, s.last_name) if p) or s.id, s.email or "")
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


@dataclass(frozen=True)
class Signing:
    """How credentials are signed: the body's keys, the JWT algorithm, the formats written."""

    keys: IssuerKeys
    alg: str = "RS256"
    format: str = "jwt"


def check_format(signing: Signing) -> None:
    """Refuse, before anything is written, a format or algorithm this kit cannot make."""
    if signing.format not in FORMATS:
        raise KitError(f"unknown format {signing.format!r}: use jwt, di or both")
    if (signing.format != "jwt" or signing.alg == "EdDSA") and signing.keys.ed25519 is None:
        raise KitError(f"no Ed25519 key in {signing.keys.folder}: make keys with keygen")


def issue_credentials(
    cohort: Cohort,
    out: Path,
    signing: Signing,
    credentials: Sequence[Credential] | None = None,
    now: datetime | None = None,
) -> list[Decision]:
    """Issue every credential that has been earned and not yet issued (one run at a time)."""
    check_awarding_body(cohort)
    check_outside(signing.keys.folder, cohort.root)
    check_format(signing)
    credentials = credentials or load_credentials()
    out.mkdir(parents=True, exist_ok=True)
    with locked(out / LOCK):
        return issue_locked(cohort, out, signing, credentials, now)


def issue_locked(
    cohort: Cohort,
    out: Path,
    signing: Signing,
    credentials: Sequence[Credential],
    now: datetime | None,
) -> list[Decision]:
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
            name, email = names[learner]
            award = Award(learner, name, credential, score, issued_at, learner_email=email)
            register.append(write_award(out, award.with_id(), cohort, signing))
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
            f"({shipped}): put your organisation's name, web address, email, country and "
            "issuer address there before issuing credentials"
        )


def write_award(out: Path, award: Award, cohort: Cohort, signing: Signing) -> dict[str, str]:
    """Write the signed badge(s) and the certificate; return the register row."""
    index = allocate(signing.keys, award.credential_id, award.issued_at.isoformat())
    award = replace(award, status_index=index)
    folder = out / award.learner_id
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / award.credential.id
    badge = stem.with_suffix(".jwt")
    credential = open_badge(award, cohort.course)
    if signing.format in ("jwt", "both"):
        token = sign_credential(credential, signing.keys, signing.alg)
        atomic_write(badge, (token + "\n").encode("ascii"))
        for image_format in ("svg", "png"):  # the badge image, the credential baked in
            image = baked_badge(award.credential.title, token, image_format)
            atomic_write(folder / f"{award.credential.id}-badge.{image_format}", image)
    if signing.format in ("di", "both"):
        proof = write_proof(stem.with_suffix(".json"), credential, cohort, signing, award)
        badge = proof if signing.format == "di" else badge
    certificate = folder / f"{award.credential.id}-certificate.pdf"
    links = CertificateLinks(
        verify_page=published(cohort.course).verify_page_url,
        issuer_profile=issuer_id(cohort.course),
    )
    atomic_write(certificate, certificate_pdf(award, cohort.course, links))
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
        "status_index": str(index),
        "revoked_at": "",
        "revoked_reason": "",
    }


def write_proof(
    path: Path, credential: dict[str, object], cohort: Cohort, signing: Signing, award: Award
) -> Path:
    """The credential with an embedded eddsa-rdfc-2022 proof, made with the Ed25519 key."""
    from ccin_learn.credentials import integrity  # lazy: pyld is slow to import

    assert signing.keys.ed25519 is not None  # check_format refused a run without one
    document = integrity.add_proof(
        credential, signing.keys.ed25519, key_id(cohort.course, "EdDSA"), award.issued_at
    )
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return path


def find_row(register: list[dict[str, str]], wanted: str) -> dict[str, str]:
    """The register row of a credential id, or of LEARNER/CREDENTIAL (as the folders show)."""
    for row in register:
        if wanted in (row["credential_id"], f"{row['learner_id']}/{row['credential']}"):
            return row
    raise KitError(
        f"no credential {wanted!r} in this register: give its id (urn:uuid:...) or "
        "LEARNER/CREDENTIAL, as in register.csv"
    )


def revoke(
    course: CourseConfig, out: Path, keys: IssuerKeys, site: Path, wanted: str, reason: str
) -> dict[str, str]:
    """Withdraw one credential: set its bit, re-sign the published status list, record why.

    The key folder's record is changed first and the list is written from it, so if
    writing the list fails, ``credentials publish`` writes it again, complete.
    """
    if not reason.strip():
        raise KitError("give the reason with --reason: it is kept in the register")
    if not (site / "profile.json").is_file():
        raise KitError(f"{site} has no profile.json: run 'ccin-learn credentials publish' first")
    with locked(out / LOCK):
        register = read_register(out / REGISTER)
        row = find_row(register, wanted)
        when = datetime.now(UTC).replace(microsecond=0).isoformat()
        mark_revoked(keys, row["credential_id"], reason.strip(), when)
        write_list(course, keys, site)
        row.update(revoked_at=when, revoked_reason=reason.strip())
        write_register(out / REGISTER, register)
    return row


def local_reasons(register: Path) -> dict[str, tuple[str, str]]:
    """Revocation dates and reasons from a register, by credential id (for ``verify``)."""
    return {
        r["credential_id"]: (r.get("revoked_at") or "", r.get("revoked_reason") or "")
        for r in read_register(register)
        if r.get("revoked_at")
    }
