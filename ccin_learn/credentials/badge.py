"""Open Badges 3.0 credentials, signed as VC-JWT with the issuer's Ed25519 key.

The credential is an ``OpenBadgeCredential`` whose achievement has
``achievementType: MicroCredential``, carrying the criteria (with learning
outcomes and workload) and the learner's result. It is signed with PyJWT's
EdDSA, so any change to the name, score or date breaks the signature.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ccin_learn.credentials.catalogue import Credential
from ccin_learn.credentials.keys import did_key, public_key_from_did
from ccin_learn.errors import KitError
from ccin_learn.grading.course import CourseConfig

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCORE_RESULT = "score"


class VerificationError(KitError):
    """The credential is not genuine or not well formed; the message says why."""


@dataclass(frozen=True)
class Award:
    """One learner's pass of one credential."""

    learner_id: str
    learner_name: str
    credential: Credential
    score: float
    issued_at: datetime
    credential_id: str = ""

    def with_id(self) -> Award:
        if self.credential_id:
            return self
        return Award(
            self.learner_id,
            self.learner_name,
            self.credential,
            self.score,
            self.issued_at,
            f"urn:uuid:{uuid.uuid4()}",
        )


def issuer_profile(course: CourseConfig, did: str) -> dict[str, Any]:
    body = course.awarding_body
    profile: dict[str, Any] = {
        "id": did,
        "type": ["Profile"],
        "name": body.name,
        "url": body.url,
        "address": {"type": ["Address"], "addressCountry": body.country},
    }
    if body.email:
        profile["email"] = body.email
    return profile


def achievement(credential: Credential, course: CourseConfig, did: str) -> dict[str, Any]:
    return {
        "id": f"urn:ccin-learn:{course.course_id}:achievement:{credential.id}",
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": credential.title,
        "description": f"Awarded for passing the {credential.module_title} assessment of "
        f"{course.course_title}.",
        "criteria": {"narrative": credential.criteria()},
        "creator": issuer_profile(course, did),
        "inLanguage": "en-GB",
        "resultDescription": [
            {
                "id": f"urn:ccin-learn:{course.course_id}:result:{credential.id}:{SCORE_RESULT}",
                "type": ["ResultDescription"],
                "name": "Total score",
                "resultType": "Percent",
                "requiredValue": f"{credential.pass_mark:g}",
            }
        ],
    }


def open_badge(award: Award, course: CourseConfig, did: str) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one award."""
    result_id = f"urn:ccin-learn:{course.course_id}:result:{award.credential.id}:{SCORE_RESULT}"
    return {
        "@context": CONTEXTS,
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(course, did),
        "validFrom": award.issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": award.credential.title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": award.learner_name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": False,
                    "identityHash": award.learner_id,
                },
            ],
            "achievement": achievement(award.credential, course, did),
            "result": [
                {"type": ["Result"], "resultDescription": result_id, "value": f"{award.score:g}"}
            ],
        },
    }


def sign(award: Award, course: CourseConfig, key: Ed25519PrivateKey) -> str:
    """The credential as a VC-JWT signed with EdDSA (Ed25519)."""
    did = did_key(key.public_key())
    badge = open_badge(award, course, did)
    claims = {
        "iss": did,
        "jti": badge["id"],
        "sub": award.learner_id,
        "nbf": int(award.issued_at.timestamp()),
        "vc": badge,
    }
    return jwt.encode(
        claims, key, algorithm="EdDSA", headers={"kid": f"{did}#{did[8:]}", "typ": "JWT"}
    )


def verify(token: str, pinned: Ed25519PublicKey | None = None) -> dict[str, Any]:
    """Check a VC-JWT's signature and structure; return the credential, or say what is wrong.

    With ``pinned`` (the awarding body's published key) a credential signed by
    any other key is refused, so a self-made credential cannot pass.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as err:
        raise VerificationError(f"not a signed credential (JWT): {err}") from err
    if header.get("alg") != "EdDSA":
        raise VerificationError(f"signed with {header.get('alg')!r}, not EdDSA (Ed25519)")
    did = str(header.get("kid", "")).split("#", 1)[0]
    public = public_key_from_did(did)
    if pinned is not None and did != did_key(pinned):
        raise VerificationError("signed by a different key from the awarding body's public key")
    try:
        claims = jwt.decode(
            token,
            public,
            algorithms=["EdDSA"],
            options={"require": ["iss", "jti", "nbf", "vc"], "verify_aud": False},
        )
    except jwt.InvalidSignatureError as err:
        raise VerificationError(
            "the signature does not match: the credential was changed after it was signed"
        ) from err
    except jwt.InvalidTokenError as err:
        raise VerificationError(f"the credential is not valid: {err}") from err
    check_structure(claims, did)
    return claims["vc"]


def check_structure(claims: dict[str, Any], did: str) -> None:
    """The parts of an Open Badges 3.0 micro-credential that a verifier relies on."""
    vc = claims["vc"]
    problems = []
    if claims["iss"] != did or vc.get("issuer", {}).get("id") != did:
        problems.append("the issuer does not match the signing key")
    if claims["jti"] != vc.get("id"):
        problems.append("the credential id does not match the token id")
    if "OpenBadgeCredential" not in vc.get("type", []):
        problems.append("it is not an OpenBadgeCredential")
    subject = vc.get("credentialSubject", {})
    if subject.get("achievement", {}).get("achievementType") != "MicroCredential":
        problems.append("its achievement is not a MicroCredential")
    if not subject.get("result") or not subject.get("identifier"):
        problems.append("it has no learner or no result")
    valid_from = vc.get("validFrom", "")
    try:
        when = datetime.strptime(valid_from, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        problems.append(f"its date {valid_from!r} is not a valid date")
    else:
        if int(when.timestamp()) != claims["nbf"]:
            problems.append("its date does not match the signed date")
    if problems:
        raise VerificationError("; ".join(problems))


def summary(vc: dict[str, Any]) -> dict[str, str]:
    """Who earned what, when, with what score, from a verified credential."""
    subject = vc["credentialSubject"]
    names = {i["identityType"]: i["identityHash"] for i in subject["identifier"]}
    return {
        "learner": names.get("name", ""),
        "learner_id": names.get("identifier", ""),
        "credential": vc["name"],
        "score": subject["result"][0]["value"],
        "issued": vc["validFrom"],
        "issuer": vc["issuer"]["name"],
        "id": vc["id"],
    }
