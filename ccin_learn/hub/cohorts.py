"""Cohorts on the hub: learners and trainers of nbgrader courses, side by side.

A hub folder's ``cohorts.toml`` lists each cohort: its nbgrader course id, the
system account that grades it (its home, 0700, holds the course folder and the
gradebook, made by ``ccin-learn grade init``) and the port of its Formgrader.
The hub's configuration turns the list into what JupyterHub needs, following
nbgrader's own convention for JupyterHub:

- a group ``nbgrader-<course>`` (the cohort's learners) and ``formgrade-<course>``
  (its trainers). The configuration creates them empty and never removes anyone:
  memberships are made on the hub's Admin page or through its REST API;
- one hub service per cohort, named as the course, running the kit's
  ``jupyterhub-singleuser`` as the grader account, with Formgrader enabled;
- a role giving ``formgrade-<course>`` access to that service, and nothing else;
- the servers' own token may read their owner's groups, so nbgrader's
  ``JupyterHubAuthPlugin`` lists a learner only their cohorts' assignments.

The settings people's servers must read (the exchange folder, the auth plugin,
which nbgrader extensions are on) cannot live in the hub folder, which is private:
they are written at each start into a world-readable ``shared`` folder.
"""

from __future__ import annotations

import json
import os
import pwd
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from ccin_learn.datafile import (
    MAX_DATA_FILE_BYTES,
    DataFileError,
    DataModel,
    describe_validation_error,
    first_repeat,
)
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, read_regular_file
from ccin_learn.grading.course import COURSE_ID
from ccin_learn.settings import HUB_APP_SERVICE, NBGRADER_EXCHANGE, NBGRADER_SHARED

COHORTS_NAME = "cohorts.toml"
FIRST_PORT = 9101
LEARNERS_PREFIX = "nbgrader-"  # nbgrader's JupyterHubAuthPlugin reads these two prefixes
TRAINERS_PREFIX = "formgrade-"
# Services the hub already runs: a course may not take their names.
IDLE_CULLER = "idle-culler"
RESERVED_NAMES = frozenset({IDLE_CULLER, HUB_APP_SERVICE})
# A name that is both a hub account and a system account (LocalProcessSpawner, graders).
ACCOUNT = r"^[a-z_][a-z0-9_-]{0,31}$"
LEARNER_DIR = "learner"
TRAINER_DIR = "trainer"
# Server extensions a Formgrader service does not need (language servers, Voila).
TRAINER_SKIPS = ("jupyter_lsp", "voila.server_extension")
FORMGRADER = "nbgrader.server_extensions.formgrader"
ASSIGNMENT_LIST = "nbgrader.server_extensions.assignment_list"
COURSE_LIST = "nbgrader.server_extensions.course_list"
VALIDATE = "nbgrader.server_extensions.validate_assignment"
LAB_PLUGINS = {
    "formgrader": "@jupyter/nbgrader:formgrader",
    "create": "@jupyter/nbgrader:create-assignment",
    "courses": "@jupyter/nbgrader:course-list",
    "assignments": "@jupyter/nbgrader:assignment-list",
}
# JupyterHub 5's own "server" role, plus reading the owner's name and groups.
SERVER_SCOPES = (
    "users:activity!user",
    "access:servers!server",
    "read:users:name!user",
    "read:users:groups!user",
)
SHARED_DIR_MODE = 0o755
SHARED_FILE_MODE = 0o644
EXCHANGE_MODE = 0o1777  # anyone may add; only an owner may remove (nbgrader's docs)
COURSE_EXCHANGE_MODE = 0o755  # a course's folder in it: its grader's

EXAMPLE = """\
# The hub's cohorts: learners and trainers of nbgrader courses (ccin-learn hub init).
# Checked at each start: a mistake stops the hub with a one-line message.
# Add one with `ccin-learn hub cohort add`, or by hand, then restart the hub.

# A folder every account can read, where the hub writes (at each start) the nbgrader
# settings people's servers read: the exchange, who is in which course.
shared = {shared}
# nbgrader's exchange: where trainers release and learners submit. Every account
# writes in it (mode 1777); give the same folder to `ccin-learn grade init --exchange`.
exchange = {exchange}

# One [[cohorts]] table per cohort. Its learners are the hub group nbgrader-<course_id>,
# its trainers formgrade-<course_id>: add people to them on the hub's Admin page.
#
# [[cohorts]]
# course_id = "ccin-anyshire-2026"     # as in the course folder's course.yaml
# grader = "grader-anyshire"           # the system account that owns the course folder
# course_dir = "/home/grader-anyshire/anyshire-2026"   # made by `ccin-learn grade init`
# port = 9101                          # its Formgrader, on localhost only
"""


class HubCohort(DataModel):
    """One cohort: a course id, the account grading it, its course folder, a port."""

    course_id: str = Field(pattern=COURSE_ID, max_length=60)
    grader: str = Field(pattern=ACCOUNT)
    course_dir: str
    port: int = Field(ge=1024, le=65535)

    @field_validator("course_id")
    @classmethod
    def not_reserved(cls, value: str) -> str:
        if value in RESERVED_NAMES:
            raise ValueError(f"{value!r} is the name of one of the hub's own services")
        return value

    @field_validator("course_dir")
    @classmethod
    def absolute(cls, value: str) -> str:
        return absolute_path(value)

    @property
    def service(self) -> str:
        """The service's name: the course id, as nbgrader's course list expects."""
        return self.course_id

    @property
    def learners(self) -> str:
        return LEARNERS_PREFIX + self.course_id

    @property
    def trainers(self) -> str:
        return TRAINERS_PREFIX + self.course_id


class CohortsFile(DataModel):
    """The whole ``cohorts.toml``."""

    shared: str = NBGRADER_SHARED
    exchange: str = NBGRADER_EXCHANGE
    cohorts: tuple[HubCohort, ...] = Field(default=(), strict=False)

    @field_validator("shared", "exchange")
    @classmethod
    def absolute(cls, value: str) -> str:
        return absolute_path(value)

    @model_validator(mode="after")
    def unique(self) -> CohortsFile:
        for what in ("course_id", "port"):
            repeated = first_repeat(str(getattr(c, what)) for c in self.cohorts)
            if repeated is not None:
                raise ValueError(f"two cohorts have the {what.replace('_', ' ')} {repeated}")
        return self

    def learner_config(self) -> Path:
        return Path(self.shared) / LEARNER_DIR

    def trainer_config(self) -> Path:
        return Path(self.shared) / TRAINER_DIR


def absolute_path(value: str) -> str:
    if not PurePosixPath(value).is_absolute():
        raise ValueError(f"{value!r} must be an absolute path")
    return value


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(value)


def example(shared: str = NBGRADER_SHARED, exchange: str = NBGRADER_EXCHANGE) -> str:
    """The ``cohorts.toml`` ``hub init`` writes: settings, a commented example, no cohort."""
    text = EXAMPLE.format(shared=toml_string(shared), exchange=toml_string(exchange))
    parse(text, COHORTS_NAME)  # the paths are checked as they will be at start
    return text


def parse(text: str, source: str) -> CohortsFile:
    """Validate a cohorts file's text; DataFileError names the file and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataFileError(f"{source}: not valid TOML ({err})") from err
    try:
        return CohortsFile.model_validate(data)
    except ValidationError as err:
        raise DataFileError(f"{source}: {describe_validation_error(err)}") from err


def read_text(path: Path) -> str:
    raw = read_regular_file(path, MAX_DATA_FILE_BYTES, DataFileError)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: not UTF-8 text (byte {err.start})") from err


def load_cohorts(path: Path) -> CohortsFile:
    """A hub's cohorts; none when the file is absent (a hub written before cohorts)."""
    if not path.exists():
        return CohortsFile()
    return parse(read_text(path), str(path))


def next_port(cohorts: CohortsFile) -> int:
    """The first port from FIRST_PORT that no cohort uses."""
    used = {c.port for c in cohorts.cohorts}
    port = FIRST_PORT
    while port in used:
        port += 1
    return port


def add_cohort(
    path: Path, course_id: str, grader: str, course_dir: str, port: int | None = None
) -> HubCohort:
    """Append a ``[[cohorts]]`` table to ``path`` (comments kept), checked, atomically."""
    text = read_text(path) if path.exists() else example()
    port = port or next_port(parse(text, str(path)))
    block = (
        f"\n[[cohorts]]\ncourse_id = {toml_string(course_id)}\ngrader = {toml_string(grader)}\n"
        f"course_dir = {toml_string(course_dir)}\nport = {port}\n"
    )
    text = text.rstrip("\n") + "\n" + block
    added = parse(text, str(path)).cohorts[-1]  # the whole file checked before it is written
    atomic_write(path, text.encode("utf-8"))
    return added


def grader_home(grader: str) -> Path:
    """The grader's home, or where ``useradd --create-home`` will make it."""
    try:
        return Path(pwd.getpwnam(grader).pw_dir)
    except KeyError:
        return Path("/home") / grader


def check_ports(cohorts: CohortsFile, taken: dict[str, int]) -> None:
    """Refuse a cohort whose port is one of the hub's own (``{what: port}``)."""
    for cohort in cohorts.cohorts:
        for what, port in taken.items():
            if cohort.port == port:
                raise KitError(f"cohort {cohort.course_id}: port {port} is the hub's {what}")


def check_machine(cohorts: CohortsFile) -> None:
    """Each grader is a system account and owns a course folder of the right course id.

    Run at the hub's start (as root), so a typo stops it with one line instead of a
    Formgrader that never answers.
    """
    from ccin_learn.grading.cohort import CONFIG_NAME  # lazy: imports nbgrader
    from ccin_learn.grading.course import COURSE_NAME, load_course

    for cohort in cohorts.cohorts:
        where = f"cohort {cohort.course_id}"
        try:
            account = pwd.getpwnam(cohort.grader)
        except KeyError:
            raise KitError(
                f"{where}: no system account {cohort.grader!r}: "
                f"useradd --create-home --key HOME_MODE=0700 {cohort.grader}"
            ) from None
        folder = Path(cohort.course_dir)
        if not (folder / CONFIG_NAME).is_file() or not (folder / COURSE_NAME).is_file():
            raise KitError(
                f"{where}: {folder} is not a course folder: as {cohort.grader}, run "
                f"ccin-learn grade init {folder} --course-id {cohort.course_id} "
                f"--exchange {cohorts.exchange}"
            )
        if folder.stat().st_uid != account.pw_uid:
            raise KitError(f"{where}: {folder} is not owned by {cohort.grader}")
        found = load_course(folder / COURSE_NAME).course_id
        if found != cohort.course_id:
            raise KitError(f"{where}: {folder / COURSE_NAME} is for the course {found!r}")


def groups(cohorts: CohortsFile) -> dict[str, dict[str, Any]]:
    """Each cohort's two groups, empty: JupyterHub only adds, so no membership is lost."""
    made: dict[str, dict[str, Any]] = {}
    for cohort in cohorts.cohorts:
        made[cohort.learners] = {"users": []}
        made[cohort.trainers] = {"users": []}
    return made


def roles(cohorts: CohortsFile) -> list[dict[str, Any]]:
    """Trainers may open their cohort's Formgrader; servers may read their owner's groups."""
    if not cohorts.cohorts:
        return []  # JupyterHub's own server role, unchanged
    made: list[dict[str, Any]] = [
        {
            "name": "server",
            "description": "A person's server: post activity, read its owner's groups",
            "scopes": list(SERVER_SCOPES),
        }
    ]
    for cohort in cohorts.cohorts:
        made.append(
            {
                "name": cohort.trainers,
                "description": f"Trainers of {cohort.course_id}: its Formgrader",
                "scopes": [
                    f"access:services!service={cohort.service}",
                    f"read:services!service={cohort.service}",  # nbgrader's course list
                ],
                "groups": [cohort.trainers],
            }
        )
    return made


def services(cohorts: CohortsFile, command: list[str]) -> list[dict[str, Any]]:
    """One Formgrader per cohort: ``command`` (the kit's jupyterhub-singleuser) as its grader."""
    return [
        {
            "name": cohort.service,
            "url": f"http://127.0.0.1:{cohort.port}",
            "command": list(command),
            "user": cohort.grader,
            "cwd": cohort.course_dir,
            "environment": {
                "JUPYTER_CONFIG_PATH": str(cohorts.trainer_config()),
                "JUPYTERHUB_DEFAULT_URL": "/formgrader",
            },
            "oauth_no_confirm": True,  # the trainers' own tool: no "authorize?" page
            "display": False,  # not in everyone's Services menu; trainers get the link
        }
        for cohort in cohorts.cohorts
    ]


def server_environment(cohorts: CohortsFile) -> dict[str, str]:
    """What people's servers need to find the learners' nbgrader settings."""
    if not cohorts.cohorts:
        return {}
    return {"JUPYTER_CONFIG_PATH": str(cohorts.learner_config())}


def nbgrader_config(cohorts: CohortsFile, learner: bool) -> str:
    lines = [
        "# Written by the hub at each start (ccin_learn.hub.cohorts): edit cohorts.toml.",
        "c = get_config()  # noqa: F821",
        f"c.Exchange.root = {cohorts.exchange!r}",
        "c.Exchange.path_includes_course = True",
    ]
    if learner:
        lines += [
            "# Each learner sees the courses of their nbgrader-<course> groups only.",
            "from nbgrader.auth import JupyterHubAuthPlugin",
            "c.Authenticator.plugin_class = JupyterHubAuthPlugin",
        ]
    return "\n".join(lines) + "\n"


def server_config(learner: bool) -> dict[str, Any]:
    """Learners get the assignment list only; the Formgrader service the grading tools,
    without the extensions it has no use for: JupyterHub gives a service it starts about
    10 s to answer, or stops the whole hub, so a Formgrader must start quickly."""
    extensions = {
        FORMGRADER: not learner,
        COURSE_LIST: False,
        ASSIGNMENT_LIST: learner,
        VALIDATE: True,
    }
    if not learner:
        extensions |= {extension: False for extension in TRAINER_SKIPS}
    return {"ServerApp": {"jpserver_extensions": extensions}}


def page_config(learner: bool) -> dict[str, Any]:
    off = ["formgrader", "create", "courses"] if learner else ["courses", "assignments"]
    return {"disabledExtensions": {LAB_PLUGINS[name]: True for name in off}}


def write_shared(cohorts: CohortsFile) -> list[Path]:
    """Write the learners' and trainers' settings and make the exchange; the files written.

    Nothing is written for a hub without cohorts.
    """
    if not cohorts.cohorts:
        return []
    written = []
    for folder, learner in ((cohorts.learner_config(), True), (cohorts.trainer_config(), False)):
        files = {
            folder / "nbgrader_config.py": nbgrader_config(cohorts, learner),
            folder / "jupyter_server_config.json": json.dumps(server_config(learner), indent=2),
            folder / "labconfig" / "page_config.json": json.dumps(page_config(learner), indent=2),
        }
        for path, text in files.items():
            open_folder(path.parent, Path(cohorts.shared))
            atomic_write(path, text.encode("utf-8"))
            path.chmod(SHARED_FILE_MODE)
            written.append(path)
    make_exchange(Path(cohorts.exchange))
    return written


def open_folder(folder: Path, top: Path) -> None:
    """Make ``folder`` and its parents up to ``top`` readable by every account."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path in [folder, *folder.parents]:
            path.chmod(path.stat().st_mode | SHARED_DIR_MODE)
            if path == top:
                break
    except OSError as err:
        raise KitError(f"cannot make {folder}: {err.strerror or err}") from err


def make_exchange(exchange: Path) -> None:
    """nbgrader's exchange: made if missing, and writable by all with the sticky bit."""
    try:
        exchange.mkdir(parents=True, exist_ok=True)
        if exchange.stat().st_mode & 0o7777 != EXCHANGE_MODE:
            exchange.chmod(EXCHANGE_MODE)
    except OSError as err:
        raise KitError(f"cannot make the exchange {exchange}: {err.strerror or err}") from err


def check_apart(cohorts: CohortsFile, hub_folder: Path) -> None:
    """The shared folder is opened to every account: never the hub's folder, nor around it."""
    shared, hub = Path(cohorts.shared), hub_folder.resolve()
    for opened in (Path(cohorts.shared), Path(cohorts.exchange)):
        if opened == hub or hub in opened.parents or opened in hub.parents:
            raise KitError(
                f"{opened} would open the hub's private folder {hub} to every account: "
                f"choose another folder in {COHORTS_NAME}"
            )
    if shared == Path(cohorts.exchange):
        raise KitError(f"{COHORTS_NAME}: shared and exchange must be different folders")


def claim_exchange(cohorts: CohortsFile) -> None:
    """Give each cohort's folder in the exchange to its grader before anyone else takes it.

    The exchange is open to every account: a learner who made ``exchange/<course>``
    first would own it, and nbgrader would then refuse to release there. Only root can
    give a folder away, so a hub started by another account leaves this to nbgrader.
    """
    if os.geteuid() != 0:
        return
    for cohort in cohorts.cohorts:
        folder = Path(cohorts.exchange) / cohort.course_id
        account = pwd.getpwnam(cohort.grader)
        try:
            if not folder.exists():
                folder.mkdir()
                folder.chmod(COURSE_EXCHANGE_MODE)  # as nbgrader's release makes it
                os.chown(folder, account.pw_uid, account.pw_gid)
            owner = folder.lstat().st_uid
        except OSError as err:
            raise KitError(f"cannot make {folder}: {err.strerror or err}") from err
        if owner != account.pw_uid:
            raise KitError(
                f"cohort {cohort.course_id}: {folder} belongs to uid {owner}, not to "
                f"{cohort.grader}: check what is in it, then remove it"
            )


def prepare(path: Path, taken: dict[str, int]) -> CohortsFile:
    """What the configuration calls at each start: load, check, write the shared settings."""
    cohorts = load_cohorts(path)
    check_apart(cohorts, path.parent)
    check_ports(cohorts, taken)
    check_machine(cohorts)
    write_shared(cohorts)
    claim_exchange(cohorts)
    return cohorts
