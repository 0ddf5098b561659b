"""Serve the built book on localhost with the standard library's HTTP server."""

from __future__ import annotations

import errno
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.site.paths import KitPaths


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the font types browsers expect, and no request log on the console."""

    extensions_map = {  # noqa: RUF012 - extends the stdlib's class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",  # Pyodide loads as ES modules in workers
        ".wasm": "application/wasm",  # streaming compilation needs this type
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Keep the console for the kit's own messages."""


def site_directory(paths: KitPaths) -> Path:
    """The built site, or a clear error when there is none yet."""
    if not (paths.html_dir / "index.html").is_file():
        raise KitError(f"no built book at {paths.html_dir}: run 'ccin-learn book build' first")
    return paths.html_dir


def make_server(directory: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Bind a static server; a busy port becomes a one-line error."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise KitError(
                f"port {port} on {host} is already in use: stop the other server or pass --port"
            ) from err
        raise KitError(f"cannot serve on {host}:{port}: {err.strerror}") from err
    server.daemon_threads = True
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    name = host.decode() if isinstance(host, bytes) else host
    return f"http://{name}:{port}/"


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    """Run ``server`` in a daemon thread (the caller shuts it down)."""
    thread = threading.Thread(target=server.serve_forever, name="ccin-book-server", daemon=True)
    thread.start()
    return thread
