"""`issue --format both`: the VC-JWT and the same credential with an eddsa-rdfc-2022 proof.

The proof itself is made by ``ccin_learn.credentials.integrity`` (tested against the
W3C vectors in its own tests); here, that issuing writes it with the body's key-2 and
that `verify` checks it against the published profile.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.credentials.issuer import ANYSHIRE, cohort_folder, gradebook_free, make_body


def test_both_formats_are_issued_and_the_proof_verifies_against_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    body = make_body(tmp_path)
    cohort = cohort_folder(tmp_path / "spring", body.course)
    gradebook_free(monkeypatch)
    out = tmp_path / "issued"
    args = ["--course", cohort.root, "-o", out, "--key", body.key_file, "--format", "both"]
    run_cli(["credentials", "issue", *args])
    document = out / "ada01" / "coop-option.json"
    proof = json.loads(document.read_text(encoding="utf-8"))["proof"]
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")
    assert proof["verificationMethod"] == f"{ANYSHIRE}profile.json#key-2"
    assert (out / "ada01" / "coop-option.jwt").is_file()
    offline = ["--issuer-profile", body.profile, "--status-list", body.status_list]
    said = run_cli(["credentials", "verify", document, *offline]).out
    assert f"  Signature: checked against key-2 of {ANYSHIRE}profile.json" in said
    tampered = json.loads(document.read_text(encoding="utf-8"))
    tampered["credentialSubject"]["result"][0]["value"] = "99"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(tampered), encoding="utf-8")
    assert (
        "ccin-learn: error: "
        in run_cli(["credentials", "verify", forged, *offline], exit_code=1).err
    )
