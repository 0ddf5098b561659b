"""`ccin-learn grade` and `credentials`: help, and one-line errors on wrong use."""

from __future__ import annotations

import importlib
import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from ccin_learn.errors import KitError

COMMANDS = [
    ["grade"],
    ["grade", "init"],
    ["grade", "release"],
    ["grade", "collect"],
    ["grade", "autograde"],
    ["grade", "feedback"],
    ["grade", "export"],
    ["grade", "status"],
    ["credentials"],
    ["credentials", "keygen"],
    ["credentials", "issue"],
    ["credentials", "verify"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help(command, run_cli):
    assert run_cli([*command, "--help"]).out.startswith(f"Usage: ccin-learn {' '.join(command)}")


def test_a_folder_that_is_not_a_cohort(tmp_path, run_cli):
    err = run_cli(["grade", "status", "--course", tmp_path], exit_code=1).err.strip()
    assert "is not a cohort folder" in err and "ccin-learn grade init" in err
    assert "\n" not in err


def test_init_refuses_a_folder_in_use(tmp_path, run_cli):
    (tmp_path / "notes.txt").write_text("mine")
    assert "is not empty" in run_cli(["grade", "init", tmp_path], exit_code=1).err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_issue_without_a_key_says_how_to_make_one(tmp_path, run_cli):
    args = ["credentials", "issue", "--course", tmp_path, "-o", tmp_path / "o"]
    result = run_cli([*args, "--key", tmp_path / "none.pem"], exit_code=1)
    assert "ccin-learn credentials keygen" in result.err


def test_init_works_from_an_environment_that_is_not_activated(tmp_path):
    """`.venv/bin/ccin-learn grade init` as run from the README, with .venv/bin not on PATH:
    nbgrader's gradebook still finds its `alembic` command."""
    scripts = sysconfig.get_path("scripts")
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != scripts)
    done = subprocess.run(
        [str(Path(scripts) / "ccin-learn"), "grade", "init", str(tmp_path / "cohort")],
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "cohort" / "gradebook.db").is_file()


def test_init_from_anywhere_with_source(tmp_path, assessments, monkeypatch, run_cli):
    """An installed kit has no checkout around it: --source names the assessments."""
    monkeypatch.chdir(tmp_path)
    cohort = tmp_path / "cohort"
    out = run_cli(["grade", "init", cohort, "--source", assessments]).out
    assert "Course id: cohort (learners give it as --course)." in out  # the folder's name
    shipped = (assessments / "course.yaml").read_text(encoding="utf-8")
    expected = shipped.replace("course_id: ccin-coop-option", "course_id: cohort")
    assert (cohort / "course.yaml").read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in (cohort / "source").iterdir()) == sorted(
        p.name for p in (assessments / "source").iterdir()
    )


def test_init_refuses_a_source_that_is_not_assessments(tmp_path, run_cli):
    (tmp_path / "empty").mkdir()
    args = ["grade", "init", str(tmp_path / "cohort"), "--source", str(tmp_path / "empty")]
    err = run_cli(args, exit_code=1).err.strip()
    assert "is not an assessments folder" in err and "\n" not in err
    assert not (tmp_path / "cohort").exists()


def test_init_outside_a_checkout_asks_for_source(tmp_path, monkeypatch, run_cli):
    def no_checkout(start=None):
        raise KitError("no course book found")

    monkeypatch.setattr(importlib.import_module("ccin_learn.cli.grade"), "find_root", no_checkout)
    assert "pass --source DIR" in run_cli(["grade", "init", tmp_path / "cohort"], exit_code=1).err
    assert not (tmp_path / "cohort").exists()
