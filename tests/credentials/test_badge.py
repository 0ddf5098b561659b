"""Signed Open Badges: structure, signature, pinned issuer, and tampering."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ccin_learn.credentials.badge import Award, VerificationError, open_badge, sign, verify
from ccin_learn.credentials.catalogue import load_credentials
from ccin_learn.credentials.keys import (
    did_key,
    generate_key,
    load_private_key,
    public_key_from_did,
)
from ccin_learn.errors import KitError

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


def award():
    return Award("ada01", "Ada Fictional", load_credentials()[0], 85, WHEN).with_id()


def tamper(token: str, change) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims["vc"])
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{body}.{signature}"


def test_badge_is_an_open_badges_3_micro_credential(key, course):
    badge = open_badge(award(), course, did_key(key.public_key()))
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in badge["@context"]
    achievement = badge["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    assert "Learning outcomes" in achievement["criteria"]["narrative"]
    assert "Notional workload: 6 hours" in achievement["criteria"]["narrative"]
    assert badge["credentialSubject"]["result"][0]["value"] == "85"
    assert badge["issuer"]["name"] == course.awarding_body.name
    assert badge["validFrom"] == "2026-11-20T09:30:00Z"


def test_signed_badge_verifies_and_did_key_round_trips(key, course):
    token = sign(award(), course, key)
    assert (
        verify(token, pinned=key.public_key())["credentialSubject"]["identifier"][0]["identityHash"]
        == "Ada Fictional"
    )
    did = did_key(key.public_key())
    assert did.startswith("did:key:z6Mk")
    assert did_key(public_key_from_did(did)) == did


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("name", lambda vc: vc["credentialSubject"]["identifier"][0].update(identityHash="Eve")),
        ("score", lambda vc: vc["credentialSubject"]["result"][0].update(value="99")),
        ("date", lambda vc: vc.update(validFrom="2025-01-01T00:00:00Z")),
    ],
)
def test_a_tampered_name_score_or_date_is_rejected(key, course, what, change):
    token = sign(award(), course, key)
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(tamper(token, change))


def test_a_credential_from_another_key_is_refused_when_the_issuer_is_pinned(key, course):
    other = Ed25519PrivateKey.generate()
    token = sign(award(), course, other)
    verify(token)  # genuine, but not ours
    with pytest.raises(VerificationError, match="different key"):
        verify(token, pinned=key.public_key())


def test_not_a_credential():
    with pytest.raises(VerificationError, match="not a signed credential"):
        verify("hello")


def test_keygen_writes_an_owner_only_key_and_never_overwrites(tmp_path):
    private, public, did = generate_key(tmp_path)
    assert private.stat().st_mode & 0o777 == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert (tmp_path / "issuer-did.txt").read_text().strip() == did
    with pytest.raises(KitError, match="already exists"):
        generate_key(tmp_path)
    load_private_key(private)
    os.chmod(private, 0o644)
    with pytest.raises(KitError, match="chmod 600"):
        load_private_key(private)


def test_verify_command_exit_codes(tmp_path, key, course, run_cli):
    private, public, _did = generate_key(tmp_path / "keys")
    token = sign(award(), course, load_private_key(private))
    good = tmp_path / "good.jwt"
    good.write_text(token)
    result = run_cli(["credentials", "verify", good, "--public-key", public])
    assert "Valid: Micro-credential: The Coop Option awarded to Ada Fictional" in result.out
    bad = tmp_path / "bad.jwt"
    bad.write_text(
        tamper(token, lambda vc: vc["credentialSubject"]["result"][0].update(value="100"))
    )
    assert "signature does not match" in run_cli(["credentials", "verify", bad], exit_code=1).err
