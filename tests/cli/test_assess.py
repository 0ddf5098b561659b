"""`ccin-learn assess`: validate, score, report, import, export, history."""

from __future__ import annotations

import getpass
import json

import pytest

from ccin_learn.selfassessment.assessment import EXAMPLES_DIR

UNITARY = EXAMPLES_DIR / "example-unitary.json"
TOWN = EXAMPLES_DIR / "example-town-council.json"


@pytest.fixture()
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


@pytest.fixture()
def bad_files(tmp_path):
    """Four files `assess` must refuse: not JSON, truncated, Latin-1, a level out of range."""
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


def test_validate_all_good(run_cli):
    result = run_cli(["assess", "validate", UNITARY, TOWN])
    assert result.out.count("valid: ") == 2


def test_validate_reports_one_line_per_bad_file_and_exit_1(tmp_path, bad_files, run_process):
    result = run_process(
        ["assess", "validate", UNITARY, *bad_files, tmp_path / "missing.json"],
        exit_code=1,
        one_line=False,
    )
    lines = result.err.strip().splitlines()
    assert len(lines) == len(bad_files) + 1
    assert all(line.startswith("invalid: ") for line in lines)
    assert "Traceback" not in result.err
    assert result.out.strip() == f"valid: {UNITARY}"


def test_score_as_text_and_json(run_cli):
    text = run_cli(["assess", "score", TOWN]).out
    assert "Overall: 33% (7 of 15 answered (incomplete))" in text
    assert "Priorities:" in text
    data = json.loads(run_cli(["assess", "score", UNITARY, "--json"]).out)
    assert data["overall"] == 38 and data["complete"] is True
    assert data["themes"]["cwb"]["score"] == 44
    assert [p["action"] for p in data["priorities"]] == [
        "cwb-community-bank",
        "pm-cooperative-development-network",
        "pm-coop-conversions",
    ]


def test_report_formats_and_a_bad_name(tmp_path, run_cli):
    for suffix in ("html", "pdf", "docx", "csv"):
        run_cli(["assess", "report", UNITARY, "-o", tmp_path / f"r.{suffix}"])
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.docx").read_bytes().startswith(b"PK")
    result = run_cli(["assess", "report", UNITARY, "-o", tmp_path / "r.txt"], exit_code=1)
    assert "must end in .html, .pdf, .docx or .csv" in result.err


def test_import_export_history_round_trip(tmp_path, db, run_cli):
    first = run_cli(["assess", "import", UNITARY, "--db", db]).out
    council = "Example Unitary Council (fictional)"
    exported = tmp_path / "out.json"
    run_cli(["assess", "export", council, "-o", exported, "--db", db])
    data = json.loads(exported.read_text())
    assert data.pop("based_on_version") == 1, "an exported file says which version it is"
    assert data == json.loads(UNITARY.read_text())
    second = run_cli(["assess", "import", exported, "--db", db]).out
    assert "as version 1" in first and "as version 2" in second
    history = run_cli(["assess", "history", council, "--db", db]).out.strip().splitlines()
    assert len(history) == 2 and "overall 38%" in history[0]
    assert f" by {getpass.getuser()} " in history[1], "who saved it (this machine's user)"
    assert run_cli(["assess", "list", "--db", db]).out.splitlines()[-1] == council


def test_import_of_a_bad_file_writes_nothing(bad_files, db, run_cli):
    run_cli(["assess", "import", UNITARY, "--db", db])
    for path in bad_files:
        run_cli(["assess", "import", path, "--db", db], exit_code=1)
    council = "Example Unitary Council (fictional)"
    history = run_cli(["assess", "history", council, "--db", db]).out
    assert len(history.strip().splitlines()) == 1
    assert run_cli(["assess", "list", "--db", db]).out.strip().splitlines() == [council]


def test_export_of_an_unknown_council(tmp_path, db, run_cli):
    args = ["assess", "export", "Nowhere", "-o", tmp_path / "x.json", "--db", db]
    result = run_cli(args, exit_code=1)
    assert result.err.strip() == "ccin-learn: error: no saved assessment for 'Nowhere'"
    assert not (tmp_path / "x.json").exists()


def test_schema_command_matches_the_published_file(run_cli):
    from ccin_learn.selfassessment.assessment import SCHEMA_FILE

    assert run_cli(["assess", "schema"]).out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_report_of_a_saved_version_compares_with_the_one_before(tmp_path, db, run_cli):
    older = json.loads(UNITARY.read_text(encoding="utf-8"))
    older["answers"]["cwb-insourcing"]["level"] = 0
    first = tmp_path / "older.json"
    first.write_text(json.dumps(older), encoding="utf-8")
    run_cli(["assess", "import", first, "--db", db])
    run_cli(["assess", "import", UNITARY, "--force", "--db", db])
    council = "Example Unitary Council (fictional)"
    out = tmp_path / "report.html"
    run_cli(["assess", "report", "--council", council, "-o", out, "--db", db])
    html = out.read_text(encoding="utf-8")
    assert "<dt>Version</dt><dd>Saved version 2</dd>" in html
    assert "Changes since version 1" in html and "1 action changed" in html
    first_report = tmp_path / "first.html"
    args = ["--council", council, "--version", 1, "-o", first_report, "--db", db]
    run_cli(["assess", "report", *args])
    assert "Saved version 1" in first_report.read_text(encoding="utf-8")
    result = run_cli(["assess", "report", UNITARY, "--council", council, "-o", out], exit_code=2)
    assert "either an assessment FILE or --council" in result.err


def test_import_of_a_file_based_on_an_older_version_is_refused(tmp_path, db, run_cli):
    council = "Example Unitary Council (fictional)"
    run_cli(["assess", "import", UNITARY, "--db", db])
    mine, theirs = tmp_path / "mine.json", tmp_path / "theirs.json"
    run_cli(["assess", "export", council, "-o", mine, "--db", db])
    run_cli(["assess", "export", council, "-o", theirs, "--db", db])
    run_cli(["assess", "import", theirs, "--db", db])  # a colleague's edit lands first: v2
    result = run_cli(["assess", "import", mine, "--db", db], exit_code=1)
    assert result.err.strip() == (
        "ccin-learn: error: not imported: the file is based on version 1, but version 2 of "
        f"{council}'s assessment is newer. Export version 2, make your changes there and "
        "import that, or import with --force to save this file on top of it"
    )
    unstamped = run_cli(["assess", "import", UNITARY, "--db", db], exit_code=1).err
    assert "the file does not say which version it is based on" in unstamped
    history = run_cli(["assess", "history", council, "--db", db]).out
    assert len(history.strip().splitlines()) == 2, "nothing was written"
    assert "as version 3" in run_cli(["assess", "import", mine, "--force", "--db", db]).out


def test_a_database_password_is_never_printed(run_cli, postgresql_cluster, monkeypatch):
    """A hub's $CCIN_DB_URL holds the password; a refused login names the server, not it."""
    port = postgresql_cluster.port
    monkeypatch.setenv("CCIN_DB_URL", f"postgresql+psycopg://kit:n0t-it@127.0.0.1:{port}/ccin")
    result = run_cli(["assess", "list"], exit_code=1)
    assert f"kit:***@127.0.0.1:{port}/ccin" in result.err
    assert "n0t-it" not in result.err
