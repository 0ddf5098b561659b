"""The book's own Sphinx additions.

- ``{quiz} quiz.yaml`` shows a module's self-check quiz from its data file,
  marked in the reader's browser by ``static/quiz.js``.
- ``{module-summary} ID`` prints a module's study time, prerequisites and
  learning outcomes from ``data/modules.yaml``, so the landing page and the
  micro-credential can never disagree.
- Each page loads each script once, and none that fetches from a CDN: Jupyter
  Book 1 on Sphinx 7.4 lists some scripts twice (ipywidgets then renders every
  widget twice), and sphinx-thebe's loader points at unpkg.com although the
  book never starts Thebe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ccin_learn.course.catalogue import Catalogue, Module, default_catalogue
from ccin_learn.course.pathway import format_hours
from ccin_learn.course.quiz import load_quiz, quiz_html
from ccin_learn.datafile import DataFileError

STATIC_DIR = Path(__file__).parent / "static"
# Widget styles and the radio-group naming script, shared with the Voila apps' template.
WIDGET_STATIC_DIR = Path(__file__).resolve().parents[1] / "apps/jupyter/voila/templates/ccin/static"


def prerequisite_text(module: Module, catalogue: Catalogue) -> str:
    if not module.prerequisites:
        return "none; you can start here."
    names = [f"*{catalogue.get(p).title}*" for p in module.prerequisites]
    return " and ".join(names) + ". Take it first."


def summary_markdown(module: Module, catalogue: Catalogue) -> list[str]:
    """The landing page's facts as MyST Markdown lines."""
    lines = [
        f"**Study time:** about {format_hours(module.hours)}.",
        "",
        f"**Prerequisites:** {prerequisite_text(module, catalogue)}",
        "",
        "**Learning outcomes.** By the end you can:",
        "",
    ]
    lines += [f"- {outcome};" for outcome in module.outcomes[:-1]]
    lines.append(f"- {module.outcomes[-1]}.")
    return lines


class ModuleSummary(SphinxDirective):
    """Render one module's catalogue entry."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        catalogue = default_catalogue()
        try:
            module = catalogue.get(self.arguments[0])
        except KeyError as err:
            raise self.error(str(err)) from err
        container = nodes.container(classes=["ccin-module-summary"])
        self.state.nested_parse(
            StringList(summary_markdown(module, catalogue)), self.content_offset, container
        )
        return [container]


def asset_key(asset: object) -> tuple[str, str]:
    """Identify a script or style sheet by its file name, or its body when inline."""
    attributes = getattr(asset, "attributes", {}) or {}
    return str(getattr(asset, "filename", asset) or ""), str(attributes.get("body", ""))


def loads_from_cdn(asset: object) -> bool:
    filename, body = asset_key(asset)
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def clean_page_assets(
    _app: Sphinx, _page: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Drop duplicate scripts and style sheets, and thebe's CDN loader, from a page."""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen: set[tuple[str, str]] = set()
        kept = []
        for asset in assets:
            if asset_key(asset) in seen or loads_from_cdn(asset):
                continue
            seen.add(asset_key(asset))
            kept.append(asset)
        assets[:] = kept


class QuizDirective(SphinxDirective):
    """Render a quiz data file (path relative to the page) as a browser-marked quiz."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        relative, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            quiz = load_quiz(Path(absolute))
        except DataFileError as err:
            raise self.error(str(err)) from err
        return [nodes.raw("", quiz_html(quiz), format="html")]


def add_static_files(app: Sphinx) -> None:
    app.config.html_static_path.extend([str(STATIC_DIR), str(WIDGET_STATIC_DIR)])


NAV_TOGGLE_LABEL = '<summary aria-label="Show or hide the pages in this section">'


def label_nav_toggles(
    _app: Sphinx, _page: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Give the sidebar's expand/collapse toggles an accessible name (WCAG 4.1.2).

    pydata-sphinx-theme renders each toggle as an empty ``<summary>``, which
    screen readers announce as nothing and axe reports as ``summary-name``.
    """
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args: Any, **kwargs: Any) -> Any:
        html = generate(*args, **kwargs)
        return type(html)(str(html).replace("<summary>", NAV_TOGGLE_LABEL))

    context["generate_toctree_html"] = labelled


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("module-summary", ModuleSummary)
    app.add_directive("quiz", QuizDirective)
    app.connect("builder-inited", add_static_files)
    app.add_js_file("quiz.js", loading_method="defer")
    app.add_js_file("widgets-a11y.js", loading_method="defer")
    app.add_css_file("quiz.css")
    app.add_css_file("widgets.css")
    app.connect("html-page-context", clean_page_assets, priority=900)
    app.connect("html-page-context", label_nav_toggles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
