"""Reading and checking a signed JWT: the part of verifying that the status list shares.

Both a credential and its issuer's status list are VC-JWTs signed with the issuer's
key. ``badge`` (credentials) and ``status`` (the list) check them with these, so
neither needs the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ccin_learn.credentials.keys import PublicKey
from ccin_learn.errors import KitError

ALGORITHMS = ("RS256", "EdDSA")


class VerificationError(KitError):
    """The credential is not genuine or not well formed; the message says why."""


def unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and payload, before any check, to find out who claims to have signed."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.DecodeError as err:
        raise VerificationError(f"not a signed credential (JWT): {err}") from err
    if header.get("alg") not in ALGORITHMS:
        raise VerificationError(
            f"signed with {header.get('alg')!r}: only RS256 and EdDSA signatures are accepted"
        )
    return header, claims


def check_signature(token: str, key: PublicKey, alg: str) -> dict[str, Any]:
    wanted = RSAPublicKey if alg == "RS256" else Ed25519PublicKey
    if not isinstance(key, wanted):
        raise VerificationError(f"the header says {alg}, but the issuer's key is of another kind")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[alg],
            options={"require": ["iss", "sub", "jti", "nbf"], "verify_aud": False},
        )
    except jwt.InvalidSignatureError as err:
        raise VerificationError(
            "the signature does not match: the credential was changed after it was signed, "
            "or signed with a key that is not the issuer's"
        ) from err
    except jwt.ImmatureSignatureError as err:
        raise VerificationError(
            "the credential is not valid yet (its nbf is in the future)"
        ) from err
    except jwt.ExpiredSignatureError as err:
        raise VerificationError("the credential has expired") from err
    except jwt.InvalidTokenError as err:
        raise VerificationError(f"the credential is not valid: {err}") from err
    return claims


@dataclass
class Verification:
    """A credential that passed, and in plain words what was checked and what was not."""

    vc: dict[str, Any]
    checked: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sources:
    """Where the verifier gets the issuer's key and status list (None: fetch them)."""

    profile: Path | None = None
    status_list: Path | None = None
    pinned: PublicKey | None = None
