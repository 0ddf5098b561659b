"""The kit's Voila server: Voila with a real home page and without its file tree.

Voila serving a folder shows that folder's raw file tree at ``/``: file names,
the template folder, and a JupyterLab front end that lists them by a second
request (sometimes answering with nothing) and asks for ``/api/kernels``,
which Voila does not serve. The kit replaces it with the tools index: a page
rendered once on the server, from ``data/tools.yaml``, with the kit's header,
one line per tool and a link to each tool's page in the book. The tree and the
contents API are not routed at all; any unknown address gets the kit's own
"not found" page. Each tool's page gets its name and the way back to the book
from the same data, through Voila's template ``resources``.

Run it as ``python -m ccin_learn.apps.server`` with Voila's own options
(``ccin_learn.apps.launcher`` does).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from tornado import web
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from ccin_learn.apps import APPS_DIR
from ccin_learn.apps.catalogue import ToolsFile, default_tools, template_resources
from ccin_learn.settings import book_url

TEMPLATE_DIR = APPS_DIR / "jupyter" / "voila" / "templates" / "ccin"
# Voila's handlers that expose the apps folder's files; the kit routes none of them.
TREE_HANDLERS = (TornadoVoilaTreeHandler, VoilaContentsHandler)


@functools.cache
def environment(folder: Path = TEMPLATE_DIR) -> Environment:
    """The kit's page templates, escaping every value."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


def index_html(tools: ToolsFile, book: str, base_url: str) -> str:
    """The tools index: the kit's header, a title and one line per tool."""
    return (
        environment()
        .get_template("tools-index.html.j2")
        .render(tools=tools, book_url=book, base_url=base_url)
    )


def not_found_html(tools: ToolsFile, book: str, base_url: str) -> str:
    """The kit's "not found" page, with the way back to the tools and the book."""
    return (
        environment()
        .get_template("not-found.html.j2")
        .render(course=tools.course, book_url=book, base_url=base_url)
    )


class PageHandler(web.RequestHandler):
    """Serve one page rendered at start-up, with the status it was made for."""

    def initialize(self, html: str, status: int = 200) -> None:
        self.html = html
        self.status = status

    def get(self, *_args: str) -> None:
        self.set_status(self.status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(self.html)

    def head(self, *_args: str) -> None:
        self.set_status(self.status)

    def write_error(self, status_code: int, **_kwargs: Any) -> None:
        self.finish(f"{status_code}")


class KitVoila(Voila):
    """Voila with the tools index at ``/`` and no file tree."""

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        tools = default_tools()
        settings = self.voila_configuration.config.VoilaConfiguration
        resources = dict(settings.get("resources") or {})
        resources["ccin"] = template_resources(tools, book_url())
        settings.resources = resources

    def init_settings(self) -> dict[str, Any]:
        """Voila's settings, with the kit's "not found" page for any unknown address and
        the kit's data for Voila's own error pages."""
        settings: dict[str, Any] = super().init_settings()
        # Voila's own error pages (404.html, error.html in the kit's template) use it too.
        settings["voila_jinja2_env"].globals["ccin"] = template_resources(
            default_tools(), book_url()
        )
        settings["default_handler_class"] = PageHandler
        settings["default_handler_args"] = {
            "html": not_found_html(default_tools(), book_url(), self.base_url),
            "status": 404,
        }
        return settings

    def init_handlers(self) -> list[Any]:
        """Voila's handlers less the tree and the contents API, and the index at ``/``."""
        kept = [h for h in super().init_handlers() if not serves_tree(h)]
        index = index_html(default_tools(), book_url(), self.base_url)
        return [(self.server_url, PageHandler, {"html": index}), *kept]


def serves_tree(handler: tuple[Any, ...]) -> bool:
    return len(handler) > 1 and handler[1] in TREE_HANDLERS


def main() -> None:
    KitVoila.launch_instance()


if __name__ == "__main__":
    main()
