"""Atomic writes: the old file or the whole new one, never a half-written file."""

from __future__ import annotations

import os

import pytest

from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write


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
