"""Revocation: the signed Bitstring Status List, `credentials revoke`, and `verify` seeing it."""

from __future__ import annotations

import base64
import gzip
import shutil
from pathlib import Path

import pytest
from pypdfium2 import PdfDocument

from ccin_learn.credentials.image import unbake
from ccin_learn.credentials.issue import read_register
from ccin_learn.credentials.status import LIST_BITS, encode, is_set, read_state
from tests.credentials.issuer import ANYSHIRE, cohort_folder, gradebook_free, make_body, parts


def test_bit_zero_is_the_first_bit_of_the_first_byte_and_the_list_is_16_kb() -> None:
    encoded = encode({0, 9})
    assert encoded.startswith("u"), "multibase base64url"
    data = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert len(raw) * 8 == LIST_BITS == 131_072
    assert raw[:2] == bytes([0x80, 0x40]) and not any(raw[2:])
    assert [is_set(encoded, i) for i in (0, 1, 8, 9)] == [True, False, False, True]


@pytest.fixture
def issued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli):
    """Two credentials issued by Anyshire, with its profile and status list published."""
    body = make_body(tmp_path)
    cohort = cohort_folder(tmp_path / "spring", body.course)
    gradebook_free(monkeypatch)
    out = tmp_path / "issued"
    run_cli(["credentials", "issue", "--course", cohort.root, "-o", out, "--key", body.key_file])
    return body, cohort, out


def test_revoke_sets_the_bit_resigns_the_list_and_verify_says_why(issued, run_cli, tmp_path):
    body, cohort, out = issued
    rows = {r["learner_id"]: r for r in read_register(out / "register.csv")}
    assert sorted(r["status_index"] for r in rows.values()) == ["0", "1"]
    ada = out / "ada01" / "coop-option.jwt"
    entry = parts(ada.read_text().strip())[1]["credentialStatus"]
    assert entry == {
        "id": f"{ANYSHIRE}status-list.jwt#{rows['ada01']['status_index']}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": rows["ada01"]["status_index"],
        "statusListCredential": f"{ANYSHIRE}status-list.jwt",
    }
    offline = ["--issuer-profile", body.profile, "--status-list", body.status_list]
    out_ok = run_cli(["credentials", "verify", ada, *offline]).out
    assert f"  Revocation: checked against {ANYSHIRE}status-list.jwt" in out_ok

    said = run_cli(
        [
            "credentials",
            "revoke",
            "ada01/coop-option",
            "--reason",
            "Issued by mistake",
            "--course",
            cohort.root,
            "-o",
            out,
            "--site",
            body.site,
            "--key",
            body.key_file,
        ]
    ).out
    assert said.startswith(f"Revoked coop-option of ada01 ({rows['ada01']['credential_id']}) on ")
    header, status, _ = parts(body.status_list.read_text().strip())
    assert header["kid"] == f"{ANYSHIRE}profile.json#key-1" and header["alg"] == "RS256"
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status["credentialSubject"]["statusPurpose"] == "revocation"
    listed = status["credentialSubject"]["encodedList"]
    assert is_set(listed, int(rows["ada01"]["status_index"]))
    assert not is_set(listed, int(rows["bea02"]["status_index"]))

    row = {r["learner_id"]: r for r in read_register(out / "register.csv")}["ada01"]
    assert row["revoked_reason"] == "Issued by mistake"
    failed = run_cli(["credentials", "verify", ada, *offline], exit_code=1)
    assert failed.err.strip() == (
        f"ccin-learn: error: revoked on {row['revoked_at'][:10]}: Issued by mistake"
    )
    elsewhere = tmp_path / "inbox" / "x" / "ada.jwt"  # an employer's copy: no register beside it
    elsewhere.parent.mkdir(parents=True)
    shutil.copy(ada, elsewhere)
    err = run_cli(["credentials", "verify", elsewhere, *offline], exit_code=1).err
    assert err.strip() == "ccin-learn: error: revoked"
    bea = run_cli(["credentials", "verify", out / "bea02" / "coop-option.jwt", *offline]).out
    assert bea.startswith("Valid: ")


def test_revoking_twice_or_an_unknown_credential_changes_nothing(issued, run_cli):
    body, cohort, out = issued
    args = [
        "--reason",
        "Wrong learner",
        "--course",
        cohort.root,
        "-o",
        out,
        "--site",
        body.site,
        "--key",
        body.key_file,
    ]
    before = body.status_list.read_bytes(), (out / "register.csv").read_bytes()
    err = run_cli(["credentials", "revoke", "urn:uuid:nobody", *args], exit_code=1).err
    assert "no credential 'urn:uuid:nobody' in this register" in err
    assert (body.status_list.read_bytes(), (out / "register.csv").read_bytes()) == before
    run_cli(["credentials", "revoke", "bea02/coop-option", *args])
    again = run_cli(["credentials", "revoke", "bea02/coop-option", *args], exit_code=1).err
    assert "was already revoked on" in again
    revoked = [r for r in read_state(body.keys.folder) if r["revoked_at"]]
    assert [r["revoked_reason"] for r in revoked] == ["Wrong learner"]


def test_a_status_list_signed_by_anyone_else_is_refused(issued, run_cli, tmp_path):
    body, _cohort, out = issued
    forger = make_body(tmp_path / "forger")  # same address, own key, nothing revoked
    err = run_cli(
        [
            "credentials",
            "verify",
            out / "ada01" / "coop-option.jwt",
            "--issuer-profile",
            body.profile,
            "--status-list",
            forger.status_list,
        ],
        exit_code=1,
    ).err
    assert "the status list is not the issuer's: the signature does not match" in err


def test_each_issued_credential_comes_with_its_baked_badge_and_a_certificate_linking_the_page(
    issued,
):
    """What the learner receives: the .jwt, the badge images holding that very .jwt, and a
    certificate whose link goes to the awarding body's verification page."""
    _body, _cohort, out = issued
    token = (out / "ada01" / "coop-option.jwt").read_text().strip()
    for image_format in ("svg", "png"):
        assert unbake((out / "ada01" / f"coop-option-badge.{image_format}").read_bytes()) == token
    pdf = PdfDocument(out / "ada01" / "coop-option-certificate.pdf")
    text = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert "book/credentials/verify.html" in text, text
    assert f"{ANYSHIRE}profile.json" in text
