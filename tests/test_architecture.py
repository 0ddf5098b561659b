"""The house rules of the package, checked over its source: the layout stays as designed.

Every import is read with ``ast``, including imports inside functions, so a
lazy import cannot hide a cycle. Units are the subpackages (``grading``,
``selfassessment``...) and the plumbing modules at the package root.
"""

from __future__ import annotations

import ast
import graphlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ccin_learn"
# Plumbing that every product may use; it must use no product.
PLUMBING = {
    "errors",
    "settings",
    "fileio",
    "datafile",
    "csvtext",
    "text",
    "figures",
    "palette",
    "pdfdoc",
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported ccin_learn module, dotted
    line: int
    in_function: bool
    commented: bool  # a comment on the line says why it is lazy


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def target_of(node: ast.ImportFrom, alias: ast.alias, here: str, is_package: bool) -> str | None:
    if node.level:  # relative import
        base = here.split(".") if is_package else here.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    if not source.startswith("ccin_learn"):
        return None
    candidate = f"{source}.{alias.name}"
    exists = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
        PACKAGE.parent / candidate.replace(".", "/")
    ).is_dir()
    return candidate if exists else source


def imports_of(path: Path) -> list[Import]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    here = module_name(path)
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import | ast.ImportFrom):
                comment = says_lazy(lines, child.lineno - 1)
                targets = (
                    [a.name for a in child.names if a.name.startswith("ccin_learn")]
                    if isinstance(child, ast.Import)
                    else [
                        t
                        for a in child.names
                        if (t := target_of(child, a, here, path.name == "__init__.py"))
                    ]
                )
                found.extend(Import(here, t, child.lineno, in_function, comment) for t in targets)
                if not targets and in_function:
                    found.append(Import(here, "", child.lineno, in_function, comment))
            visit(child, nested)

    visit(ast.parse(text), False)
    return found


def says_lazy(lines: list[str], index: int) -> bool:
    """A '# lazy: why' on the import's line or on the block of imports just above it."""
    while index >= 0:
        line = lines[index].strip()
        if "lazy:" in line:
            return True
        if not line.startswith(("from ", "import ", "#")):
            return False
        index -= 1
    return False


@pytest.fixture(scope="module")
def all_imports() -> list[Import]:
    return [found for path in sorted(PACKAGE.rglob("*.py")) for found in imports_of(path)]


def unit(module: str) -> str:
    """The subpackage or root module a module belongs to: ``grading``, ``text``..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_cycle_between_subpackages(all_imports: list[Import]) -> None:
    graph: dict[str, set[str]] = {}
    for found in all_imports:
        source, target = unit(found.module), unit(found.target) if found.target else ""
        graph.setdefault(source, set())
        if target and target != source and target != "__init__":
            graph[source].add(target)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle between subpackages: {' -> '.join(err.args[1])}")


def test_no_cycle_between_modules(all_imports: list[Import]) -> None:
    graph: dict[str, set[str]] = {}
    for found in all_imports:
        graph.setdefault(found.module, set())
        if found.target and found.target != found.module and found.target != "ccin_learn":
            graph[found.module].add(found.target)
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle between modules: {' -> '.join(err.args[1])}")


def test_plumbing_uses_no_product(all_imports: list[Import]) -> None:
    wrong = [
        f"{f.module}:{f.line} imports {f.target}"
        for f in all_imports
        if unit(f.module) in PLUMBING and f.target and unit(f.target) not in PLUMBING | {"__init__"}
    ]
    assert not wrong


def test_every_import_inside_a_function_says_why_it_is_lazy(all_imports: list[Import]) -> None:
    unexplained = [f"{f.module}:{f.line}" for f in all_imports if f.in_function and not f.commented]
    assert not unexplained, "add '# lazy: <why>' or move the import to the top"


def test_at_most_ten_modules_at_the_package_root() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 10


def test_importing_every_module_changes_nothing(tmp_path: Path) -> None:
    """Nothing happens on import: no environment change, no file written, no folder changed."""
    modules = sorted(module_name(p) for p in PACKAGE.rglob("*.py") if p.name not in {"__main__.py"})
    script = (
        "import importlib, json, os, sys\n"
        "before = dict(os.environ)\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "changed = sorted(k for k in set(before) | set(os.environ)"
        " if before.get(k) != os.environ.get(k))\n"
        "print(json.dumps({'changed': changed, 'cwd': os.getcwd()}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"changed": [], "cwd": str(tmp_path)}
    assert list(tmp_path.iterdir()) == []
