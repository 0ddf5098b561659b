"""The awarding body's signing keys, kept where learner code cannot reach them.

``keygen`` makes two keys: an RSA 3072-bit key (``issuer-key.pem``), which signs
the VC-JWT credentials with RS256 (the algorithm the Open Badges 3.0 spec requires
every verifier to support, and that every browser's WebCrypto checks), and an
Ed25519 key (``issuer-ed25519.pem``) for ``--alg EdDSA`` and the Data Integrity
proof. Their public halves are published in the issuer profile (``profile.py``).

The default folder is ``$XDG_DATA_HOME/ccin-learn/issuer/`` (``~/.local/share/...``):
outside any cohort, which learner code reads during grading, and outside the home
folder an earlier guide named. The folder is 0700 and each key 0600; a key file or
folder that another account can read is refused, because anyone who can read the
key can sign credentials in the body's name. Keys are never overwritten.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import (
    RSAPrivateKey,
    RSAPublicKey,
    generate_private_key,
)

from ccin_learn.errors import KitError

ED25519_MULTICODEC = b"\xed\x01"
RSA_BITS = 3072
PRIVATE_NAME, ED25519_NAME, PUBLIC_NAME = (
    "issuer-key.pem",
    "issuer-ed25519.pem",
    "issuer-public.pem",
)
STATE_NAME = "status-register.csv"  # which status-list index each credential holds
GROUP_OR_OTHER = stat.S_IRWXG | stat.S_IRWXO

PublicKey = RSAPublicKey | Ed25519PublicKey


@dataclass(frozen=True)
class IssuerKeys:
    """The body's keys, loaded from its key folder: RSA (key-1), and Ed25519 (key-2) if made."""

    folder: Path
    rsa: RSAPrivateKey
    ed25519: Ed25519PrivateKey | None


def default_folder() -> Path:
    """``$XDG_DATA_HOME/ccin-learn/issuer`` (XDG's default: ``~/.local/share``)."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "ccin-learn" / "issuer"


def multikey(public_key: Ed25519PublicKey) -> str:
    """The Multikey ``publicKeyMultibase`` of an Ed25519 key (multicodec ed25519-pub, base58btc)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_MULTICODEC + raw).decode("ascii")


def from_multikey(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key in a Multikey ``publicKeyMultibase`` value."""
    try:
        decoded = base58.b58decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        decoded = b""
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise KitError(f"{value[:20]!r} is not an Ed25519 Multikey")
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


def private_pem(key: RSAPrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate_key(folder: Path | None = None) -> tuple[Path, Path, Path]:
    """Make the body's keys in ``folder`` (0700): RSA and Ed25519 keys (0600), public PEM.

    Returns the RSA key, the Ed25519 key and the public key's paths.
    """
    folder = folder or default_folder()
    paths = folder / PRIVATE_NAME, folder / ED25519_NAME, folder / PUBLIC_NAME
    for path in paths:
        if path.exists():
            raise KitError(f"{path} already exists: keep it, or move it away first")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    rsa = generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    write_new(paths[0], private_pem(rsa), 0o600)
    write_new(paths[1], private_pem(Ed25519PrivateKey.generate()), 0o600)
    write_new(paths[2], public_pem(rsa.public_key()), 0o644)
    return paths


def read_private(path: Path) -> bytes:
    """A private key file's bytes, refused if another account can read or change it."""
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise KitError(
            f"{path}: no issuer key; make one with 'ccin-learn credentials keygen'"
        ) from err
    if mode & GROUP_OR_OTHER:
        raise KitError(f"{path} can be read by others: run chmod 600 {path}")
    return data


def load_private_key(path: Path) -> RSAPrivateKey | Ed25519PrivateKey:
    """One private key (RSA or Ed25519); refused if others can read it."""
    try:
        key = serialization.load_pem_private_key(read_private(path), password=None)
    except ValueError as err:
        raise KitError(f"{path} is not a PEM private key") from err
    if not isinstance(key, RSAPrivateKey | Ed25519PrivateKey):
        raise KitError(f"{path} is not an RSA or Ed25519 key")
    if isinstance(key, RSAPrivateKey) and key.key_size < RSA_BITS:
        raise KitError(f"{path} is a {key.key_size}-bit RSA key; make a new one with keygen")
    return key


def load_issuer_keys(path: Path) -> IssuerKeys:
    """The RSA key at ``path`` and the Ed25519 key beside it, if there is one."""
    rsa = load_private_key(path)
    if not isinstance(rsa, RSAPrivateKey):
        raise KitError(f"{path} is not the RSA issuer key that keygen writes as {PRIVATE_NAME}")
    sibling = path.parent / ED25519_NAME
    ed = load_private_key(sibling) if sibling.exists() else None
    if ed is not None and not isinstance(ed, Ed25519PrivateKey):
        raise KitError(f"{sibling} is not an Ed25519 key")
    return IssuerKeys(path.parent, rsa, ed)


def check_outside(key: Path, folder: Path) -> None:
    """Refuse a key kept inside ``folder`` (a cohort), where learner code can read it."""
    if key.resolve().is_relative_to(folder.resolve()):
        raise KitError(
            f"{key} is inside the cohort {folder}, where learners' code can read it: "
            "move the key folder outside (keygen's default is "
            f"{default_folder()})"
        )


def load_public_key(path: Path) -> PublicKey:
    """A public key (PEM) the verifier pinned: RSA or Ed25519."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError as err:
        raise KitError(f"{path}: file not found") from err
    except ValueError as err:
        raise KitError(f"{path} is not a PEM public key") from err
    if not isinstance(key, RSAPublicKey | Ed25519PublicKey):
        raise KitError(f"{path} is not an RSA or Ed25519 public key")
    return key
