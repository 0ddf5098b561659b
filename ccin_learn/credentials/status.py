"""Revocation: the W3C Bitstring Status List the awarding body publishes beside its profile.

Each credential carries a ``credentialStatus`` naming one bit of the list at
``<issuer_url>status-list.jwt``; revoking sets that bit and re-signs the list, so
any verifier (the kit's, the book's page, the Digital Credentials Consortium's)
sees the credential withdrawn without asking the body. Bit i is the i-th bit from
the left: the most significant bit of byte 0 is index 0 (Bitstring Status List v1.0).

Which index each credential holds is kept in the key folder's
``status-register.csv``: the key folder belongs to the awarding body, not to one
cohort, so two cohorts of one body never share an index. Changes to it are made
under an exclusive ``fcntl.flock`` so two runs at once cannot hand out one index twice.
"""

from __future__ import annotations

import base64
import fcntl
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt

from ccin_learn.credentials.jws import (
    Sources,
    Verification,
    VerificationError,
    check_signature,
    unverified,
)
from ccin_learn.credentials.keys import STATE_NAME, IssuerKeys, PublicKey
from ccin_learn.credentials.profile import (
    CONTEXTS,
    ProfileError,
    fetch,
    issuer_id,
    key_id,
    public_key,
    write_profile,
)
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, read_csv_rows, read_regular_file, write_csv_rows
from ccin_learn.grading.course import CourseConfig

LIST_NAME = "status-list.jwt"
LIST_BITS = 131_072  # the spec's minimum (16 KB), so one credential cannot be singled out
STATE_COLUMNS = ("status_index", "credential_id", "issued_at", "revoked_at", "revoked_reason")


def list_url(course: CourseConfig) -> str:
    return course.awarding_body.issuer_url + LIST_NAME


def status_entry(course: CourseConfig, index: int) -> dict[str, str]:
    """A credential's ``credentialStatus``: which bit of the published list is its own."""
    return {
        "id": f"{list_url(course)}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url(course),
    }


def encode(revoked: set[int], bits: int = LIST_BITS) -> str:
    """The ``encodedList``: multibase base64url (``u``) of the gzipped bitstring."""
    data = bytearray(bits // 8)
    for index in revoked:
        data[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` is set."""
    if not encoded.startswith("u"):
        raise KitError("the status list is not multibase base64url ('u...')")
    try:
        raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        data = gzip.decompress(raw)
    except (ValueError, OSError, EOFError) as err:
        raise KitError("the status list cannot be decoded") from err
    if index < 0 or index >= len(data) * 8:
        raise KitError(f"status index {index} is outside the list")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def list_credential(course: CourseConfig, revoked: set[int], now: datetime) -> dict[str, Any]:
    """The BitstringStatusListCredential, unsigned."""
    url = list_url(course)
    return {
        "@context": CONTEXTS[:1],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(course),
        "validFrom": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(revoked),
        },
    }


def signed_list(course: CourseConfig, keys: IssuerKeys, revoked: set[int], now: datetime) -> str:
    """The status list as a VC-JWT signed with the body's RS256 key (key-1)."""
    vc = list_credential(course, revoked, now)
    claims = {
        **vc,
        "iss": issuer_id(course),
        "sub": vc["credentialSubject"]["id"],
        "jti": vc["id"],
        "nbf": int(now.timestamp()),
    }
    claims["iat"] = claims["nbf"]
    headers = {"typ": "vc+jwt", "kid": key_id(course, "RS256")}
    return jwt.encode(claims, keys.rsa, algorithm="RS256", headers=headers)


def write_list(course: CourseConfig, keys: IssuerKeys, folder: Path) -> Path:
    """Sign and write ``status-list.jwt`` (atomically) from the key folder's record."""
    revoked = {int(r["status_index"]) for r in read_state(keys.folder) if r["revoked_at"]}
    path = folder / LIST_NAME
    now = datetime.now(UTC).replace(microsecond=0)
    atomic_write(path, (signed_list(course, keys, revoked, now) + "\n").encode("ascii"))
    return path


def publish(course: CourseConfig, keys: IssuerKeys, folder: Path) -> tuple[Path, Path]:
    """Write the folder the body publishes at its issuer address: profile and status list."""
    return write_profile(course, keys, folder), write_list(course, keys, folder)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made if missing) until the block ends."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state(folder: Path) -> list[dict[str, str]]:
    return read_csv_rows(folder / STATE_NAME)


def write_state(folder: Path, rows: list[dict[str, str]]) -> None:
    write_csv_rows(folder / STATE_NAME, STATE_COLUMNS, rows)
    (folder / STATE_NAME).chmod(0o600)


def allocate(keys: IssuerKeys, credential_id: str, issued_at: str) -> int:
    """The next free status index, recorded for ``credential_id`` before anything is signed."""
    with locked(keys.folder / f".{STATE_NAME}.lock"):
        rows = read_state(keys.folder)
        index = max((int(r["status_index"]) for r in rows), default=-1) + 1
        if index >= LIST_BITS:
            raise KitError(f"the status list is full ({LIST_BITS} credentials)")
        rows.append(
            {
                "status_index": str(index),
                "credential_id": credential_id,
                "issued_at": issued_at,
                "revoked_at": "",
                "revoked_reason": "",
            }
        )
        write_state(keys.folder, rows)
    return index


def mark_revoked(keys: IssuerKeys, credential_id: str, reason: str, when: str) -> dict[str, str]:
    """Record the revocation in the key folder's register; return the credential's row."""
    with locked(keys.folder / f".{STATE_NAME}.lock"):
        rows = read_state(keys.folder)
        row = next((r for r in rows if r["credential_id"] == credential_id), None)
        if row is None:
            raise KitError(
                f"{credential_id} was not issued with the key in {keys.folder}: nothing revoked"
            )
        if row["revoked_at"]:
            raise KitError(f"{credential_id} was already revoked on {row['revoked_at']}")
        row.update(revoked_at=when, revoked_reason=reason)
        write_state(keys.folder, rows)
    return row


def list_token(url: str, sources: Sources) -> str | None:
    """The status list's JWT from ``--status-list`` or its address; None if it cannot be had."""
    try:
        if sources.status_list is not None:
            data = read_regular_file(sources.status_list, 1_000_000)
        else:
            data = fetch(url)
        return data.decode("ascii").strip()
    except (ProfileError, UnicodeDecodeError):
        if sources.status_list is not None:
            raise
        return None


def list_claims(
    token: str, url: str, key: PublicKey, profile: dict[str, Any] | None, issuer: str
) -> dict[str, Any]:
    """The status list's payload, its signature checked with the issuer's (or pinned) key."""
    header, claims = unverified(token)
    if profile is not None:
        try:
            key = public_key(profile, str(header.get("kid", "")))
        except ProfileError as err:
            raise VerificationError(f"the status list is not signed by the issuer: {err}") from err
    try:
        claims = check_signature(token, key, header["alg"])
    except VerificationError as err:
        raise VerificationError(f"the status list is not the issuer's: {err}") from err
    if claims.get("id") != url or not claims.get("iss") == claims.get("issuer") == issuer:
        raise VerificationError(f"the status list given is not the one at {url}")
    return claims


def check_status(
    vc: dict[str, Any],
    key: PublicKey,
    profile: dict[str, Any] | None,
    sources: Sources,
    report: Verification,
    reasons: dict[str, tuple[str, str]],
) -> None:
    """Whether the credential's bit is set in its issuer's signed status list."""
    entry = vc.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        report.not_checked.append("Revocation: not checked — the credential has no status entry")
        return
    url = str(entry.get("statusListCredential", ""))
    if not url.startswith(str(vc["issuer"]["id"]).rsplit("/", 1)[0] + "/"):
        raise VerificationError(f"its status list {url} is not published by its issuer")
    token = list_token(url, sources)
    if token is None:
        report.not_checked.append(
            "Revocation: not checked — the status list could not be fetched; give --status-list"
        )
        return
    claims = list_claims(token, url, key, profile, str(vc["issuer"]["id"]))
    subject = claims.get("credentialSubject", {})
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise VerificationError("the status list is not a revocation list")
    try:
        revoked = is_set(str(subject.get("encodedList", "")), int(entry["statusListIndex"]))
    except (KitError, ValueError, KeyError) as err:
        raise VerificationError(f"the credential's status cannot be read: {err}") from err
    if revoked:
        when, why = reasons.get(vc["id"], ("", ""))
        raise VerificationError(f"revoked on {when[:10]}: {why}" if when else "revoked")
    report.checked.append(
        f"Revocation: checked against {url} (as of {claims['validFrom']}): not revoked"
    )
