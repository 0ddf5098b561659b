"""Autograde every submission of an assignment in parallel, with nbgrader's own results.

nbgrader autogrades one submission at a time (its issue #174), and its SQLite
gradebook allows one writer. So grading runs in two phases:

1. **Grade, in parallel.** Each worker process keeps a private scratch course
   (a copy of the cohort's gradebook, or the assignment generated from the same
   source for a server database) and runs nbgrader's own ``Autograde`` there for
   one learner at a time, in that learner's own kernel, under a cell time limit.
   The kernel runs in a bubblewrap sandbox with limits on all its processes
   together (sandbox.py), and the tests are guarded against hooks the learner's
   code may have installed (guard.py).
2. **Record, once.** The main process copies each learner's autograded
   notebooks into the cohort and nbgrader's scores, comments and late penalties
   from the scratch gradebook into the cohort's gradebook, one writer, one
   transaction per learner, no locking. A hand-graded cell is flagged for
   review exactly as nbgrader's ``SaveAutoGrades`` flags it.

The scores are therefore nbgrader's own. Unchanged submissions are not graded
again, so re-running is idempotent and keeps a trainer's hand-grades.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import secrets as random_secrets
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from sqlalchemy.exc import SAWarning

from ccin_learn.errors import KitError, hidden, one_line
from ccin_learn.grading import guard
from ccin_learn.grading.cohort import Cohort, open_cohort
from ccin_learn.grading.guard import GuardedExecute
from ccin_learn.grading.limited_kernel import WATCHDOG, write_kernelspec
from ccin_learn.grading.sandbox import (
    Cgroup,
    Limits,
    probe_bwrap,
    removing_cgroups,
    usable_cgroup,
)

MANIFESTS = ".ccin-graded"
DEFAULT_MEMORY_MB = 1024


@dataclass
class Outcome:
    """What happened to one learner's submission."""

    learner: str
    graded: bool
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    unchanged: bool = False
    scratch: str = ""
    contained: str = ""  # how the kernel was sandboxed and limited, and what was left


@dataclass
class AutogradeReport:
    assignment: str
    outcomes: list[Outcome]
    workers: int
    seconds: float

    @property
    def graded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.graded]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.graded]

    @property
    def unchanged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unchanged]


# ---- phase 1: one worker process --------------------------------------------------------

_worker: dict[str, object] = {}


def start_worker(
    cohort_root: str,
    assignment: str,
    memory_mb: int,
    scratch_root: str,
    sandbox: bool = True,
    secrets: tuple[str, str] = ("", ""),
    run_id: str = "",
) -> None:
    """Prepare this worker's scratch course and its sandboxed, limited kernel.

    ``secrets`` are the run's snapshot-module name and guard nonce (see guard.py).
    The limits are a cgroup's when one is writable here, else the watchdog's.
    """
    scratch = Path(tempfile.mkdtemp(prefix="worker-", dir=scratch_root))
    quiet_kernels(scratch)
    runtime = scratch / "runtime"  # connection files and the kernel's IPC sockets
    runtime.mkdir(mode=0o700)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    limits = Limits(memory_mb)
    cgroup = f"ccin-grade-{run_id}{os.getpid()}"
    group = usable_cgroup(cgroup, limits)
    mechanism = group.mechanism if group is not None else WATCHDOG
    write_kernelspec(
        scratch / "jupyter",
        limits,
        sandbox=sandbox,
        mechanism=mechanism,
        cgroup=cgroup,
        allowed=scratch / "autograded",
        runtime=runtime,
        stash=secrets[0],
    )
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(scratch / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
    )
    cohort = open_cohort(Path(cohort_root))
    shutil.copytree(cohort.root / "source" / assignment, scratch / "source" / assignment)
    config = scratch_config(cohort, scratch, secrets)
    main_db = cohort.nbgrader_config().CourseDirectory.db_url
    if main_db.startswith("sqlite:///"):
        shutil.copy(main_db.removeprefix("sqlite:///"), scratch / "gradebook.db")
    else:  # a server database: build the same assignment from the same source
        generate_in_scratch(config, assignment)
    where = "bubblewrap" if sandbox else "no sandbox"
    _worker.update(
        cohort=cohort,
        scratch=scratch,
        config=config,
        assignment=assignment,
        group=group,
        sandbox=sandbox,
        contained=f"{where}, {mechanism} ({limits.describe()})",
    )


def generate_in_scratch(config, assignment: str) -> None:
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_assignment(assignment)
    if not result.get("success"):
        raise KitError(f"could not prepare a grading worker: {result.get('error')}")


def quiet_kernels(scratch: Path) -> None:
    """Send this worker's stderr (and its kernels' start-up chatter) to a log file.

    Problems with a learner's notebook are reported through the outcome, so the
    trainer's screen shows progress and results, not every kernel's warnings. The
    log is in the worker's private scratch folder: a file at a predictable shared
    path could be created first by anyone on the machine.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    log = os.open(scratch / "worker.log", flags, 0o600)
    os.dup2(log, 2)
    os.close(log)


def scratch_config(cohort: Cohort, scratch: Path, secrets: tuple[str, str] = ("", "")):
    """The cohort's nbgrader config, pointed at a private scratch course.

    Kernels talk to the grader over IPC sockets in the worker's runtime folder
    (the sandbox has no network, not even loopback), and nbgrader's Execute is
    replaced by GuardedExecute (the guard and the output cap).
    """
    config = cohort.nbgrader_config()
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
    config.Exchange.root = str(scratch / "exchange")
    config.KernelManager.transport = "ipc"  # one kernel at a time per worker:
    config.KernelManager.connection_file = str(scratch / "runtime" / "kernel.json")
    config.Autograde.autograde_preprocessors = [
        GuardedExecute if p is Execute else p
        for p in Autograde.class_traits()["autograde_preprocessors"].default()
    ]
    config.GuardedExecute.stash, config.GuardedExecute.nonce = secrets
    return config


def grade_in_worker(learner: str) -> Outcome:
    """Run nbgrader's Autograde for one learner in this worker's scratch course."""
    started = time.monotonic()
    cohort: Cohort = _worker["cohort"]  # type: ignore[assignment]
    scratch: Path = _worker["scratch"]  # type: ignore[assignment]
    assignment: str = _worker["assignment"]  # type: ignore[assignment]
    submitted = cohort.root / "submitted" / learner / assignment
    target = scratch / "submitted" / learner / assignment
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(submitted, target, symlinks=True)
    outcome = Outcome(learner, graded=False, contained=str(_worker["contained"]))
    guard.FINDINGS.clear()
    try:
        tampered = edited_locked_cells(cohort.root / "release" / assignment, submitted)
        tampered += [n for p in sorted(target.glob("*.ipynb")) for n in guard.static_findings(p)]
        run_autograde(scratch, learner)
        executed = scratch / "autograded" / learner / assignment
        if not any(executed.glob("*.ipynb")):
            raise KitError("nbgrader produced no graded notebook")
        drop_links(executed)
        outcome.graded = True
        outcome.scratch = str(scratch)
        outcome.problems = tampered + guard.FINDINGS + run_problems(executed)
    except Exception as err:  # one learner's failure must not stop the others
        outcome.problems = [f"could not be graded: {' '.join(str(err).split())[:300]}"]
    outcome.problems += contain(outcome)
    outcome.seconds = time.monotonic() - started
    return outcome


def drop_links(folder: Path) -> None:
    """Remove anything but plain files and folders the kernel left in its working folder.

    A symlink made inside the sandbox may name a file outside it (the trainer's
    key); copying the folder into the cohort would follow it with the grader's rights.
    """
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            path.unlink()


def contain(outcome: Outcome) -> list[str]:
    """Check that no process of this learner's kernel is left; stop any that is."""
    group: Cgroup | None = _worker.get("group")  # type: ignore[assignment]
    if group is None:  # the watchdog: nothing to count processes by after the kernel ends
        outcome.contained += (
            "; the sandbox's processes ended with its pid namespace"
            if _worker["sandbox"]
            else "; processes it started in the background may still be running"
        )
        return []
    notes = limit_notes(group.hits(), group.limits)
    try:
        left = group.remove(grace=1.0)
    except KitError as err:
        return [*notes, f"processes of this submission would not stop: {err}"]
    outcome.contained += "; no process left after grading"
    if left:
        notes.append(f"left {left} process(es) running after grading; they were stopped")
    return notes


def limit_notes(hits: dict[str, int], limits: Limits) -> list[str]:
    """Plain words for the limits the submission ran into, all its processes together."""
    notes = []
    if hits["memory"]:
        notes.append(
            f"ran out of memory: {hits['memory']} process(es) stopped at the "
            f"{limits.memory_mb} MB limit for all its processes together"
        )
    if hits["processes"]:
        notes.append(
            f"tried to start more than {limits.processes} processes ({hits['processes']} refused)"
        )
    return notes


def run_autograde(scratch: Path, learner: str) -> None:
    """nbgrader's Autograde converter for one learner, in the scratch course."""
    config = _worker["config"].copy()  # type: ignore[attr-defined]
    config.CourseDirectory.student_id = learner
    config.CourseDirectory.assignment_id = _worker["assignment"]
    config.BaseConverter.force = True
    Autograde(coursedir=CourseDirectory(config=config), config=config).start()


def locked_cells(path: Path) -> dict[str, str]:
    """The source of each locked nbgrader cell, by grade id."""
    cells = {}
    for cell in nbformat.read(path, as_version=4).cells:
        info = cell.get("metadata", {}).get("nbgrader", {})
        if info.get("locked") and info.get("grade_id"):
            cells[info["grade_id"]] = cell.source.strip()
    return cells


def edited_locked_cells(released: Path, submitted: Path) -> list[str]:
    """Locked cells (tests, questions) that a learner changed or deleted.

    nbgrader grades with the master copy of these cells whatever the learner
    did; the trainer is told, because editing a test is worth a conversation.
    """
    notes = []
    for original in sorted(released.glob("*.ipynb")):
        copy = submitted / original.name
        if not copy.is_file():
            continue
        theirs = locked_cells(copy)
        for grade_id, source in locked_cells(original).items():
            if grade_id not in theirs:
                notes.append(
                    f"deleted the locked cell {grade_id!r} in {original.name}; "
                    "nbgrader graded with the master copy"
                )
            elif theirs[grade_id] != source:
                notes.append(
                    f"edited the locked cell {grade_id!r} in {original.name}; "
                    "nbgrader graded with the master copy"
                )
    return notes


def run_problems(executed: Path) -> list[str]:
    """Plain-English notes for the trainer about cells stopped for time or memory."""
    notes = []
    for path in sorted(executed.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                if output.get("ename") == "CellTimeoutError":
                    notes.append(f"a cell ran past the time limit in {path.name} and was stopped")
                elif output.get("ename") == "MemoryError":
                    notes.append(f"a cell ran out of memory in {path.name}")
    return sorted(set(notes))


# ---- phase 2 and the whole run ------------------------------------------------------------


class Recorder:
    """Copies learners' nbgrader results from the workers' scratch courses into the cohort.

    It keeps one gradebook session for the cohort and one per worker for the
    whole run: opening a gradebook costs more than recording a learner.
    """

    def __init__(self, cohort: Cohort, assignment: str) -> None:
        self.cohort, self.assignment = cohort, assignment
        self.sources: dict[str, Gradebook] = {}
        self.target: Gradebook | None = None

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *_exc: object) -> None:
        for gradebook in [*self.sources.values(), self.target]:
            if gradebook is not None:
                gradebook.close()

    def source(self, scratch: Path):
        key = str(scratch)
        if key not in self.sources:
            self.sources[key] = Gradebook(
                f"sqlite:///{scratch / 'gradebook.db'}", self.cohort.course.course_id
            )
        return self.sources[key]

    def record(self, outcome: Outcome) -> None:
        scratch = Path(outcome.scratch)
        graded = self.cohort.root / "autograded" / outcome.learner / self.assignment
        shutil.rmtree(graded, ignore_errors=True)
        shutil.copytree(scratch / "autograded" / outcome.learner / self.assignment, graded)
        if self.target is None:
            self.target = self.cohort.gradebook()
        source = self.source(scratch)
        source.db.expire_all()  # the worker has written since we last looked
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session warnings
            copy_submission(source, self.target, self.assignment, outcome.learner)


def copy_submission(source, target, assignment: str, learner: str) -> None:
    """nbgrader's scores, comments and late penalties for one submission, in one commit."""
    done = source.find_submission(assignment, learner)
    target.update_or_create_student(learner)
    target.update_or_create_submission(assignment, learner, timestamp=done.timestamp)
    for notebook in done.notebooks:
        into = target.find_submission_notebook(notebook.name, assignment, learner)
        into.late_submission_penalty = notebook.late_submission_penalty
        for grade in notebook.grades:
            cell = target.find_grade(grade.name, notebook.name, assignment, learner)
            cell.auto_score = grade.auto_score
            # nbgrader's SaveAutoGrades rule: a hand-graded or unscored cell needs review
            cell.needs_manual_grade = cell.manual_score is not None or grade.auto_score is None
        for comment in notebook.comments:
            target.find_comment(
                comment.name, notebook.name, assignment, learner
            ).auto_comment = comment.auto_comment
    target.db.commit()


def submitted_learners(cohort: Cohort, assignment: str) -> list[str]:
    folder = cohort.root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def secrets_token() -> str:
    return random_secrets.token_hex(12)


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def submission_digest(folder: Path) -> str:
    """A hash of every file a learner submitted, to tell a new submission from a graded one."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest(cohort: Cohort, learner: str, assignment: str) -> Path:
    return cohort.root / MANIFESTS / learner / f"{assignment}.sha256"


def already_graded(cohort: Cohort, learner: str, assignment: str) -> bool:
    """True when this exact submission was autograded before (its scores stand)."""
    record = manifest(cohort, learner, assignment)
    graded = cohort.root / "autograded" / learner / assignment
    current = submission_digest(cohort.root / "submitted" / learner / assignment)
    return record.is_file() and graded.is_dir() and record.read_text().strip() == current


def autograde(
    cohort: Cohort,
    assignment: str,
    workers: int | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    progress: Callable[[Outcome, int, int], None] | None = None,
    force: bool = False,
    sandbox: bool = True,
) -> AutogradeReport:
    """Autograde new or changed submissions; one learner's failure never stops the rest.

    A submission graded before and unchanged since keeps its scores and its
    hand-grading review state (``force`` grades everything again, as nbgrader would,
    which asks for hand-graded cells to be reviewed again). ``sandbox`` False runs
    learners' code with the trainer's rights (only when bubblewrap cannot run).
    """
    started = time.monotonic()
    cohort.check_assignment(assignment)
    learners = submitted_learners(cohort, assignment)
    if not learners:
        raise KitError(f"nobody has submitted {assignment} yet: run 'collect' first")
    unchanged = [] if force else [lr for lr in learners if already_graded(cohort, lr, assignment)]
    to_grade = [lr for lr in learners if lr not in unchanged]
    outcomes = [Outcome(lr, graded=True, unchanged=True) for lr in unchanged]
    workers = max(1, min(workers or default_workers(), len(to_grade) or 1))
    if to_grade:
        graded = run_workers(cohort, assignment, to_grade, workers, memory_mb, progress, sandbox)
        record_graded(cohort, assignment, [o.learner for o in graded if o.graded])
        outcomes += graded
    outcomes.sort(key=lambda o: o.learner)
    return AutogradeReport(assignment, outcomes, workers, time.monotonic() - started)


def record_graded(cohort: Cohort, assignment: str, learners: list[str]) -> None:
    for learner in learners:
        record = manifest(cohort, learner, assignment)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(submission_digest(cohort.root / "submitted" / learner / assignment))


def run_workers(
    cohort: Cohort,
    assignment: str,
    learners: list[str],
    workers: int,
    memory_mb: int,
    progress: Callable[[Outcome, int, int], None] | None,
    sandbox: bool = True,
) -> list[Outcome]:
    # Workers fork from this process, which has loaded nbgrader once and has no kernel or
    # event loop of its own yet; "spawn" would import nbgrader again in every worker.
    import nbgrader.converters  # noqa: F401  lazy: loaded before forking, shared by the workers

    context = multiprocessing.get_context("fork")
    if sandbox:  # once per run: refuse before any learner's code runs unsandboxed
        with tempfile.TemporaryDirectory(prefix="ccin-probe-") as probe:
            probe_bwrap(Limits(memory_mb), Path(probe))
    main_db = cohort.nbgrader_config().CourseDirectory.db_url
    outcomes: list[Outcome] = []
    # per run: the kernels' snapshot-module name and the nonce the guard answers with
    secrets = (f"_{secrets_token()}", secrets_token())
    run_id = f"{secrets_token()[:8]}-"  # names this run's kernel cgroups
    with (
        tempfile.TemporaryDirectory(prefix="ccin-grade-") as scratch_root,
        removing_cgroups(f"ccin-grade-{run_id}"),  # after the workers, even if one died
        ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=start_worker,
            initargs=(
                str(cohort.root),
                assignment,
                memory_mb,
                scratch_root,
                sandbox,
                secrets,
                run_id,
            ),
        ) as pool,
        Recorder(cohort, assignment) as recorder,
    ):
        futures = [pool.submit(grade_in_worker, learner) for learner in learners]
        for future in as_completed(futures):
            outcome = future.result()
            if outcome.graded:
                try:
                    recorder.record(outcome)
                except Exception as err:  # the gradebook refused: report, go on
                    outcome.graded = False
                    detail = one_line(getattr(err, "orig", None) or err)
                    outcome.problems.append(f"could not be recorded: {hidden(detail, main_db)}")
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome, len(outcomes), len(learners))
    return outcomes
