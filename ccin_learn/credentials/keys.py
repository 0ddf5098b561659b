"""The awarding body's Ed25519 signing key, and its public form as a did:key.

The private key is written readable by its owner only and is never
overwritten. The public key is published as a PEM file and as a ``did:key``
identifier, which carries the key itself, so anyone can check a credential
with no server and no network.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ccin_learn.errors import KitError

ED25519_MULTICODEC = b"\xed\x01"
PRIVATE_NAME, PUBLIC_NAME, DID_NAME = "issuer-key.pem", "issuer-public.pem", "issuer-did.txt"


def did_key(public_key: Ed25519PublicKey) -> str:
    """The did:key identifier of a public key (multicodec ed25519-pub, base58btc)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "did:key:z" + base58.b58encode(ED25519_MULTICODEC + raw).decode("ascii")


def public_key_from_did(did: str) -> Ed25519PublicKey:
    """The Ed25519 public key inside a did:key identifier."""
    method_id = did.removeprefix("did:key:").split("#", 1)[0]
    if not did.startswith("did:key:z"):
        raise KitError(f"issuer {did!r} is not an Ed25519 did:key")
    try:
        decoded = base58.b58decode(method_id[1:])
    except ValueError as err:
        raise KitError(f"issuer {did!r} is not valid base58") from err
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise KitError(f"issuer {did!r} is not an Ed25519 did:key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode``; refuse to overwrite, so a key is never lost."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as err:
        raise KitError(f"{path} already exists: keep it, or move it away first") from err
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(path, mode)


def generate_key(folder: Path) -> tuple[Path, Path, str]:
    """Make a new issuer key in ``folder``: private (0600), public PEM, and did:key."""
    folder.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = private.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    paths = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    for path in (*paths, folder / DID_NAME):
        if path.exists():
            raise KitError(f"{path} already exists: keep it, or move it away first")
    write_new(paths[0], private_pem, 0o600)
    write_new(paths[1], public_pem, 0o644)
    did = did_key(public)
    write_new(folder / DID_NAME, (did + "\n").encode(), 0o644)
    return paths[0], paths[1], did


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The issuer's private key; refused if others can read it."""
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise KitError(
            f"{path}: no issuer key; make one with 'ccin-learn credentials keygen'"
        ) from err
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KitError(f"{path} can be read by others: run chmod 600 {path}")
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as err:
        raise KitError(f"{path} is not a PEM private key") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise KitError(f"{path} is not an Ed25519 key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A published issuer public key (PEM)."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError as err:
        raise KitError(f"{path}: file not found") from err
    except ValueError as err:
        raise KitError(f"{path} is not a PEM public key") from err
    if not isinstance(key, Ed25519PublicKey):
        raise KitError(f"{path} is not an Ed25519 public key")
    return key
