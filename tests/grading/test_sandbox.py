"""The sandbox on its own: what code inside sees, the limits, and the refusal without it."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import ccin_learn
from ccin_learn.cli import main
from ccin_learn.errors import KitError
from ccin_learn.grading import autograde as grading
from ccin_learn.grading.cohort import Cohort, init_cohort, release
from ccin_learn.grading.results import results
from ccin_learn.grading.roster import Learner
from ccin_learn.grading.sandbox import (
    Limits,
    bwrap_command,
    probe_bwrap,
    usable_cgroup,
    watch,
)
from tests.grading.cohorts import ANSWERS, answered, make_assessments

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap not installed")

LOOK_AROUND = """
import json, os, socket
seen = {"uid": os.getuid(), "env": sorted(os.environ),
        "project": os.path.exists(os.path.join(PROJECT, "pyproject.toml")),
        "secret": os.path.exists(SECRET)}
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
except OSError as err:
    seen["net"] = err.errno
open("mine.txt", "w").write("ok")
try:
    open("/usr/sandbox-was-here", "w")
except OSError as err:
    seen["usr"] = type(err).__name__
import shutil, subprocess
if shutil.which("unshare"):
    seen["userns"] = subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode
print(json.dumps(seen))
"""

GREEDY = """
import os, time
pid = os.fork()
if pid == 0:
    blob = bytearray(200 * 1024**2)
    for i in range(0, len(blob), 4096):
        blob[i] = 1
    os._exit(0)
killed = os.WIFSIGNALED(os.waitpid(pid, 0)[1])
refused = 0
for _ in range(20):
    try:
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
    except OSError:
        refused += 1
print(refused, killed)
"""


HOG = """
import os, sys, time
if sys.argv[1] == "memory":
    blob = bytearray(300 * 1024**2)
    for i in range(0, len(blob), 4096):
        blob[i] = 1
else:
    for _ in range(20):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
time.sleep(30)
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def in_sandbox(code: str, work: Path, **run: object) -> subprocess.CompletedProcess[str]:
    command = bwrap_command([sys.executable, "-c", code], str(work), [str(work)], Limits(256))
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **run)  # type: ignore[call-overload]


@needs_bwrap
def test_code_in_the_sandbox_sees_only_its_folder_and_no_network(work: Path) -> None:
    project = str(Path(ccin_learn.__file__).parents[1])  # its files, hidden tests and all
    secret = work.parent / "trainer-secret.txt"
    secret.write_text("not for learners")
    code = f"PROJECT, SECRET = {project!r}, {str(secret)!r}\n{LOOK_AROUND}"
    done = in_sandbox(code, work)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["uid"] == 65534
    assert seen["project"] is False and seen["secret"] is False
    assert seen["net"] == 101  # network unreachable
    assert seen["usr"] in ("OSError", "PermissionError")
    assert "OPENBLAS_NUM_THREADS" in seen["env"] and "PYTHONPATH" not in seen["env"]
    assert (work / "mine.txt").read_text() == "ok"
    assert seen.get("userns", 1) != 0  # no nested user namespace


@needs_bwrap
def test_a_cgroup_caps_processes_and_memory_together(work: Path) -> None:
    group = usable_cgroup("ccin-test-sandbox", Limits(memory_mb=96, processes=8))
    if group is None:
        pytest.skip("no writable cgroup here (the watchdog is used instead)")
    group.create(Limits(memory_mb=96, processes=8))
    try:
        done = in_sandbox(GREEDY, work, preexec_fn=group.join)
        hits = group.hits()
    finally:
        left = group.remove(grace=3.0)
    refused, killed = done.stdout.split()
    assert int(refused) > 0 and killed == "True", done.stdout + done.stderr
    assert hits["memory"] >= 1 and hits["processes"] >= 1
    assert left == 0


@needs_bwrap
@pytest.mark.parametrize("greed", ["memory", "processes"])
def test_without_a_cgroup_the_watchdog_stops_the_whole_sandbox(work: Path, greed: str) -> None:
    limits = Limits(memory_mb=100, processes=8)
    command = bwrap_command([sys.executable, "-c", HOG, greed], str(work), [str(work)], limits)
    started = time.monotonic()
    code = watch(subprocess.Popen(command), limits)
    assert code == -signal.SIGKILL
    assert time.monotonic() - started < 20  # stopped, not ended by itself after 30 s


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    """A cohort with one learner's submission of ps1 (their released copy, right answers)."""
    base = tmp_path_factory.mktemp("sandbox")
    source = make_assessments(base / "assessments")
    cohort = init_cohort(base / "cohort", [Learner("ada01")], source=source)
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 5"))
    release(cohort, "ps1")
    folder = cohort.root / "submitted" / "ada01" / "ps1"
    folder.mkdir(parents=True)
    released = cohort.root / "release" / "ps1" / "ps1.ipynb"
    nbformat.write(answered(released, ANSWERS["right"]), folder / "ps1.ipynb")
    return cohort


def test_grading_refuses_without_bubblewrap(
    submitted: Cohort, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # no bwrap there
    with pytest.raises(KitError, match="bwrap was not found"):
        probe_bwrap(Limits(256), submitted.root / "probe")
    code = main(["grade", "autograde", "ps1", "--course", str(submitted.root)])
    err = capsys.readouterr().err
    assert code != 0
    assert "install bubblewrap, or pass --no-sandbox" in err
    assert len(err.strip().splitlines()) == 1
    assert not (submitted.root / "autograded").exists()


@pytest.mark.slow
def test_no_sandbox_warns_once_and_grades_as_before(
    submitted: Cohort, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["grade", "autograde", "ps1", "--no-sandbox", "--course", str(submitted.root)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert err.count("grading without a sandbox: learners' code runs with your rights") == 1
    assert "Autograded 1 new or changed submission(s) of ps1" in out
    assert "Learners' code ran in: no sandbox, cgroup v1" in out or "watchdog" in out
    assert [r.score for r in results(submitted)] == [3]


@pytest.mark.slow
@needs_bwrap
def test_where_no_cgroup_is_writable_the_watchdog_limits_the_sandbox(
    submitted: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grading, "usable_cgroup", lambda name, limits: None)  # a hub's trainer
    report = grading.autograde(submitted, "ps1", workers=1, force=True)
    (done,) = report.outcomes
    assert done.graded and done.problems == []
    assert done.contained.startswith("bubblewrap, watchdog (1024 MB, 64 processes)")
    assert [r.score for r in results(submitted)] == [3]
