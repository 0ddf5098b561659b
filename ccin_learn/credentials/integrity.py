"""The embedded Data Integrity proof of a credential: cryptosuite ``eddsa-rdfc-2022``.

Open Badges 3.0 allows two proof formats: a VC-JWT (``badge.py``) and a W3C Data
Integrity proof embedded in the JSON credential. The 1EdTech conformance suite accepts
only ``eddsa-rdfc-2022`` for the embedded kind, so that is the one cryptosuite here.
It follows the W3C Recommendation "Data Integrity EdDSA Cryptosuites v1.0", section
3.3 (eddsa-rdfc-2022), step for step:

* transformation: the document without ``proof`` is canonicalised with RDFC-1.0
  (the W3C name of URDNA2015; same output) into N-Quads;
* proof configuration: the proof options without ``proofValue``, given the document's
  ``@context``, canonicalised the same way;
* hashing: SHA-256(proof configuration) followed by SHA-256(document), 64 bytes;
* serialisation: the Ed25519 signature of those 64 bytes, written as multibase
  base58btc (``z...``) in ``proofValue``.

Why pyld and not ``openbadgeslib``: openbadgeslib (4.6.3, read in December 2026) does
issue and verify OB 3.0 credentials with eddsa-rdfc-2022, and carefully (pinned contexts,
context validation); a badge signed here verifies with it and the reverse, with the same
proofValue. But it is LGPL-3.0, while this kit is MIT and is copied and changed by
councils: every copy that bundles or alters it would carry LGPL duties. It brings its own
OB 3.0 model, key handling and trust rules that would sit beside the kit's (``badge.py``),
and for this proof it needs pyld anyway (its optional ``ldp`` extra). The cryptosuite is
a few dozen lines over pyld (BSD-3-Clause), so the kit keeps its format in one place
under one licence.

JSON-LD contexts are never fetched: a signature covers the RDF the JSON expands to, so
a context served differently tomorrow would change what was signed, and fetching would
let a credential make the verifier call any address. Every context is pinned in
``contexts/`` (sources in its README) and anything else is refused. Because the proof
covers RDF and people read JSON, JSON that could mean something other than what was
signed is refused before any check (see ``check_json_form``, ``raise_on_dropped`` and
``check_no_relative_iri``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from ccin_learn.credentials.jws import VerificationError

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# Limits that keep canonicalisation fast on a hostile file: the kit's credentials are a few
# kilobytes and six levels deep; an embedded badge image (a data: URL) fits easily.
MAX_DOCUMENT_BYTES = 512 * 1024
MAX_DEPTH = 32
# Contexts pyld has resolved from the pinned files (filled by canonical_nquads only).
RESOLVED_CONTEXTS: dict[str, Any] = {}
# Multicodec prefixes (varint) of an Ed25519 public key in a Multikey / did:key.
ED25519_PUB_MULTICODEC = b"\xed\x01"

# Each pinned context: the URL a credential names, and the file in contexts/ that holds it.
PINNED_CONTEXTS = {
    VC2_CONTEXT: "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    # The two below are used only by the W3C test vectors (tests/credentials/vectors).
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://w3id.org/citizenship/v4rc1": "citizenship-v4rc1.jsonld",
}


@cache
def pinned_context(url: str) -> dict[str, Any]:
    """The pinned context document for ``url``, read once from the package."""
    try:
        name = PINNED_CONTEXTS[url]
    except KeyError:
        raise VerificationError(
            f"context not pinned: {url} (the kit never fetches contexts from the internet)"
        ) from None
    text = resources.files("ccin_learn.credentials").joinpath("contexts", name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader, serving the pinned contexts only and refusing any other URL."""
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(pinned_context(url)),
    }


def check_contexts(document: dict[str, Any]) -> None:
    """Refuse, before any processing, a document whose @context names an unpinned URL.

    pyld would ask the loader anyway, but checking first gives the plain message, and it
    refuses inline context objects: those could redefine terms outside the pinned set.
    VC 2.0 requires the credentials v2 context first.
    """
    contexts = document.get("@context")
    if not isinstance(contexts, list) or not contexts:
        raise VerificationError("the credential has no @context list")
    if contexts[0] != VC2_CONTEXT:
        raise VerificationError(f"the credential's first @context is not {VC2_CONTEXT}")
    check_context_value(contexts)


def check_context_value(value: Any) -> None:
    """An @context value: pinned URLs only, alone or in a list."""
    for entry in value if isinstance(value, list) else [value]:
        if not isinstance(entry, str):
            raise VerificationError("context not pinned: an inline context object")
        pinned_context(entry)


def check_json_form(value: Any, depth: int = 0) -> None:
    """Refuse JSON the kit never writes and that would let the JSON and what is signed differ.

    The signature covers RDF, not JSON. A member renamed to its full address
    (``https://www.w3.org/2018/credentials#validUntil`` for ``validUntil``), or moved under
    a JSON-LD keyword (``@graph``, ``@included``, ``@reverse``, ``@value``...), gives the
    same RDF, so the proof would still match while a reader of the JSON saw no expiry
    date. Blank node names (``"id": "_:b0"``) can tie nodes into graphs whose
    canonicalisation takes factorial time (seven linked nodes: seconds; ten: hours), so
    they are refused too; without them every unnamed node has one parent and stays cheap.
    """
    if depth > MAX_DEPTH:
        raise VerificationError(f"the credential is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, list):
        for item in value:
            check_json_form(item, depth + 1)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key == "@context":
            check_context_value(item)
            continue
        if key.startswith("@") or ":" in key:
            raise VerificationError(f"a member is written in a form the kit does not accept: {key}")
        if item is None:
            raise VerificationError(f"a member has no value (null), which is not signed: {key}")
        if key == "id" and isinstance(item, str) and item.startswith("_:"):
            raise VerificationError(f"a blank node name is not accepted as an id: {item}")
        check_json_form(item, depth + 1)


def check_size(document: dict[str, Any]) -> None:
    """Refuse a document too large to be a credential before any JSON-LD work on it."""
    try:
        size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError) as err:
        raise VerificationError(f"the credential is not plain JSON: {err}") from None
    if size > MAX_DOCUMENT_BYTES:
        raise VerificationError(
            f"the credential is {size} bytes, over the {MAX_DOCUMENT_BYTES}-byte limit"
        )


def raise_on_dropped(term: str | None) -> None:
    """Refuse a member that no context defines: JSON-LD would leave it out of what is signed."""
    raise VerificationError(
        f"a member of the credential is not defined by its contexts and would not be "
        f"covered by the signature: {term or 'a member whose name is not a term'}"
    )


def canonical_nquads(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, with pinned contexts only.

    The kit's own cache of resolved contexts (not pyld's process-wide one) makes sure no
    context resolved elsewhere in the process, by another loader, can stand in for a
    pinned one; it holds only what ``document_loader`` served, so it never goes stale.
    """
    check_size(document)
    check_contexts(document)
    check_json_form(document)
    processor = jsonld.JsonLdProcessor(on_property_dropped=raise_on_dropped)
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
        "contextResolver": ContextResolver(RESOLVED_CONTEXTS, document_loader),
    }
    try:
        nquads: str = processor.normalize(document, options)
    except jsonld.JsonLdError as err:
        raise VerificationError(f"the credential is not valid JSON-LD: {root_cause(err)}") from err
    check_no_relative_iri(nquads)
    return nquads


def check_no_relative_iri(nquads: str) -> None:
    """Refuse a value that is neither a full address nor a term the contexts define.

    pyld resolves such a value (a ``type`` no context names, an ``id`` like ``badge-1``)
    against a made-up base, http://example.org/base/, where the JSON-LD processors other
    verifiers use leave it out: the two would then disagree about what was signed.
    """
    marker = "<" + jsonld.DEFAULT_BASE_IRI
    start = nquads.find(marker)
    if start >= 0:
        value = nquads[start + len(marker) : nquads.find(">", start)]
        raise VerificationError(
            f"a value is neither a full address nor a term its contexts define: {value}"
        )


def root_cause(err: BaseException) -> str:
    """The innermost message of a chain of pyld errors (the outer ones only say 'failed')."""
    while err.__cause__ is not None:
        err = err.__cause__
        if isinstance(err, VerificationError):
            raise err
    return str(err).splitlines()[0]


def hash_data(unsecured: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof configuration, then of the canonical document.

    The proof configuration is the proof options with the document's @context (spec
    3.3.5), so both are read with the same term definitions.
    """
    config = {k: v for k, v in proof_options.items() if k != "proofValue"}
    config["@context"] = unsecured["@context"]
    config_hash = hashlib.sha256(canonical_nquads(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured).encode("utf-8")).digest()
    return config_hash + document_hash


def xml_datetime(moment: datetime) -> str:
    """``created`` as XML Schema dateTime in UTC, to the second (as the W3C vectors write it)."""
    if moment.tzinfo is None:
        raise ValueError("created must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_proof(
    document: dict[str, Any],
    key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of ``document`` with an eddsa-rdfc-2022 ``proof`` (assertionMethod) added.

    ``verification_method`` is the URL of the public key the verifier should use, e.g.
    ``<issuer_url>profile.json#key-2``. The document itself is left unchanged.
    """
    if "proof" in document:
        raise VerificationError("the credential already has a proof")
    unsecured = copy.deepcopy(document)
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xml_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(hash_data(unsecured, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**unsecured, "proof": proof}


def verify_proof(document: dict[str, Any], public_key: Ed25519PublicKey) -> None:
    """Check the document's eddsa-rdfc-2022 proof against ``public_key``; raise if it fails.

    Returns nothing on success. Which key to use (resolving ``verificationMethod`` through
    the issuer's published profile) is the caller's decision, not the proof's.
    """
    proof = single_proof(document)
    check_proof_options(proof)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in proof:
        unsecured["@context"] = proof_context(document, proof)
    signature = decode_proof_value(proof.get("proofValue"))
    try:
        public_key.verify(signature, hash_data(unsecured, proof))
    except InvalidSignature:
        raise VerificationError(
            "the proof does not match: the credential was changed after it was signed, "
            "or it was signed with a different key"
        ) from None


def proof_verification_method(document: dict[str, Any]) -> str:
    """The ``verificationMethod`` of the document's proof: the key the verifier must resolve.

    ``verify`` looks this URL up in the issuer's published profile (``#key-2``, a
    Multikey) and then calls ``verify_proof`` with that key; a key taken from anywhere
    else would let a forger choose it.
    """
    proof = single_proof(document)
    check_proof_options(proof)
    method: str = proof["verificationMethod"]
    return method


def single_proof(document: dict[str, Any]) -> dict[str, Any]:
    """The document's one proof (the kit issues one; proof sets and chains are refused)."""
    proof = document.get("proof")
    if proof is None:
        raise VerificationError("the credential has no embedded proof")
    if not isinstance(proof, dict):
        raise VerificationError("the credential has more than one proof, or a malformed one")
    return proof


def check_proof_options(proof: dict[str, Any]) -> None:
    """Type, cryptosuite, purpose and date of the proof, as the cryptosuite requires."""
    checks: list[tuple[bool, str]] = [
        (proof.get("type") == PROOF_TYPE, f"not a {PROOF_TYPE}: {proof.get('type')!r}"),
        (
            proof.get("cryptosuite") == CRYPTOSUITE,
            f"unknown cryptosuite: {proof.get('cryptosuite')!r}",
        ),
        (
            proof.get("proofPurpose") == "assertionMethod",
            f"the proof's purpose is {proof.get('proofPurpose')!r}, not assertionMethod",
        ),
        (
            isinstance(proof.get("verificationMethod"), str),
            "the proof names no verification method",
        ),
    ]
    for ok, reason in checks:
        if not ok:
            raise VerificationError(reason)
    created = proof.get("created")
    if created is not None and not is_xml_datetime(created):
        raise VerificationError(f"the proof's creation date is not a date and time: {created!r}")


def is_xml_datetime(value: Any) -> bool:
    """True for an XML Schema dateTime with a time zone, e.g. 2023-02-24T23:36:38Z."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def proof_context(document: dict[str, Any], proof: dict[str, Any]) -> Any:
    """The proof's own @context, which must open the document's (spec 3.3.2, step 4)."""
    mine, theirs = proof["@context"], document.get("@context")
    mine_list = mine if isinstance(mine, list) else [mine]
    theirs_list = theirs if isinstance(theirs, list) else [theirs]
    if theirs_list[: len(mine_list)] != mine_list:
        raise VerificationError("the proof's @context does not match the credential's")
    return mine


def decode_proof_value(value: Any) -> bytes:
    """The 64 signature bytes of a multibase base58btc ``proofValue``."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise VerificationError("the proof value is not multibase base58btc (it must start 'z')")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError:
        raise VerificationError("the proof value is not valid base58") from None
    if len(signature) != 64:
        raise VerificationError("the proof value is not an Ed25519 signature (64 bytes)")
    return signature


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The ``publicKeyMultibase`` of a Multikey verification method (``z6Mk...``)."""
    raw = public_key.public_bytes_raw()
    return "z" + base58.b58encode(ED25519_PUB_MULTICODEC + raw).decode("ascii")


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    """The Ed25519 key of a Multikey ``publicKeyMultibase``, as an issuer profile publishes it."""
    decoded = b""
    if value.startswith("z"):
        try:
            decoded = base58.b58decode(value[1:])
        except ValueError:
            decoded = b""
    if len(decoded) != 34 or not decoded.startswith(ED25519_PUB_MULTICODEC):
        raise VerificationError(f"not an Ed25519 Multikey: {value[:16]}...")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])
