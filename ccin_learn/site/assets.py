"""Browser assets the book serves itself, so it reads with no CDN.

Councils' networks often block CDNs. ipywidgets' HTML manager and require.js
come from the npm packages pinned in ``package-lock.json`` (installed with
``npm ci``) and are copied into ``_static/vendor`` before each build.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.site.paths import KitPaths

LOCK_STAMP = ".ccin-lock-sha256"
HTML_MANAGER_DIST = Path("@jupyter-widgets/html-manager/dist")
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")

# (source under node_modules, destination under _static/vendor)
VENDORED_FILES = (
    (Path("requirejs/require.js"), Path("require.js")),
    (HTML_MANAGER_DIST / "embed-amd.js", Path("html-manager/embed-amd.js")),
)


def lock_digest(paths: KitPaths) -> str:
    lock = paths.root / "package-lock.json"
    if not lock.is_file():
        raise KitError(f"{lock} is missing: the kit's browser assets are pinned there")
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def npm_is_current(paths: KitPaths) -> bool:
    """True when node_modules was installed from the current lock file."""
    stamp = paths.node_modules / LOCK_STAMP
    return stamp.is_file() and stamp.read_text().strip() == lock_digest(paths)


def install_npm_packages(paths: KitPaths) -> bool:
    """Run ``npm ci`` when the lock file changed since the last install; True if it ran."""
    if npm_is_current(paths):
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise KitError(
            "npm is not installed: run ./kit start, or install it with apt-get install npm"
        )
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=paths.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise KitError(f"npm ci failed: {last}")
    (paths.node_modules / LOCK_STAMP).write_text(lock_digest(paths) + "\n")
    return True


def vendor_sources(paths: KitPaths) -> list[tuple[Path, Path]]:
    """Every (source, destination) pair to copy, fonts of the HTML manager included."""
    pairs = [(paths.node_modules / src, paths.vendor_dir / dst) for src, dst in VENDORED_FILES]
    dist = paths.node_modules / HTML_MANAGER_DIST
    fonts = sorted(p for p in dist.glob("*") if p.suffix in FONT_SUFFIXES)
    pairs += [(font, paths.vendor_dir / "html-manager" / font.name) for font in fonts]
    return pairs


def copy_vendor_assets(paths: KitPaths) -> int:
    """Copy the pinned assets into ``_static/vendor``; returns how many files changed."""
    changed = 0
    for source, destination in vendor_sources(paths):
        if not source.is_file():
            raise KitError(f"{source} is missing: run npm ci in {paths.root}")
        if destination.is_file() and destination.read_bytes() == source.read_bytes():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        changed += 1
    return changed
