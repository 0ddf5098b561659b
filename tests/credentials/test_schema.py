"""Every credential the kit issues meets 1EdTech's Open Badges 3.0 JSON Schema (vendored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccin_learn.credentials.badge import open_badge, sign_credential
from ccin_learn.credentials.issue import read_register
from ccin_learn.credentials.schema import schema_problems, validator
from ccin_learn.errors import KitError
from tests.credentials.issuer import award, cohort_folder, gradebook_free, make_body, parts


def test_the_vendored_schema_is_1edtechs_achievement_credential_schema() -> None:
    schema = validator().schema
    assert schema["$schema"] == "https://json-schema.org/draft/2019-09/schema#"
    assert schema["$id"].startswith("https://purl.imsglobal.org/spec/ob/v3p0/schema/json/")
    assert schema["required"] == [
        "@context",
        "id",
        "type",
        "credentialSubject",
        "issuer",
        "validFrom",
    ]


def test_every_issued_credential_meets_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    body = make_body(tmp_path)
    cohort = cohort_folder(tmp_path / "spring", body.course)
    gradebook_free(monkeypatch)
    out = tmp_path / "issued"
    run_cli(
        [
            "credentials",
            "issue",
            "--course",
            cohort.root,
            "-o",
            out,
            "--key",
            body.key_file,
            "--alg",
            "EdDSA",
        ]
    )
    rows = read_register(out / "register.csv")
    assert len(rows) == 2  # one learner with an email, one without
    for row in rows:
        credential = parts((out / row["badge_file"]).read_text().strip())[1]
        for claim in ("iss", "sub", "jti", "nbf", "iat"):
            credential.pop(claim)
        assert schema_problems(credential) == [], row["learner_id"]


def test_a_credential_the_schema_rejects_is_never_signed(tmp_path: Path) -> None:
    body = make_body(tmp_path)
    credential = open_badge(award(), body.course)
    credential["credentialSubject"]["identifier"][0]["identityType"] = "shoeSize"
    problems = schema_problems(credential)
    assert problems and problems[0].startswith("credentialSubject/identifier/0/identityType")
    with pytest.raises(KitError, match=r"does not meet the Open Badges 3\.0 schema"):
        sign_credential(credential, body.keys)
    del credential["validFrom"]
    assert any("'validFrom' is a required property" in p for p in schema_problems(credential))
    assert json.dumps(credential)  # still plain JSON: nothing was signed into it
