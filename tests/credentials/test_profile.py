"""The issuer profile: what `credentials publish` writes, and `verify` fetching it online."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccin_learn.credentials.badge import sign
from ccin_learn.credentials.keys import multikey
from tests.credentials.issuer import ANYSHIRE, award, cohort_folder, make_body


def test_publish_writes_the_profile_with_both_keys(tmp_path: Path, run_cli) -> None:
    body = make_body(tmp_path / "body")
    cohort = cohort_folder(tmp_path / "spring", body.course)
    site = tmp_path / "www" / "issuer"
    out = run_cli(
        ["credentials", "publish", "--course", cohort.root, "--key", body.key_file, "-o", site]
    ).out
    assert f"Publish the folder {site} at {ANYSHIRE} (so {ANYSHIRE}profile.json opens)." in out
    profile = json.loads((site / "profile.json").read_text(encoding="utf-8"))
    assert profile["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert profile["id"] == f"{ANYSHIRE}profile.json" and profile["type"] == ["Profile"]
    assert (profile["name"], profile["email"]) == ("Anyshire Council", "learning@anyshire.example")
    assert profile["address"] == {"type": ["Address"], "addressCountry": "GB"}
    rsa, ed = profile["verificationMethod"]
    assert rsa["id"] == rsa["publicKeyJwk"]["kid"] == f"{ANYSHIRE}profile.json#key-1"
    assert (rsa["type"], rsa["controller"]) == ("JsonWebKey", profile["id"])
    assert rsa["publicKeyJwk"]["kty"] == "RSA" and "d" not in rsa["publicKeyJwk"], "public only"
    assert (ed["id"], ed["type"]) == (f"{ANYSHIRE}profile.json#key-2", "Multikey")
    assert ed["publicKeyMultibase"] == multikey(body.keys.ed25519.public_key())
    assert (site / "status-list.jwt").is_file()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log on stderr: the CLI's own error must be its only line there."""


@pytest.fixture
def website(tmp_path: Path, free_port) -> Iterator[tuple[str, Path]]:
    """A local web server: the body's site, with the published folder at /issuer/."""
    root = tmp_path / "www"
    (root / "issuer").mkdir(parents=True)
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/issuer/", root / "issuer"
    finally:
        server.shutdown()
        server.server_close()


def test_verify_fetches_the_profile_and_status_list_from_the_issuer(
    website: tuple[str, Path], tmp_path: Path, run_cli
) -> None:
    url, published = website
    body = make_body(tmp_path / "body", url)
    token = tmp_path / "ada.jwt"
    token.write_text(sign(award(index=3), body.course, body.keys))
    not_there = run_cli(["credentials", "verify", token], exit_code=1).err
    assert f"not verified: could not fetch {url}profile.json" in not_there
    for name in ("profile.json", "status-list.jwt"):
        (published / name).write_bytes((body.site / name).read_bytes())
    out = run_cli(["credentials", "verify", token]).out
    assert f"  Signature: checked against key-1 of {url}profile.json (Anyshire Council)" in out
    assert f"  Revocation: checked against {url}status-list.jwt" in out
    (published / "status-list.jwt").unlink()
    out = run_cli(["credentials", "verify", token]).out
    assert (
        "  Revocation: not checked — the status list could not be fetched; give --status-list"
        in out
    )
