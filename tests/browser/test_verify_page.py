"""The book's "Check a credential" page, in Chromium with no network but localhost (issue 15,
item 6): a genuine credential, a tampered one and a revoked one get the right verdict, the page
reads the issuer's profile and revocation list from the issuer's own site, and a credential's
text is shown as text."""

from __future__ import annotations

import base64
import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from ccin_learn.credentials import issue
from tests.browser.offline import offline_page, serious_axe_violations
from tests.credentials.issuer import cohort_folder, gradebook_free, make_body

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "book/credentials/verify.html"
SHOTS = Path("/tmp/work/shots-verify")
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
VALID_INDEX = 3  # a hand-made credential's place in the list (not set)
# Attacker-chosen text in a credential, which the page must show as text.
HOSTILE_NAME = "Ann <img src=x onerror=\"document.body.dataset.pwned='yes'\"> O'Neill"


class CorsHandler(SimpleHTTPRequestHandler):
    """Serves the issuer's folder as a static site that lets other sites read it, as an
    awarding body's site must for the book's page on another origin."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *_args: Any) -> None:
        """Quiet: the test output is for failures."""


@pytest.fixture(scope="module")
def issuer_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 (another origin than the book): (folder, issuer URL)."""
    root = tmp_path_factory.mktemp("issuer-site")
    (root / "issuer").mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(CorsHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root / "issuer", f"http://127.0.0.1:{server.server_address[1]}/issuer/"
    server.shutdown()
    server.server_close()


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def credential(issuer: dict, index: int, learner: str) -> dict:
    """An OpenBadgeCredential as the shared design writes it (payload of the VC-JWT)."""
    issuer_url = issuer["id"].removesuffix("profile.json")
    subject_id = f"urn:uuid:{uuid.uuid4()}"
    issuer_object = {k: issuer[k] for k in ("id", "name", "url", "email", "address")}
    issuer_object["type"] = ["Profile"]
    result_id = f"{issuer_url}achievements/coop-option#score"
    vc = {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_object,
        "validFrom": "2026-11-20T10:00:00Z",
        "name": "The Coop Option",
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": False,
                    "identityHash": "dev04",
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": learner,
                },
            ],
            "achievement": {
                "id": f"{issuer_url}achievements/coop-option",
                "type": ["Achievement"],
                "name": "The Coop Option",
                "criteria": {"narrative": "Passed the assessment of The Coop Option module."},
                "creator": issuer_object,
                "resultDescription": [
                    {
                        "id": result_id,
                        "type": ["ResultDescription"],
                        "name": "Total score",
                        "resultType": "Percent",
                        "requiredValue": "70",
                    }
                ],
            },
            "result": [{"type": ["Result"], "resultDescription": result_id, "value": "85"}],
        },
        "credentialStatus": {
            "id": f"{issuer_url}status-list.jwt#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": f"{issuer_url}status-list.jwt",
        },
    }
    nbf = 1795168800  # 2026-11-20T10:00:00Z
    return vc | {"iss": issuer["id"], "sub": subject_id, "jti": vc["id"], "nbf": nbf, "iat": nbf}


def signed(payload: dict, key: object, alg: str, kid: str) -> str:
    return jwt.encode(payload, key, algorithm=alg, headers={"typ": "vc+jwt", "kid": kid})


def tampered(token: str) -> str:
    """The token with its score raised and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["result"][0]["value"] = "100"
    return f"{header}.{b64url(json.dumps(claims).encode())}.{signature}"


def forged(folder: Path, issuer: dict) -> str:
    """A forger's copy of the issuer's profile on another address, with the forger's key in
    it and the real issuer's id kept; and a credential signed with that key."""
    forger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    copy = json.loads(json.dumps(issuer))
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(forger_key.public_key()))
    copy["verificationMethod"][0]["publicKeyJwk"] = jwk
    (folder.parent / "forged").mkdir()
    (folder.parent / "forged" / "profile.json").write_text(json.dumps(copy), encoding="utf-8")
    kid = issuer["id"].replace("/issuer/profile.json", "/forged/profile.json#key-1")
    return signed(credential(issuer, VALID_INDEX, "Mallory"), forger_key, "RS256", kid)


@pytest.fixture(scope="module")
def issued(issuer_site: tuple[Path, str], free_port, tmp_path_factory) -> dict[str, str]:
    """What the kit itself issues and publishes, served from the body's own site: its
    profile and status list (``publish``), credentials signed with RS256 and EdDSA
    (``issue_credentials``), one of them revoked (``revoke``). The cases the kit never
    makes (a forger's copy, an unsigned token, an expired one, an unreachable issuer) are
    built by hand against the same published profile."""
    folder, issuer_url = issuer_site
    base = tmp_path_factory.mktemp("kit-issuer")
    body = make_body(base, issuer_url)
    shutil.copytree(body.site, folder, dirs_exist_ok=True)
    cohort = cohort_folder(base / "spring", body.course)
    with pytest.MonkeyPatch.context() as patch:
        gradebook_free(patch)
        names = {"ada01": (HOSTILE_NAME, "ada@example.org"), "bea02": ("Bo Li", "")}
        patch.setattr(issue, "learner_names", lambda _cohort: names)
        issue.issue_credentials(cohort, base / "rs256", issue.Signing(body.keys))
        issue.issue_credentials(cohort, base / "eddsa", issue.Signing(body.keys, alg="EdDSA"))
    issue.revoke(body.course, base / "rs256", body.keys, folder, "bea02/coop-option", "Test")
    issuer = json.loads((folder / "profile.json").read_text(encoding="utf-8"))
    key_1 = issuer["verificationMethod"][0]["id"]
    valid = (base / "rs256" / "ada01" / "coop-option.jwt").read_text().strip()
    expired = credential(issuer, VALID_INDEX, "Eve") | {"validUntil": "2026-11-30T00:00:00Z"}
    return {
        "valid": valid,
        "tampered": tampered(valid),
        "revoked": (base / "rs256" / "bea02" / "coop-option.jwt").read_text().strip(),
        "eddsa": (base / "eddsa" / "ada01" / "coop-option.jwt").read_text().strip(),
        "unsigned": signed(credential(issuer, VALID_INDEX, "Eve"), None, "none", key_1),
        "forged": forged(folder, issuer),
        "expired": signed(expired, body.keys.rsa, "RS256", key_1),
        "unreachable": signed(
            credential(issuer, VALID_INDEX, "Eve"),
            body.keys.rsa,
            "RS256",
            f"http://127.0.0.1:{free_port()}/issuer/profile.json#key-1",
        ),
    }


def claims(token: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def check(page: Any, token: str) -> str:
    """Paste a token, press the button, and return the verdict once it is shown."""
    page.get_by_label("Or paste the credential's text").fill(token)
    page.get_by_role("button", name="Check the credential").click()
    verdict = page.locator(".ccin-verify-verdict-text")
    verdict.wait_for(timeout=5000)
    return verdict.inner_text()


def test_verdicts_offline_at_desktop_and_phone_width(chromium, site_url, issued, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page, log = offline_page(chromium)
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(f"{site_url}{PAGE}", wait_until="networkidle")

        assert check(page, issued["valid"]) == "Genuine."
        result = page.locator("#ccin-verify-result")
        assert result.get_attribute("aria-live") == "polite"
        details = " ".join(result.locator("dl").inner_text().split())
        vc = claims(issued["valid"])
        achieved = vc["credentialSubject"]["achievement"]
        required = achieved["resultDescription"][0]["requiredValue"]
        for shown in (
            achieved["name"],
            f"Total score: 90% (pass mark {required}%)",
            vc["issuer"]["name"],
            vc["issuer"]["url"],
            " ".join(achieved["criteria"]["narrative"].split()),
            HOSTILE_NAME,
        ):
            assert shown in details, shown
        assert result.locator("img").count() == 0
        assert page.evaluate("document.body.dataset.pwned") is None
        page.screenshot(path=str(SHOTS / "genuine-1280.png"), full_page=True)

        assert check(page, issued["tampered"]) == (
            "Not genuine: the credential was changed after it was signed."
        )
        assert "not confirmed" in result.inner_text()
        page.screenshot(path=str(SHOTS / "tampered-1280.png"), full_page=True)
        assert check(page, issued["revoked"]) == "Revoked by its issuer."
        page.screenshot(path=str(SHOTS / "revoked-1280.png"), full_page=True)
        assert check(page, issued["eddsa"]) == "Genuine."
        # By keyboard alone: paste, Tab to the button, Enter.
        page.get_by_label("Or paste the credential's text").fill(issued["unsigned"])
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Check the credential"
        page.keyboard.press("Enter")
        page.get_by_text("Not genuine: the credential is not signed").wait_for(timeout=5000)
        assert check(page, issued["expired"]) == "Expired: it was valid until 30 November 2026."
        assert check(page, issued["forged"]).startswith(
            "Could not check: the issuer's profile at http://127.0.0.1:"
        )
        assert check(page, issued["unreachable"]).startswith(
            "Could not check: the issuer's profile could not be fetched (http://127.0.0.1:"
        )
        page.locator("#ccin-verify-result").screenshot(path=str(SHOTS / "unchecked-1280.png"))
        assert check(page, '{"proof": {}}').startswith("Could not check: this is the .json form")

        # From a certificate's QR code: the page names the credential and notices another
        named = claims(issued["valid"])["id"]
        page.goto(f"{site_url}{PAGE}?credential={named}", wait_until="networkidle")
        assert named in page.locator(".ccin-verify-expected").inner_text()
        assert check(page, issued["valid"]) == "Genuine."
        assert page.locator(".ccin-verify-mismatch").count() == 0
        check(page, issued["revoked"])
        assert "not the credential the certificate names" in (
            page.locator(".ccin-verify-mismatch").inner_text()
        )

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{site_url}{PAGE}", wait_until="networkidle")
        jwt_file = tmp_path / "credential.jwt"
        jwt_file.write_text(issued["revoked"], encoding="ascii")
        page.get_by_label("Choose the credential file").set_input_files(str(jwt_file))
        page.get_by_text("Revoked by its issuer.").wait_for(timeout=5000)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SHOTS / "revoked-390.png"), full_page=True)

        assert log.external_requests == []
        # Chromium logs the refused connection to the unreachable issuer; nothing else.
        assert [e for e in log.console_errors if "ERR_CONNECTION_REFUSED" not in e] == []
        # Last: axe-core fetches the style sheets itself, and one of its guesses is a 404.
        assert serious_axe_violations(page) == []
    finally:
        page.close()
