"""The Data Integrity proof (eddsa-rdfc-2022) against the W3C test vectors and a badge.

The vectors (tests/credentials/vectors, from w3c/vc-di-eddsa) fix every intermediate
value: the canonical document and proof configuration, both hashes and the signature.
Ed25519 is deterministic, so a conforming implementation reproduces them byte for byte.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ccin_learn.credentials import integrity
from ccin_learn.credentials.badge import VerificationError
from ccin_learn.credentials.integrity import add_proof, verify_proof
from ccin_learn.errors import KitError

VECTORS = Path(__file__).parent / "vectors"
# Each W3C vector: its folder and the unsigned credential it signs.
CASES = [("alumni", "unsigned.json"), ("employ", "employmentAuth.json")]
ISSUER = "https://learn.anyshire.gov.uk/ccin/issuer/"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def read_json(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def w3c_key() -> Ed25519PrivateKey:
    """The vectors' private key: multibase base58btc of multicodec ed25519-priv (0x8026)."""
    raw = base58.b58decode(read_json(VECTORS / "keyPair.json")["privateKeyMultibase"][1:])
    assert raw[:2] == b"\x80\x26"
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def test_the_key_pair_matches_its_published_multikey(w3c_key):
    published = read_json(VECTORS / "keyPair.json")["publicKeyMultibase"]
    assert integrity.public_key_multibase(w3c_key.public_key()) == published
    assert integrity.public_key_from_multibase(published) == w3c_key.public_key()


@pytest.mark.parametrize(("folder", "unsigned"), CASES)
def test_canonical_forms_and_hashes_match_the_vectors(folder, unsigned):
    here = VECTORS / folder
    document = read_json(VECTORS / unsigned)
    proof_config = read_json(here / "proofConfigDataInt.json")
    canon_doc = integrity.canonical_nquads(document)
    canon_proof = integrity.canonical_nquads(proof_config)
    assert canon_doc == (here / "canonDocDataInt.txt").read_text(encoding="utf-8")
    assert canon_proof == (here / "proofCanonDataInt.txt").read_text(encoding="utf-8")
    doc_hash = hashlib.sha256(canon_doc.encode()).hexdigest()
    proof_hash = hashlib.sha256(canon_proof.encode()).hexdigest()
    assert doc_hash == (here / "docHashDataInt.txt").read_text().strip()
    assert proof_hash == (here / "proofHashDataInt.txt").read_text().strip()
    options = {k: v for k, v in proof_config.items() if k != "@context"}
    combined = integrity.hash_data(document, options).hex()
    assert combined == (here / "combinedHashDataInt.txt").read_text().strip()


@pytest.mark.parametrize(("folder", "unsigned"), CASES)
def test_add_proof_reproduces_the_signed_vector(w3c_key, folder, unsigned):
    here = VECTORS / folder
    document = read_json(VECTORS / unsigned)
    config = read_json(here / "proofConfigDataInt.json")
    created = datetime.fromisoformat(config["created"].replace("Z", "+00:00"))
    signed = add_proof(document, w3c_key, config["verificationMethod"], created)
    assert signed == read_json(here / "signedDataInt.json")
    proof_value = signed["proof"]["proofValue"]
    assert proof_value == (here / "sigBTC58DataInt.txt").read_text().strip()
    assert (
        base58.b58decode(proof_value[1:]).hex() == (here / "sigHexDataInt.txt").read_text().strip()
    )
    assert "proof" not in document, "the input is left unchanged"


@pytest.mark.parametrize(("folder", "unsigned"), CASES)
def test_the_signed_vector_verifies_and_fails_once_changed(w3c_key, folder, unsigned):
    signed = read_json(VECTORS / folder / "signedDataInt.json")
    verify_proof(signed, w3c_key.public_key())
    changed = copy.deepcopy(signed)
    changed["validFrom"] = "2024-01-01T00:00:00Z"
    with pytest.raises(VerificationError, match="the credential was changed after it was signed"):
        verify_proof(changed, w3c_key.public_key())


def test_a_wrong_key_fails_with_the_reason():
    signed = read_json(VECTORS / "alumni" / "signedDataInt.json")
    stranger = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(VerificationError, match="the proof does not match"):
        verify_proof(signed, stranger)


# --- an Open Badges 3.0 credential shaped like the kit's -------------------------------


def open_badge() -> dict[str, Any]:
    """A small OpenBadgeCredential by hand, in the shape the shared design issues."""
    profile = {
        "id": f"{ISSUER}profile.json",
        "type": ["Profile"],
        "name": "Anyshire Council",
        "url": "https://www.anyshire.gov.uk/",
        "email": "learning@anyshire.gov.uk",
        "address": {"type": ["Address"], "addressCountry": "GB"},
    }
    return {
        "@context": [V2, OB3],
        "id": "urn:uuid:1f0c6a52-44a1-4c1e-9d55-0f1b7b3c9a01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile,
        "validFrom": "2026-11-20T09:30:00Z",
        "name": "Community wealth building: foundations",
        "credentialSubject": {
            "id": "urn:uuid:6b1e3f0a-2d8c-4f57-a3c2-9e8d7c6b5a40",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$"
                    + hashlib.sha256(b"ada@example.org" + b"s4lt").hexdigest(),
                    "salt": "s4lt",
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": "李 Ada Fictional",
                },
            ],
            "achievement": {
                "id": f"{ISSUER}achievements/cwb-foundations",
                "type": ["Achievement"],
                "achievementType": "MicroCredential",
                "name": "Community wealth building: foundations",
                "description": "Awarded for passing the assessment of The Coop Option.",
                "criteria": {"narrative": "Score at least 60% in the module assessment."},
                "creator": profile,
                "inLanguage": "en-GB",
                "resultDescription": [
                    {
                        "id": f"{ISSUER}achievements/cwb-foundations#score",
                        "type": ["ResultDescription"],
                        "name": "Total score",
                        "resultType": "Percent",
                        "requiredValue": "60",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{ISSUER}achievements/cwb-foundations#score",
                    "value": "85",
                }
            ],
        },
        "credentialStatus": {
            "id": f"{ISSUER}status-list.jwt#7",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": f"{ISSUER}status-list.jwt",
        },
    }


@pytest.fixture(scope="module")
def issuer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def signed_badge(issuer_key) -> dict[str, Any]:
    when = datetime(2026, 11, 20, 9, 31, 5, tzinfo=UTC)
    return add_proof(open_badge(), issuer_key, f"{ISSUER}profile.json#key-2", when)


def test_a_badge_round_trips_with_the_proof_the_design_names(signed_badge, issuer_key):
    proof = signed_badge["proof"]
    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-11-20T09:31:05Z",
        "verificationMethod": f"{ISSUER}profile.json#key-2",
        "proofPurpose": "assertionMethod",
        "proofValue": proof["proofValue"],
    }
    assert proof["proofValue"].startswith("z")
    assert {k: v for k, v in signed_badge.items() if k != "proof"} == open_badge()
    verify_proof(json.loads(json.dumps(signed_badge)), issuer_key.public_key())


def test_every_member_of_the_badge_is_signed():
    """No member of the kit's badge falls outside the contexts (it would go unsigned)."""
    nquads = integrity.canonical_nquads(open_badge())
    for text in ("李 Ada Fictional", "Anyshire Council", '"85"', "status-list.jwt#7", "s4lt"):
        assert text in nquads


def tampered(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "identifier", 1, "identityHash"), "Mallory Fictional"),
        (("credentialSubject", "result", 0, "value"), "100"),
        (("validFrom",), "2025-01-01T00:00:00Z"),
        (("issuer", "name"), "Larkmoor Learning Partnership"),
        (("credentialStatus", "statusListIndex"), "8"),
        (("proof", "created"), "2026-11-21T09:31:05Z"),
        (("proof", "verificationMethod"), "https://forger.example/profile.json#key-2"),
    ],
    ids=["name", "score", "date", "issuer", "status", "proof-date", "proof-key"],
)
def test_a_tampered_badge_fails_with_the_reason(signed_badge, issuer_key, path, value):
    with pytest.raises(VerificationError) as caught:
        verify_proof(tampered(signed_badge, path, value), issuer_key.public_key())
    assert str(caught.value).startswith(
        "the proof does not match: the credential was changed after it was signed"
    )


def test_a_badge_signed_by_another_key_fails(signed_badge):
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(VerificationError, match="the proof does not match"):
        verify_proof(signed_badge, stranger.public_key())


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("proof", "cryptosuite"), "eddsa-jcs-2022", "unknown cryptosuite: 'eddsa-jcs-2022'"),
        (("proof", "type"), "Ed25519Signature2020", "not a DataIntegrityProof"),
        (("proof", "proofPurpose"), "authentication", "not assertionMethod"),
        (("proof", "proofValue"), "uAAAA", "not multibase base58btc"),
        (("proof", "proofValue"), "z3yMo", "not an Ed25519 signature"),
        (("proof", "created"), "yesterday", "not a date and time"),
        (("proof",), [], "more than one proof"),
    ],
)
def test_a_malformed_proof_is_refused_with_the_reason(
    signed_badge, issuer_key, path, value, reason
):
    with pytest.raises(VerificationError, match=reason):
        verify_proof(tampered(signed_badge, path, value), issuer_key.public_key())


def test_the_verification_method_is_read_from_a_well_formed_proof(signed_badge):
    assert integrity.proof_verification_method(signed_badge) == f"{ISSUER}profile.json#key-2"
    with pytest.raises(VerificationError, match="unknown cryptosuite"):
        integrity.proof_verification_method(
            tampered(signed_badge, ("proof", "cryptosuite"), "ecdsa-rdfc-2019")
        )


def test_a_proof_context_must_open_the_credentials(signed_badge, issuer_key):
    """Spec 3.3.2: a proof may carry the @context it was made with; it must match."""
    same = tampered(signed_badge, ("proof", "@context"), [V2, OB3])
    verify_proof(same, issuer_key.public_key())
    other = tampered(signed_badge, ("proof", "@context"), [V2, "https://example.org/other"])
    with pytest.raises(VerificationError, match="proof's @context does not match"):
        verify_proof(other, issuer_key.public_key())


def test_no_proof_is_refused(issuer_key):
    with pytest.raises(VerificationError, match="has no embedded proof"):
        verify_proof(open_badge(), issuer_key.public_key())


def test_an_unpinned_context_is_refused_and_never_fetched(issuer_key, monkeypatch):
    """Any context outside the package is refused before anything could fetch it."""

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the network was used")

    monkeypatch.setattr("socket.socket.connect", no_network)
    document = open_badge()
    document["@context"] = [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"]
    with pytest.raises(VerificationError, match=r"context not pinned: https://purl\.imsglobal"):
        add_proof(document, issuer_key, f"{ISSUER}profile.json#key-2", datetime.now(UTC))
    nested = open_badge()
    nested["credentialSubject"]["@context"] = "https://attacker.example/ctx"
    with pytest.raises(
        VerificationError, match=r"context not pinned: https://attacker\.example/ctx"
    ):
        integrity.canonical_nquads(nested)
    inline = open_badge()
    inline["@context"] = [V2, OB3, {"extra": "https://attacker.example/extra"}]
    with pytest.raises(VerificationError, match="context not pinned: an inline context object"):
        integrity.canonical_nquads(inline)


def with_change(change) -> dict[str, Any]:
    document = open_badge()
    change(document)
    return document


def deeply_nested(document: dict[str, Any]) -> None:
    inner: dict[str, Any] = {"type": ["Result"], "value": "1"}
    for _ in range(40):
        inner = {"type": ["Result"], "value": "1", "result": [inner]}
    document["credentialSubject"]["result"] = [inner]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d["credentialSubject"].update(favouriteColour="blue"),
            "not defined by its contexts and would not be covered by the signature: "
            "favouriteColour",
        ),
        (
            lambda d: d.update({"@included": [{"id": "urn:x", "name": "hidden"}]}),
            "form the kit does not accept: @included",
        ),
        (
            lambda d: d.update({"https://schema.org/name": "Other name"}),
            "form the kit does not accept: https://schema.org/name",
        ),
        (
            lambda d: d.update(validUntil=None),
            r"no value \(null\), which is not signed: validUntil",
        ),
        (
            lambda d: d["type"].append("RevokedCredential"),
            "neither a full address nor a term its contexts define: RevokedCredential",
        ),
        (
            lambda d: d["credentialSubject"].update(id="learner-7"),
            "neither a full address nor a term its contexts define: learner-7",
        ),
        (
            lambda d: d["credentialSubject"].update(id="_:b0"),
            "a blank node name is not accepted as an id: _:b0",
        ),
        (
            lambda d: d.update({"@context": [OB3, V2]}),
            "first @context is not https://www.w3.org/ns/credentials/v2",
        ),
        (deeply_nested, "nested more than 32 levels deep"),
        (
            lambda d: d.update(description="x" * 600_000),
            "over the 524288-byte limit",
        ),
    ],
    ids=[
        "undefined-member",
        "keyword",
        "full-address-key",
        "null",
        "undefined-type",
        "relative-id",
        "blank-node",
        "context-order",
        "too-deep",
        "too-large",
    ],
)
def test_json_that_would_not_be_signed_as_read_is_refused(issuer_key, signed_badge, change, reason):
    """Each would sign (or verify) RDF that differs from the JSON a person reads."""
    with pytest.raises(VerificationError, match=reason):
        add_proof(with_change(change), issuer_key, f"{ISSUER}profile.json#key-2", datetime.now(UTC))
    changed = copy.deepcopy(signed_badge)
    change(changed)
    with pytest.raises(VerificationError, match=reason):
        verify_proof(changed, issuer_key.public_key())


def test_an_expiry_date_cannot_be_hidden_by_renaming_it_to_its_address(issuer_key):
    """Renamed to its full address, validUntil gives the same RDF: the proof alone would pass."""
    expiring = with_change(lambda d: d.update(validUntil="2027-11-20T09:30:00Z"))
    signed = add_proof(expiring, issuer_key, f"{ISSUER}profile.json#key-2", datetime.now(UTC))
    hidden = copy.deepcopy(signed)
    hidden["https://www.w3.org/2018/credentials#validUntil"] = {
        "@value": hidden.pop("validUntil"),
        "@type": "http://www.w3.org/2001/XMLSchema#dateTime",
    }
    with pytest.raises(VerificationError, match="form the kit does not accept"):
        verify_proof(hidden, issuer_key.public_key())


def test_linked_blank_nodes_are_refused_at_once():
    """Ten blank nodes all linked to each other would take hours to canonicalise."""
    nodes = [
        {"id": f"_:n{i}", "link": [{"id": f"_:n{j}"} for j in range(10) if j != i]}
        for i in range(10)
    ]
    document = {
        "@context": [V2, "https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": nodes,
    }
    start = time.perf_counter()
    with pytest.raises(VerificationError, match="blank node name"):
        integrity.canonical_nquads(document)
    assert time.perf_counter() - start < 0.5


def test_verification_errors_are_kit_errors_and_one_line(signed_badge):
    try:
        verify_proof(signed_badge, Ed25519PrivateKey.generate().public_key())
    except KitError as err:
        assert "\n" not in str(err)
    else:
        pytest.fail("a wrong key verified")


def test_a_badge_is_canonicalised_well_under_a_second():
    integrity.canonical_nquads(open_badge())  # contexts read and parsed once
    start = time.perf_counter()
    integrity.canonical_nquads(open_badge())
    assert time.perf_counter() - start < 1.0
