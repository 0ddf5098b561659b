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

Every submission is accounted for: one nbgrader cannot grade as it is (a renamed
notebook) is recorded as submitted, as plain nbgrader records it, and the reasons a
result needs the trainer's review are stored per learner (``review.py``). Each
learner's manifest records the submission and the master copy's graded cells it was
graded against, so a test fixed in ``source/`` and released again is noticed, and
``changed_source`` regrades exactly the learners it affects, keeping hand marks
whose question and points did not change.
"""

from __future__ import annotations

import hashlib
import json
import logging
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
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from sqlalchemy.exc import SAWarning

from ccin_learn.errors import KitError, hidden, one_line
from ccin_learn.fileio import atomic_write
from ccin_learn.grading import guard
from ccin_learn.grading.cohort import Cohort, open_cohort
from ccin_learn.grading.guard import GuardedExecute
from ccin_learn.grading.limited_kernel import WATCHDOG, write_kernelspec
from ccin_learn.grading.review import (
    MANIFESTS,
    Note,
    earlier_releases,
    keep_last_of_duplicates,
    output_notes,
    submission_notes,
    write_review,
)
from ccin_learn.grading.sandbox import (
    Cgroup,
    Limits,
    probe_bwrap,
    removing_cgroups,
    usable_cgroup,
)

DEFAULT_MEMORY_MB = 1024
WORKER_MB = 300  # a grading worker: nbgrader, nbclient and the notebook in memory


@dataclass
class Outcome:
    """What happened to one learner's submission.

    ``problems`` is every note for the trainer; ``review`` the ones that mean the
    result needs a look (stored for ``grade status`` and ``grade export``).
    ``stale`` marks an unchanged submission graded against an older master copy;
    ``kept_marks`` and ``remark`` count the hand marks a regrade kept, and name the
    ones it sent back to hand-grading because their question or points changed.
    """

    learner: str
    graded: bool
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    unchanged: bool = False
    scratch: str = ""
    review: list[str] = field(default_factory=list)
    stale: bool = False
    regraded: bool = False
    kept_marks: int = 0
    remark: list[str] = field(default_factory=list)
    contained: str = ""  # how the kernel was sandboxed and limited, and what was left


@dataclass
class AutogradeReport:
    """One autograde run: each learner's outcome, and the master cells that had changed."""

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

    changed_cells: list[str] = field(default_factory=list)
    forced: bool = False

    @property
    def unchanged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unchanged and not o.stale]

    @property
    def stale(self) -> list[Outcome]:
        """Unchanged submissions graded against an older master copy, not regraded."""
        return [o for o in self.outcomes if o.stale]

    @property
    def regraded(self) -> list[Outcome]:
        """Unchanged submissions graded again because the master copy changed (or --force)."""
        return [o for o in self.outcomes if o.regraded and o.graded]

    @property
    def in_review(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.review]


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
    # A deleted check would otherwise leave its learner awaiting hand-grading for ever:
    # Formgrader has no box for a cell that is not there. nbgrader restores it instead.
    config.OverwriteCells.add_missing_cells = True
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
    notes: list[Note] = []
    try:
        notes = submission_notes(
            cohort.root / "release" / assignment,
            submitted,
            learner,
            earlier_releases(cohort.root, assignment),
        )
        notes += [Note(n) for p in sorted(target.glob("*.ipynb")) for n in guard.static_findings(p)]
        keep_last_of_duplicates(target)
        run_autograde(scratch, learner)
        executed = scratch / "autograded" / learner / assignment
        if not any(executed.glob("*.ipynb")):
            raise KitError("nbgrader produced no graded notebook")
        drop_links(executed)
        outcome.graded = True
        outcome.scratch = str(scratch)
        notes += output_notes(executed, submitted)
        notes += [Note(finding) for finding in guard.FINDINGS]  # tampering: a look, always
        notes += [Note(p, review=False) for p in run_problems(executed)]
    except Exception as err:  # one learner's failure must not stop the others
        notes = failure_notes(notes, err)
    notes += contain(outcome)
    outcome.problems = [n.text for n in notes]
    outcome.review = [n.text for n in notes if n.review]
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


def contain(outcome: Outcome) -> list[Note]:
    """Check that no process of this learner's kernel is left; stop any that is.

    Limits hit are the trainer's to know (the score stands, as for a cell stopped for
    time); a process left running after grading tried to outlive it, which needs a look.
    """
    group: Cgroup | None = _worker.get("group")  # type: ignore[assignment]
    if group is None:  # the watchdog: nothing to count processes by after the kernel ends
        outcome.contained += (
            "; the sandbox's processes ended with its pid namespace"
            if _worker["sandbox"]
            else "; processes it started in the background may still be running"
        )
        return []
    notes = [Note(n, review=False) for n in limit_notes(group.hits(), group.limits)]
    try:
        left = group.remove(grace=1.0)
    except KitError as err:
        return [*notes, Note(f"processes of this submission would not stop: {err}")]
    outcome.contained += "; no process left after grading"
    if left:
        notes.append(Note(f"left {left} process(es) running after grading; they were stopped"))
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
    app = Autograde(coursedir=CourseDirectory(config=config), config=config)
    errors = ErrorLines()
    app.log.addHandler(errors)
    try:
        app.start()
    except NbGraderException as err:
        # nbgrader's message says "see the above traceback": that is its log, which the
        # trainer never sees, so the cause it logged is the message instead
        raise KitError(errors.cause() or str(err)) from err
    finally:
        app.log.removeHandler(errors)


class ErrorLines(logging.Handler):
    """The errors nbgrader logs while grading one learner, to say why it stopped."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def cause(self) -> str:
        """The exception nbgrader logged last (a traceback's last line); else its last
        error that is not one of its summaries ("There was an error…", "see the above…")."""
        for message in reversed(self.messages):
            lines = [line.strip() for line in message.splitlines() if line.strip()]
            if lines and lines[0].startswith("Traceback"):
                return lines[-1][:300]
        for message in reversed(self.messages):
            lines = [line.strip() for line in message.splitlines() if line.strip()]
            summary = ("above traceback", "error log", "There was an error processing")
            if lines and not any(words in lines[-1] for words in summary):
                return lines[-1][:300]
        return ""


def failure_notes(notes: list[Note], err: Exception) -> list[Note]:
    """Why nbgrader could not grade a submission, in words that say what to do.

    When a note already names the cause (a renamed notebook), nbgrader's own message
    ("No notebooks found, did you forget to run 'nbgrader generate_assignment'?") would
    only mislead. Otherwise the cause nbgrader logged (``ErrorLines``) is the message.
    """
    if any(n.review for n in notes):
        return notes
    message = " ".join(str(err).split())[:300]
    return [*notes, Note(f"could not be graded: {message}")]


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
    whole run: opening a gradebook costs more than recording a learner. ``keep``
    names, per learner, the graded cells whose hand marks stand after a regrade.
    """

    def __init__(
        self, cohort: Cohort, assignment: str, keep: dict[str, set[str]] | None = None
    ) -> None:
        self.cohort, self.assignment = cohort, assignment
        self.keep = keep or {}
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

    def gradebook(self) -> Gradebook:
        if self.target is None:
            self.target = self.cohort.gradebook()
        return self.target

    def record(self, outcome: Outcome) -> None:
        scratch = Path(outcome.scratch)
        graded = self.cohort.root / "autograded" / outcome.learner / self.assignment
        shutil.rmtree(graded, ignore_errors=True)
        shutil.copytree(scratch / "autograded" / outcome.learner / self.assignment, graded)
        target = self.gradebook()
        source = self.source(scratch)
        source.db.expire_all()  # the worker has written since we last looked
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session warnings
            kept, remark = copy_submission(
                source,
                target,
                self.assignment,
                outcome.learner,
                self.keep.get(outcome.learner, set()),
            )
        outcome.kept_marks, outcome.remark = kept, remark

    def record_submitted(self, outcome: Outcome) -> None:
        """A submission nbgrader could not grade stays submitted, as plain nbgrader keeps it.

        nbgrader creates the submission before it finds no notebook to grade, so its
        gradebook shows the learner as submitted, every cell awaiting hand-grading; the
        kit's did not, and the learner read as "has not submitted".
        """
        folder = self.cohort.root / "submitted" / outcome.learner / self.assignment
        timestamp = self.cohort.api().coursedir.get_existing_timestamp(str(folder))
        target = self.gradebook()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)
            target.update_or_create_student(outcome.learner)
            target.update_or_create_submission(
                self.assignment, outcome.learner, **({"timestamp": timestamp} if timestamp else {})
            )
            target.db.commit()


def copy_submission(
    source, target, assignment: str, learner: str, keep: set[str] | frozenset[str] = frozenset()
) -> tuple[int, list[str]]:
    """nbgrader's scores, comments and late penalties for one submission, in one commit.

    A hand mark (manual score and comment, which this never overwrites) stands when its
    cell is in ``keep`` (``notebook/grade id``) and the trainer had confirmed it (not
    awaiting re-marking from an earlier regrade); any other is sent back for review, as
    nbgrader's ``SaveAutoGrades`` does. Returns how many hand marks stood, and the
    cells whose hand marks need re-marking.
    """
    done = source.find_submission(assignment, learner)
    target.update_or_create_student(learner)
    target.update_or_create_submission(assignment, learner, timestamp=done.timestamp)
    kept, remark = 0, []
    for notebook in done.notebooks:
        into = target.find_submission_notebook(notebook.name, assignment, learner)
        into.late_submission_penalty = notebook.late_submission_penalty
        for grade in notebook.grades:
            cell = target.find_grade(grade.name, notebook.name, assignment, learner)
            cell.auto_score = grade.auto_score
            if cell.manual_score is None:  # nbgrader's rule: an unscored cell needs grading
                cell.needs_manual_grade = grade.auto_score is None
            elif f"{notebook.name}/{grade.name}" in keep:
                kept += not cell.needs_manual_grade  # a mark awaiting re-marking still does
            else:
                cell.needs_manual_grade = True
                remark.append(grade.name)
        for comment in notebook.comments:
            target.find_comment(
                comment.name, notebook.name, assignment, learner
            ).auto_comment = comment.auto_comment
    target.db.commit()
    return kept, remark


def submitted_learners(cohort: Cohort, assignment: str) -> list[str]:
    folder = cohort.root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def secrets_token() -> str:
    return random_secrets.token_hex(12)


def default_workers(memory_mb: int = DEFAULT_MEMORY_MB) -> int:
    """Two per core, as many as memory allows at the per-submission limit.

    A worker spends about half its time waiting on its kernel (starting it, and the
    messages of each cell), leaving its core idle: two per core keep the cores busy
    (``benchmarks/autograde.py`` measures the result against plain nbgrader). Each
    sandbox may use ``memory_mb``, and the worker itself about
    ``WORKER_MB``; more workers than the free memory holds at that would risk it.
    """
    cores = max(1, len(os.sched_getaffinity(0)))
    fits = available_mb() // (memory_mb + WORKER_MB)
    return max(1, min(2 * cores, fits))


def available_mb() -> int:
    """Memory the system can give without swapping (``MemAvailable``), in MB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES") // (1024 * 1024)


def submission_digest(folder: Path) -> str:
    """A hash of every file a learner submitted, to tell a new submission from a graded one."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest(cohort: Cohort, learner: str, assignment: str) -> Path:
    return cohort.root / MANIFESTS / learner / f"{assignment}.sha256"


def master_manifest(cohort: Cohort, learner: str, assignment: str) -> Path:
    """The master copy's graded cells a learner was last graded against (``master_cells``)."""
    return cohort.root / MANIFESTS / learner / f"{assignment}.master.json"


def already_graded(cohort: Cohort, learner: str, assignment: str) -> bool:
    """True when this exact submission was autograded before (its scores stand)."""
    record = manifest(cohort, learner, assignment)
    graded = cohort.root / "autograded" / learner / assignment
    current = submission_digest(cohort.root / "submitted" / learner / assignment)
    return record.is_file() and graded.is_dir() and record.read_text().strip() == current


def master_cells(cohort: Cohort, assignment: str) -> dict[str, dict]:
    """Each graded cell of the master copy nbgrader grades with: a digest, points, kind.

    Read from the gradebook, where ``generate_assignment`` (``grade release``) stores
    the master cells that nbgrader's ``OverwriteCells`` puts back into every submission,
    hidden tests included. A cell's digest covers its type, source and points, and the
    locked cells just above it (its question, where a written answer's rubric is), so a
    fixed test or a changed rubric shows as a changed digest. Keys: ``notebook/grade id``.
    """
    cells: dict[str, dict] = {}
    with cohort.gradebook() as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            graded = {c.name: c for c in notebook.grade_cells}
            written = {c.name for c in notebook.solution_cells}
            above: list[str] = []
            for cell in notebook.source_cells:  # in the notebook's order
                if cell.name not in graded:
                    above = [*above, cell.source] if cell.locked else []
                    continue
                points = float(graded[cell.name].max_score)
                text = json.dumps([cell.cell_type, cell.source, points, above])
                cells[f"{notebook.name}/{cell.name}"] = {
                    "digest": hashlib.sha256(text.encode()).hexdigest(),
                    "points": points,
                    "written": cell.name in written,
                }
                above = []
    return cells


def graded_master(cohort: Cohort, learner: str, assignment: str) -> dict[str, dict] | None:
    """The master cells recorded when the learner was last graded; None if never recorded."""
    path = master_manifest(cohort, learner, assignment)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as err:
        raise KitError(f"cannot read {path} ({one_line(err)}): run autograde --force") from err


def changed_cells(before: dict[str, dict] | None, now: dict[str, dict]) -> list[str]:
    """The master cells changed or added since ``before``, then those removed, in
    notebook order; none when ``before`` is unknown."""
    if before is None:
        return []
    changed = [n for n in now if (before.get(n) or {}).get("digest") != now[n]["digest"]]
    return changed + [n for n in before if n not in now]


@dataclass
class Plan:
    """Who autograde grades, and which hand marks stand after it."""

    to_grade: list[str]
    outcomes: list[Outcome]
    keep: dict[str, set[str]]
    changed: list[str]


def plan(
    cohort: Cohort,
    assignment: str,
    learners: list[str],
    master: dict[str, dict],
    force: bool,
    changed_source: bool,
) -> Plan:
    """New and changed submissions; with ``changed_source`` or ``force``, regrades too.

    An unchanged submission graded against an older master copy is stale: regraded
    with ``changed_source``, else reported. One graded before the kit recorded master
    copies cannot be compared, so ``changed_source`` regrades it too. A regraded
    submission's hand marks stand for every cell whose master copy is unchanged (or
    unknown).
    """
    result = Plan([], [], {}, [])
    changed: set[str] = set()
    for learner in learners:
        if not already_graded(cohort, learner, assignment):
            result.to_grade.append(learner)
            continue
        before = graded_master(cohort, learner, assignment)
        differ = changed_cells(before, master)
        if force or (changed_source and (differ or before is None)):
            result.to_grade.append(learner)
            result.keep[learner] = {n for n in master if n not in differ}
            changed.update(differ)
            continue
        outcome = Outcome(learner, graded=True, unchanged=True, stale=bool(differ))
        if differ:
            outcome.problems.append(
                f"the master copy of {assignment} changed since {learner} was graded "
                f"({', '.join(n.split('/')[-1] for n in differ)}): run autograde "
                f"{assignment} --changed-source"
            )
        result.outcomes.append(outcome)
    result.changed = [n for n in master if n in changed] + sorted(changed - set(master))
    return result


def autograde(
    cohort: Cohort,
    assignment: str,
    workers: int | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
    progress: Callable[[Outcome, int, int], None] | None = None,
    force: bool = False,
    changed_source: bool = False,
    sandbox: bool = True,
) -> AutogradeReport:
    """Autograde new or changed submissions; one learner's failure never stops the rest.

    A submission graded before and unchanged since keeps its scores and its
    hand-grading review state. ``changed_source`` also regrades unchanged submissions
    last graded against a different master copy (a test fixed in ``source/`` and
    released again with ``grade release --force``); ``force`` regrades everything.
    Either way a hand mark stands where its cell's master copy did not change, and goes
    back to hand-grading where it did. Every submission nbgrader keeps as submitted
    stays submitted, and the reasons a result needs review are stored for
    ``grade status`` and ``grade export``. ``sandbox`` False runs learners' code with
    the trainer's rights (only when bubblewrap cannot run).
    """
    started = time.monotonic()
    cohort.check_assignment(assignment)
    learners = submitted_learners(cohort, assignment)
    if not learners:
        raise KitError(f"nobody has submitted {assignment} yet: run 'collect' first")
    master = master_cells(cohort, assignment)
    chosen = plan(cohort, assignment, learners, master, force, changed_source)
    outcomes = chosen.outcomes
    workers = max(1, min(workers or default_workers(memory_mb), len(chosen.to_grade) or 1))
    if chosen.to_grade:
        graded = run_workers(
            cohort, assignment, chosen.to_grade, workers, memory_mb, progress, chosen.keep, sandbox
        )
        for outcome in graded:
            outcome.regraded = outcome.learner in chosen.keep
            if outcome.regraded and outcome.remark:
                outcome.problems.append(
                    f"hand mark(s) of {', '.join(outcome.remark)} need re-marking in "
                    "Formgrader: the question or its points changed"
                )
        record_graded(cohort, assignment, graded, master)
        outcomes += graded
    outcomes.sort(key=lambda o: o.learner)
    report = AutogradeReport(assignment, outcomes, workers, time.monotonic() - started)
    report.changed_cells, report.forced = chosen.changed, force
    return report


def record_graded(
    cohort: Cohort, assignment: str, outcomes: list[Outcome], master: dict[str, dict]
) -> None:
    """Each learner's review reasons; for a graded one, what was graded against what.

    The master manifest is written before the submission digest, so an interrupted run
    leaves a learner to be graded again, never marked as graded against the wrong copy.
    """
    for outcome in outcomes:
        write_review(cohort.root, outcome.learner, assignment, outcome.review)
        if not outcome.graded:
            continue
        folder = cohort.root / "submitted" / outcome.learner / assignment
        atomic_write(
            master_manifest(cohort, outcome.learner, assignment),
            json.dumps({"cells": master}, indent=1, sort_keys=True).encode("utf-8"),
        )
        atomic_write(
            manifest(cohort, outcome.learner, assignment),
            submission_digest(folder).encode("utf-8"),
        )


def run_workers(
    cohort: Cohort,
    assignment: str,
    learners: list[str],
    workers: int,
    memory_mb: int,
    progress: Callable[[Outcome, int, int], None] | None,
    keep: dict[str, set[str]] | None = None,
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
        Recorder(cohort, assignment, keep) as recorder,
    ):
        futures = [pool.submit(grade_in_worker, learner) for learner in learners]
        for future in as_completed(futures):
            outcome = future.result()
            try:
                if outcome.graded:
                    recorder.record(outcome)
                else:
                    recorder.record_submitted(outcome)
            except Exception as err:  # the gradebook refused: report, go on
                outcome.graded = False
                detail = one_line(getattr(err, "orig", None) or err)
                note = f"could not be recorded: {hidden(detail, main_db)}"
                outcome.problems.append(note)
                outcome.review.append(note)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome, len(outcomes), len(learners))
    return outcomes
