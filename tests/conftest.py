"""Shared fixtures: the kit checkout, a strict build of the book, a local server, Chromium."""

from __future__ import annotations

import fcntl
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ccin_learn.grading.cohort import put_scripts_on_path
from ccin_learn.grading.course import CourseConfig, load_course
from ccin_learn.site.build import build_book
from ccin_learn.site.paths import KitPaths

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session", autouse=True)
def nbgrader_scripts_on_path() -> None:
    """Tests run nbgrader commands themselves too; they need its `alembic` as the kit does."""
    put_scripts_on_path()


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


def toc_entries(entries: list[dict]) -> list[str]:
    """The files of TOC entries and, depth first, of their sections."""
    files = []
    for entry in entries:
        if "file" in entry:
            files.append(entry["file"])
        files += toc_entries(entry.get("sections", []))
    return files


def toc_files(root: Path = ROOT) -> list[str]:
    """Every page in _toc.yml (docnames, without suffix), root page first."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += toc_entries(part.get("chapters", []))
    return files


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A folder every pytest-xdist worker of this run shares (the run's own when not parallel)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def built_site(kit: KitPaths, shared_dir: Path) -> Path:
    """The book, built once per test run with warnings as errors, whichever worker asks first.

    The others wait on the lock and then read the same pages; no test rebuilds them.
    """
    with (shared_dir / "book-build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared_dir / "book-built"
        if not done.exists():
            build_book(kit, strict=True)
            done.write_text("built\n", encoding="utf-8")
    return kit.html_dir


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built book served on a free localhost port."""
    from ccin_learn.site.server import make_server, serve_in_thread, url_of

    server = make_server(built_site, "127.0.0.1", free_port())
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
