"""`ccin-learn assess`: validate, score, report, import, export, history."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ccin_learn.cli import main
from ccin_learn.selfassessment.assessment import EXAMPLES_DIR

UNITARY = EXAMPLES_DIR / "example-unitary.json"
TOWN = EXAMPLES_DIR / "example-town-council.json"


@pytest.fixture()
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def bad_files(tmp_path):
    good = json.loads(UNITARY.read_text(encoding="utf-8"))
    files = {
        "not-json.json": b"hello",
        "truncated.json": UNITARY.read_bytes()[:300],
        "latin1.json": '{"council": "Ynys M\u00f4n"}'.encode("latin-1"),
    }
    good["answers"]["cwb-insourcing"]["level"] = 9
    files["level9.json"] = json.dumps(good).encode()
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_validate_all_good(capsys):
    assert main(["assess", "validate", str(UNITARY), str(TOWN)]) == 0
    assert capsys.readouterr().out.count("valid: ") == 2


def test_validate_reports_one_line_per_bad_file_and_exit_1(tmp_path):
    paths = bad_files(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ccin_learn.cli",
            "assess",
            "validate",
            str(UNITARY),
            *map(str, paths),
            str(tmp_path / "missing.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(paths) + 1
    assert all(line.startswith("invalid: ") for line in lines)
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == f"valid: {UNITARY}"


def test_score_as_text_and_json(capsys):
    assert main(["assess", "score", str(TOWN)]) == 0
    text = capsys.readouterr().out
    assert "Overall: 33% (7 of 15 answered (incomplete))" in text
    assert "Priorities:" in text
    assert main(["assess", "score", str(UNITARY), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] == 38 and data["complete"] is True
    assert data["themes"]["cwb"]["score"] == 44
    assert [p["action"] for p in data["priorities"]] == [
        "cwb-community-bank",
        "pm-cooperative-development-network",
        "pm-coop-conversions",
    ]


def test_report_formats_and_a_bad_name(tmp_path, capsys):
    for suffix in ("html", "pdf", "csv"):
        assert main(["assess", "report", str(UNITARY), "-o", str(tmp_path / f"r.{suffix}")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main(["assess", "report", str(UNITARY), "-o", str(tmp_path / "r.txt")]) == 1
    assert "must end in .html, .pdf or .csv" in capsys.readouterr().err


def test_import_export_history_round_trip(tmp_path, db, capsys):
    assert main(["assess", "import", str(UNITARY), "--db", db]) == 0
    assert main(["assess", "import", str(UNITARY), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "as version 1" in out and "as version 2" in out
    council = "Example Unitary Council (fictional)"
    assert main(["assess", "history", council, "--db", db]) == 0
    history = capsys.readouterr().out.strip().splitlines()
    assert len(history) == 2 and "overall 38%" in history[0]
    exported = tmp_path / "out.json"
    assert main(["assess", "export", council, "-o", str(exported), "--db", db]) == 0
    assert json.loads(exported.read_text()) == json.loads(UNITARY.read_text())
    assert main(["assess", "list", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == council


def test_import_of_a_bad_file_writes_nothing(tmp_path, db, capsys):
    assert main(["assess", "import", str(UNITARY), "--db", db]) == 0
    for path in bad_files(tmp_path):
        assert main(["assess", "import", str(path), "--db", db]) == 1
        assert "\n" not in capsys.readouterr().err.strip()
    assert main(["assess", "history", "Example Unitary Council (fictional)", "--db", db]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    assert main(["assess", "list", "--db", db]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["Example Unitary Council (fictional)"]


def test_export_of_an_unknown_council(tmp_path, db, capsys):
    assert main(["assess", "export", "Nowhere", "-o", str(tmp_path / "x.json"), "--db", db]) == 1
    assert capsys.readouterr().err.strip() == (
        "ccin-learn: error: no saved assessment for 'Nowhere'"
    )
    assert not (tmp_path / "x.json").exists()


def test_schema_command_matches_the_published_file(capsys):
    from ccin_learn.selfassessment.assessment import SCHEMA_FILE

    assert main(["assess", "schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_report_of_a_saved_version_compares_with_the_one_before(tmp_path, db, capsys):
    older = json.loads(UNITARY.read_text(encoding="utf-8"))
    older["answers"]["cwb-insourcing"]["level"] = 0
    first = tmp_path / "older.json"
    first.write_text(json.dumps(older), encoding="utf-8")
    assert main(["assess", "import", str(first), "--db", db]) == 0
    assert main(["assess", "import", str(UNITARY), "--db", db]) == 0
    council = "Example Unitary Council (fictional)"
    out = tmp_path / "report.html"
    assert main(["assess", "report", "--council", council, "-o", str(out), "--db", db]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<dt>Version</dt><dd>Saved version 2</dd>" in html
    assert "Changes since version 1" in html and "1 action changed" in html
    first_report = tmp_path / "first.html"
    args = ["--council", council, "--version", "1", "-o", str(first_report), "--db", db]
    assert main(["assess", "report", *args]) == 0
    assert "Saved version 1" in first_report.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["assess", "report", str(UNITARY), "--council", council, "-o", str(out)]) == 2
    assert "either an assessment FILE or --council" in capsys.readouterr().err
