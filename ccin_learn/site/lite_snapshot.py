"""Let a tool in the page start in about 3 seconds: Python's memory, saved at build time.

Why: on every start the page used to start Python, unpack 28 wheels and import IPython
and ipywidgets, which took about 8 s of CPU on a 2-core machine even with every file in
the browser's cache. Now the build:

- packs every package the tools need into one **image** (``site-packages.bin.gz``) that
  the page writes straight into Pyodide's file system (``writeImage`` in
  ``lite_js/start-pyodide.mjs``), instead of Pyodide unpacking wheels in Python;
- starts the page's own Pyodide under Node, writes the image with that same code, imports
  IPython, the widgets and each tool's modules, and saves Pyodide's memory as a
  **snapshot** (``snapshot.bin.gz``). The page restores it, so the imports are done.

``start-pyodide.mjs`` is what the pyodide kernel loads as Pyodide (its ``pyodideUrl``);
without a usable snapshot it starts Python from scratch with the same image.
Pyodide checks that a snapshot was made by the same build of its runtime.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.site.steps import fetch_once, run, sha256

JS_DIR = Path(__file__).parent / "lite_js"
START = "start-pyodide.mjs"
MAKER = "make-snapshot.mjs"
IMAGE = "site-packages.bin.gz"
SNAPSHOT = "snapshot.bin.gz"
# Imported before the memory is saved: the slow part of every start. IPython and the
# widgets, and what the kernel's own modules import at start (unittest.mock alone takes a
# quarter of a second). Not pyodide_kernel, piplite or micropip themselves: they keep
# references to Pyodide's JavaScript API, which a snapshot cannot carry ("Can't serialize
# object"); the kernel imports them after the restore, in about 0.2 s.
PRELUDE = (
    "IPython",
    "IPython.core.completerlib",
    "comm",
    "ipywidgets",
    "jedi",
    "unittest.mock",
    "calendar",
    "_strptime",
    "html.parser",
    "getpass",
)
# Runs in Pyodide before the memory is saved (IMPORTS is set before this code).
PREPARE = r"""
import gc, importlib, sys
for name in IMPORTS:
    importlib.import_module(name)
widget = sys.modules.get("ipywidgets.widgets.widget")
_instances = widget._instances if widget else {}
if _instances:
    made = sorted({type(w).__name__ for w in _instances.values()})
    raise RuntimeError(
        "importing the tools made widgets (" + ", ".join(made) + "): a widget made on import "
        "exists before the page's kernel does and never reaches the page; make it in the "
        "tool's constructor"
    )
gc.collect()
"""


def image_bytes(wheels: list[Path]) -> bytes:
    """Every file of the wheels, as the image ``writeImage`` reads, gzipped the same each time.

    The image: a 4-byte little-endian length, that many bytes of JSON ``[[path, size], ...]``
    (paths inside site-packages), then the files' bytes in that order.
    """
    files: dict[str, bytes] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    files[info.filename] = archive.read(info)
    names = sorted(files)
    header = json.dumps([[name, len(files[name])] for name in names]).encode()
    body = b"".join(files[name] for name in names)
    return gzip.compress(len(header).to_bytes(4, "little") + header + body, 9, mtime=0)


def packed_image(wheels: list[Path], cache: Path) -> Path:
    """The wheels' image, packed once per set of wheels and kept in ``cache``.

    Packing and compressing takes about 3 s, and every book build stages the image; the
    wheels change only with the pinned packages or the kit's own code.
    """
    key = hashlib.sha256(" ".join(f"{w.name}={sha256(w)}" for w in wheels).encode())
    done = cache / key.hexdigest()[:16]
    cache.mkdir(parents=True, exist_ok=True)
    fetch_once(done, lambda folder: (folder / IMAGE).write_bytes(image_bytes(wheels)))
    return done / IMAGE


def stage_start(pyodide_dir: Path) -> None:
    """Put the kit's start module beside Pyodide's, where the kernel is told to load it."""
    shutil.copy2(JS_DIR / START, pyodide_dir / START)


def snapshot_key(image: Path, imports: list[str], runtime: Path) -> str:
    """What a snapshot depends on: the image, the imports, the JavaScript that makes and
    restores it, and the build of Pyodide (``runtime``: its ``pyodide.asm.mjs``, which
    carries the build id a snapshot must match)."""
    parts = [image.read_bytes(), " ".join(imports).encode(), runtime.read_bytes()]
    parts += [(JS_DIR / name).read_bytes() for name in (START, MAKER)]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def make_snapshot(pyodide_dir: Path, image: Path, imports: list[str], out: Path) -> Path:
    """Run Pyodide under Node, import ``imports``, and write its memory, gzipped, into ``out``.

    ``pyodide_dir`` is the staged runtime the page loads (with ``start-pyodide.mjs``), so the
    snapshot matches that exact build of Pyodide.
    """
    with tempfile.TemporaryDirectory(prefix="snapshot-") as work:
        code = Path(work) / "prepare.py"
        code.write_text(f"IMPORTS = {imports!r}\n{PREPARE}", encoding="utf-8")
        raw = Path(work) / "snapshot.bin"
        node = shutil.which("node") or "node"
        run([node, str(JS_DIR / MAKER), str(pyodide_dir), str(image), str(code), str(raw)])
        if not raw.is_file():
            raise KitError("node wrote no memory snapshot")
        target = out / SNAPSHOT
        target.write_bytes(gzip.compress(raw.read_bytes(), 9, mtime=0))
    return target
