"""Open Badges 3.0 credentials as VC-JWT: made, signed and checked against the issuer's profile.

The JWT payload is the VC 2.0 credential itself (VC-JOSE), with the registered
claims a VC-JWT verifier checks against it: ``iss`` (the issuer's profile address),
``sub`` (``credentialSubject.id``, a ``urn:uuid`` for the learner), ``jti`` (the
credential id) and ``nbf``/``iat`` (``validFrom``). The header's ``kid`` names a
key in the issuer's published profile (``profile.py``).

RS256 (RSA 3072) is the default because the Open Badges 3.0 spec names RS256 as
the algorithm every VC-JWT verifier must support, and every browser's WebCrypto
checks it, so the book's verification page needs no library. EdDSA (Ed25519) is
offered with ``--alg EdDSA``.

``verify`` takes the key from the issuer's profile, never from the credential, so a
credential signed with anyone else's key fails; it reports each check it made and
each it could not make.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ccin_learn.credentials.catalogue import Credential
from ccin_learn.credentials.jws import (
    Sources,
    Verification,
    VerificationError,
    check_signature,
    unverified,
)
from ccin_learn.credentials.keys import IssuerKeys, PublicKey
from ccin_learn.credentials.profile import (
    CONTEXTS,
    ED25519_KEY,
    RSA_KEY,
    ProfileError,
    issuer_summary,
    load_profile,
    public_key,
)
from ccin_learn.credentials.schema import schema_problems
from ccin_learn.credentials.status import check_status, status_entry
from ccin_learn.errors import KitError
from ccin_learn.grading.course import CourseConfig

SCORE_RESULT = "score"
DATE = "%Y-%m-%dT%H:%M:%SZ"
VERIFY_PAGE = "../book/credentials/verify.html"  # the book's page; issuer/ is at the site's root


@dataclass(frozen=True)
class Award:
    """One learner's pass of one credential."""

    learner_id: str
    learner_name: str
    credential: Credential
    score: float
    issued_at: datetime
    credential_id: str = ""
    learner_email: str = ""
    subject_id: str = ""
    status_index: int = -1

    def with_id(self) -> Award:
        """The award with its credential and learner ``urn:uuid`` ids (new ones if unset)."""
        return replace(
            self,
            credential_id=self.credential_id or f"urn:uuid:{uuid.uuid4()}",
            subject_id=self.subject_id or f"urn:uuid:{uuid.uuid4()}",
        )


@dataclass(frozen=True)
class Published:
    """Where a person finds the credential and the page that checks it (for the certificate).

    The kit does not publish credentials (the learner holds theirs), so
    ``credential_url`` is None unless a body publishes them itself. The verification
    page is the book's ``book/credentials/verify.html``; the kit's book build copies the
    published ``issuer/`` folder to the site's root, beside ``book/``.
    """

    verify_page_url: str
    credential_url: str | None = None


def published(course: CourseConfig, credential_url: str | None = None) -> Published:
    return Published(urljoin(course.awarding_body.issuer_url, VERIFY_PAGE), credential_url)


def achievement_id(credential: Credential, course: CourseConfig) -> str:
    """Per awarding body: two bodies' credentials for one module are different achievements."""
    return f"{course.awarding_body.issuer_url}achievements/{credential.id}"


def achievement(credential: Credential, course: CourseConfig) -> dict[str, Any]:
    return {
        "id": achievement_id(credential, course),
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": f"Awarded for passing {credential.the_module} assessment of "
        f"{course.course_title}.",
        "criteria": {"narrative": credential.criteria()},
        "creator": issuer_summary(course),
        "inLanguage": "en-GB",
        "resultDescription": [
            {
                "id": f"{achievement_id(credential, course)}#{SCORE_RESULT}",
                "type": ["ResultDescription"],
                "name": "Total score",
                "resultType": "Percent",
                "requiredValue": f"{credential.pass_mark:g}",
            }
        ],
    }


def identifiers(award: Award) -> list[dict[str, Any]]:
    """OB3 identity objects: the hashed email (salted), else the learner id; and the name."""
    if award.learner_email:
        salt = secrets.token_hex(8)
        digest = hashlib.sha256((award.learner_email + salt).encode("utf-8")).hexdigest()
        who: dict[str, Any] = {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": f"sha256${digest}",
            "salt": salt,
        }
    else:
        who = {
            "type": "IdentityObject",
            "identityType": "identifier",
            "hashed": False,
            "identityHash": award.learner_id,
        }
    name = {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": award.learner_name,
    }
    return [who, name]


def open_badge(award: Award, course: CourseConfig) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential (VC 2.0) for one award (``with_id`` already applied)."""
    if not award.credential_id or not award.subject_id:
        raise KitError("an award needs its ids (Award.with_id) before it becomes a credential")
    badge: dict[str, Any] = {
        "@context": CONTEXTS,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_summary(course),
        "validFrom": award.issued_at.astimezone(UTC).strftime(DATE),
        "name": award.credential.title,
        "credentialSubject": {
            "id": award.subject_id,
            "type": ["AchievementSubject"],
            "identifier": identifiers(award),
            "achievement": achievement(award.credential, course),
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement_id(award.credential, course)}"
                    f"#{SCORE_RESULT}",
                    "value": f"{award.score:g}",
                }
            ],
        },
    }
    if award.status_index >= 0:
        badge["credentialStatus"] = status_entry(course, award.status_index)
    return badge


def sign_credential(credential: dict[str, Any], keys: IssuerKeys, alg: str = "RS256") -> str:
    """A credential as a VC-JWT: the payload is the credential plus iss, sub, jti, nbf, iat."""
    problems = schema_problems(credential)
    if problems:
        raise KitError("the credential does not meet the Open Badges 3.0 schema: " + problems[0])
    when = int(datetime.strptime(credential["validFrom"], DATE).replace(tzinfo=UTC).timestamp())
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "sub": credential["credentialSubject"]["id"],
        "jti": credential["id"],
        "nbf": when,
        "iat": when,
    }
    headers = {"typ": "vc+jwt", "kid": f"{credential['issuer']['id']}#{RSA_KEY}"}
    if alg == "EdDSA":
        if keys.ed25519 is None:
            raise KitError(f"no Ed25519 key in {keys.folder}: run keygen in a new folder")
        headers["kid"] = f"{credential['issuer']['id']}#{ED25519_KEY}"
        return jwt.encode(claims, keys.ed25519, algorithm="EdDSA", headers=headers)
    if alg != "RS256":
        raise KitError(f"unknown algorithm {alg!r}: use RS256 or EdDSA")
    return jwt.encode(claims, keys.rsa, algorithm="RS256", headers=headers)


def sign(award: Award, course: CourseConfig, keys: IssuerKeys, alg: str = "RS256") -> str:
    """The award as a signed VC-JWT (``kid`` as ``key_id`` gives it)."""
    return sign_credential(open_badge(award, course), keys, alg)


def claimed_issuer(vc: dict[str, Any]) -> str:
    issuer = vc.get("issuer")
    return str(issuer.get("id", "") if isinstance(issuer, dict) else issuer or "")


def resolve_key(kid: str, issuer: str, sources: Sources) -> tuple[PublicKey, dict[str, Any] | None]:
    """The key that must have signed: the one the verifier pinned, or ``kid`` in the profile."""
    if sources.pinned is not None:
        return sources.pinned, None
    if not issuer or not kid.startswith(issuer + "#"):
        raise VerificationError(f"the signing key {kid!r} is not one of the issuer {issuer!r}")
    try:
        profile = load_profile(sources.profile or issuer, issuer)
        return public_key(profile, kid), profile
    except ProfileError as err:
        if sources.profile is None:
            raise VerificationError(
                f"not verified: {err}; give the issuer's profile with --issuer-profile FILE"
            ) from err
        raise VerificationError(f"not verified: {err}") from err


def parse_date(value: object, what: str) -> datetime:
    try:
        return datetime.strptime(str(value), DATE).replace(tzinfo=UTC)
    except ValueError as err:
        raise VerificationError(f"its {what} {value!r} is not a valid date") from err


def check_claims(claims: dict[str, Any], vc: dict[str, Any]) -> None:
    """The JWT claims must repeat the credential (VC-JOSE), or a verifier may read either."""
    subject = vc.get("credentialSubject", {})
    pairs = [
        ("sub", claims.get("sub"), subject.get("id") if isinstance(subject, dict) else None),
        ("iss", claims.get("iss"), claimed_issuer(vc)),
        ("jti", claims.get("jti"), vc.get("id")),
    ]
    problems = [f"{name} does not match the credential" for name, a, b in pairs if a != b or not a]
    if int(parse_date(vc.get("validFrom"), "validFrom").timestamp()) != claims.get("nbf"):
        problems.append("nbf does not match validFrom")
    if problems:
        raise VerificationError("; ".join(problems))


def check_dates(vc: dict[str, Any], now: datetime) -> str:
    start = parse_date(vc.get("validFrom"), "validFrom")
    if now < start:
        raise VerificationError(f"the credential is not valid until {vc['validFrom']}")
    if "validUntil" in vc:
        end = parse_date(vc["validUntil"], "validUntil")
        if now > end:
            raise VerificationError(f"the credential expired on {vc['validUntil']}")
        return f"Dates: valid from {vc['validFrom']} until {vc['validUntil']}"
    return f"Dates: valid from {vc['validFrom']}, with no end date"


def check_schema(vc: dict[str, Any]) -> None:
    problems = schema_problems(vc)
    if problems:
        raise VerificationError(f"it does not meet the Open Badges 3.0 schema: {problems[0]}")


def verify(
    token: str,
    sources: Sources | None = None,
    now: datetime | None = None,
    reasons: dict[str, tuple[str, str]] | None = None,
) -> Verification:
    """Check a VC-JWT against its issuer's published key; raise VerificationError saying why not.

    ``reasons`` maps credential ids to (date, reason) of revocations the caller can
    see locally (the issuing register), so a revoked credential's reason is shown.
    """
    sources = sources or Sources()
    header, unchecked = unverified(token)
    report = Verification(unchecked)
    issuer = claimed_issuer(unchecked)
    key, profile = resolve_key(str(header.get("kid", "")), issuer, sources)
    claims = check_signature(token, key, header["alg"])
    vc = {k: v for k, v in claims.items() if k not in ("iss", "sub", "jti", "nbf", "iat", "exp")}
    report.vc = vc
    report.checked.append(signature_line(header, profile, issuer, vc))
    check_claims(claims, vc)
    report.checked.append(
        "Token: its learner, issuer, id and date (sub, iss, jti, nbf) match the credential"
    )
    return checked_further(report, key, profile, sources, now, reasons)


def checked_further(
    report: Verification,
    key: PublicKey,
    profile: dict[str, Any] | None,
    sources: Sources,
    now: datetime | None,
    reasons: dict[str, tuple[str, str]] | None,
) -> Verification:
    """What both forms check once the signature holds: dates, schema, revocation."""
    report.checked.append(check_dates(report.vc, now or datetime.now(UTC)))
    check_schema(report.vc)
    report.checked.append("Schema: meets the Open Badges 3.0 JSON Schema (1EdTech)")
    check_status(report.vc, key, profile, sources, report, reasons or {})
    return report


def verify_document(
    document: dict[str, Any],
    sources: Sources | None = None,
    now: datetime | None = None,
    reasons: dict[str, tuple[str, str]] | None = None,
) -> Verification:
    """Check a credential with an embedded Data Integrity proof (eddsa-rdfc-2022)."""
    from ccin_learn.credentials import integrity  # lazy: pyld is slow to import

    sources = sources or Sources()
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise VerificationError("the credential has no embedded proof")
    issuer = claimed_issuer(document)
    report = Verification(document)
    method = str(proof.get("verificationMethod", ""))
    key, profile = resolve_key(method, issuer, sources)
    if not isinstance(key, Ed25519PublicKey):
        raise VerificationError(f"{method} is not an Ed25519 key")
    integrity.verify_proof(document, key)
    vc = {k: v for k, v in document.items() if k != "proof"}
    report.vc = vc
    report.checked.append(signature_line({"kid": method}, profile, issuer, vc))
    return checked_further(report, key, profile, sources, now, reasons)


def signature_line(
    header: dict[str, Any], profile: dict[str, Any] | None, issuer: str, vc: dict[str, Any]
) -> str:
    """Say which key the signature was checked against; the name must be the profile's."""
    if profile is None:
        return "Signature: checked against the public key you gave (--public-key)"
    named = vc.get("issuer", {}).get("name") if isinstance(vc.get("issuer"), dict) else None
    if named is not None and named != profile.get("name"):
        raise VerificationError(
            f"the credential names its issuer {named!r}, but the issuer's profile says "
            f"{profile.get('name')!r}"
        )
    key = str(header["kid"]).rsplit("#", 1)[-1]
    return f"Signature: checked against {key} of {issuer} ({profile.get('name')})"


def summary(vc: dict[str, Any]) -> dict[str, str]:
    """Who earned what, when, with what score, from a verified credential."""
    subject = vc["credentialSubject"]
    names = {i["identityType"]: i["identityHash"] for i in subject.get("identifier", [])}
    issuer = vc["issuer"]
    return {
        "learner": names.get("name", ""),
        "learner_id": names.get("identifier", ""),
        "credential": vc["name"],
        "score": subject["result"][0]["value"],
        "issued": vc["validFrom"],
        "issuer": issuer.get("name", "") if isinstance(issuer, dict) else "",
        "id": vc["id"],
    }
