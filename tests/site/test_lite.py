"""The lite build's own parts: the in-page wheel of ccin_learn, and the wheels it writes."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

from ccin_learn.site.lite import kit_wheel, repl_url, write_wheel

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
from ccin_learn.widgets.lm3 import LM3Calculator
calculator = LM3Calculator()
assert calculator.__module__ == "ccin_learn.widgets.lm3"
print(__import__("ccin_learn").__file__)
print("LM3 score:" in calculator.result.value, "1.84" in calculator.result.value)
"""


def test_the_lm3_calculator_runs_from_the_page_wheel_without_pydantic_pandas_or_matplotlib(
    tmp_path,
):
    wheel = kit_wheel(PACKAGE, tmp_path)
    code = RUN_FROM_WHEEL.format(
        blocked=set(NO_BROWSER_BUILD), root=str(PACKAGE.parent), wheel=str(wheel)
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    origin, shown = done.stdout.splitlines()
    assert origin.startswith(str(wheel))
    assert shown == "True True"


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
    url = repl_url("http://127.0.0.1:8000/lite/", "lm3")
    assert url.startswith("http://127.0.0.1:8000/lite/repl/index.html?kernel=python")
    assert "hideCodeInput=1" in url
    assert "execute=1" in url
    assert "LM3Calculator" in url
