"""A course id per cohort, the learners' commands, and releasing again with --force.

Two cohorts of the same assessments share one exchange folder, as on a hub: each gets
its course id from its folder's name, a learner of each fetches and submits with the
commands ``grade release`` printed, and each cohort collects only its own learners.
The trainer then fixes a test and releases it again. Everything goes through
``ccin-learn grade`` (click's CliRunner) and nbgrader's own commands, as people run them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner, Result

from ccin_learn.cli.grade import grade
from ccin_learn.errors import KitError
from ccin_learn.grading.cohort import open_cohort
from ccin_learn.grading.course import course_id_from_folder
from tests.grading.cohorts import ANSWERS, answered, make_assessments

COHORTS = {"North Shields": "ada01", "south_2027": "bea02"}  # folder: its one learner
IDS = {"North Shields": "north-shields", "south_2027": "south-2027"}


def run(args: list[object]) -> Result:
    """``ccin-learn grade ARGS``; a KitError is left in ``result.exception``."""
    return CliRunner().invoke(grade, [str(a) for a in args])


def as_learner(command: str, learner: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run a printed command in a shell as the learner does, in their own folder.

    nbgrader names a submission after the account that runs it (``pwd``, not $USER);
    the test has one account, so it adds nbgrader's own ``--student`` option instead.
    """
    env = {
        **os.environ,
        "USER": learner,
        "LOGNAME": learner,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", "-c", f"{command} --student={learner}"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def printed_commands(result: Result) -> list[str]:
    return [line.strip() for line in result.output.splitlines() if line.startswith("  nbgrader ")]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Both cohorts initialised on one exchange, ps1 released, fetched, answered, submitted."""
    base = tmp_path_factory.mktemp("ids")
    source = make_assessments(base / "assessments")
    exchange = base / "exchange"
    done: dict = {"base": base, "exchange": exchange, "init": {}, "release": {}, "collect": {}}
    for folder, learner in COHORTS.items():
        roster = base / f"{learner}.csv"
        roster.write_text(f"id\n{learner}\n", encoding="utf-8")
        root = base / folder
        done["init"][folder] = run(
            ["init", root, "--roster", roster, "--source", source, "--exchange", exchange]
        )
        config = root / "nbgrader_config.py"
        config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
        done["release"][folder] = run(["release", "ps1", "--course", root])
    for folder, learner in COHORTS.items():
        home = base / "homes" / learner
        home.mkdir(parents=True)
        fetch, submit = printed_commands(done["release"][folder])
        done.setdefault("fetched", {})[folder] = as_learner(fetch, learner, home)
        notebook = home / "ps1" / "ps1.ipynb"
        nbformat.write(answered(notebook, ANSWERS["right"]), notebook)
        done.setdefault("submitted", {})[folder] = as_learner(submit, learner, home)
    for folder in COHORTS:
        done["collect"][folder] = run(["collect", "ps1", "--course", base / folder])
    return done


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("spring-2027", "spring-2027"),
        ("Spring 2027", "spring-2027"),
        ("Été_Leeds.1", "ete-leeds-1"),
    ],
)
def test_a_folders_name_makes_its_course_id(name: str, expected: str) -> None:
    assert course_id_from_folder(Path("/home/trainer/cohorts") / name) == expected


def test_a_folder_name_with_no_letter_or_digit_is_refused_and_nothing_made(tmp_path) -> None:
    result = run(["init", tmp_path / "日本", "--source", make_assessments(tmp_path / "a")])
    assert isinstance(result.exception, KitError)
    message = str(result.exception)
    assert "cannot make a course id from the folder name '日本'" in message
    assert "--course-id" in message and "\n" not in message
    assert not (tmp_path / "日本").exists()


@pytest.mark.slow
def test_init_and_release_tell_the_course_id_and_the_learners_commands(shared) -> None:
    exchange = shared["exchange"]
    for folder, course_id in IDS.items():
        init = shared["init"][folder]
        assert init.exit_code == 0, init.output
        assert f"Course id: {course_id} (learners give it as --course)." in init.output
        assert printed_commands(init) == [
            f"nbgrader fetch_assignment ASSIGNMENT --course {course_id} --Exchange.root={exchange}",
            f"nbgrader submit ASSIGNMENT --course {course_id} --Exchange.root={exchange}",
        ]
        release = shared["release"][folder]
        assert f"Released ps1 to course {course_id}." in release.output
        assert printed_commands(release)[0].startswith(
            f"nbgrader fetch_assignment ps1 --course {course_id} "
        )


@pytest.mark.slow
def test_two_cohorts_on_one_exchange_each_collect_only_their_own_learners(shared) -> None:
    for folder, learner in COHORTS.items():
        for step in ("fetched", "submitted"):
            assert shared[step][folder].returncode == 0, shared[step][folder].stderr
        assert shared["collect"][folder].output == f"Collected ps1: 1 submission(s) ({learner})\n"
        submitted = shared["base"] / folder / "submitted"
        assert [p.name for p in submitted.iterdir()] == [learner]
    assert sorted(p.name for p in shared["exchange"].iterdir()) == sorted(IDS.values())


@pytest.mark.slow
def test_release_again_needs_force_and_force_releases_the_fixed_source(shared) -> None:
    root = shared["base"] / "south_2027"
    outbound = shared["exchange"] / "south-2027" / "outbound" / "ps1" / "ps1.ipynb"
    before = outbound.read_bytes()

    again = run(["release", "ps1", "--course", root])
    assert isinstance(again.exception, KitError)
    message = str(again.exception)
    assert message.startswith("ps1 is already released: to release it again after fixing")
    assert "add --force" in message and "learners who fetched it keep their copy" in message
    assert outbound.read_bytes() == before, "a refused release changes nothing"

    source = root / "source" / "ps1" / "ps1.ipynb"  # the trainer fixes a test: 2 -> 3 points
    notebook = nbformat.read(source, as_version=4)
    test = next(c for c in notebook.cells if c.metadata["nbgrader"]["grade_id"] == "test_total")
    test.source = test.source.replace("a whole number", "a whole number (fixed)")
    test.metadata["nbgrader"]["points"] = 3
    nbformat.write(notebook, source)

    forced = run(["release", "ps1", "--course", root, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Released ps1 again to course south-2027." in forced.output
    assert "a whole number (fixed)" in outbound.read_text(encoding="utf-8")
    with open_cohort(root).gradebook() as gradebook:
        cell = gradebook.find_grade_cell("test_total", "ps1", "ps1")
        assert cell.max_score == 3
        assert "(fixed)" in gradebook.find_source_cell("test_total", "ps1", "ps1").source
