"""Bad input to ``ccin-learn``: exit 1, one line on stderr, no traceback, no hang, no change.

Each kind of bad input is given to the real command that reads it: ``assess
validate``, ``assess import`` (nothing may reach the database), ``assess
report`` (no report may be written), the writers' ``-o`` and a cohort's
``course.yaml``. Files that could hang a reader (a named pipe, ``/dev/zero``)
are read in a new process with a time and memory limit, so a hang fails.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, MAX_FILE_BYTES, load_assessment
from ccin_learn.selfassessment.store import Store

UNITARY = EXAMPLES_DIR / "example-unitary.json"
COUNCIL = "Example Unitary Council (fictional)"
ALREADY_SAVED = [(COUNCIL, 1)]


def example_json(change: Callable[[dict], object] = lambda data: None) -> str:
    data = json.loads(UNITARY.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data, ensure_ascii=False)


def named(name: str) -> Callable[[dict], object]:
    return lambda data: data["council"].update(name=name)


def level(value: object) -> Callable[[dict], object]:
    return lambda data: data["answers"]["cwb-insourcing"].update(level=value)


# Each bad file by its class: its JSON text, and the start of the one-line error.
BAD_FILES = {
    "level true": (example_json(level(True)), "answers.cwb-insourcing.level: Input should be"),
    "level as text": (example_json(level("3")), "answers.cwb-insourcing.level: Input should be"),
    "schema_version true": (
        example_json(lambda data: data.update(schema_version=True)),
        "schema_version: Input should be a valid integer",
    ),
    "100,000 nested arrays": ("[" * 100_000 + "]" * 100_000, "nested more than 32 levels deep"),
    "1,000 nested arrays": (
        '{"answers": ' + "[" * 1_000 + "]" * 1_000 + "}",
        "nested more than 32 levels deep",
    ),
    "5,000-digit integer": (
        example_json().replace('"level": 3', '"level": 3' + "0" * 5_000, 1),
        "a number has more than 4,300 digits",
    ),
    "duplicate key": (
        example_json().replace('"level": 3', '"level": 3, "level": 1', 1),
        "duplicate key 'level'",
    ),
    "name too long once case-folded": (
        example_json(named("\u00df" * 150)),
        "council.name: council name is too long: 300 characters when case is ignored",
    ),
    "zero-width space in name": (
        example_json(named("Example\u200b Unitary Council (fictional)")),
        "council.name: council name must not contain invisible or control characters "
        "(U+200B ZERO WIDTH SPACE",
    ),
    "right-to-left override in name": (
        example_json(named("\u202eExample Unitary Council (fictional)")),
        "council.name: council name must not contain invisible or control characters "
        "(U+202E RIGHT-TO-LEFT OVERRIDE",
    ),
    "left-to-right isolate in name": (
        example_json(named("Example \u2066Unitary Council (fictional)")),
        "council.name: council name must not contain invisible or control characters "
        "(U+2066 LEFT-TO-RIGHT ISOLATE",
    ),
    "byte order mark in name": (
        example_json(named("\ufeffExample Unitary Council (fictional)")),
        "council.name: council name must not contain invisible or control characters "
        "(U+FEFF ZERO WIDTH NO-BREAK SPACE",
    ),
    "zero-width space in assessor": (
        example_json(lambda data: data.update(assessor="Policy\u200bteam")),
        "assessor: assessor must not contain invisible or control characters (U+200B",
    ),
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database that already holds version 1 of the example council."""
    url = f"sqlite:///{tmp_path / 'kit.sqlite'}"
    Store(url).save(load_assessment(UNITARY), based_on=0)
    return url


@pytest.fixture
def saved(db: str) -> Callable[[], list[tuple[str, int]]]:
    """What the database holds now: each council and its latest version."""

    def state() -> list[tuple[str, int]]:
        store = Store(db)
        return [(name, store.latest_version_number(name)) for name in store.councils()]

    return state


@pytest.fixture
def bad_file(tmp_path: Path) -> Callable[[str], Path]:
    """``bad_file(case)``: BAD_FILES[case] written to a file of its own."""

    def write(case: str) -> Path:
        path = tmp_path / "upload.json"
        path.write_text(BAD_FILES[case][0], encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_guarded() -> Callable[..., str]:
    """``run_guarded(args)``: ``ccin-learn`` in a new process that may use 1 GB and 60 s.

    It must fail as a user should see it fail: exit 1, one line, no traceback.
    Returns that line.
    """

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    def run(args: Sequence[object]) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "ccin_learn.cli", *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            preexec_fn=limit_memory,
        )
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        return done.stderr.strip()

    return run


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_bad_assessment_file_is_one_line_and_changes_nothing(
    case, bad_file, db, saved, tmp_path, run_cli
):
    path, expected = bad_file(case), BAD_FILES[case][1]
    err = run_cli(["assess", "validate", path], exit_code=1).err.strip()
    assert err.startswith(f"invalid: {path}: {expected}"), err
    err = run_cli(["assess", "import", path, "--db", db], exit_code=1).err.strip()
    assert err.startswith(f"ccin-learn: error: {path}: {expected}"), err
    assert saved() == ALREADY_SAVED
    report = tmp_path / "report.html"
    run_cli(["assess", "report", path, "-o", report], exit_code=1)
    assert not report.exists()


def test_a_symlink_loop_is_one_line(tmp_path, db, saved, run_cli):
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    err = run_cli(["assess", "validate", loop], exit_code=1).err.strip()
    assert err == f"invalid: {loop}: symlink loop"
    err = run_cli(["assess", "import", loop, "--db", db], exit_code=1).err.strip()
    assert err == f"ccin-learn: error: {loop}: symlink loop"
    assert saved() == ALREADY_SAVED


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path, db, saved, run_guarded):
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    expected = f"{pipe}: is a named pipe (FIFO), not a regular file"
    assert run_guarded(["assess", "validate", pipe]) == f"invalid: {expected}"
    assert run_guarded(["assess", "import", pipe, "--db", db]) == f"ccin-learn: error: {expected}"
    assert saved() == ALREADY_SAVED


def test_dev_zero_is_refused_without_reading_it(tmp_path, db, saved, run_guarded):
    expected = "/dev/zero: is a device, not a regular file"
    assert run_guarded(["assess", "validate", "/dev/zero"]) == f"invalid: {expected}"
    report = tmp_path / "zero.html"
    err = run_guarded(["assess", "report", "/dev/zero", "-o", report])
    assert err == f"ccin-learn: error: {expected}"
    assert not report.exists()
    err = run_guarded(["assess", "import", "/dev/zero", "--db", db])
    assert err == f"ccin-learn: error: {expected}"
    assert saved() == ALREADY_SAVED


def test_a_file_too_large_is_refused_before_reading(tmp_path, run_cli):
    big = tmp_path / "big.json"
    with big.open("wb") as stream:
        stream.truncate(1 << 30)
    err = run_cli(["assess", "validate", big], exit_code=1).err.strip()
    limit = f"at most {MAX_FILE_BYTES:,} allowed"
    assert err == f"invalid: {big}: file is too large (1,073,741,824 bytes; {limit})"


# ---- outputs that cannot be written ------------------------------------------------------


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    """A file where a folder is expected."""
    path = tmp_path / "notes.txt"
    path.write_text("not a folder", encoding="utf-8")
    return path


# SQLite's write-ahead log files come and go as connections close: not the command's writing.
SQLITE_JOURNALS = ("-wal", "-shm", "-journal")


def folder_listing(folder: Path) -> list[str]:
    """The folder's files, less SQLite's transient journals."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(SQLITE_JOURNALS))


def test_a_report_into_a_file_is_one_line_and_writes_nothing(blocker, tmp_path, run_cli):
    before = folder_listing(tmp_path)
    target = blocker / "out.html"
    err = run_cli(["assess", "report", UNITARY, "-o", target], exit_code=1).err.strip()
    assert err == f"ccin-learn: error: cannot write {target}: {blocker} is not a folder"
    assert folder_listing(tmp_path) == before
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_report_into_proc_is_one_line(run_cli):
    err = run_cli(["assess", "report", UNITARY, "-o", "/proc/ccin-x.html"], exit_code=1).err
    assert err.strip().startswith("ccin-learn: error: cannot write /proc/ccin-x.html: ")
    assert not Path("/proc/ccin-x.html").exists()


def test_export_and_schema_to_an_unwritable_place_are_one_line(blocker, db, tmp_path, run_cli):
    before = folder_listing(tmp_path)
    args = ["assess", "export", COUNCIL, "-o", "/proc/ccin-x.json", "--db", db]
    err = run_cli(args, exit_code=1).err.strip()
    assert err.startswith("ccin-learn: error: cannot write /proc/ccin-x.json: ")
    err = run_cli(["assess", "schema", "-o", blocker / "schema.json"], exit_code=1).err.strip()
    assert err.endswith(f"{blocker} is not a folder")
    assert folder_listing(tmp_path) == before


# ---- a YAML data file: a cohort's course.yaml --------------------------------------------

BAD_COURSE_FILES = {
    "duplicate key": (
        "course_id: ccin\ncourse_id: other\n",
        "duplicate key 'course_id' at line 2",
    ),
    "alias": ("course_id: &id ccin\ncourse_title: *id\n", "aliases (*name) are not allowed"),
    "100,000 nested lists": ("course_id: " + "[" * 100_000, "nested more than 32 levels deep"),
    "5,000-digit integer": ("course_id: 1" + "0" * 5_000 + "\n", "a number has more than 4,300"),
}


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    """A cohort folder; the test writes its course.yaml."""
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "nbgrader_config.py").write_text("c = get_config()  # noqa\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", BAD_COURSE_FILES, ids=list(BAD_COURSE_FILES))
def test_a_bad_course_yaml_is_one_line(case, cohort, run_cli):
    text, expected = BAD_COURSE_FILES[case]
    course = cohort / "course.yaml"
    course.write_text(text, encoding="utf-8")
    err = run_cli(["grade", "status", "--course", cohort], exit_code=1).err.strip()
    assert err.startswith(f"ccin-learn: error: {course.resolve()}: {expected}"), err


@pytest.mark.parametrize(
    "command",
    [["assess", "list"], ["assess", "app"], ["start", "--no-build"], ["grade", "init", "cohort"]],
)
def test_a_database_password_on_the_command_line_is_refused_unshown(command, run_cli):
    """``ps`` shows any user a command line: the password belongs in $CCIN_DB_URL or .pgpass."""
    url = "postgresql+psycopg://kit:s3cret-pw@db.example:5432/ccin"
    err = run_cli([*command, "--db", url], exit_code=2).err
    assert "password on the command line" in err and "CCIN_DB_URL" in err
    assert "s3cret-pw" not in err
