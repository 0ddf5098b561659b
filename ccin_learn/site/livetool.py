"""``{live-tool} APP``: the note above a tool's picture, and for in-page tools the Run button.

The book shows every tool as the picture the build saved (its widgets with example
figures). A picture that looks live but ignores input misleads, so:

- every tool's picture gets its controls disabled by ``livetool.js``, and this note sits
  **above** it saying what the reader sees;
- a tool the kit can run in the reader's browser (``ccin_learn.site.lite.TOOL_CODE``)
  gets a "Run this tool here" button: only the press loads the JupyterLite REPL (Pyodide),
  in an iframe that takes the picture's place once the tool has drawn its first result;
- a tool that needs the kit's server (the spend analysis needs pandas, the
  self-assessment a database) says so, with the command and the link.

The tool's name and its server address come from ``data/tools.yaml``; the code the page
runs comes from ``TOOL_CODE``, the same code the lite build and its tests use.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ccin_learn.apps.catalogue import default_tools
from ccin_learn.settings import app_url
from ccin_learn.site.lite import TOOL_CODE, repl_url

# Where the lite site sits in the built book (ccin_learn.site.build puts it there).
LITE_FOLDER = "lite"
# What the first start downloads (Pyodide, the REPL, the packages' image and Python's
# memory snapshot), measured in Chromium from the kit's own server and held to the
# measurement by tests/browser/test_live_tools.py.
FIRST_START_MB = 32


class LiveToolNode(nodes.General, nodes.Element):
    """The note's box; carries the REPL address for livetool.js."""


class RunButtonNode(nodes.General, nodes.Element):
    """The "Run this tool here" button and its progress line."""


def page_note(tool_name: str) -> list[str]:
    """MyST for a tool that runs in the page."""
    return [
        f"**{tool_name}: a picture until you start it.** The tool below shows example "
        "figures and its controls do not respond yet. Press **Run this tool here** to "
        "start it in this page: Python runs inside your browser, so nothing you type "
        f"leaves your computer. The first start downloads about {FIRST_START_MB} MB and "
        "takes a few seconds; later starts reuse what your browser kept.",
    ]


def server_note(tool_name: str, url: str) -> list[str]:
    """MyST for a tool that needs the kit's own server."""
    return [
        f"**{tool_name}: a picture of the tool.** The tool below shows example figures "
        "and its controls do not respond here: it needs the kit's own server, which a "
        "web page cannot carry. To use it, run `ccin-learn start` on your computer, then "
        f"open [{tool_name} on your computer]({url}).",
    ]


class LiveToolDirective(SphinxDirective):
    """Place directly above the notebook cell that shows the tool's widget."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        app = self.arguments[0]
        try:
            tool = default_tools().get(app)
        except KeyError as err:
            raise self.error(f"live-tool: {err.args[0]}") from None
        runs_here = app in TOOL_CODE
        box = LiveToolNode(app=app, runs_here=runs_here, tool_name=tool.name)
        lines = page_note(tool.name) if runs_here else server_note(tool.name, app_url(app))
        self.state.nested_parse(StringList(lines, self.get_source_info()[0]), 0, box)
        if runs_here:
            root = "../" * self.env.docname.count("/")
            box["repl"] = repl_url(root + LITE_FOLDER, app)
            box += RunButtonNode(tool_name=tool.name)
        return [box]


def visit_live_tool(self: HTML5Translator, node: LiveToolNode) -> None:
    attributes = {
        "data-tool": node["app"],
        "data-name": node["tool_name"],
        "data-runs-here": str(node["runs_here"]).lower(),
    }
    if node["runs_here"]:
        attributes["data-repl"] = node["repl"]
    self.body.append(
        self.starttag(
            node,
            "aside",
            CLASS="ccin-live-tool",
            role="note",
            **{"aria-label": f"About the tool {node['tool_name']}"},
            **attributes,
        )
    )


def depart_live_tool(self: HTML5Translator, _node: LiveToolNode) -> None:
    self.body.append("</aside>\n")


def visit_run_button(self: HTML5Translator, node: RunButtonNode) -> None:
    """The button, then a status line that livetool.js fills while Python starts."""
    self.body.append(
        self.starttag(node, "p", CLASS="ccin-live-run")
        + self.starttag(node, "button", "", type="button", CLASS="ccin-live-start")
        + "Run this tool here</button>"
        + self.starttag(node, "span", "", CLASS="ccin-live-status", role="status")
        + "</span>"
    )


def depart_run_button(self: HTML5Translator, _node: RunButtonNode) -> None:
    self.body.append("</p>\n")


def skip(_self: Any, _node: nodes.Node) -> None:
    """Other builders (the text checks) show only the note's words."""


def setup_live_tools(app: Sphinx) -> None:
    """Register the directive, its nodes and the page script; called from sphinxext.setup."""
    app.add_node(
        LiveToolNode,
        html=(visit_live_tool, depart_live_tool),
        text=(skip, skip),
        latex=(skip, skip),
    )
    app.add_node(RunButtonNode, html=(visit_run_button, depart_run_button), text=(skip, skip))
    app.add_directive("live-tool", LiveToolDirective)
    app.connect("html-page-context", add_page_assets)


def add_page_assets(
    app: Sphinx, _page: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """The script and styles only on the pages that show a tool (called per page)."""
    if 'class="ccin-live-tool' in str(context.get("body", "")):
        app.add_js_file("livetool.js", loading_method="defer")
        app.add_css_file("livetool.css")
