"""Shared fixtures: the kit checkout, a strict build of the book, a local server, Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ccin_learn.cli import main
from ccin_learn.grading.cohort import put_scripts_on_path
from ccin_learn.grading.course import CourseConfig, load_course
from ccin_learn.selfassessment.assessment import (
    Answer,
    Assessment,
    Council,
    NotApplicable,
    validate_assessment,
)
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.store import Store
from ccin_learn.site.paths import KitPaths
from tests.book_once import build_once, start_early

pytest_plugins = ["tests.pg_cluster"]  # a throwaway PostgreSQL for the store's tests

ROOT = Path(__file__).resolve().parent.parent
EARLY_BUILD = pytest.StashKey["subprocess.Popen[bytes]"]()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session", autouse=True)
def nbgrader_scripts_on_path() -> None:
    """Tests run nbgrader commands themselves too; they need its `alembic` as the kit does."""
    put_scripts_on_path()


@pytest.fixture(scope="session", autouse=True)
def one_preheated_app_kernel() -> Iterator[None]:
    """Voila servers started by tests preheat one self-assessment kernel, not a training
    room's pool sized to memory (20 kernels to start on 2 cores); tests of the pool set
    their own size."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CCIN_KERNEL_POOL", "1")
        yield


@pytest.fixture(scope="session")
def kit() -> KitPaths:
    return KitPaths(ROOT)


@pytest.fixture(scope="session")
def assessments(kit: KitPaths) -> Path:
    """The kit's nbgrader assessments: course.yaml and source/."""
    return kit.root / "assessments"


@pytest.fixture(scope="session")
def course(assessments: Path) -> CourseConfig:
    """The kit's shipped course configuration."""
    return load_course(assessments / "course.yaml")


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """Call it for a localhost port no one is listening on."""
    return unused_port


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder every pytest-xdist worker of this run shares (the run's own when not parallel)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def built_site(kit: KitPaths, shared_dir: Path) -> Path:
    """The book, built once per test run with warnings as errors (tests/book_once.py)."""
    build_once(kit.root, shared_dir)
    return kit.html_dir


def wants_the_book(config: pytest.Config) -> bool:
    """Whether this run will need the built book: a whole run, or one naming the browser or
    site tests, and not one that deselects the browser tests (the quick run)."""
    if "not browser" in (config.option.markexpr or ""):
        return False
    named = [str(arg).split("::")[0].rstrip("/") for arg in config.args]
    return not named or any(
        Path(arg).resolve() == ROOT
        or Path(arg).resolve() == ROOT / "tests"
        or any(part in arg for part in ("tests/browser", "tests/site"))
        for arg in named
    )


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Start the book's build as the run begins, in the controller only (tests/book_once.py)."""
    config = session.config
    if hasattr(config, "workerinput") or not wants_the_book(config):
        return
    shared = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]  # the workers' shared_dir
    config.stash[EARLY_BUILD] = start_early(ROOT, shared)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow files first, then those that need the built book, then the quick ones.

    ``./kit test`` runs pytest-xdist with ``--no-loadscope-reorder``, so files go to
    the workers in this order. xdist's own order (biggest file first) sent both workers
    to book tests at once, to wait about 40 s each for the book: now the slow files
    (servers, kernels, browsers) run while the book's early build does, and the many
    quick files fill the end, so neither worker is left with a long file alone. The
    order is the same in every worker, as xdist requires.
    """
    book = {"site_url", "built_site"}
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)

    def rank(group: list[pytest.Item]) -> int:
        if any(book & set(getattr(item, "fixturenames", ())) for item in group):
            return 1
        slow = any(item.get_closest_marker(m) for item in group for m in ("slow", "browser"))
        return 0 if slow else 2

    ordered = sorted(files.values(), key=lambda group: (rank(group), -len(group)))
    items[:] = [item for group in ordered for item in group]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An early build still running when the run ends (all its tests deselected) is stopped."""
    build = session.config.stash.get(EARLY_BUILD, None)
    if build is not None and build.poll() is None:
        os.killpg(build.pid, signal.SIGTERM)
        build.wait()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built book served on a free localhost port."""
    from ccin_learn.site.server import make_server, serve_in_thread, url_of

    server = make_server(built_site, "127.0.0.1", unused_port())
    serve_in_thread(server)
    yield url_of(server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's chromium driven by Playwright (Playwright's own browsers are never downloaded)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: ./kit test installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# ---- the self-assessment: a checklist small enough to check by hand ---------------------

LEVELS = {n: f"level {n} for this action, in words" for n in range(5)}


def _action(action_id: str, theme: str, principles: list[int], **extra: object) -> dict:
    return {
        "id": action_id,
        "theme": theme,
        "title": f"Action {action_id} title",
        "what_good_looks_like": "A council that does this well does it routinely and openly.",
        "levels": {n: f"{action_id}: {text}" for n, text in LEVELS.items()},
        "evidence_prompts": ["Which report agreed it?", "Who checks it?"],
        "principles": principles,
        **extra,
    }


def _tiny_checklist() -> Checklist:
    """Two themes, five actions; principle counts chosen to exercise the tie-breaks."""
    return Checklist.model_validate(
        {
            "schema_version": 1,
            "levels": [
                {"level": n, "name": name, "meaning": f"{name}: what it means here."}
                for n, name in enumerate(
                    ["Not started", "Exploring", "Committed", "Delivering", "Embedded"]
                )
            ],
            "principles": [{"number": n, "name": f"Principle {n}"} for n in range(1, 11)],
            "themes": [
                {"id": "cwb", "title": "Community Wealth Building"},
                {"id": "placemaking", "title": "Cooperative Placemaking"},
            ],
            "resources": [
                {
                    "id": "lab",
                    "title": "A policy lab",
                    "led_by": "A council",
                    "url": "https://bit.ly/x",
                    "summary": "What the lab found and made.",
                }
            ],
            "council_types": [
                {"id": "unitary", "name": "Unitary council"},
                {
                    "id": "county",
                    "name": "County council",
                    "not_applicable": [
                        {"action": "c3", "reason": "A county council cannot do this."}
                    ],
                },
            ],
            "actions": [
                _action(
                    "c1",
                    "cwb",
                    [1, 2],
                    resources=["lab"],
                    course_pages=["modules/community-wealth-building/index"],
                ),
                _action("c2", "cwb", [1, 2, 3]),
                _action("c3", "cwb", [4]),
                _action("p1", "placemaking", [1, 2]),
                _action("p2", "placemaking", [5]),
            ],
        }
    )


def _assessment(
    checklist: Checklist,
    answers: dict[str, object],
    council_type: str = "unitary",
    name: str = "Testborough Council",
) -> Assessment:
    """An assessment whose answers are levels (int), "na" or Answer objects."""
    built = {}
    for action_id, value in answers.items():
        if value == "na":
            built[action_id] = Answer(not_applicable=NotApplicable(reason="Not for us, because."))
        elif isinstance(value, Answer):
            built[action_id] = value
        else:
            built[action_id] = Answer(level=value)
    return validate_assessment(
        {
            "schema_version": 1,
            "council": Council(name=name, type=council_type).model_dump(),
            "assessed_on": date(2026, 11, 1).isoformat(),
            "answers": {k: v.model_dump() for k, v in built.items()},
        },
        checklist,
    )


@pytest.fixture(scope="session")
def checklist() -> Checklist:
    """Two themes, five actions; principle counts chosen to exercise the tie-breaks."""
    return _tiny_checklist()


@pytest.fixture
def make_assessment(checklist: Checklist) -> Callable[..., Assessment]:
    """``make_assessment({"c1": 2, "c3": "na"}, council_type=..., name=...)`` on the checklist."""
    return functools.partial(_assessment, checklist)


@pytest.fixture
def store(tmp_path: Path, checklist: Checklist) -> Store:
    """A self-assessment store on a new SQLite file, with the small checklist."""
    return Store(f"sqlite:///{tmp_path / 'kit.sqlite'}", checklist)


# ---- the command line, run as nbgrader's tests run run_nbgrader ----------------------


@dataclass(frozen=True)
class CliResult:
    """What the command printed: its standard output and its error output."""

    out: str
    err: str


def check(args: Sequence[object], code: int, exit_code: int, err: str, one_line: bool) -> None:
    shown = " ".join(map(str, args))
    assert code == exit_code, f"ccin-learn {shown} exited {code}, not {exit_code}: {err.strip()}"
    assert "Traceback" not in err
    if exit_code != 0 and one_line:
        assert len(err.strip().splitlines()) == 1, f"not one line: {err!r}"


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """``run_cli(args, exit_code=0)``: run ``ccin-learn`` in this process and check it.

    A failure must also be one line on stderr with no traceback (unless ``one_line``
    is false, for commands that report one line per file).
    """

    def run(args: Sequence[object], exit_code: int = 0, one_line: bool = True) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        check(args, code, exit_code, err, one_line)
        return CliResult(out, err)

    return run


@pytest.fixture
def run_process() -> Callable[..., CliResult]:
    """``run_process(args, exit_code=0)``: like ``run_cli``, in a new process, as a user runs it."""

    def run(args: Sequence[object], exit_code: int = 0, one_line: bool = True) -> CliResult:
        done = subprocess.run(
            [sys.executable, "-m", "ccin_learn.cli", *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        check(args, done.returncode, exit_code, done.stderr, one_line)
        return CliResult(done.stdout, done.stderr)

    return run
