"""Signed Open Badges 3.0 VC-JWTs: conformant claims, the issuer's keys, and tampering."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import jwt
import pytest

from ccin_learn.credentials.badge import Sources, VerificationError, open_badge, sign, verify
from ccin_learn.credentials.keys import (
    ED25519_NAME,
    PRIVATE_NAME,
    check_outside,
    default_folder,
    generate_key,
    load_issuer_keys,
    load_private_key,
)
from ccin_learn.credentials.schema import schema_problems
from ccin_learn.errors import KitError
from tests.credentials.issuer import ANYSHIRE, Body, award, encode, make_body, parts, tamper


@pytest.fixture(scope="module")
def body(tmp_path_factory: pytest.TempPathFactory) -> Body:
    return make_body(tmp_path_factory.mktemp("anyshire"))


@pytest.fixture(scope="module")
def forger(tmp_path_factory: pytest.TempPathFactory) -> Body:
    """Someone else, who names themselves Anyshire Council and claims its address."""
    return make_body(tmp_path_factory.mktemp("forger"))


def offline(body: Body) -> Sources:
    return Sources(body.profile, body.status_list)


def test_the_payload_is_the_vc_2_credential_with_matching_registered_claims(body: Body) -> None:
    header, claims, _ = parts(sign(award(), body.course, body.keys))
    assert header == {"alg": "RS256", "typ": "vc+jwt", "kid": f"{ANYSHIRE}profile.json#key-1"}
    assert "vc" not in claims, "VC-JOSE: the payload is the credential itself"
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = claims["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:") and claims["sub"] == subject["id"]
    assert claims["iss"] == claims["issuer"]["id"] == f"{ANYSHIRE}profile.json"
    assert claims["jti"] == claims["id"] and claims["id"].startswith("urn:uuid:")
    assert claims["nbf"] == claims["iat"] == 1795167000  # 2026-11-20T09:30:00Z
    assert claims["validFrom"] == "2026-11-20T09:30:00Z"
    achievement = subject["achievement"]
    assert achievement["id"] == f"{ANYSHIRE}achievements/coop-option", "per awarding body"
    assert achievement["achievementType"] == "MicroCredential"
    assert "the The" not in achievement["description"] + achievement["criteria"]["narrative"]
    assert "passing The Coop Option assessment" in achievement["description"]
    assert subject["result"][0]["value"] == "85"
    assert claims["issuer"]["name"] == achievement["creator"]["name"] == "Anyshire Council"


def test_the_learner_is_named_by_a_salted_email_hash_or_else_their_id(body: Body) -> None:
    email, name = open_badge(award("ada@example.org"), body.course)["credentialSubject"][
        "identifier"
    ]
    digest = hashlib.sha256(("ada@example.org" + email["salt"]).encode()).hexdigest()
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    assert email["identityHash"] == f"sha256${digest}"
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Ada Fictional",
    }
    who = open_badge(award(email=""), body.course)["credentialSubject"]["identifier"][0]
    assert (who["identityType"], who["hashed"], who["identityHash"]) == (
        "identifier",
        False,
        "ada01",
    )


def test_rs256_by_default_and_eddsa_on_request_both_verify_against_the_profile(
    body: Body,
) -> None:
    for alg, key in (("RS256", "key-1"), ("EdDSA", "key-2")):
        token = sign(award(), body.course, body.keys, alg)
        report = verify(token, offline(body))
        assert report.checked[0] == (
            f"Signature: checked against {key} of {ANYSHIRE}profile.json (Anyshire Council)"
        )
        assert not schema_problems(report.vc)


@pytest.mark.parametrize(
    ("what", "change"),
    [
        ("name", lambda c: c["credentialSubject"]["identifier"][1].update(identityHash="Eve")),
        ("score", lambda c: c["credentialSubject"]["result"][0].update(value="99")),
        ("date", lambda c: c.update(validFrom="2025-01-01T00:00:00Z", nbf=1735689600)),
        ("issuer", lambda c: c["issuer"].update(name="Larkmoor Learning Partnership")),
    ],
)
def test_a_tampered_name_score_date_or_issuer_fails_with_the_reason(
    body: Body, what: str, change
) -> None:
    token = sign(award(), body.course, body.keys)
    with pytest.raises(VerificationError, match=r"^the signature does not match: the credential"):
        verify(tamper(token, change), offline(body))


def test_alg_none_is_refused(body: Body) -> None:
    _header, claims, _ = parts(sign(award(), body.course, body.keys))
    unsigned = f"{encode({'alg': 'none', 'typ': 'vc+jwt'})}.{encode(claims)}."
    with pytest.raises(VerificationError, match="signed with 'none': only RS256 and EdDSA"):
        verify(unsigned, offline(body))


def test_a_credential_signed_with_another_key_fails_though_it_names_the_issuer(
    body: Body, forger: Body
) -> None:
    forged = sign(award(), forger.course, forger.keys)  # same name, same address, other key
    with pytest.raises(VerificationError, match="signature does not match"):
        verify(forged, offline(body))
    assert verify(forged, offline(forger)).vc["issuer"]["name"] == "Anyshire Council", (
        "genuine only against the forger's own profile, which is not the one published"
    )


def test_a_key_not_in_the_issuers_profile_is_refused(body: Body) -> None:
    token = sign(award(), body.course, body.keys)
    header, claims, _ = parts(token)
    header["kid"] = "https://forger.example/profile.json#key-1"
    forged = jwt.encode(claims, body.keys.rsa, algorithm="RS256", headers=header)
    with pytest.raises(VerificationError, match="is not one of the issuer"):
        verify(forged, offline(body))


def test_a_profile_of_another_issuer_is_refused(body: Body, tmp_path: Path) -> None:
    other = make_body(tmp_path, "https://other.example/issuer/", "Other Council")
    token = sign(award(), body.course, body.keys)
    with pytest.raises(VerificationError, match=r"is the profile of 'https://other\.example/"):
        verify(token, Sources(other.profile))


def test_claims_that_disagree_with_the_credential_are_refused(body: Body) -> None:
    _header, claims, _ = parts(sign(award(), body.course, body.keys))
    claims["sub"] = "ada01"  # the old kit's sub: the learner id, not credentialSubject.id
    token = jwt.encode(
        claims,
        body.keys.rsa,
        algorithm="RS256",
        headers=parts(sign(award(), body.course, body.keys))[0],
    )
    with pytest.raises(VerificationError, match="sub does not match the credential"):
        verify(token, offline(body))


def test_not_a_credential() -> None:
    with pytest.raises(VerificationError, match="not a signed credential"):
        verify("hello")


def test_keygen_defaults_to_a_private_data_folder_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_folder() == tmp_path / "data" / "ccin-learn" / "issuer"
    rsa, ed, public = generate_key()
    assert rsa == default_folder() / PRIVATE_NAME and ed == default_folder() / ED25519_NAME
    assert default_folder().stat().st_mode & 0o777 == 0o700
    assert rsa.stat().st_mode & 0o777 == ed.stat().st_mode & 0o777 == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    assert load_issuer_keys(rsa).rsa.key_size == 3072
    with pytest.raises(KitError, match="already exists"):
        generate_key()
    os.chmod(rsa, 0o640)
    with pytest.raises(KitError, match="can be read by others: run chmod 600"):
        load_private_key(rsa)


def test_a_key_inside_the_cohort_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KitError, match=r"inside the cohort .* where learners' code can read"):
        check_outside(tmp_path / "spring" / "keys" / PRIVATE_NAME, tmp_path / "spring")
    check_outside(tmp_path / "keys" / PRIVATE_NAME, tmp_path / "spring")


def test_verify_command_says_what_it_checked(body: Body, tmp_path: Path, run_cli) -> None:
    good = tmp_path / "good.jwt"
    good.write_text(sign(award(email=""), body.course, body.keys))
    out = run_cli(
        [
            "credentials",
            "verify",
            good,
            "--issuer-profile",
            body.profile,
            "--status-list",
            body.status_list,
        ]
    ).out
    assert out.startswith(
        "Valid: Micro-credential: The Coop Option awarded to Ada Fictional (ada01) by "
        "Anyshire Council on 2026-11-20T09:30:00Z, score 85%."
    )
    assert f"  Signature: checked against key-1 of {ANYSHIRE}profile.json" in out
    assert "  Revocation: not checked — the credential has no status entry" in out
    bad = tmp_path / "bad.jwt"
    bad.write_text(
        tamper(good.read_text(), lambda c: c["credentialSubject"]["result"][0].update(value="100"))
    )
    err = run_cli(["credentials", "verify", bad, "--issuer-profile", body.profile], exit_code=1)
    assert "signature does not match" in err.err and not err.out


def test_verify_never_says_valid_when_the_issuers_profile_cannot_be_had(
    tmp_path: Path, run_cli, free_port
) -> None:
    unreachable = make_body(tmp_path, f"http://127.0.0.1:{free_port()}/issuer/")
    token = tmp_path / "ada.jwt"
    token.write_text(sign(award(), unreachable.course, unreachable.keys))
    result = run_cli(["credentials", "verify", token], exit_code=1)
    assert "not verified: could not fetch" in result.err
    assert "give the issuer's profile with --issuer-profile FILE" in result.err
    assert "Valid" not in result.out + result.err
    pinned = run_cli(
        [
            "credentials",
            "verify",
            token,
            "--public-key",
            unreachable.key_file.parent / "issuer-public.pem",
        ]
    ).out
    assert "  Signature: checked against the public key you gave (--public-key)" in pinned
