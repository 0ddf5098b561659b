"""The packages' image and the memory snapshot that let a tool in the page start quickly.

The Node tests run the page's own start module (``start-pyodide.mjs``) on the page's own
Pyodide: what the build writes is what a reader's browser restores.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site import lite_snapshot
from ccin_learn.site.lite import snapshot_imports, stage_core, write_wheel
from ccin_learn.site.lite_snapshot import (
    IMAGE,
    SNAPSHOT,
    START,
    image_bytes,
    make_snapshot,
    packed_image,
    snapshot_key,
)

PYODIDE = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"
# Starts Python as the page does, with Node's fetch taught file: URLs (the page fetches
# the image and the snapshot beside the module), then prints what the test asks.
RESTORE = """
import fs from "node:fs";
const [dir, code] = process.argv.slice(1);
const plainFetch = globalThis.fetch;
globalThis.fetch = async (url) => {
  const href = String(url);
  if (!href.startsWith("file:")) return plainFetch(url);
  try { return new Response(fs.readFileSync(new URL(href))); }
  catch { return new Response("", { status: 404 }); }
};
const warnings = [];
console.warn = (...parts) => warnings.push(parts.join(" "));
const { loadPyodide } = await import("file://" + dir + "/start-pyodide.mjs");
const py = await loadPyodide({ indexURL: dir + "/", packages: ["demo"] });
console.log(JSON.stringify({ answer: py.runPython(code), warnings }));
"""
# A demo package whose import leaves a mark, and a data file only the image carries.
DEMO = {
    "demo/__init__.py": (
        b"import builtins\nbuiltins.demo_imports = getattr(builtins, 'demo_imports', 0) + 1\n"
    ),
    "demo/data.txt": b"from the image\n",
}


def demo_wheel(folder: Path, files: dict[str, bytes]) -> Path:
    return write_wheel(folder, "demo", "1.0", files)


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """Pyodide's runtime, the kit's start module and the demo image, as the site has them."""
    target = tmp_path / "pyodide"
    stage_core(PYODIDE, target)
    wheel = demo_wheel(tmp_path, DEMO)
    (target / IMAGE).write_bytes(image_bytes([wheel]))
    return target


def restore(folder: Path, code: str) -> dict[str, object]:
    node = shutil.which("node") or "node"
    done = subprocess.run(
        [node, "--input-type=module", "-e", RESTORE, str(folder), code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-1500:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_image_holds_every_file_of_the_wheels_in_a_fixed_order(tmp_path):
    wheel = demo_wheel(tmp_path, DEMO)
    packed = image_bytes([wheel])
    assert packed == image_bytes([wheel])  # the same bytes each build: caches stay valid
    plain = gzip.decompress(packed)
    length = int.from_bytes(plain[:4], "little")
    entries = json.loads(plain[4 : 4 + length])
    names = [name for name, _size in entries]
    assert names == sorted(names)
    assert "demo/data.txt" in names and "demo-1.0.dist-info/METADATA" in names
    offset, files = 4 + length, {}
    for name, size in entries:
        files[name] = plain[offset : offset + size]
        offset += size
    assert offset == len(plain)
    assert files["demo/data.txt"] == DEMO["demo/data.txt"]


def test_the_image_is_packed_once_per_set_of_wheels(tmp_path, monkeypatch):
    packs: list[int] = []
    pack = lite_snapshot.image_bytes
    monkeypatch.setattr(lite_snapshot, "image_bytes", lambda w: packs.append(1) or pack(w))
    wheel = demo_wheel(tmp_path, DEMO)
    first = packed_image([wheel], tmp_path / "cache")
    assert first.read_bytes() == pack([wheel])
    assert packed_image([wheel], tmp_path / "cache") == first and len(packs) == 1
    (tmp_path / "v2").mkdir()
    changed = demo_wheel(tmp_path / "v2", {**DEMO, "demo/data.txt": b"changed\n"})
    assert packed_image([changed], tmp_path / "cache") != first and len(packs) == 2


def test_a_snapshot_depends_on_the_image_the_imports_and_the_pyodide_build(tmp_path):
    image, runtime = tmp_path / IMAGE, tmp_path / "pyodide.asm.mjs"
    image.write_bytes(b"one")
    runtime.write_bytes(b"build 1")
    key = snapshot_key(image, ["demo"], runtime)
    assert snapshot_key(image, ["demo"], runtime) == key
    assert snapshot_key(image, ["demo", "other"], runtime) != key
    runtime.write_bytes(b"build 2")  # a new Pyodide: an old snapshot would not restore
    assert snapshot_key(image, ["demo"], runtime) != key
    runtime.write_bytes(b"build 1")
    image.write_bytes(b"two")
    assert snapshot_key(image, ["demo"], runtime) != key


def test_nothing_the_snapshot_imports_makes_a_widget():
    # A widget made on import would sit in the snapshot with no kernel behind it, and the
    # page would wait for a model it never receives ("widget model not found").
    code = (
        "import importlib, json\n"
        f"for name in {snapshot_imports()!r}: importlib.import_module(name)\n"
        "from ipywidgets.widgets.widget import _instances\n"
        "print(json.dumps(sorted(type(w).__name__ for w in _instances.values())))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.slow
def test_the_page_restores_the_snapshot_with_the_imports_done_and_the_files_there(staged):
    make_snapshot(staged, staged / IMAGE, ["demo"], staged)
    seen = restore(
        staged,
        "import sys, builtins, importlib.resources as r\n"
        "before = 'demo' in sys.modules\n"
        "import demo\n"
        "data = r.files(demo).joinpath('data.txt').read_text().strip()\n"
        "f'{before} {builtins.demo_imports} {data}'",
    )
    # demo was imported once, at build time; the page neither imports it again nor lacks its data
    assert seen == {"answer": "True 1 from the image", "warnings": []}


@pytest.mark.slow
def test_without_a_usable_snapshot_python_starts_from_scratch_with_the_same_files(staged):
    (staged / SNAPSHOT).write_bytes(gzip.compress(b"not a snapshot"))
    seen = restore(
        staged,
        "import sys\nbefore = 'demo' in sys.modules\nimport demo, builtins\n"
        "f'{before} {builtins.demo_imports}'",
    )
    assert seen["answer"] == "False 1"
    assert "starting Python without its memory snapshot" in str(seen["warnings"])


@pytest.mark.slow
def test_a_module_that_keeps_pyodides_api_cannot_go_in_a_snapshot(staged, tmp_path):
    (tmp_path / "k").mkdir()
    keeper = demo_wheel(
        tmp_path / "k", {"demo/__init__.py": b"import pyodide_js\nKEEP = pyodide_js.loadPackage\n"}
    )
    (staged / IMAGE).write_bytes(image_bytes([keeper]))
    with pytest.raises(KitError, match="serialize"):
        make_snapshot(staged, staged / IMAGE, ["demo"], tmp_path)
    assert not (tmp_path / SNAPSHOT).exists()


def test_the_start_module_is_staged_beside_pyodide(staged):
    assert (staged / START).is_file()
    lock = json.loads((staged / "pyodide-lock.json").read_text())
    assert lock["packages"] == {}  # the packages come in the image, not through the lock
