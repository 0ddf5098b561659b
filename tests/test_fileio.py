"""Atomic writes (the old file or the whole new one) and reads of small regular files only."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, open_private_log, read_regular_file


def test_writes_and_replaces_keeping_permissions(tmp_path):
    target = tmp_path / "report.csv"
    atomic_write(target, b"first")
    os.chmod(target, 0o640)
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_new_files_are_readable_by_others_as_umask_allows(tmp_path):
    target = tmp_path / "new.html"
    atomic_write(target, b"x")
    assert target.stat().st_mode & 0o444 == 0o444 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old report")

    def broken_replace(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KitError, match="No space left on device"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_missing_folder(tmp_path):
    with pytest.raises(KitError, match="does not exist"):
        atomic_write(tmp_path / "nope" / "x.json", b"{}")


def test_a_folder_that_is_a_file_is_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    with pytest.raises(KitError, match=r"notes\.txt is not a folder") as caught:
        atomic_write(tmp_path / "notes.txt" / "out.html", b"<p>")
    assert "\n" not in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_folder_that_cannot_be_written_is_one_line():
    # /proc refuses new files even to root, as a read-only folder refuses a user.
    with pytest.raises(KitError, match=r"^cannot write /proc/ccin-report\.html: ") as caught:
        atomic_write(Path("/proc/ccin-report.html"), b"<p>")
    assert "\n" not in str(caught.value)
    assert not Path("/proc/ccin-report.html").exists()


def test_never_replaces_a_device_or_a_pipe(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(KitError, match="not a regular file"):
        atomic_write(pipe, b"x")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


# ---- reading: a regular file of bounded size, or a one-line error -----------------------


def test_reads_a_regular_file_and_follows_a_symlink(tmp_path):
    (tmp_path / "a.json").write_bytes(b"{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "a.json")
    assert read_regular_file(tmp_path / "a.json", 2) == b"{}"
    assert read_regular_file(tmp_path / "link.json", 2) == b"{}"


@pytest.fixture
def fifo(tmp_path) -> Iterator[Path]:
    """A named pipe. Should a reader ever block on it, a writer opens it after 10 s, so
    the test fails (on an empty read) instead of hanging."""
    path = tmp_path / "fifo"
    os.mkfifo(path)

    def release_a_blocked_reader() -> None:
        with contextlib.suppress(OSError):  # ENXIO: no reader is waiting
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    timer = threading.Timer(10, release_a_blocked_reader)
    timer.start()
    yield path
    timer.cancel()


@pytest.fixture
def unreadable(tmp_path, fifo) -> dict[str, Path]:
    """Paths that are not a small regular file, by what the error must say.

    /dev/null stands for the devices: a reader that wrongly read /dev/zero would
    fill the memory of the test run.
    """
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "big").write_bytes(b"x" * 11)
    (tmp_path / "folder").mkdir()
    return {
        "is a named pipe (FIFO), not a regular file": fifo,
        "is a device, not a regular file": Path("/dev/null"),
        "symlink loop": tmp_path / "loop",
        "file is too large (11 bytes; at most 10 allowed)": tmp_path / "big",
        "is a folder, not a file": tmp_path / "folder",
        "file not found": tmp_path / "missing",
    }


def test_refuses_anything_but_a_small_regular_file_in_one_line(unreadable):
    for expected, path in unreadable.items():
        with pytest.raises(KitError) as caught:
            read_regular_file(path, 10)
        assert str(caught.value) == f"{path}: {expected}"


def test_reads_at_most_the_limit_of_a_file_that_grows_after_fstat(tmp_path, monkeypatch):
    path = tmp_path / "growing"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def fstat_from_before_it_grew(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 5, *info[7:10]))

    monkeypatch.setattr(os, "fstat", fstat_from_before_it_grew)
    with pytest.raises(KitError, match=r"file is too large \(more than 10 bytes allowed\)"):
        read_regular_file(path, 10)


def test_the_error_class_is_the_callers(tmp_path):
    class UploadError(KitError):
        pass

    with pytest.raises(UploadError, match="file not found"):
        read_regular_file(tmp_path / "missing", 10, UploadError)


def test_a_log_is_its_owners_only_even_if_an_older_one_was_not(tmp_path):
    log = tmp_path / "logs" / "voila.log"
    log.parent.mkdir()
    log.write_text("old, world-readable\n")
    log.chmod(0o644)
    with open_private_log(log) as stream:
        stream.write("new\n")
    assert log.stat().st_mode & 0o777 == 0o600
    assert log.read_text() == "new\n"
