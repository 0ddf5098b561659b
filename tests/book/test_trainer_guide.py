"""The trainer guide, run as a trainer follows it: every shell command in it, as written.

Each command of the guide's ``bash`` blocks runs in order with ``bash -c``, exactly as
written: HOME is a new folder, the kit's environment comes first on PATH (the guide's
"after ``source .venv/bin/activate``"), the folder is the kit checkout this test is in,
until the guide says ``cd`` (run with ``&& pwd`` added, to learn where it went).
Between commands the test does what the guide asks a person to do in words: it saves
the roster the guide shows, names the trainer's organisation in course.yaml, corrects a
test before releasing again, lets two learners fetch and submit with the commands
``grade release`` printed (one with the model answers, one blank), and marks the
written answer as Formgrader does, through nbgrader's gradebook. After the
key commands it checks what the trainer sees: the printed learners' commands against
the guide's example, the autograde line, the status lines, the CSV files, the issued
credential and its verification, and Formgrader's list of assessments.

Not run here:

- the commands of the JupyterHub and PostgreSQL sections, which need a hub and a
  database server: each is parsed by ``ccin-learn``'s own command-line parser, which
  refuses an unknown option or a bad value; tests/hub/ runs them against a real hub;
- learners' accounts: nbgrader names a submission after the account that runs it, and
  the test has one, so the learners' printed commands get nbgrader's ``--student``;
- as root, Jupyter refuses to start without ``allow_root``: the test's HOME gets that
  setting, as the machine's, not the guide's.

A command added to the guide without a step here fails the test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click
import nbformat
import pytest
import yaml

from ccin_learn.cli import cli
from ccin_learn.credentials.badge import Sources, VerificationError, verify
from ccin_learn.credentials.issue import local_reasons
from ccin_learn.grading.cohort import open_cohort
from tests.grading.cohorts import ANSWERS, answered

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "book" / "trainer-guide.md"
SHELLS = {"bash", "console", "shell"}
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\S*)\s*$")
# Sections whose commands need a hub or a database server: checked by the parser only.
SYNTAX_ONLY = {"Run the course for many learners on JupyterHub", "Keep the gradebook in PostgreSQL"}
GUIDE_HOME = "/home/trainer"  # the trainer's home folder in the guide's printed example
ASSIGNMENT = "coop-option"
LEARNERS = {"ada01": "model", "bea02": "blank"}  # through the exchange
ZIP_LEARNER = "cal03"  # through a learning platform: blank answers, in a folder in a zip
WRITTEN = "q5-answer"  # the assessment's written answer, marked by hand
ORGANISATION = "Anyshire Council"
ISSUER_URL = "https://learn.anyshire.example/ccin/issuer/"


@dataclass(frozen=True)
class Block:
    lang: str
    section: str
    text: str


def blocks(markdown: str) -> list[Block]:
    """The guide's fenced code blocks, dedented, with the section (## heading) each is in."""
    found: list[Block] = []
    section, lines = "", iter(markdown.splitlines())
    for line in lines:
        if line.startswith("## "):
            section = line[3:].strip()
        opening = FENCE.match(line)
        if not opening:
            continue
        indent, body = len(opening["indent"]), []
        for inner in lines:
            if inner.strip() == "```":
                break
            body.append(inner[indent:])
        found.append(Block(opening["lang"], section, "\n".join(body)))
    return found


def commands(block: Block) -> list[str]:
    """A shell block's commands, each with its ``\\`` continuation lines as written."""
    found, current = [], ""
    for line in block.text.splitlines():
        current += line
        if line.endswith("\\"):
            current += "\n"
            continue
        if current.strip():
            found.append(current.strip())
        current = ""
    return found


def words(command: str) -> str:
    """A command on one line, to match it against the steps below."""
    return " ".join(command.replace("\\\n", " ").split())


@dataclass
class Trainer:
    """The trainer's terminal: a home folder, the kit's environment, a current folder."""

    home: Path
    cwd: Path = ROOT
    seen: dict[str, str] = field(default_factory=dict)  # command (one line) -> its stdout

    @property
    def cohort(self) -> Path:
        return self.home / "cohorts" / "spring"

    def env(self, user: str = "trainer") -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
            "PYTHONPATH": str(ROOT),  # this checkout's ccin_learn, as its own .venv would run
            "LANG": "C.UTF-8",
            "USER": user,
            "LOGNAME": user,
            "BROWSER": "true",  # no browser to open on a test machine
        }

    def run(self, command: str, cwd: Path | None = None, user: str = "trainer") -> str:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=cwd or self.cwd,
            env=self.env(user),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{command!r} failed:\n{done.stdout}\n{done.stderr}"
        self.seen[words(command)] = done.stdout
        return done.stdout


# What the person does between the guide's commands, and what they then see.


def write_roster(trainer: Trainer, guide: list[Block]) -> None:
    """Step 2: save the roster the guide shows as ~/learners.csv."""
    roster = next(b for b in guide if b.lang == "text" and b.text.startswith("id,"))
    (trainer.home / "learners.csv").write_text(roster.text + "\n", encoding="utf-8")


def name_the_organisation(trainer: Trainer, out: str) -> None:
    """Step 2 in words: the trainer names their organisation in the cohort's course.yaml."""
    assert "Course id: spring (learners give it as --course)." in out
    course = trainer.cohort / "course.yaml"
    data = yaml.safe_load(course.read_text(encoding="utf-8"))
    data["awarding_body"] = {
        "name": ORGANISATION,
        "url": "https://anyshire.example/",
        "email": "learning@anyshire.example",
        "country": "GB",
        "issuer_url": ISSUER_URL,
    }
    course.write_text(yaml.safe_dump(data), encoding="utf-8")
    config = trainer.cohort / "nbgrader_config.py"  # a short cell limit keeps the test quick
    config.write_text(config.read_text().replace("timeout = 60", "timeout = 10"))


def printed_as_the_guide_shows(trainer: Trainer, out: str, guide: list[Block]) -> None:
    example = next(b for b in guide if b.lang == "text" and b.text.startswith("Released "))
    assert out == example.text.replace(GUIDE_HOME, str(trainer.home)) + "\n"


def correct_a_test(trainer: Trainer, mark: str = "(corrected)") -> None:
    """Step 3 in words: a mistake in a test, corrected in the cohort's copy."""
    source = trainer.cohort / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    check = next(
        c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1a"
    )
    check.source = re.sub(r"then run that cell[^.]*\.", f"then run that cell {mark}.", check.source)
    nbformat.write(notebook, source)


def released_again(trainer: Trainer, out: str) -> None:
    assert out.startswith(f"Released {ASSIGNMENT} again to course spring.\n")
    outbound = trainer.cohort / "exchange" / "spring" / "outbound" / ASSIGNMENT
    assert "(corrected)" in (outbound / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")


def learners_fetch_and_submit(trainer: Trainer) -> None:
    """Step 4: each learner types the printed commands in their own folder."""
    printed = trainer.seen[f"ccin-learn grade release {ASSIGNMENT} --course ~/cohorts/spring"]
    fetch, submit = [line.strip() for line in printed.splitlines() if line.startswith("  ")]
    source = trainer.cohort / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    model = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(source, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }

    def learner_works(learner: str) -> None:
        folder = trainer.home / "learners" / learner
        folder.mkdir(parents=True)
        trainer.run(f"{fetch} --student={learner}", cwd=folder, user=learner)
        notebook = folder / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        answers = model if LEARNERS[learner] == "model" else ANSWERS["blank"]
        nbformat.write(answered(notebook, answers), notebook)
        trainer.run(f"{submit} --student={learner}", cwd=folder, user=learner)

    with ThreadPoolExecutor() as learners:  # each at their own computer, at the same time
        list(learners.map(learner_works, LEARNERS))


def collected(trainer: Trainer, out: str) -> None:
    assert out == f"Collected {ASSIGNMENT}: 2 submission(s) (ada01, bea02)\n"


def a_learner_hands_in_by_zip(trainer: Trainer) -> None:
    """Step 5 in words: the platform's download, a zip per learner, saved in ~/Downloads."""
    released = trainer.cohort / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    downloads = trainer.home / "Downloads" / ASSIGNMENT
    downloads.mkdir(parents=True)
    with zipfile.ZipFile(downloads / f"{ZIP_LEARNER}.zip", "w") as archive:
        notebook = nbformat.writes(answered(released, ANSWERS["blank"]))
        archive.writestr(f"Coop option/{ASSIGNMENT}.ipynb", notebook)


def collected_from_zips(trainer: Trainer, out: str) -> None:
    assert out == f"Collected {ASSIGNMENT}: 1 submission(s) ({ZIP_LEARNER})\n", out


def autograded(trainer: Trainer, out: str) -> None:
    assert out.startswith(f"Autograded 3 new or changed submission(s) of {ASSIGNMENT} in "), out


def a_test_corrected_after_marking(trainer: Trainer) -> None:
    """Step 6 in words: a test corrected after marking, and released again (step 3)."""
    correct_a_test(trainer, "(corrected after marking)")
    trainer.run(f"ccin-learn grade release {ASSIGNMENT} --course ~/cohorts/spring --force")


def regraded(trainer: Trainer, out: str) -> None:
    assert "Regraded 3 submission(s) whose tests or questions changed (q1a)" in out, out


def mark_in_formgrader(trainer: Trainer) -> None:
    """Step 7: the written answer marked, as Formgrader saves a mark (6 of 8)."""
    with open_cohort(trainer.cohort).gradebook() as gradebook:
        grade = gradebook.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, "ada01")
        assert grade.needs_manual_grade
        grade.manual_score = 6
        grade.needs_manual_grade = False
        gradebook.db.commit()


def feedback_written(trainer: Trainer, out: str) -> None:
    for learner in [*LEARNERS, ZIP_LEARNER]:
        assert (trainer.cohort / "feedback" / learner / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()
    assert "2 released through the exchange (ada01, bea02)" in out, out
    assert f"1 kept there only (not submitted through the exchange) ({ZIP_LEARNER})" in out


def feedback_zipped(trainer: Trainer, out: str) -> None:
    for learner in [*LEARNERS, ZIP_LEARNER]:
        path = trainer.home / "feedback-zips" / f"{learner}-{ASSIGNMENT}-feedback.zip"
        with zipfile.ZipFile(path) as archive:
            page = archive.read(f"{ASSIGNMENT}.html").decode("utf-8")
        kept = trainer.cohort / "feedback" / learner / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert page == kept.read_text(encoding="utf-8"), f"{path.name} is not {learner}'s"


def status_shown(trainer: Trainer, out: str) -> None:
    lines = {line.split()[0]: line for line in out.splitlines() if ASSIGNMENT in line}
    assert re.search(r"\bpassed: 91\.3\d*%", lines["ada01"]), out  # (15 + 6) of 23
    assert "not passed: 0%" in lines["bea02"], out


def grades_exported(trainer: Trainer, out: str) -> None:
    with (trainer.cohort / "grades.csv").open(encoding="utf-8") as stream:
        rows = {r["learner"]: r for r in csv.DictReader(stream) if r["assignment"] == ASSIGNMENT}
    assert (rows["ada01"]["score"], rows["ada01"]["passed"]) == ("21", "yes")
    assert (rows["bea02"]["score"], rows["bea02"]["passed"]) == ("0", "no")


def questions_exported(trainer: Trainer, out: str) -> None:
    with (trainer.cohort / "questions.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    ada = {r["question"]: r["score"] for r in rows if r["learner"] == "ada01"}
    assert ada[WRITTEN] == "6" and ada["q1a"] == "1"


def keys_made(trainer: Trainer, out: str) -> None:
    """Step 1: the keys are in a folder only the trainer can open, outside any cohort."""
    folder = trainer.home / ".local" / "share" / "ccin-learn" / "issuer"
    assert f"{folder / 'issuer-key.pem'}" in out
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "issuer-key.pem").stat().st_mode & 0o777 == 0o600


def published(trainer: Trainer, out: str) -> None:
    site = trainer.home / "issuer-site"
    profile = json.loads((site / "profile.json").read_text(encoding="utf-8"))
    assert profile["id"] == f"{ISSUER_URL}profile.json" and profile["name"] == ORGANISATION
    assert (site / "status-list.jwt").is_file()
    assert f"Publish the folder {site} at {ISSUER_URL}" in out


def issued(trainer: Trainer, out: str) -> None:
    assert f"  issued: ada01 - {ASSIGNMENT}" in out.splitlines()
    assert f"  not yet: bea02 - {ASSIGNMENT}: scored 0%" in out
    assert (trainer.cohort / "issued" / "ada01" / f"{ASSIGNMENT}-certificate.pdf").is_file()


def verified(trainer: Trainer, out: str) -> None:
    assert out.startswith("Valid: "), out
    assert f"awarded to Ada Jones by {ORGANISATION}" in out.splitlines()[0]
    profile = f"{ISSUER_URL}profile.json"
    assert f"  Signature: checked against key-1 of {profile} ({ORGANISATION})" in out
    assert f"  Revocation: checked against {ISSUER_URL}status-list.jwt" in out


def revoked(trainer: Trainer, out: str) -> None:
    assert out.startswith(f"Revoked {ASSIGNMENT} of ada01 "), out
    assert "Issued by mistake" in out
    rows = list(
        csv.DictReader(
            io.StringIO((trainer.cohort / "issued" / "register.csv").read_text(encoding="utf-8"))
        )
    )
    ada = next(r for r in rows if r["learner_id"] == "ada01")
    assert ada["revoked_reason"] == "Issued by mistake"
    token = (trainer.cohort / "issued" / "ada01" / f"{ASSIGNMENT}.jwt").read_text().strip()
    site = trainer.home / "issuer-site"
    with pytest.raises(VerificationError, match=r"^revoked on .*: Issued by mistake$"):
        verify(
            token,
            Sources(site / "profile.json", site / "status-list.jwt"),
            reasons=local_reasons(trainer.cohort / "issued" / "register.csv"),
        )


def formgrader_lists_the_assessment(trainer: Trainer, command: str) -> None:
    """Start JupyterLab as written, ask Formgrader for its assessments, stop it."""
    log = trainer.home / "jupyter.log"
    with log.open("w") as stream:
        server = subprocess.Popen(
            ["bash", "-c", command],
            cwd=trainer.cwd,
            env=trainer.env(),
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = wait_for_url(log, server)
        base, token = url.split("/lab?token=")
        request = urllib.request.Request(
            f"{base}/formgrader/api/assignments", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            names = [a["name"] for a in json.load(answer)]
        assert ASSIGNMENT in names
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    trainer.seen[words(command)] = log.read_text()


def wait_for_url(log: Path, server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        found = re.search(
            r"(http://(?:localhost|127\.0\.0\.1):\d+)/lab\?token=(\w+)", log.read_text()
        )
        if found:
            return found[0]
        assert server.poll() is None, f"jupyter lab stopped:\n{log.read_text()}"
        time.sleep(0.2)
    raise AssertionError(f"jupyter lab printed no address:\n{log.read_text()}")


def parses(command: str) -> None:
    """A hub or database command: ccin-learn's parser accepts every option and value."""
    args = shlex.split(words(command))
    assert args[0] == "ccin-learn", command
    group: click.Command = cli
    rest = args[1:]
    while isinstance(group, click.Group):
        group, rest = group.commands[rest[0]], rest[1:]
    group.make_context(" ".join(args[:2]), rest)


@dataclass(frozen=True)
class Step:
    """One of the guide's commands: what is done before it, and what is checked after."""

    before: Callable[[Trainer], None] | None = None
    after: Callable[[Trainer, str], None] | None = None


STEPS: dict[str, Step] = {
    "ccin-learn credentials keygen": Step(after=keys_made),
    "ccin-learn grade init ~/cohorts/spring --roster ~/learners.csv": Step(
        after=name_the_organisation
    ),
    f"ccin-learn grade release {ASSIGNMENT} --course ~/cohorts/spring": Step(),
    f"ccin-learn grade release {ASSIGNMENT} --course ~/cohorts/spring --force": Step(
        before=correct_a_test, after=released_again
    ),
    f"ccin-learn grade collect {ASSIGNMENT} --course ~/cohorts/spring": Step(
        before=learners_fetch_and_submit, after=collected
    ),
    f"ccin-learn grade collect {ASSIGNMENT} --course ~/cohorts/spring "
    f"--zip ~/Downloads/{ASSIGNMENT}": Step(
        before=a_learner_hands_in_by_zip, after=collected_from_zips
    ),
    f"ccin-learn grade autograde {ASSIGNMENT} --course ~/cohorts/spring": Step(after=autograded),
    f"ccin-learn grade autograde {ASSIGNMENT} --course ~/cohorts/spring --changed-source": Step(
        before=a_test_corrected_after_marking, after=regraded
    ),
    f"ccin-learn grade feedback {ASSIGNMENT} --course ~/cohorts/spring": Step(
        before=mark_in_formgrader, after=feedback_written
    ),
    f"ccin-learn grade feedback {ASSIGNMENT} --course ~/cohorts/spring --zip ~/feedback-zips": Step(
        after=feedback_zipped
    ),
    "ccin-learn grade status --course ~/cohorts/spring": Step(after=status_shown),
    "ccin-learn grade export --course ~/cohorts/spring -o ~/cohorts/spring/grades.csv": Step(
        after=grades_exported
    ),
    "ccin-learn grade export --course ~/cohorts/spring --per-question "
    "-o ~/cohorts/spring/questions.csv": Step(after=questions_exported),
    "ccin-learn credentials publish --course ~/cohorts/spring -o ~/issuer-site": Step(
        after=published
    ),
    "ccin-learn credentials issue --course ~/cohorts/spring -o ~/cohorts/spring/issued": Step(
        after=issued
    ),
    f"ccin-learn credentials verify ~/cohorts/spring/issued/ada01/{ASSIGNMENT}.jwt "
    "--issuer-profile ~/issuer-site/profile.json --status-list ~/issuer-site/status-list.jwt": Step(
        after=verified
    ),
    f'ccin-learn credentials revoke ada01/{ASSIGNMENT} --reason "Issued by mistake" '
    "--course ~/cohorts/spring -o ~/cohorts/spring/issued --site ~/issuer-site": Step(
        after=revoked
    ),
    "cd ~/cohorts/spring": Step(),
    "jupyter lab": Step(),
    "ccin-learn grade init ~/cohorts/spring --roster ~/learners.csv "
    "--db postgresql+psycopg://nbgrader@db.example.internal/ccin_spring": Step(),
}


@pytest.fixture(scope="module")
def guide() -> list[Block]:
    return blocks(GUIDE.read_text(encoding="utf-8"))


def test_the_guides_code_blocks_are_ones_this_test_reads(guide: list[Block]) -> None:
    """Shell blocks are ``bash``; the roster and printed output are ``text``."""
    assert {b.lang for b in guide} <= {"bash", "text"}, {b.lang for b in guide}


def test_every_command_of_the_guide_runs_as_written(tmp_path: Path, guide: list[Block]) -> None:
    trainer = Trainer(tmp_path / "home")
    trainer.home.mkdir()
    if os.geteuid() == 0:  # the machine's setting, not the guide's (see the docstring)
        jupyter = trainer.home / ".jupyter"
        jupyter.mkdir()
        (jupyter / "jupyter_server_config.py").write_text("c.ServerApp.allow_root = True\n")
    write_roster(trainer, guide)
    ran: list[str] = []
    for block in (b for b in guide if b.lang in SHELLS):
        for command in commands(block):
            line = words(command)
            assert line in STEPS, f"the guide's command {line!r} has no step in this test"
            step = STEPS[line]
            if block.section in SYNTAX_ONLY:
                parses(command)
            elif line.startswith("cd "):
                trainer.cwd = Path(trainer.run(f"{command} && pwd").strip())
            elif line == "jupyter lab":
                formgrader_lists_the_assessment(trainer, command)
            else:
                if step.before:
                    step.before(trainer)
                out = trainer.run(command)
                if step.after:
                    step.after(trainer, out)
            ran.append(line)
    assert ran == list(STEPS), "every step of this test is a command of the guide, in order"
    release = f"ccin-learn grade release {ASSIGNMENT} --course ~/cohorts/spring"
    printed_as_the_guide_shows(trainer, trainer.seen[release], guide)
