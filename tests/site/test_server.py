"""The static server: serves the site with font types, and says when there is nothing to serve."""

from __future__ import annotations

import gzip
import socket
import struct
import time
import urllib.request
from collections.abc import Iterator

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site.paths import KitPaths
from ccin_learn.site.server import make_server, serve_in_thread, site_directory, url_of


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    """The kit's server on ``tmp_path`` (the test puts its files there); its address."""
    server = make_server(tmp_path, "127.0.0.1", 0)
    serve_in_thread(server)
    try:
        yield url_of(server)
    finally:
        server.shutdown()
        server.server_close()


def test_serves_pages_and_fonts(tmp_path, served):
    (tmp_path / "index.html").write_text("<h1>Course</h1>", encoding="utf-8")
    (tmp_path / "font.woff2").write_bytes(b"wOF2")
    with urllib.request.urlopen(served) as page:
        assert b"<h1>Course</h1>" in page.read()
    with urllib.request.urlopen(served + "font.woff2") as font:
        assert font.headers["Content-Type"] == "font/woff2"


def test_no_site_yet(tmp_path):
    with pytest.raises(KitError, match="run 'ccin-learn book build' first"):
        site_directory(KitPaths(tmp_path))


def test_text_files_go_gzipped_to_a_browser_that_accepts_it(tmp_path, served):
    script = "const course = 'The Coop Option';\n" * 2000
    (tmp_path / "big.js").write_text(script, encoding="utf-8")
    url = served + "big.js?v=1"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Content-Type"] == "text/javascript"
        body = response.read()
    assert len(body) < len(script) / 10
    assert gzip.decompress(body).decode() == script
    with urllib.request.urlopen(url) as plain:
        assert plain.headers["Content-Encoding"] is None
        assert plain.read().decode() == script


@pytest.mark.parametrize("name", ["pyodide.asm.wasm", "start-pyodide.mjs"])
def test_pyodides_runtime_goes_gzipped_with_its_own_type(tmp_path, served, name):
    (tmp_path / name).write_bytes(b"\0asm" + b"\0" * 100_000)
    request = urllib.request.Request(served + name, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        kind = "application/wasm" if name.endswith(".wasm") else "text/javascript"
        assert response.headers["Content-Type"] == kind  # wasm streams only with its type
        assert len(response.read()) < 1_000


def test_a_reader_closing_a_download_midway_prints_no_traceback(tmp_path, capfd):
    # Its own server, not the fixture's: the check for a traceback comes after the server
    # has closed, which waits for the thread that met the reset.
    (tmp_path / "big.bin").write_bytes(b"x" * 20_000_000)
    server = make_server(tmp_path, "127.0.0.1", 0)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    try:
        with socket.create_connection((str(host), port)) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            client.recv(1000)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.5)  # the server's thread meets the reset
        with urllib.request.urlopen(url_of(server) + "big.bin") as response:
            assert response.status == 200  # and goes on serving
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err
