"""Serve the built book on localhost with the standard library's HTTP server."""

from __future__ import annotations

import errno
import functools
import gzip
import io
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ccin_learn.errors import KitError
from ccin_learn.site.paths import KitPaths

# Compressed on the way out: the book's style sheet shrinks from 397 kB to about 60, the
# widget manager from 3.6 MB to under 1, and Pyodide's runtime (wasm) from 9.6 MB to 3.5.
# Fonts (woff2), zips and the .gz files of the in-page Python are compressed already.
COMPRESSIBLE = frozenset(
    {".html", ".js", ".mjs", ".css", ".svg", ".json", ".txt", ".map", ".ttf", ".eot", ".wasm"}
)


@functools.lru_cache(maxsize=64)
def gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    """The file's gzip body, kept until the file changes (its mtime and size are the key)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


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

    def wants_gzip(self, path: str) -> bool:
        return (
            "gzip" in self.headers.get("Accept-Encoding", "")
            and "If-Modified-Since" not in self.headers
            and Path(path).suffix in COMPRESSIBLE
            and os.path.isfile(path)
        )

    def send_head(self) -> io.BufferedIOBase | None:  # type: ignore[override]
        """Send text files gzipped to a browser that accepts it; anything else as the stdlib does.

        A page's transfer size is what a reader on a slow council line waits for.
        """
        path = self.translate_path(self.path)
        if not self.wants_gzip(path):
            return super().send_head()  # type: ignore[return-value]
        stat = os.stat(path)
        body = gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class SiteServer(ThreadingHTTPServer):
    """The threaded server, quiet when a reader's browser drops a connection mid-file.

    A browser cancels downloads all the time (a page closed, a tool's iframe removed); the
    standard library prints a traceback for each, which looks like a fault in the kit.
    """

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def site_directory(paths: KitPaths) -> Path:
    """The built site, or a clear error when there is none yet."""
    if not (paths.html_dir / "index.html").is_file():
        raise KitError(f"no built book at {paths.html_dir}: run 'ccin-learn book build' first")
    return paths.html_dir


def make_server(directory: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Bind a static server; a busy port becomes a one-line error."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    try:
        server = SiteServer((host, port), handler)
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
