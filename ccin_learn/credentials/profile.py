"""The awarding body's issuer profile: the published document that ties its keys to its name.

A verifier must not trust the issuer name a credential carries: anyone can type
"Anyshire Council" and sign with their own key. The profile at
``<issuer_url>profile.json``, on the body's own website, lists the body's public
keys; a credential's ``kid`` names one of them, so checking the signature against
that key shows the body issued it. ``publish`` writes the profile (and the status
list, see ``status.py``) into a folder the body puts on its site.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from jwt.algorithms import RSAAlgorithm

from ccin_learn.credentials.keys import IssuerKeys, PublicKey, from_multikey, multikey
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, read_regular_file
from ccin_learn.grading.course import CourseConfig

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
PROFILE_NAME = "profile.json"
RSA_KEY, ED25519_KEY = "key-1", "key-2"
FETCH_TIMEOUT = 10  # seconds: a verifier waits no longer for the body's website
MAX_DOCUMENT = 1_000_000  # bytes: a profile or status list is far smaller


class ProfileError(KitError):
    """The issuer profile could not be found, read or used; the message says why."""


def issuer_id(course: CourseConfig) -> str:
    """The issuer's id: the address of its profile."""
    return course.awarding_body.issuer_url + PROFILE_NAME


def key_id(course: CourseConfig, alg: str) -> str:
    """The ``kid`` of the key that signs with ``alg`` (RS256: key-1, EdDSA: key-2)."""
    return f"{issuer_id(course)}#{RSA_KEY if alg == 'RS256' else ED25519_KEY}"


def issuer_summary(course: CourseConfig) -> dict[str, Any]:
    """The issuer as a credential embeds it: id, name, web address, email, country."""
    body = course.awarding_body
    profile: dict[str, Any] = {
        "id": issuer_id(course),
        "type": ["Profile"],
        "name": body.name,
        "url": body.url,
        "address": {"type": ["Address"], "addressCountry": body.country},
    }
    if body.email:
        profile["email"] = body.email
    return profile


def issuer_profile(course: CourseConfig, keys: IssuerKeys) -> dict[str, Any]:
    """The published profile: the issuer and its verification methods (public keys)."""
    controller = issuer_id(course)
    jwk = json.loads(RSAAlgorithm.to_jwk(keys.rsa.public_key()))
    jwk.update({"kid": key_id(course, "RS256"), "alg": "RS256", "use": "sig"})
    methods: list[dict[str, Any]] = [
        {
            "id": key_id(course, "RS256"),
            "type": "JsonWebKey",
            "controller": controller,
            "publicKeyJwk": jwk,
        }
    ]
    if keys.ed25519 is not None:
        methods.append(
            {
                "id": key_id(course, "EdDSA"),
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": multikey(keys.ed25519.public_key()),
            }
        )
    return {"@context": CONTEXTS, **issuer_summary(course), "verificationMethod": methods}


def write_profile(course: CourseConfig, keys: IssuerKeys, folder: Path) -> Path:
    """Write ``profile.json`` into the folder the body publishes."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PROFILE_NAME
    text = json.dumps(issuer_profile(course, keys), indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return path


def fetchable(url: str) -> bool:
    """Only HTTPS, or http on this machine (local trials), is ever fetched."""
    return url.startswith(("https://", "http://127.0.0.1", "http://localhost"))


def fetch(url: str) -> bytes:
    """A published document (profile or status list) over HTTPS, with a timeout."""
    if not fetchable(url):
        raise ProfileError(f"{url} is not an https address")
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:
            data: bytes = response.read(MAX_DOCUMENT + 1)
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise ProfileError(f"could not fetch {url}: {getattr(err, 'reason', err)}") from err
    if len(data) > MAX_DOCUMENT:
        raise ProfileError(f"{url} is too large to be a profile or status list")
    return data


def load_profile(source: Path | str, expected_id: str) -> dict[str, Any]:
    """The profile from a file (offline) or its address; its ``id`` must be ``expected_id``."""
    where = str(source)
    data = read_regular_file(source, MAX_DOCUMENT) if isinstance(source, Path) else fetch(where)
    try:
        profile = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ProfileError(f"{where} is not a JSON issuer profile") from err
    if not isinstance(profile, dict) or "Profile" not in profile.get("type", []):
        raise ProfileError(f"{where} is not an issuer profile")
    if profile.get("id") != expected_id:
        raise ProfileError(
            f"{where} is the profile of {profile.get('id')!r}, not of the credential's "
            f"issuer {expected_id!r}"
        )
    return profile


def public_key(profile: dict[str, Any], kid: str) -> PublicKey:
    """The key ``kid`` names in the profile, or ProfileError if the profile has no such key."""
    for method in profile.get("verificationMethod", []):
        if not isinstance(method, dict) or method.get("id") != kid:
            continue
        if method.get("controller") != profile["id"]:
            raise ProfileError(f"{kid} is not controlled by {profile['id']}")
        try:
            if method.get("type") == "JsonWebKey":
                key = RSAAlgorithm.from_jwk(method["publicKeyJwk"])
                if isinstance(key, PublicKey):
                    return key
            if method.get("type") == "Multikey":
                return from_multikey(str(method.get("publicKeyMultibase", "")))
        except (KeyError, ValueError, TypeError, KitError) as err:
            raise ProfileError(f"the key {kid} in the issuer profile is not readable") from err
        raise ProfileError(f"the key {kid} in the issuer profile is of an unknown kind")
    raise ProfileError(f"the issuer profile {profile['id']} has no key {kid!r}")
