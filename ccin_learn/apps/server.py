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

Kernels follow the kit's policy for a training room (``ccin_learn.apps.kernels``):
a preheated pool for the self-assessment app sized to memory, a cap on live kernels
(a visit beyond it gets the kit's "busy" page, HTTP 503, and the log says so), and
no kernel left behind by a closed page or a plain GET.

On a network's JupyterHub the server runs as the hub service ``ccin-app``
(``ccin_learn.hub.app_service``) with ``KitVoila.hub_sign_in``: every page needs
the hub's sign-in (JupyterHub's own identity provider for Jupyter servers), and
the app's kernel is told who signed in through a request header the server sets
after checking the sign-in, which Voila hands the kernel as ``HTTP_*`` variables.
Voila lets a page send its kernel only widget messages (its kernel manager's
``allowed_message_types``), never code to run, so nobody reaches the database or
the hub's token through an app's kernel (a test holds Voila to it).

Downloads are made by one report process the server starts and stops
(``ccin_learn.reports.service``), so a kernel never loads the report libraries.

Run it as ``python -m ccin_learn.apps.server`` with Voila's own options
(``ccin_learn.apps.launcher`` does).
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import voila.app
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web
from traitlets import Bool, Float, Integer
from voila.app import Voila
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from ccin_learn.apps import APPS_DIR
from ccin_learn.apps.catalogue import ToolsFile, default_tools, template_resources
from ccin_learn.apps.kernels import (
    COHORT_APP,
    KernelCapReached,
    KernelLimits,
    KitKernelPolicy,
    default_limits,
    kit_factory,
)
from ccin_learn.errors import KitError
from ccin_learn.reports.service import ReportService
from ccin_learn.selfassessment.access import Officer
from ccin_learn.selfassessment.evidence import EvidenceNotFound, read_file
from ccin_learn.selfassessment.hub_directory import HubDirectory
from ccin_learn.selfassessment.store import Store
from ccin_learn.settings import SIGNED_IN_HEADER, book_url, current_person

TEMPLATE_DIR = APPS_DIR / "jupyter" / "voila" / "templates" / "ccin"
UPLOAD_MESSAGE_LIMIT = 32 * 1024 * 1024
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


def busy_html(tools: ToolsFile, book: str, base_url: str) -> str:
    """The kit's "busy" page: the server runs as many kernels as its memory allows."""
    return (
        environment()
        .get_template("busy.html.j2")
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


class AppHandler(TornadoVoilaHandler):
    """Voila's app page, admitted under the kernel cap, with the cookie that lets the
    page's shutdown request through when it closes."""

    def initialize(self, **kwargs: Any) -> None:
        self.busy_html: str = kwargs.pop("busy_html")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        kernels = self.kernel_manager
        notebook = self.notebook_path or path or ""
        if isinstance(kernels, KitKernelPolicy):
            if not kernels.admits(notebook):
                self.refuse(notebook, kernels)
                return
            kernels.note_visit()
        # Sets the _xsrf cookie: the page sends it with its shutdown request on closing,
        # which Voila refuses (403) without it (voila#1458).
        self.xsrf_token  # noqa: B018
        self.tell_kernel_who()
        try:
            await super().get(path)
        except KernelCapReached:
            if self._headers_written:
                raise
            self.clear()
            self.refuse(notebook, kernels)

    def tell_kernel_who(self) -> None:
        """Put the signed-in name in the header Voila hands the kernel, replacing any the
        browser sent: only a name the sign-in vouched for reaches the app."""
        self.request.headers.pop(SIGNED_IN_HEADER, None)
        user = self.current_user
        name = getattr(user, "username", None) if user else None
        if self.settings.get("ccin_hub_sign_in") and name:
            self.request.headers[SIGNED_IN_HEADER] = str(name)

    def refuse(self, notebook: str, kernels: KitKernelPolicy) -> None:
        self.log.warning(
            "Refused a visit to %s (busy page, 503): %d kernels running, the cap is %d "
            "(CCIN_KERNEL_CAP)",
            notebook,
            kernels.live_kernels(),
            kernels.limits.cap,
        )
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.busy_html)


class EvidenceHandler(JupyterHandler):
    """An evidence file, downloaded by a member of its council and by nobody else.

    On a hub the signed-in person's councils come from the hub's groups; on a laptop
    the server's user owns every council. A file that does not exist and one the
    person may not open get the same answer, so an address tells a stranger nothing.
    """

    @web.authenticated
    async def get(self, item_id: str) -> None:
        try:
            officer = await asyncio.to_thread(self.officer)
            store = self.store().seen_by(officer)
            item, data = await asyncio.to_thread(read_file, store, item_id)
        except EvidenceNotFound as err:
            self.refuse(404, str(err))
            return
        except (KitError, OSError) as err:
            self.log.warning("evidence %s not given out: %s", item_id, err)
            self.refuse(500, str(err))
            return
        self.set_header("Content-Type", item.media_type or "application/octet-stream")
        self.set_header("Content-Disposition", attachment(item.name))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "private, no-store")
        self.set_header("Content-Security-Policy", "default-src 'none'; sandbox")
        self.finish(data)

    def officer(self) -> Officer:
        """Who asks: the hub's signed-in person with their councils, or the laptop's owner."""
        user = self.current_user
        name = str(getattr(user, "username", "") or "")
        if not self.settings.get("ccin_hub_sign_in"):
            return Officer.owner(name or current_person())
        directory = HubDirectory.from_environment()
        if directory is None or not name:
            return Officer.nobody()
        return directory.officer(name)

    def store(self) -> Store:
        """The server's one view of the database, opened on the first download."""
        found = self.settings.get("ccin_store")
        if found is None:
            found = self.settings["ccin_store"] = Store(officer=Officer.nobody())
        return found

    def refuse(self, status: int, words: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(words[:1].upper() + words[1:] + ".\n")


def attachment(name: str) -> str:
    """A Content-Disposition that saves the file under its own name (RFC 6266 and 5987)."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


class KitVoila(Voila):
    """Voila with the tools index at ``/``, no file tree and the kit's kernel policy."""

    kernel_pool = Integer(
        -1,
        config=True,
        help="Preheated kernels for the self-assessment app (-1: sized to memory, at most 20).",
    )
    kernel_cap = Integer(
        -1, config=True, help="Most kernels alive at once, pools included (-1: sized to memory)."
    )
    orphan_timeout = Float(
        60.0, config=True, help="Seconds a visit's kernel lives with no page connected to it."
    )
    refill_quiet = Float(
        3.0, config=True, help="Seconds without a visit before the pool is refilled."
    )

    report_process = Bool(
        True,
        config=True,
        help="Make downloads in one report process (False: each kernel makes its own, "
        "loading about 110 MB of report libraries; for servers whose pages never download).",
    )

    hub_sign_in = Bool(
        False,
        config=True,
        help="Run as a JupyterHub service: every page needs the hub's sign-in, and the "
        "app's kernel is told who signed in.",
    )

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)  # reads the options, starts no kernel yet
        if self.hub_sign_in:
            self.use_hub_sign_in()
        if self.report_process:
            self.start_report_process()
        tools = default_tools()
        settings = self.voila_configuration.config.VoilaConfiguration
        resources = dict(settings.get("resources") or {})
        resources["ccin"] = template_resources(tools, book_url())
        settings.resources = resources

    def use_hub_sign_in(self) -> None:
        """JupyterHub's sign-in in front of every page, and the signed-in name for the kernel."""
        from jupyterhub.singleuser.extension import (  # lazy: only a hub's server has it
            JupyterHubIdentityProvider,
        )

        self.identity_provider_class = JupyterHubIdentityProvider
        # Voila would hand its own token setting to the provider, which takes the hub's.
        self.token, self.auto_token = None, True
        headers = self.voila_configuration.http_header_envs
        self.voila_configuration.http_header_envs = [*headers, SIGNED_IN_HEADER]

    def start_report_process(self) -> None:
        """Start the report process before any kernel, which inherits where to reach it."""
        service = ReportService()
        os.environ.update(service.start())
        atexit.register(service.stop)

    def init_settings(self) -> dict[str, Any]:
        """Voila's settings, with the kit's kernel policy and pool sizes (logged, so an
        operator sees what memory allowed), the kit's "not found" page for any unknown
        address and the kit's data for Voila's own error pages."""
        limits = self.kernel_limits()
        self.config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": self.voila_configuration.default_pool_size},
            COHORT_APP: {"pool_size": limits.pool},
        }
        self.config.VoilaKernelManager.fill_delay = 0  # the kit's refill waits for quiet
        settings: dict[str, Any] = self.voila_init_settings()
        if isinstance(self.kernel_manager, KitKernelPolicy):
            self.kernel_manager.limits = limits
        self.log.info(
            "Kernels: %d preheated for %s, at most %d alive; a kernel with no page "
            "connected is freed after %.0f s",
            limits.pool,
            COHORT_APP,
            limits.cap,
            limits.orphan_timeout,
        )
        # Voila's own error pages (404.html, error.html in the kit's template) use it too.
        settings["voila_jinja2_env"].globals["ccin"] = template_resources(
            default_tools(), book_url()
        )
        settings["ccin_hub_sign_in"] = self.hub_sign_in
        # An evidence file comes to the app's kernel in one websocket message: room for
        # one a little over the 10 MB limit, so the app can refuse it in words, where
        # tornado's default (10 MiB) would drop the connection instead.
        settings["websocket_max_message_size"] = UPLOAD_MESSAGE_LIMIT
        settings["default_handler_class"] = PageHandler
        settings["default_handler_args"] = {
            "html": not_found_html(default_tools(), book_url(), self.base_url),
            "status": 404,
        }
        return settings

    def voila_init_settings(self) -> dict[str, Any]:
        """Voila's settings, its kernel manager built with the kit's policy in front.

        Voila makes the class inside ``init_settings`` with ``voila_kernel_manager_factory``
        and offers no setting for it, so the factory is wrapped for that call only.
        """
        voila_factory = voila.app.voila_kernel_manager_factory
        voila.app.voila_kernel_manager_factory = kit_factory(voila_factory)
        try:
            settings: dict[str, Any] = super().init_settings()
        finally:
            voila.app.voila_kernel_manager_factory = voila_factory
        return settings

    def kernel_limits(self) -> KernelLimits:
        """The configured pool and cap, each sized to memory where not set."""
        others = self.voila_configuration.default_pool_size * len(self.other_notebooks())
        sized = default_limits(others)
        pool = self.kernel_pool if self.kernel_pool >= 0 else sized.pool
        cap = self.kernel_cap if self.kernel_cap > 0 else max(sized.cap, pool + others + 1)
        return KernelLimits(pool, cap, self.orphan_timeout, self.refill_quiet)

    def other_notebooks(self) -> list[Path]:
        """The notebooks Voila preheats besides the self-assessment app."""
        root = Path(self.root_dir)
        return [
            nb
            for nb in root.rglob("*.ipynb")
            if nb.name != COHORT_APP and ".ipynb_checkpoints" not in nb.parts
        ]

    def init_handlers(self) -> list[Any]:
        """Voila's handlers less the tree and the contents API, the index at ``/``, and
        the app pages admitted under the kernel cap."""
        kept = [admitted(h, self.base_url) for h in super().init_handlers() if not serves_tree(h)]
        kept = [under(self.server_url, h) for h in kept]
        index = index_html(default_tools(), book_url(), self.base_url)
        evidence = url_path_join(self.server_url, r"evidence/([0-9a-f]{1,64})")
        return [(self.server_url, PageHandler, {"html": index}), (evidence, EvidenceHandler), *kept]


def admitted(handler: tuple[Any, ...], base_url: str) -> tuple[Any, ...]:
    """Voila's app page handler replaced by the kit's, which may refuse a visit."""
    if len(handler) < 3 or handler[1] is not TornadoVoilaHandler:
        return handler
    busy = busy_html(default_tools(), book_url(), base_url)
    return (handler[0], AppHandler, {**handler[2], "busy_html": busy})


def under(prefix: str, handler: tuple[Any, ...]) -> tuple[Any, ...]:
    """The handler at its address under the server's prefix. Voila adds the identity
    provider's handlers (the hub's /oauth_callback) without it; behind the hub's proxy,
    at /services/ccin-app/, they would never be reached."""
    path = handler[0]
    if not isinstance(path, str) or path.startswith(prefix):
        return handler
    return (url_path_join(prefix, path), *handler[1:])


def serves_tree(handler: tuple[Any, ...]) -> bool:
    return len(handler) > 1 and handler[1] in TREE_HANDLERS


def main() -> None:
    KitVoila.launch_instance()


if __name__ == "__main__":
    main()
