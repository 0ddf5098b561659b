"""Collecting submissions downloaded from a learning platform as zip files.

What the trainer sees: ``ccin-learn grade collect ps1 --zip FOLDER``'s words and exit
code, the files in ``submitted/`` and their modes, and the gradebook's learners (never
a made-up one). One released cohort per module; each test collects into its own copy.
"""

from __future__ import annotations

import io
import stat
import struct
import time
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import parse_utc

from ccin_learn.grading.cohort import Cohort, init_cohort, open_cohort, release
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import ANSWERS, answered, copy_cohort, make_assessments

# Collecting zips writes folders, not the gradebook: SQLite only (test_steps.py and
# test_cohort.py cover the gradebook on both backends).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("new_gradebook_url", ["sqlite"], indirect=True),
]

ROSTER = [
    Learner("ada01"),
    Learner("bea02", first_name="Bea", last_name="Fictional"),
    Learner("cal03"),
    Learner("dan04"),
]
WHEN = (2026, 12, 1, 10, 30, 0)
MB = 1024 * 1024


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory, new_gradebook_url) -> Cohort:
    base = tmp_path_factory.mktemp("zips")
    cohort = init_cohort(
        base / "cohort", ROSTER, source=make_assessments(base / "assessments"), db_url=None
    )
    release(cohort, "ps1")
    return cohort


@pytest.fixture
def cohort(released: Cohort, tmp_path: Path) -> Cohort:
    """A fresh copy of the released cohort, nothing collected yet."""
    return open_cohort(copy_cohort(released.root, tmp_path / "cohort"))


@pytest.fixture
def notebook(released: Cohort) -> Callable[[str], bytes]:
    """A learner's ps1 notebook answered the given way (ANSWERS' kinds), as bytes."""
    path = released.root / "release" / "ps1" / "ps1.ipynb"
    return lambda kind: nbformat.writes(answered(path, ANSWERS[kind])).encode()


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def make_zip(path: Path, entries: dict[str, bytes], mode: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return path


@pytest.fixture
def collect_zips(run_cli, cohort: Cohort, downloads: Path):
    """``collect(exit_code=0, *extra)``: run ``grade collect ps1 --zip downloads``."""

    def collect(exit_code: int = 0, *extra: str) -> str:
        args = ["grade", "collect", "ps1", "--zip", downloads, "--course", cohort.root, *extra]
        return run_cli(args, exit_code=exit_code, one_line=False).out

    return collect


def submitted(cohort: Cohort, learner: str) -> Path:
    return cohort.root / "submitted" / learner / "ps1"


def students(cohort: Cohort) -> list[str]:
    with cohort.gradebook() as gradebook:
        return sorted(s.id for s in gradebook.students)


def test_any_layout_named_by_id_or_full_name_is_collected(
    cohort, downloads, notebook, collect_zips
):
    make_zip(
        downloads / "ada01.zip",
        {
            "ps1/ps1.ipynb": notebook("right"),
            "ps1/data.csv": b"year,total\n2026,5\n",
            "__MACOSX/ps1/._ps1.ipynb": b"junk",
            "ps1/.ipynb_checkpoints/ps1-checkpoint.ipynb": notebook("blank"),
            "ps1/.DS_Store": b"junk",
        },
    )
    make_zip(  # Moodle's all-submissions zip in a wrapper folder: folders by full name or id
        downloads / "ps1-all-submissions.zip",
        {
            "PS1 (all)/Bea Fictional_4411_assignsubmission_file_/Submission/week 3/ps1.ipynb": (
                notebook("partial")
            ),
            "PS1 (all)/cal03_assignsubmission_file_/ps1.ipynb": notebook("blank"),
        },
    )
    make_zip(downloads / "dan04-ps1.zip", {"my answers (1).ipynb": notebook("right")})

    out = collect_zips()

    assert "Collected ps1: 4 submission(s) (ada01, bea02, cal03, dan04)" in out
    assert "took my answers (1).ipynb as ps1.ipynb for dan04 (renamed)" in out
    assert "Refused" not in out
    ada = submitted(cohort, "ada01")
    assert sorted(p.name for p in ada.rglob("*")) == ["data.csv", "ps1.ipynb", "timestamp.txt"]
    bea = nbformat.read(submitted(cohort, "bea02") / "ps1.ipynb", 4)
    assert any('choice = "a"' in cell.source for cell in bea.cells)
    assert (submitted(cohort, "dan04") / "ps1.ipynb").is_file()
    stamp = (ada / "timestamp.txt").read_text()
    assert parse_utc(stamp) == datetime(*WHEN)  # nbgrader reads it as the submission time
    assert students(cohort) == [lr.id for lr in ROSTER]


def test_a_zip_of_nobody_is_refused_by_name_and_the_rest_collected(
    cohort, downloads, notebook, collect_zips
):
    make_zip(downloads / "cal03.zip", {"ps1.ipynb": notebook("blank")})
    collect_zips()  # an earlier download: cal03 stays collected
    (downloads / "cal03.zip").unlink()
    make_zip(downloads / "ghost.zip", {"ps1/ps1.ipynb": notebook("right")})
    make_zip(downloads / "ada01.zip", {"bea02/ps1.ipynb": notebook("partial")})  # not bea's!
    make_zip(
        downloads / "all.zip",
        {"zed99_assignsubmission_file_/ps1.ipynb": notebook("right")},
    )

    out = collect_zips(1)

    assert "Collected ps1: 1 submission(s) (ada01)" in out
    assert (
        "ghost.zip matches no learner on the roster: rename it to start with the learner's id, "
        "or add the learner with grade init --roster"
    ) in out
    assert "all.zip matches no learner on the roster" in out
    assert "bea02/ps1.ipynb is in a folder named for another learner" in out
    ada = nbformat.read(submitted(cohort, "ada01") / "ps1.ipynb", 4)
    assert any('choice = "a"' in cell.source for cell in ada.cells)
    assert not submitted(cohort, "bea02").exists()
    assert (submitted(cohort, "cal03") / "ps1.ipynb").is_file()
    assert sorted(p.name for p in (cohort.root / "submitted").iterdir()) == ["ada01", "cal03"]
    assert students(cohort) == [lr.id for lr in ROSTER]  # no "ghost", no "ps1"


def test_a_learner_twice_in_one_download_is_refused_not_guessed(
    cohort, downloads, notebook, collect_zips
):
    make_zip(downloads / "ada01.zip", {"ps1.ipynb": notebook("right")})
    make_zip(downloads / "all.zip", {"ada01_7_assignsubmission_file_/ps1.ipynb": notebook("blank")})
    make_zip(downloads / "bea02.zip", {"notes.txt": b"I forgot the notebook"})

    out = collect_zips(1)

    assert "Collected ps1: 0 submission(s)" in out
    assert (
        "ada01 has more than one submission in this download "
        "(ada01.zip; all.zip: ada01_7_assignsubmission_file_): keep one and collect again"
    ) in out
    assert "bea02.zip: holds no notebook (looked for ps1.ipynb)" in out
    assert not (cohort.root / "submitted").exists() or not any(
        (cohort.root / "submitted").iterdir()
    )


def test_modes_are_fixed_and_paths_cannot_leave_the_learners_folder(
    cohort, downloads, notebook, collect_zips, tmp_path
):
    setuid_exec = stat.S_IFREG | stat.S_ISUID | stat.S_ISGID | 0o777
    make_zip(
        downloads / "ada01.zip",
        {"ps1.ipynb": notebook("right"), "tool": b"#!/bin/sh\nid\n"},
        mode=setuid_exec,
    )
    make_zip(downloads / "bea02.zip", {"ps1.ipynb": notebook("right"), "../../evil.ipynb": b"x"})
    make_zip(downloads / "cal03.zip", {"ps1.ipynb": notebook("right"), "/tmp/evil.ipynb": b"x"})
    make_zip(
        downloads / "dan04.zip",
        {"ps1.ipynb": notebook("right"), "link": b"/etc/passwd"},
        mode=stat.S_IFLNK | 0o777,
    )

    out = collect_zips(1)

    assert "Collected ps1: 1 submission(s) (ada01)" in out
    assert "bea02.zip: ../../evil.ipynb points outside its folder ('..')" in out
    assert "cal03.zip: /tmp/evil.ipynb is an absolute path" in out
    assert "dan04.zip: ps1.ipynb is a symbolic link" in out
    ada = submitted(cohort, "ada01")
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [ada, *ada.iterdir()]}
    assert modes == {"ps1": 0o755, "ps1.ipynb": 0o644, "tool": 0o644, "timestamp.txt": 0o644}
    assert not (cohort.root / "evil.ipynb").exists() and not (tmp_path / "evil.ipynb").exists()
    assert [p.name for p in (cohort.root / "submitted").iterdir()] == ["ada01"]
    assert not list(cohort.root.glob(".ccin-zip-*")), "the private folders are cleaned up"


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A zip of 200 MB of zeros (a few hundred KB), and one whose header says 1 KB."""
    buffer = io.BytesIO()
    zeros = bytes(MB)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("ps1.ipynb", "w") as entry,
    ):
        for _ in range(200):
            entry.write(zeros)
    big = buffer.getvalue()
    lying = bytearray(big)
    central = lying.rfind(b"PK\x01\x02")
    struct.pack_into("<I", lying, central + 24, 1024)  # uncompressed size, central directory
    struct.pack_into("<I", lying, 22, 1024)  # and the local header
    return {"big": big, "lying": bytes(lying)}


def test_zip_bombs_are_refused_quickly_without_filling_the_disk(
    cohort, downloads, notebook, collect_zips, bombs
):
    assert len(bombs["big"]) < MB
    (downloads / "ada01.zip").write_bytes(bombs["big"])
    (downloads / "bea02.zip").write_bytes(bombs["lying"])
    make_zip(downloads / "cal03.zip", {"ps1.ipynb": notebook("right")})
    started = time.monotonic()

    out = collect_zips(1)

    assert time.monotonic() - started < 10
    assert "Collected ps1: 1 submission(s) (cal03)" in out
    assert "ada01.zip: unpacks to 200 MB, more than the 50 MB allowed for one learner" in out
    assert "bea02.zip: ps1.ipynb is damaged or unreadable" in out
    assert sorted(p.name for p in (cohort.root / "submitted").iterdir()) == ["cal03"]


def test_a_bomb_under_the_size_cap_is_stopped_by_its_ratio_while_streaming(
    cohort, downloads, collect_zips
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("ps1.ipynb", bytes(30 * MB))
    (downloads / "ada01.zip").write_bytes(buffer.getvalue())

    out = collect_zips(1)

    assert "ada01.zip: ps1.ipynb is compressed more than 100:1 (a zip bomb?)" in out
    assert not (cohort.root / "submitted" / "ada01").exists()


def test_an_empty_download_folder_is_a_clear_error(run_cli, cohort, tmp_path):
    result = run_cli(
        ["grade", "collect", "ps1", "--zip", tmp_path / "none", "--course", cohort.root],
        exit_code=1,
    )
    assert "no .zip files in" in result.err
