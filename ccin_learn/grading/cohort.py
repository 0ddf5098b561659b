"""A cohort: one nbgrader course directory made from the kit's ``assessments/``.

``init`` copies the assessment sources and the course configuration, writes
the cohort's ``nbgrader_config.py`` (gradebook URL, exchange folder, time
limits) and loads the roster into the gradebook. Everything else opens the
cohort with ``open_cohort`` and drives nbgrader through its own API.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import ArgumentError, DBAPIError
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.errors import KitError, hidden, one_line, shown_url
from ccin_learn.grading.course import (
    COURSE_ID,
    COURSE_NAME,
    CourseConfig,
    course_id_from_folder,
    load_course,
)
from ccin_learn.grading.review import remember_release
from ccin_learn.grading.roster import Learner

CONFIG_NAME = "nbgrader_config.py"
CELL_TIMEOUT = 60
COURSE_ID_LINE = re.compile(r"^course_id:.*$", re.MULTILINE)
# Where a learner's nbgrader looks when told nothing (nbgrader's Exchange.root default).
NBGRADER_EXCHANGE = "/srv/nbgrader/exchange"
BACKGROUND = re.compile(r"\s*\(Background on this error at: ")

CONFIG_TEMPLATE = """\
# nbgrader configuration for this cohort, written by `ccin-learn grade init`.
# Edit the gradebook URL to use a shared database (e.g. PostgreSQL), or the
# exchange folder to use JupyterHub's nbgrader exchange.
c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
# Each cell of a learner's notebook may run this many seconds before it is stopped.
c.Execute.timeout = {timeout}
c.Execute.interrupt_on_timeout = True
# Feedback, from the command line or Formgrader's button, shows no hidden tests.
c.GenerateFeedback.preprocessors = {feedback!r}
"""
# nbgrader's feedback steps with ccin-learn's HideHiddenTests (nbgrader issue #917).
FEEDBACK_PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "ccin_learn.grading.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]


@dataclass(frozen=True)
class Cohort:
    """An initialised cohort directory."""

    root: Path
    course: CourseConfig

    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    def nbgrader_config(self) -> Any:
        """The cohort's traitlets config, as nbgrader would load it from the folder."""
        return PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()

    def api(self) -> Any:
        """nbgrader's own API for this cohort."""
        config = self.nbgrader_config()
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    def gradebook(self) -> Any:
        put_scripts_on_path()

        coursedir = self.api().coursedir
        return open_gradebook(coursedir.db_url, coursedir.course_id)

    def assignments(self) -> list[str]:
        """Assignment ids in the cohort's ``source`` folder, in course order."""
        found = {p.name for p in (self.root / "source").iterdir() if p.is_dir()}
        order = [m.id for m in default_catalogue().modules]
        return sorted(found, key=lambda a: (order.index(a) if a in order else len(order), a))

    def check_assignment(self, assignment: str) -> str:
        if assignment not in self.assignments():
            raise KitError(
                f"no assignment {assignment!r} in this cohort (there are: "
                f"{', '.join(self.assignments())})"
            )
        return assignment


def open_gradebook(url: str, course_id: str) -> Any:
    """nbgrader's gradebook at ``url``; a one-line error, never the password, if it fails.

    The URL may carry a PostgreSQL password (in the cohort's config, not on a command
    line): messages show it as ``***`` (issue 13, item 8).
    """
    try:
        return Gradebook(url, course_id)
    except ArgumentError as err:  # not a URL, or no such database kind
        raise KitError(
            f"cannot use the gradebook URL {shown_url(url)!r}: {hidden(one_line(err), url)}"
        ) from err
    except ImportError as err:  # e.g. postgresql:// wants psycopg2, which the kit lacks
        raise KitError(
            f"cannot use the gradebook URL {shown_url(url)!r}: its driver is not installed "
            f"({err}); for PostgreSQL use postgresql+psycopg://"
        ) from err
    except DBAPIError as err:  # unreachable, refused, no such database...
        raise KitError(
            f"cannot open the gradebook {shown_url(url)}: {hidden(one_line(err.orig), url)}"
        ) from err


def check_source(source: Path) -> None:
    """Refuse a folder that is not a set of assessments before anything is written."""
    if not (source / COURSE_NAME).is_file() or not (source / "source").is_dir():
        raise KitError(
            f"{source} is not an assessments folder (it needs {COURSE_NAME} and source/): "
            "pass the kit's assessments/ folder with --source"
        )


def init_cohort(
    root: Path,
    learners: list[Learner],
    source: Path,
    db_url: str | None = None,
    exchange: Path | None = None,
    course_id: str | None = None,
) -> Cohort:
    """Create a cohort folder from the assessments in ``source``, and its gradebook.

    The cohort's course id is ``course_id``, or else one made from the folder's name
    (``course_id_from_folder``), never course.yaml's shared one: cohorts on one
    exchange must each have their own, or each collects the other's submissions.
    """
    check_source(source)
    root = root.resolve()
    course_id = course_id or course_id_from_folder(root)
    if (root / CONFIG_NAME).exists():
        raise KitError(f"{root} is already a cohort (it has {CONFIG_NAME}); use another folder")
    if root.exists() and any(root.iterdir()):
        raise KitError(f"{root} is not empty: give a new or empty folder for the cohort")
    course_text = course_with_id(source / COURSE_NAME, course_id)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / "source", root / "source")
    (root / COURSE_NAME).write_text(course_text, encoding="utf-8")
    course = load_course(root / COURSE_NAME)
    exchange = (exchange or root / "exchange").resolve()
    exchange.mkdir(parents=True, exist_ok=True)
    if exchange.stat().st_mode & 0o777 != 0o777:  # a hub's shared exchange is already open
        exchange.chmod(0o777)
    (root / CONFIG_NAME).write_text(
        CONFIG_TEMPLATE.format(
            root=str(root),
            course_id=course.course_id,
            db_url=db_url or f"sqlite:///{root / 'gradebook.db'}",
            exchange=str(exchange),
            timeout=CELL_TIMEOUT,
            feedback=FEEDBACK_PREPROCESSORS,
        ),
        encoding="utf-8",
    )
    cohort = Cohort(root, course)
    try:
        add_learners(cohort, learners)
        with cohort.gradebook() as gradebook:
            for assignment in cohort.assignments():
                gradebook.update_or_create_assignment(assignment)
    except KitError:  # e.g. the database refused: leave no half-made cohort to trip over
        for path in root.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        raise
    return cohort


def course_with_id(path: Path, course_id: str) -> str:
    """``course.yaml``'s text with the cohort's ``course_id`` (comments kept)."""
    course = load_course(path)  # the source must be valid before anything is written
    text = path.read_text(encoding="utf-8")
    if course_id == course.course_id:
        return text
    if not re.fullmatch(COURSE_ID, course_id):
        raise KitError(
            f"course id {course_id!r}: use lower-case letters, digits and '-', "
            "starting with a letter or digit"
        )
    return COURSE_ID_LINE.sub(f"course_id: {course_id}", text, count=1)


def add_learners(cohort: Cohort, learners: list[Learner]) -> None:
    with cohort.gradebook() as gradebook:
        for learner in learners:
            gradebook.update_or_create_student(
                learner.id,
                first_name=learner.first_name or None,
                last_name=learner.last_name or None,
                email=learner.email or None,
            )


def open_cohort(root: Path) -> Cohort:
    """A cohort made by ``init_cohort``; a clear error for any other folder."""
    root = root.resolve()
    if not (root / CONFIG_NAME).is_file() or not (root / COURSE_NAME).is_file():
        raise KitError(
            f"{root} is not a cohort folder (no {CONFIG_NAME} and {COURSE_NAME}): "
            "make one with 'ccin-learn grade init'"
        )
    return Cohort(root, load_course(root / COURSE_NAME))


def run_step(result: dict[str, Any], what: str) -> str:
    """nbgrader's API answers with a dict; turn a failure into a one-line error."""
    if not result.get("success"):
        text = result.get("error") or result.get("log") or "no detail"
        # the last line of nbgrader's log is the error; SQLAlchemy's help link follows it
        error = [line for line in text.strip().splitlines() if not BACKGROUND.match(line)]
        raise KitError(f"{what} failed: {hidden(error[-1]) if error else 'no detail'}")
    return result.get("log", "")


def release(cohort: Cohort, assignment: str, force: bool = False) -> None:
    """Generate the learners' version (no solutions, no hidden tests) and release it.

    Releasing again is refused unless ``force``: a trainer who fixed a test or a question
    in the source releases the fixed version with it. nbgrader then regenerates the
    learners' version and the gradebook's copy of every cell (autograde's master copy
    of the tests) and replaces the version in the exchange; learners who fetched it
    already keep their copy, which autograde marks with the fixed tests.
    """
    cohort.check_assignment(assignment)
    if not force and is_released(cohort, assignment):
        raise KitError(
            f"{assignment} is already released: to release it again after fixing its "
            "source, add --force (learners who fetched it keep their copy, and autograde "
            "marks it with the fixed tests)"
        )
    if (cohort.root / "release" / assignment).is_dir():
        remember_release(cohort.root, assignment)  # what learners who fetched it have
    api = cohort.api()
    run_step(api.generate_assignment(assignment, force=True), f"generating {assignment}")
    api.update_config(Config({"ExchangeReleaseAssignment": {"force": force}}))
    run_step(api.release_assignment(assignment), f"releasing {assignment}")


def exchange_root(cohort: Cohort) -> Path:
    return Path(cohort.nbgrader_config().Exchange.root)


def is_released(cohort: Cohort, assignment: str) -> bool:
    """Whether learners can fetch ``assignment``: nbgrader's outbound folder has it."""
    outbound = exchange_root(cohort) / cohort.course.course_id / "outbound"
    return (outbound / assignment).is_dir()


def learner_commands(cohort: Cohort, assignment: str = "ASSIGNMENT") -> list[str]:
    """The commands a learner runs to fetch and submit ``assignment``, exactly as typed.

    nbgrader stops at "No course id specified" without ``--course``; and a learner's
    nbgrader looks for the exchange in its default folder unless told another.
    """
    exchange = str(exchange_root(cohort))
    where = "" if exchange == NBGRADER_EXCHANGE else f" --Exchange.root={shlex.quote(exchange)}"
    course = f"--course {cohort.course.course_id}{where}"
    step = assignment if assignment == "ASSIGNMENT" else shlex.quote(assignment)
    return [f"nbgrader {verb} {step} {course}" for verb in ("fetch_assignment", "submit")]


def collect(cohort: Cohort, assignment: str) -> list[str]:
    """Collect submissions from the exchange; return who has submitted."""
    api = cohort.api()
    run_step(api.collect(cohort.check_assignment(assignment)), f"collecting {assignment}")
    return sorted(api.get_submitted_students(assignment))


def put_scripts_on_path() -> None:
    """Make this environment's commands findable by name.

    nbgrader's gradebook runs the ``alembic`` command by name (``nbgrader/api.py``), so
    ``.venv/bin/ccin-learn grade ...`` run without activating the environment would fail
    with "No such file or directory: 'alembic'". Putting the interpreter's scripts folder
    first on PATH fixes that for this process and every nbgrader process it starts.
    """
    scripts = sysconfig.get_path("scripts")
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in parts:
        os.environ["PATH"] = os.pathsep.join([scripts, *(p for p in parts if p)])
