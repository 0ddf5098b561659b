"""Hostile submissions, graded once in the sandbox beside two honest learners.

Each hostile learner tries one thing a security probe of the kit did: run for
ever, fork, eat memory, flood the output, read the trainer's key, the gradebook
or a peer's work, write outside its folder, leave a daemon, rig the tests,
kill the grader, reach the network. Each test checks that it was contained, that
the honest learners' scores did not move, and that the trainer is told by name.
"""

from __future__ import annotations

import socket
from pathlib import Path

import nbformat
import pytest

from ccin_learn.grading.autograde import autograde
from ccin_learn.grading.cohort import init_cohort, release
from ccin_learn.grading.results import results
from ccin_learn.grading.roster import Learner
from tests.grading.cohorts import ANSWERS, answered, make_assessments

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("new_gradebook_url", ["sqlite"], indirect=True),
]

KEY_TEXT = "-----BEGIN PRIVATE KEY----- issuer-secret-7f3a"
DAEMON_MARK = "ccin-hostile-daemon-5b1c"
MEMORY_MB = 384

# The hostile learners' first answer cell; {names} are filled in with the test's paths.
HOSTILE = {
    "loop": "while True:\n    pass",
    "forks": """
import os, time
born = 0
for _ in range(200):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(3)
        os._exit(0)
    born += 1
print("forked", born)
total = 5
""",
    "bigmem": "blob = bytearray(10 * 1024**3)\ntotal = 5",
    "hog": """
blob = bytearray(500 * 1024**2)
for i in range(0, len(blob), 4096):
    blob[i] = 1
total = 5
""",
    "kids": """
import os, time
kids = []
for _ in range(10):
    pid = os.fork()
    if pid == 0:
        blob = bytearray(100 * 1024**2)
        for i in range(0, len(blob), 4096):
            blob[i] = 1
        time.sleep(1)
        os._exit(0)
    kids.append(pid)
killed = sum(os.WIFSIGNALED(os.waitpid(pid, 0)[1]) for pid in kids)
print("killed", killed)
total = 5
""",
    "chatty": "chunk = 'x' * 1_000_000\nfor _ in range(100):\n    print(chunk)\ntotal = 5",
    "snoop": """
import pathlib
for path in [{gradebook!r}, {key!r}, {peer!r}]:
    try:
        print(pathlib.Path(path).read_bytes()[:3000])
    except OSError as err:
        print("blocked", type(err).__name__)
total = 5
""",
    "vandal": """
import pathlib
for path in [{marker!r}, {peer!r}, {gradebook!r}]:
    try:
        pathlib.Path(path).write_text("vandal was here")
        print("wrote", path)
    except OSError as err:
        print("blocked", type(err).__name__)
total = 5
""",
    "daemon": f"""
import subprocess, sys
forever = "import time\\nwhile True: time.sleep(0.2)  # {DAEMON_MARK}"
subprocess.Popen([sys.executable, "-c", forever], start_new_session=True)
total = 5
""",
    "trick": """
def rig(lines):
    return ["pass\\n"] if any("assert" in line for line in lines) else lines
get_ipython().input_transformers_cleanup.append(rig)
total = 4
""",
    "blinder": "get_ipython().user_expressions = lambda expressions: {}\ntotal = 4",
    "killer": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\ntotal = 5",
    "net": """
import socket
for host, port in [("1.1.1.1", 80), ("127.0.0.1", {port})]:
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        print("connected", host)
    except OSError as err:
        print("refused", host, err.errno)
total = 5
""",
}
CHOICE = {"trick": '"a"'}  # the tamperer answers everything wrong
FILLED_IN = ("snoop", "vandal", "net")


@pytest.fixture(scope="module")
def graded(tmp_path_factory, new_gradebook_url, monkeypatch_module):
    """One cohort: two honest learners and one per hostile case, autograded once."""
    base = tmp_path_factory.mktemp("hostile")
    home = base / "trainer"
    (home / "ccin-keys").mkdir(parents=True)
    key = home / "ccin-keys" / "issuer.pem"
    key.write_text(KEY_TEXT)
    monkeypatch_module.setenv("HOME", str(home))
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    source = make_assessments(base / "assessments")
    learners = ["ada", "bea", *HOSTILE]
    cohort = init_cohort(base / "cohort", [Learner(i) for i in learners], source=source)
    config = cohort.config_file
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 4"))
    release(cohort, "ps1")
    paths = {
        "gradebook": str(cohort.root / "gradebook.db"),
        "key": str(key),
        "peer": str(cohort.root / "submitted" / "ada" / "ps1" / "ps1.ipynb"),
        "marker": str(base / "vandal-was-here"),
        "port": server.getsockname()[1],
    }
    released = cohort.root / "release" / "ps1" / "ps1.ipynb"
    answers = {"ada": ANSWERS["right"], "bea": ANSWERS["partial"]}
    for name, code in HOSTILE.items():
        code = code.format(**paths) if name in FILLED_IN else code
        answers[name] = {
            "answer_total": code,
            "answer_choice": "choice = " + CHOICE.get(name, '"b"'),
        }
    for learner, given in answers.items():
        folder = cohort.root / "submitted" / learner / "ps1"
        folder.mkdir(parents=True)
        nbformat.write(answered(released, given), folder / "ps1.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-20 09:00:00.000000 UTC")
    peer_before = Path(paths["peer"]).read_bytes()
    report = autograde(cohort, "ps1", workers=2, memory_mb=MEMORY_MB)
    try:
        connection = server.accept()
    except BlockingIOError:
        connection = None
    server.close()
    return {
        "cohort": cohort,
        "report": report,
        "paths": paths,
        "peer_before": peer_before,
        "connection": connection,
    }


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def outcome(graded, learner):
    return next(o for o in graded["report"].outcomes if o.learner == learner)


def scores(graded) -> dict[str, float]:
    return {r.learner: r.score for r in results(graded["cohort"]) if r.assignment == "ps1"}


def outputs(graded, learner) -> str:
    path = graded["cohort"].root / "autograded" / learner / "ps1" / "ps1.ipynb"
    return str([c.get("outputs") for c in nbformat.read(path, as_version=4).cells])


def test_honest_learners_score_as_without_the_hostile_ones(graded):
    got = scores(graded)
    assert (got["ada"], got["bea"]) == (3, 2)  # as in test_workflow, without hostile peers
    assert all(o.graded for o in graded["report"].outcomes), graded["report"].outcomes


def test_every_kernel_ran_sandboxed_and_left_no_process(graded):
    for done in graded["report"].outcomes:
        assert done.contained.startswith("bubblewrap, cgroup"), done
        assert done.contained.endswith("no process left after grading"), done


def test_an_infinite_loop_is_stopped_and_named(graded):
    assert any("time limit" in p for p in outcome(graded, "loop").problems)
    assert scores(graded)["loop"] == 1


def test_a_fork_storm_is_capped_and_named(graded):
    born = int(outputs(graded, "forks").split("forked ")[1].split("\\")[0])
    assert born < 64
    assert any("more than 64 processes" in p for p in outcome(graded, "forks").problems)
    assert scores(graded)["forks"] == 3


def test_ten_gigabytes_at_once_fail_in_the_learners_cell(graded):
    assert "MemoryError" in outputs(graded, "bigmem")
    assert any("out of memory" in p for p in outcome(graded, "bigmem").problems)
    assert scores(graded)["bigmem"] == 1


def test_a_kernel_killed_for_memory_fails_its_cell_and_the_rest_is_graded(graded):
    assert outcome(graded, "hog").graded
    assert any("the kernel stopped" in p for p in outcome(graded, "hog").problems)
    assert scores(graded)["hog"] == 1  # its answer cell died; the other question passes


def test_memory_across_ten_children_counts_together(graded):
    killed = int(outputs(graded, "kids").split("killed ")[1].split("\\")[0])
    assert killed >= 10 - MEMORY_MB // 100  # 100 MB each: at most a few fit together
    assert any("for all its processes together" in p for p in outcome(graded, "kids").problems)


def test_a_hundred_megabytes_of_output_are_cut(graded):
    path = graded["cohort"].root / "autograded" / "chatty" / "ps1" / "ps1.ipynb"
    assert path.stat().st_size < 2_000_000
    assert any("output was cut at 10 MB" in p for p in outcome(graded, "chatty").problems)
    assert scores(graded)["chatty"] == 3


def test_the_key_the_gradebook_and_a_peers_work_cannot_be_read(graded):
    seen = outputs(graded, "snoop")
    assert seen.count("blocked") == 3, seen
    for secret in ("issuer-secret", "SQLite format", "Preston"):
        for learner in graded["report"].outcomes:
            assert secret not in outputs(graded, learner.learner)


def test_the_generated_feedback_holds_no_secret_either(graded):
    cohort = graded["cohort"]
    assert cohort.api().generate_feedback("ps1")["success"]  # (released through no exchange)
    pages = {p.parts[-3]: p.read_text() for p in (cohort.root / "feedback").rglob("*.html")}
    assert len(pages) == len(graded["report"].outcomes)
    for learner, page in pages.items():
        assert "issuer-secret" not in page and "SQLite format" not in page
        assert learner == "ada" or "Preston" not in page  # ada's own written answer


def test_nothing_outside_its_folder_can_be_written(graded):
    assert outputs(graded, "vandal").count("blocked") == 3
    assert not Path(graded["paths"]["marker"]).exists()
    assert Path(graded["paths"]["peer"]).read_bytes() == graded["peer_before"]


def test_a_daemon_does_not_outlive_grading(graded):
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        assert DAEMON_MARK.encode() not in cmdline, proc
    assert scores(graded)["daemon"] == 3


def test_rigging_the_tests_is_undone_and_named_as_tampering(graded):
    assert scores(graded)["trick"] == 0  # every answer wrong, every test run
    problems = outcome(graded, "trick").problems
    assert any(p.startswith("tampered: added an input transformer") for p in problems)
    assert any(p.startswith("tampered: the learner's code") for p in problems)
    honest = outcome(graded, "ada").problems + outcome(graded, "bea").problems
    assert not any("tampered" in p for p in honest)


def test_blinding_the_guard_is_named_as_tampering(graded):
    problems = outcome(graded, "blinder").problems
    assert any(p.startswith("tampered: the grader's check did not run") for p in problems)
    assert scores(graded)["blinder"] == 1  # total = 4 still fails its test


def test_killing_the_grader_does_not(graded):
    assert outcome(graded, "killer").graded
    assert scores(graded)["killer"] == 3


def test_no_network_not_even_the_hosts_loopback(graded):
    seen = outputs(graded, "net")
    assert "refused 1.1.1.1" in seen and "refused 127.0.0.1" in seen, seen
    assert "connected" not in seen
    assert graded["connection"] is None


@pytest.mark.parametrize(
    ("learner", "named"),
    [
        ("forks", "os.fork"),
        ("kids", "os.fork"),
        ("snoop", "file paths outside its folder"),
        ("vandal", "file paths outside its folder"),
        ("daemon", "subprocess"),
        ("killer", "os.kill"),
        ("net", "socket"),
    ],
)
def test_code_reaching_outside_is_named_for_review(graded, learner, named):
    """Contained silently by the sandbox, so the trainer hears who tried, by name."""
    reached = [p for p in outcome(graded, learner).review if p.startswith("reached outside:")]
    assert reached and named in reached[0], outcome(graded, learner).problems
    honest = outcome(graded, "ada").problems + outcome(graded, "bea").problems
    assert not any(p.startswith("reached outside") for p in honest)
