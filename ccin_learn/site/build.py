"""Build the course book with Jupyter Book 1, showing progress and keeping a log.

Sphinx prints hundreds of lines; a council officer wants a progress bar, the
warnings that matter and a clear verdict. The full output goes to
``_build/build.log``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.fileio import open_private_log
from ccin_learn.site.assets import copy_vendor_assets, install_npm_packages
from ccin_learn.site.lite import build_lite
from ccin_learn.site.livetool import LITE_FOLDER
from ccin_learn.site.paths import KitPaths

ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
PERCENT = re.compile(r"^(?P<phase>[a-z][a-z ]+?)\.\.\. \[\s*(?P<pct>\d+)%\]")
PROBLEM = re.compile(r"(WARNING:|ERROR:|CRITICAL:|Exception occurred)")
JB_MAIN = "import sys; from jupyter_book.cli.main import main; sys.exit(main())"

# Downloaded Pyodide and wheels for the in-page tools, kept between builds (not in git).
LITE_CACHE = ".lite-cache"
JUPYTER = [sys.executable, "-m", "jupyter"]

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the CLI's summary."""

    index: str
    pages: int
    problems: tuple[str, ...]


def jupyter_book_command(paths: KitPaths, strict: bool) -> list[str]:
    command = [
        sys.executable,
        "-c",
        JB_MAIN,
        "build",
        str(paths.root),
        "--path-output",
        str(paths.output or paths.root),
        "--builder",
        "html",
    ]
    if strict:
        command += ["--warningiserror", "--keep-going"]
    return command


def progress_from_line(line: str) -> tuple[str, int] | None:
    """Sphinx's ``reading sources... [ 40%] page`` lines as (phase, percent)."""
    match = PERCENT.match(line.strip())
    if match is None:
        return None
    return match["phase"].capitalize(), int(match["pct"])


def run_jupyter_book(paths: KitPaths, strict: bool, progress: Progress) -> tuple[str, ...]:
    """Run the build, feed progress, log everything; return the warning lines."""
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with open_private_log(paths.build_log) as log:
        process = subprocess.Popen(
            jupyter_book_command(paths, strict),
            cwd=paths.root,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=1,
        )
        assert process.stdout is not None
        for raw_line in process.stdout:
            line = ANSI_COLOUR.sub("", raw_line)
            log.write(line)
            step = progress_from_line(line)
            if step is not None:
                progress(*step)
            elif PROBLEM.search(line):
                problems.append(line.strip())
        code = process.wait()
    if code != 0:
        shown = "; ".join(problems[:3]) or "no warning was printed"
        raise KitError(
            f"the book build failed ({len(problems)} problem(s); first: {shown}); "
            f"full log: {paths.build_log}"
        )
    return tuple(problems)


PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE_STAMP = ".ccin-package-sha256"


def package_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """A hash of the package's code and data, which the book's notebooks run."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh_execution_cache(paths: KitPaths) -> bool:
    """Drop cached notebook outputs when the package changed; True if dropped.

    Jupyter Book's cache keys on a notebook's own code, but a tool's output
    also depends on the package (its logic and data files), so a change there
    must re-run the notebooks.
    """
    cache_dir = paths.build_dir / ".jupyter_cache"
    stamp = paths.build_dir / PACKAGE_STAMP
    current = package_digest()
    if stamp.is_file() and stamp.read_text().strip() == current:
        return False
    shutil.rmtree(cache_dir, ignore_errors=True)
    clear_pages(paths)
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return True


def clear_pages(paths: KitPaths) -> None:
    """Remove built pages and Sphinx's environment, keeping the execution cache.

    A strict build starts from clean pages so every warning is raised again and
    no page left over from an old table of contents survives.
    """
    for folder in (paths.html_dir, paths.build_dir / ".doctrees"):
        shutil.rmtree(folder, ignore_errors=True)


def build_book(
    paths: KitPaths, strict: bool = False, progress: Progress | None = None
) -> BuildResult:
    """Install pinned browser assets, vendor them, and build the HTML book.

    Notebooks run through Jupyter Book's execution cache, so a rebuild only
    re-executes notebooks whose code changed, strict or not.
    """
    report = progress or (lambda _phase, _pct: None)
    report("Installing browser assets (npm ci)", 0)
    install_npm_packages(paths)
    copy_vendor_assets(paths)
    refresh_execution_cache(paths)
    if strict:
        clear_pages(paths)
    problems = run_jupyter_book(paths, strict, report)
    copy_issuer_folder(paths)
    if opens_a_tool_in_the_page(paths.html_dir):
        report("Building the tools that run in the page (JupyterLite)", 100)
        pyodide = paths.node_modules / "pyodide"
        lite = paths.html_dir / LITE_FOLDER
        build_lite(PACKAGE_DIR, pyodide, paths.root / LITE_CACHE, lite, JUPYTER)
    index = paths.html_dir / "index.html"
    if not index.is_file():
        raise KitError(f"the build finished but wrote no {index}; see {paths.build_log}")
    pages = sum(1 for _ in paths.html_dir.rglob("*.html"))
    return BuildResult(index=str(index), pages=pages, problems=problems)


ISSUER_FOLDER = "issuer"


def copy_issuer_folder(paths: KitPaths) -> bool:
    """Copy the awarding body's published issuer folder (``<kit>/issuer/``: profile.json,
    status-list.jwt, badge image) into the site at ``issuer/``; True if there was one.

    A body that publishes with the kit's book then serves its profile and revocation
    list from the same site as the "Check a credential" page, which reads them.
    """
    source = paths.root / ISSUER_FOLDER
    if not source.is_dir():
        return False
    for path in sorted(source.rglob("*")):
        if path.is_file() and b"PRIVATE KEY" in path.read_bytes():
            raise KitError(
                f"{path} holds a private key: take it out of {source}, which is published"
            )
    destination = paths.html_dir / ISSUER_FOLDER
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source, destination)
    return True


def opens_a_tool_in_the_page(html_dir: Path) -> bool:
    """Whether a built page runs a tool in the page, and so needs the JupyterLite site.

    The course book always does; a book without such a page (a one-page book in the
    tests) is spared the JupyterLite build, which takes longer than the pages.
    """
    marker = f"{LITE_FOLDER}/repl/"
    return any(
        marker in page.read_text(encoding="utf-8", errors="replace")
        for page in html_dir.rglob("*.html")
        if LITE_FOLDER not in page.relative_to(html_dir).parts[:1]
    )
