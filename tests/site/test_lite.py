"""The lite build's own parts: the in-page wheel of ccin_learn, and the wheels it writes."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ccin_learn.apps.catalogue import default_tools
from ccin_learn.course.catalogue import default_course
from ccin_learn.site.lite import (
    TOOL_CODE,
    compile_wheels,
    kit_wheel,
    package_name,
    repl_url,
    snapshot_imports,
    write_wheel,
)
from ccin_learn.tools.coop_models import default_guide
from ccin_learn.tools.legal_forms_schema import default_forms
from ccin_learn.widgets.legal_forms import LegalFormChooser
from ccin_learn.widgets.model_finder import ModelFinder
from ccin_learn.widgets.pathway import PathwayPlanner

PACKAGE = Path(__file__).resolve().parents[2] / "ccin_learn"
# No browser (wasm) build of these exists on PyPI or npm (December 2026).
NO_BROWSER_BUILD = ["pydantic", "pydantic_core", "pandas", "numpy", "matplotlib", "yaml"]
RUN_FROM_WHEEL = """
import sys, importlib.abc
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError(f"{{name}} has no browser build")
sys.meta_path.insert(0, Refuse())
sys.path = [p for p in sys.path if p not in ("", {root!r})]
sys.path.insert(0, {wheel!r})
import ast, ipywidgets
code = ast.parse({code!r})
last = ast.Expression(code.body.pop().value)
space = {{}}
exec(compile(code, "tool", "exec"), space)
tool = eval(compile(last, "tool", "eval"), space)
assert isinstance(tool, ipywidgets.Widget), type(tool)
print(__import__("ccin_learn").__file__)
print(type(tool).__module__)
"""


@pytest.fixture(scope="module")
def page_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return kit_wheel(PACKAGE, tmp_path_factory.mktemp("wheel"))


def run_from_wheel(wheel: Path, code: str, cwd: Path) -> list[str]:
    """Run ``code`` with only the page wheel's ccin_learn and the browser-less packages refused."""
    script = RUN_FROM_WHEEL.format(
        blocked=set(NO_BROWSER_BUILD), root=str(PACKAGE.parent), wheel=str(wheel), code=code
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("tool", sorted(TOOL_CODE))
def test_each_page_tool_builds_its_widget_from_the_wheel_without_pydantic_pandas_or_matplotlib(
    tool, page_wheel, tmp_path
):
    origin, module = run_from_wheel(page_wheel, TOOL_CODE[tool], tmp_path)
    assert origin.startswith(str(page_wheel))
    assert module.startswith("ccin_learn.widgets.")


def test_the_lm3_calculator_from_the_wheel_shows_the_worked_example(page_wheel, tmp_path):
    code = (
        "from ccin_learn.widgets.lm3 import LM3Calculator\n"
        "calculator = LM3Calculator()\n"
        "print('LM3 score:' in calculator.result.value, '1.84' in calculator.result.value)\n"
        "calculator"
    )
    assert run_from_wheel(page_wheel, code, tmp_path)[0] == "True True"


# The tools that read PAGE_DATA, built as the Voila app builds them (without its link base).
VOILA_TOOLS = {
    "model-finder": lambda: ModelFinder(default_guide(), link_base="../../"),
    "pathway": lambda: PathwayPlanner(default_course(), link_base="../../"),
    "legal-form-chooser": lambda: LegalFormChooser(default_forms(), link_base="../../"),
}


@pytest.mark.parametrize("tool", sorted(VOILA_TOOLS))
def test_a_page_tool_from_the_wheel_starts_with_the_voila_apps_result(tool, page_wheel, tmp_path):
    # The page's data comes from the JSON packed in the wheel, not from the YAML.
    *setup, last = TOOL_CODE[tool].splitlines()
    code = "\n".join(
        [*setup, "import json", f"tool = {last}", "print(json.dumps(tool.result.value))", "tool"]
    )
    in_page = json.loads(run_from_wheel(page_wheel, code, tmp_path)[0])
    assert in_page == VOILA_TOOLS[tool]().result.value


def test_the_share_offer_planner_from_the_wheel_draws_its_svg_chart(page_wheel, tmp_path):
    code = (
        "from ccin_learn.widgets.share_offer import ShareOfferPlanner\n"
        "planner = ShareOfferPlanner()\n"
        "html = planner.result.value\n"
        "print('you need 200 investors' in html, '<svg' in html, 'role=\"img\"' in html)\n"
        "planner"
    )
    assert run_from_wheel(page_wheel, code, tmp_path)[0] == "True True True"


def test_every_tools_catalogue_entry_that_runs_in_the_page_names_a_real_app():
    apps = {tool.app for tool in default_tools().tools}
    assert set(TOOL_CODE) <= apps


def test_a_written_wheel_records_the_hash_of_every_file(tmp_path):
    wheel = write_wheel(tmp_path, "demo", "1.0", {"demo/__init__.py": b"X = 1\n"})
    with zipfile.ZipFile(wheel) as archive:
        record = archive.read("demo-1.0.dist-info/RECORD").decode().splitlines()
        for line in record:
            path, digest, size = line.split(",")
            if path.endswith("RECORD"):
                continue
            data = archive.read(path)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == f"sha256={expected.decode()}"
            assert int(size) == len(data)
    assert wheel.name == "demo-1.0-py3-none-any.whl"


def test_the_repl_url_hides_the_code_and_runs_the_tool():
    url = repl_url("http://127.0.0.1:8000/lite/", "lm3-calculator")
    assert url.startswith("http://127.0.0.1:8000/lite/repl/index.html?kernel=python")
    assert "hideCodeInput=1" in url
    assert "execute=1" in url
    assert "LM3Calculator" in url


def test_a_package_is_named_as_the_kernel_spells_it(tmp_path):
    wheel = write_wheel(tmp_path, "Demo_Pkg", "2.0", {"demo_pkg/__init__.py": b""})
    assert package_name(wheel) == "demo-pkg"


def test_the_snapshot_imports_ipython_and_every_tool_module_that_exists():
    imports = snapshot_imports()
    assert imports[:2] == ["IPython", "IPython.core.completerlib"]
    assert "ccin_learn.widgets.lm3" in imports
    # "from ccin_learn.course.pathway import Course" names a class, not a module
    assert "ccin_learn.course.pathway.Course" not in imports
    assert "pyodide_kernel" not in imports  # it holds Pyodide's JS API: no snapshot can


@pytest.mark.slow
def test_bytecode_is_compiled_by_the_pages_own_python_for_what_starts_and_nothing_more(
    tmp_path,
):
    source = b"ANSWER = 42\n"
    files = {"demo/__init__.py": source, "demo/unused.py": b"X = 1\n"}
    wheel = write_wheel(tmp_path, "demo", "1.0", files)
    out = tmp_path / "out"
    out.mkdir()
    compile_wheels(PACKAGE.parent / "node_modules" / "pyodide", [wheel], ["demo"], out)
    with zipfile.ZipFile(out / wheel.name) as archive:
        names = archive.namelist()
        pyc = archive.read("demo/__pycache__/__init__.cpython-314.pyc")
    assert "demo/__init__.py" in names  # the source stays, for readable tracebacks
    assert not [name for name in names if "unused" in name and name.endswith(".pyc")]
    flags = int.from_bytes(pyc[4:8], "little")
    assert flags == 0b01  # hash-based, unchecked: valid at any unpacking time
    # Python 3.14's bytecode (the page's), not this machine's Python's.
    assert pyc[:4] != importlib.util.MAGIC_NUMBER
