"""Widgets are views: their HTML comes from Jinja2 templates that escape every value.

No widget module may build markup out of pieces (an f-string, ``+``, ``%``,
``.format`` or ``.join`` around text with an HTML tag), nor escape by hand with
``html.escape``: that is how a council's name or evidence could become markup.
A fixed string with no value in it (say, a static heading) is allowed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from jinja2 import UndefinedError

import ccin_learn.widgets
from ccin_learn.widgets.templates import environment, render

WIDGETS = Path(ccin_learn.widgets.__file__).parent
MODULES = sorted(WIDGETS.glob("*.py"))
TAG = re.compile(r"<[A-Za-z/]")
HOLE = "\x00"  # stands for an interpolated value, which is never a tag of its own


def text_of(node: ast.AST) -> str | None:
    """The literal text of a string or f-string (values as HOLE), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else HOLE for part in node.values
        )
    return None


def has_tag(node: ast.AST) -> bool:
    text = text_of(node)
    return text is not None and TAG.search(text) is not None


def operands(node: ast.AST) -> list[ast.AST]:
    """The strings added together by ``a + b + c``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return operands(node.left) + operands(node.right)
    return [node]


def built_markup(tree: ast.AST) -> list[tuple[int, str]]:
    """Each place that builds HTML out of pieces, or escapes by hand: (line, what)."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.JoinedStr) and has_tag(node):
            found.add((line, "f-string with an HTML tag"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            if any(has_tag(part) for part in operands(node)):
                found.add((line, "HTML tag joined with +"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and has_tag(node.left):
            found.add((line, "HTML tag filled in with %"))
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            if has_tag(node.value):
                found.add((line, "HTML tag added with +="))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"format", "join"}
            and has_tag(node.func.value)
        ):
            found.add((line, f"HTML tag filled in with .{node.func.attr}()"))
        elif isinstance(node, ast.ImportFrom) and node.module == "html":
            if any(alias.name == "escape" for alias in node.names):
                found.add((line, "html.escape imported"))
        elif isinstance(node, ast.Import) and any(a.name == "html" for a in node.names):
            found.add((line, "html imported (for html.escape)"))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "escape"
            and isinstance(node.value, ast.Name)
            and node.value.id == "html"
        ):
            found.add((line, "html.escape used"))
    return sorted(found)


def test_every_widget_module_is_checked():
    names = {path.name for path in MODULES}
    assert {"assessment_app.py", "common.py", "htmlcharts.py", "templates.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_widget_module_builds_no_html_from_strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = [f"{path.name}:{line}: {what}" for line, what in built_markup(tree)]
    assert problems == [], "put the HTML in a template under widgets/templates/"


@pytest.mark.parametrize(
    "source",
    [
        'f"<p>{name}</p>"',
        'f"{a}</td>"',
        '"<li>" + item',
        'head + "</ul>"',
        '"<b>%s</b>" % name',
        '"<p>{}</p>".format(name)',
        '"</li><li>".join(items)',
        'html += "<br>"',
        "from html import escape",
        "import html\nhtml.escape(x)",
    ],
)
def test_the_checker_catches_markup_built_from_strings(source: str):
    assert built_markup(ast.parse(source)) != []


@pytest.mark.parametrize(
    "source",
    [
        'widgets.HTML("<h2>Download</h2>")',  # fixed, nothing interpolated
        'f"{count} of {total} answered"',
        'f"{{doc}}`{title} <{target}>`"',  # MyST Markdown, not a tag
        '"a < b" + text',
        'base + page + ".html"',
    ],
)
def test_the_checker_leaves_plain_text_alone(source: str):
    assert built_markup(ast.parse(source)) == []


def test_templates_escape_values_and_refuse_missing_ones():
    assert environment().autoescape is True
    html = render("note.html.j2", text='<script>alert("x")</script>', bold=False)
    assert "<script>" not in html and "&lt;script&gt;" in html
    with pytest.raises(UndefinedError):
        render("note.html.j2", bold=False)


def test_every_template_compiles():
    templates = sorted(path.name for path in (WIDGETS / "templates").glob("*.html.j2"))
    assert templates
    for name in templates:
        environment().get_template(name)
