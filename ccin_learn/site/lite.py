"""Build the JupyterLite site that runs the book's tools in the reader's browser.

Why this shape:

- **Registry packages only, fetched at build time, nothing at run time.** Pyodide's
  core comes from npm (``pyodide``, pinned with its hash in package-lock.json);
  micropip, packaging and the pure-Python wheels the kernel and the tools need come
  from PyPI (``pip download`` for the Pyodide platform, kept in ``.lite-cache``).
  ``disablePyPIFallback`` stops the kernel reaching PyPI when the page runs.
- **The packages go in as one image, with a memory snapshot** (``lite_snapshot.py``): the
  page writes every package's files at once and restores Python's memory with IPython and
  the tools already imported, through the kit's own start module (the kernel's
  ``pyodideUrl``). The kernel is told the packages are there, so it installs none and the
  tool's code needs no ``%pip``; the lock we ship names no package.
- **MarkupSafe has no browser wheel**, but its source falls back to pure Python when the
  C speedups are absent; we pack that source as a ``py3-none-any`` wheel so Jinja2 (which
  the widgets render with) works in the page.
- **Only the in-page modules of ccin_learn go in the kit's wheel**: anything that imports
  pydantic, pandas or matplotlib has no browser build and must stay out. Validated data
  goes in as JSON (``PAGE_DATA``).

Embedding: the **lite REPL** in an iframe that the page creates only when the reader
presses "Run this tool here" (``repl/index.html`` with ``hideCodeInput`` and
``showBanner=0``; ``site/livetool.py`` and ``static/livetool.js`` place, style and size
it). Against the other two:

- jupyterlite-sphinx runs its own ``jupyter lite build`` inside the Sphinx build (slower
  strict builds, its own version pins on jupyterlite-core) and draws its own button and
  iframe, so the snapshot-with-disabled-controls and the note above the tool would be
  fought for rather than written once in the kit's directive;
- Voici adds a second app (Voila templates on JupyterLite) and its own pins, for a page
  that only needs one output area: the REPL app is already in jupyterlite-core.

The widget code is the same module the Voila app and the tests import: the REPL runs
``from ccin_learn.widgets.lm3 import LM3Calculator; LM3Calculator()``.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib
import json
import shutil
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from ccin_learn.errors import KitError
from ccin_learn.site import lite_snapshot
from ccin_learn.site.steps import fetch_once, run, sha256

PYODIDE = "314.0.6"
JUPYTERLITE = "0.8.6"
# Pyodide's own lock names these; we ship the PyPI builds and rewrite the hashes.
LOCK_WHEELS = ("micropip==0.11.1", "packaging==26.4")
# The pyodide kernel's dependencies and the widgets' (pure Python, exact versions).
PAGE_WHEELS = (
    "asttokens==3.0.2",
    "comm==0.2.3",
    "decorator==5.3.1",
    "executing==2.3.0",
    "ipython==9.12.0",
    "ipython-pygments-lexers==1.1.1",
    "ipywidgets==8.1.9",
    "jedi==0.20.1",
    "jinja2==3.1.6",
    "jupyterlab-widgets==3.0.17",
    "matplotlib-inline==0.2.2",
    "parso==0.8.7",
    "pexpect==4.9.0",
    "prompt-toolkit==3.0.53",
    "ptyprocess==0.7.0",
    "pure-eval==0.2.4",
    "pygments==2.21.0",
    "stack-data==0.6.3",
    "traitlets==5.16.1",
    "wcwidth==0.9.4",
)
MARKUPSAFE = "3.0.4"
PLATFORM = (
    "--platform=pyemscripten_2026_0_wasm32",
    "--python-version=3.14",
    "--implementation=cp",
    "--abi=cp314",
    "--abi=abi3",
    "--abi=none",
    "--only-binary=:all:",
    "--no-deps",
)
# Pyodide's core files the kernel loads; the rest of the npm package is typings and maps.
CORE = (
    "pyodide.mjs",
    "pyodide.js",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
# The tools that run in the reader's browser: tools.yaml's app name -> the code the REPL
# runs after installing the kit's wheel. The same widget the Voila app and the tests build;
# the wheel holds exactly the modules this code reaches (found by reading its imports).
# Links to the course's pages start "../../", the book's root seen from the REPL page
# (lite/repl/index.html); livetool.js opens them in the reader's tab, not in the iframe.
TOOL_CODE = {
    "lm3-calculator": "from ccin_learn.widgets.lm3 import LM3Calculator\nLM3Calculator()",
    "model-finder": (
        "from ccin_learn.tools import pagedata\n"
        "from ccin_learn.tools.model_finder import ModelGuide\n"
        "from ccin_learn.widgets.model_finder import ModelFinder\n"
        'ModelFinder(ModelGuide.from_data(pagedata.load("coop_models")), link_base="../../")'
    ),
    "pathway": (
        "from ccin_learn.course.pathway import Course\n"
        "from ccin_learn.tools import pagedata\n"
        "from ccin_learn.widgets.pathway import PathwayPlanner\n"
        'PathwayPlanner(Course.from_data(pagedata.load("modules")), link_base="../../")'
    ),
    "legal-form-chooser": (
        "from ccin_learn.tools import pagedata\n"
        "from ccin_learn.tools.legal_forms import from_data\n"
        "from ccin_learn.widgets.legal_forms import LegalFormChooser\n"
        'LegalFormChooser(from_data(pagedata.load("legal_forms")), link_base="../../")'
    ),
    "share-offer-planner": (
        "from ccin_learn.widgets.share_offer import ShareOfferPlanner\nShareOfferPlanner()"
    ),
}
# Data the in-page tools read with ccin_learn.tools.pagedata.load(name): name -> the
# "module:function" that returns it, as plain JSON, from the validated data file.
PAGE_DATA: dict[str, str] = {
    "coop_models": "ccin_learn.tools.coop_models:page_data",
    "modules": "ccin_learn.course.catalogue:page_data",
    "legal_forms": "ccin_learn.tools.legal_forms_schema:page_data",
}
# The pyodide kernel's own wheels (its labextension carries them), loaded at start too.
KERNEL_WHEELS = (
    Path(sys.prefix)
    / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension"
    / "static/pypi"
)
KERNEL_WHEEL_FILES = (
    f"piplite-{JUPYTERLITE}-py3-none-any.whl",
    f"pyodide_kernel-{JUPYTERLITE}-py3-none-any.whl",
    "ipykernel-6.9.2-py3-none-any.whl",
    "widgetsnbextension-4.0.999-py3-none-any.whl",
)
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
# The lab extensions the in-page tools need, from the environment the build runs in.
LAB_EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
# The REPL app has no notebook tracker, so this plugin fails to start and logs an error.
# The service worker serves files to the kernel and input() to Python, which the tools
# never use; through it, every later visit's requests got slower.
DISABLED = [
    "@jupyterlab/codemirror-extension:commands",
    "@jupyterlite/application-extension:service-worker-manager",
]


@dataclass(frozen=True)
class LiteSite:
    """Where the lite site went and how big it is, for the build summary."""

    output: Path
    bytes: int


def fetch_inputs(cache: Path) -> None:
    """Download the pinned packages once into ``cache``; later builds reuse them."""
    cache.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
    only_314 = ["--only-binary=:all:", "--python-version=3.14"]
    fetch_once(cache / "lock", lambda d: run([*pip, *only_314, "-d", str(d), *LOCK_WHEELS]))
    fetch_once(cache / "pypi", lambda d: run([*pip, *PLATFORM, "-d", str(d), *PAGE_WHEELS]))
    sdist = ["--no-binary=:all:", f"markupsafe=={MARKUPSAFE}"]
    fetch_once(cache / "sdist", lambda d: run([*pip, *sdist, "-d", str(d)]))


def stage_pyodide(pyodide: Path, lite_dir: Path, wheels: list[Path], cache: Path) -> list[str]:
    """Pyodide's core, the kit's start module, the packages' image and the memory snapshot.

    The packages go in as one image, not as wheels in Pyodide's lock (``lite_snapshot``
    says why); returns their names, which tell the kernel they need no installing. The
    image and the snapshot are kept in ``cache`` (``image/``, ``snapshot/``) by content.
    """
    target = lite_dir / "static" / "pyodide"
    stage_core(pyodide, target)
    image = target / lite_snapshot.IMAGE
    shutil.copy2(lite_snapshot.packed_image(wheels, cache / "image"), image)
    imports = snapshot_imports()
    snapshots = cache / "snapshot"
    done = snapshots / lite_snapshot.snapshot_key(image, imports, target / "pyodide.asm.mjs")
    snapshots.mkdir(parents=True, exist_ok=True)
    fetch_once(done, lambda folder: lite_snapshot.make_snapshot(target, image, imports, folder))
    shutil.copy2(done / lite_snapshot.SNAPSHOT, target / lite_snapshot.SNAPSHOT)
    return sorted({package_name(wheel) for wheel in wheels})


def stage_core(pyodide: Path, target: Path) -> None:
    """Pyodide's runtime files into ``target``, with a lock that names no package (they come
    in the image) and the kit's start module beside them."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    version = json.loads((pyodide / "package.json").read_text(encoding="utf-8"))["version"]
    if version != PYODIDE:
        raise KitError(f"the pyodide kernel needs Pyodide {PYODIDE}, npm installed {version}")
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name in CORE:
        shutil.copy2(pyodide / name, target / name)
    lock["packages"] = {}
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1))
    lite_snapshot.stage_start(target)


def snapshot_imports() -> list[str]:
    """IPython and the widgets, and every module the tools' code imports, in a fixed order."""
    package = Path(__file__).resolve().parents[1]
    named = {m for code in TOOL_CODE.values() for m in imported_modules(code)}
    tools = {name for name in named if module_file(package, name) is not None}
    return [*lite_snapshot.PRELUDE, *sorted(tools)]


def package_name(wheel: Path) -> str:
    """The normalised project name of a wheel, as the kernel's package list spells it."""
    return wheel.name.split("-")[0].lower().replace("_", "-")


def write_wheel(out: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A minimal pure-Python wheel: the files, METADATA, WHEEL and a RECORD with hashes."""
    dist = f"{name}-{version}.dist-info"
    files = dict(files)
    files[f"{dist}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    )
    files[f"{dist}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: ccin_learn\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = [f"{path},sha256={digest(data)},{len(data)}" for path, data in sorted(files.items())]
    files[f"{dist}/RECORD"] = ("\n".join([*record, f"{dist}/RECORD,,"]) + "\n").encode()
    wheel = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(path, (2026, 1, 1, 0, 0, 0)), data)
    return wheel


def digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def markupsafe_wheel(cache: Path, out: Path) -> Path:
    """MarkupSafe's pure-Python fallback, packed as a wheel Pyodide can install."""
    sdist = next((cache / "sdist").glob("markupsafe-*.tar.gz"))
    prefix = f"markupsafe-{MARKUPSAFE}/src/"
    files = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if member.name.startswith(prefix + "markupsafe/") and member.name.endswith(
                (".py", ".typed")
            ):
                data = tar.extractfile(member)
                if data is not None:
                    files[member.name.removeprefix(prefix)] = data.read()
    return write_wheel(out, "markupsafe", MARKUPSAFE, files)


def imported_modules(code: str) -> set[str]:
    """The ccin_learn modules that ``code`` imports (not yet those they import)."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "ccin_learn"}


def module_file(package: Path, name: str) -> Path | None:
    """The source file of the dotted module ``name`` (a package's ``__init__.py``)."""
    relative = Path(*name.split(".")[1:])
    for candidate in (package / relative / "__init__.py", (package / relative).with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def page_modules(package: Path) -> list[str]:
    """Every module the in-page tools reach, as paths inside the package, sorted.

    Found by reading imports (``ast``) from the tools' code and ``ccin_learn.tools.pagedata``,
    so a widget that starts importing pydantic makes the page test fail, not the page.
    """
    todo = set().union(*(imported_modules(code) for code in TOOL_CODE.values()))
    todo.add("ccin_learn.tools.pagedata")
    seen: set[Path] = set()
    while todo:
        path = module_file(package, todo.pop())
        if path is None or path in seen:
            continue
        seen.add(path)
        todo |= imported_modules(path.read_text(encoding="utf-8"))
        for parent in path.relative_to(package).parents:
            seen.add(package / parent / "__init__.py")
    return sorted(str(p.relative_to(package)) for p in seen if p.is_file())


def page_data() -> dict[str, bytes]:
    """Each ``PAGE_DATA`` entry, dumped from its validated data file as JSON."""
    files = {}
    for name, target in sorted(PAGE_DATA.items()):
        module, function = target.split(":")
        data = getattr(importlib.import_module(module), function)()
        files[f"ccin_learn/data/{name}.json"] = json.dumps(data, sort_keys=True).encode()
    return files


def kit_wheel(package: Path, out: Path) -> Path:
    """The in-page part of ccin_learn, so the page runs the same code as the tests."""
    files = {f"ccin_learn/{name}": (package / name).read_bytes() for name in page_modules(package)}
    for template in sorted((package / "widgets/templates").glob("*.j2")):
        files[f"ccin_learn/widgets/templates/{template.name}"] = template.read_bytes()
    files.update(page_data())
    return write_wheel(out, "ccin_learn", "0.0.0", files)


def write_config(lite_dir: Path, packages: list[str]) -> None:
    """Local Pyodide with every package loaded at start, and never PyPI at run time."""
    settings = {"disablePyPIFallback": True, "loadPyodideOptions": {"packages": packages}}
    page = {
        "jupyter-config-data": {
            "appName": "ccin-learn tools",
            "disabledExtensions": DISABLED,
            "litePluginSettings": {KERNEL_PLUGIN: settings},
        }
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(page, indent=1))
    labextensions = Path(sys.prefix) / "share/jupyter/labextensions"
    build = {
        "LiteBuildConfig": {
            "apps": ["repl"],
            "no_sourcemaps": True,
            # Only the kernel and the widget manager: not every lab extension installed
            # beside the kit (nbgrader's would load and fail in the REPL).
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [str(labextensions / name) for name in LAB_EXTENSIONS],
        },
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(build, indent=1))


# Runs inside Pyodide (under Node) at build time: the page's own Python installs the wheels,
# imports what the kernel and the tools import at start (IMPORTS, set before this code), and
# adds bytecode for exactly those modules: the page would otherwise compile them from source
# on every start (seconds for IPython alone), while bytecode for every module would double
# the download. Unchecked hash-based .pyc files: valid whatever time the wheel unpacks at.
COMPILE_PYC = r"""
import importlib, importlib.util, site, sys, warnings, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc
from pathlib import Path
warnings.simplefilter("ignore")
SITE = Path(site.getsitepackages()[0])
wheels = sorted(Path("/io/in").glob("*.whl"))
for wheel in wheels:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(SITE)
importlib.invalidate_caches()
for name in IMPORTS:
    try:
        importlib.import_module(name)
    except Exception:
        pass
used = {str(getattr(module, "__file__", None)) for module in list(sys.modules.values())}
for wheel in wheels:
    out = zipfile.ZipFile(Path("/io/out") / wheel.name, "w", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(wheel) as source, out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, data)
            path = str(SITE / info.filename)
            if path not in used:
                continue
            code = compile(data, path, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), False)
            out.writestr(importlib.util.cache_from_source(info.filename), pyc)
"""
# What the pyodide kernel imports as it starts, beside the tools' own imports.
KERNEL_IMPORTS = ("IPython", "ipykernel", "comm", "ipywidgets", "pyodide_kernel", "piplite")
NODE_DRIVER = """
const [pyodideDir, ioDir, code] = process.argv.slice(1);
const { loadPyodide } = await import("file://" + pyodideDir + "/pyodide.mjs");
const py = await loadPyodide({ indexURL: pyodideDir + "/" });
py.FS.mkdirTree("/io");
py.FS.mount(py.FS.filesystems.NODEFS, { root: ioDir }, "/io");
py.runPython(code);
"""


def with_bytecode(pyodide: Path, wheels: list[Path], cache: Path) -> list[Path]:
    """The wheels with bytecode for the modules the page imports at start, kept by content.

    One Node run compiles them all (about 10 s); a build whose wheels and tools are
    unchanged reuses the result.
    """
    imports = sorted(
        {*KERNEL_IMPORTS, *(m for c in TOOL_CODE.values() for m in imported_modules(c))}
    )
    key = hashlib.sha256(" ".join([*imports, *(sha256(w) for w in wheels)]).encode()).hexdigest()
    done = cache / key[:16]
    cache.mkdir(parents=True, exist_ok=True)
    fetch_once(done, lambda folder: compile_wheels(pyodide, wheels, imports, folder))
    return [done / wheel.name for wheel in wheels]


def compile_wheels(pyodide: Path, wheels: list[Path], imports: list[str], out: Path) -> None:
    """Run COMPILE_PYC in Pyodide under Node; the compiled wheels land in ``out``."""
    with tempfile.TemporaryDirectory(prefix="pyc-") as work:
        io = Path(work)
        (io / "in").mkdir()
        for wheel in wheels:
            shutil.copy2(wheel, io / "in" / wheel.name)
        (io / "out").mkdir()
        node = shutil.which("node") or "node"
        code = f"IMPORTS = {imports!r}\n{COMPILE_PYC}"
        run([node, "--input-type=module", "-e", NODE_DRIVER, str(pyodide.resolve()), str(io), code])
        for wheel in wheels:
            shutil.copy2(io / "out" / wheel.name, out / wheel.name)


def build_lite(
    package: Path, pyodide: Path, cache: Path, output: Path, jupyter: list[str]
) -> LiteSite:
    """Fetch (once), stage and build the lite site into ``output``; return its size."""
    fetch_inputs(cache)
    with tempfile.TemporaryDirectory(prefix="lite-src-") as work:
        lite_dir = Path(work)
        wheels_dir = lite_dir / "wheels"
        wheels_dir.mkdir()
        wheels = [markupsafe_wheel(cache, wheels_dir), kit_wheel(package, wheels_dir)]
        wheels += sorted((cache / "pypi").glob("*.whl")) + sorted((cache / "lock").glob("*.whl"))
        wheels += [KERNEL_WHEELS / name for name in KERNEL_WHEEL_FILES]
        wheels = with_bytecode(pyodide, wheels, cache / "pyc")
        write_config(lite_dir, stage_pyodide(pyodide, lite_dir, wheels, cache))
        shutil.rmtree(output, ignore_errors=True)
        build = ["lite", "build", "--lite-dir", str(lite_dir), "--output-dir", str(output)]
        run([*jupyter, *build], cwd=lite_dir)
    point_kernel_at_start(output)
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    return LiteSite(output, size)


def point_kernel_at_start(output: Path) -> None:
    """Make the kernel load Pyodide through the kit's start module (``lite_snapshot``).

    Done after ``jupyter lite build``, whose pyodide add-on points the kernel at Pyodide's
    own ``pyodide.mjs`` whenever the site carries Pyodide.
    """
    config_file = output / "jupyter-lite.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    plugins = config["jupyter-config-data"]["litePluginSettings"]
    plugins[KERNEL_PLUGIN]["pyodideUrl"] = f"./static/pyodide/{lite_snapshot.START}"
    config_file.write_text(json.dumps(config, indent=1), encoding="utf-8")


def repl_url(lite_root: str, tool: str) -> str:
    """The REPL page that runs one tool at once, with its code hidden (livetool.js hides
    the REPL's own prompt and toolbar, which the REPL's options cannot)."""
    query = {
        "kernel": "python",
        "showBanner": "0",
        "hideCodeInput": "1",
        "execute": "1",
        "code": TOOL_CODE[tool],
    }
    return f"{lite_root.rstrip('/')}/repl/index.html?{urlencode(query)}"


def main() -> None:
    """``python -m ccin_learn.site.lite OUTPUT [JUPYTER]``: build and print the size."""
    output = Path(sys.argv[1]).resolve()
    jupyter = sys.argv[2:] or [sys.executable, "-m", "jupyter"]
    package = Path(__file__).resolve().parents[1]
    root = package.parent
    site = build_lite(package, root / "node_modules/pyodide", root / ".lite-cache", output, jupyter)
    print(f"lite site: {site.output} {site.bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
