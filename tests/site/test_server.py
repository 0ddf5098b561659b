"""The static server: serves the site with font types, and says when there is nothing to serve."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site.paths import KitPaths
from ccin_learn.site.server import make_server, serve_in_thread, site_directory, url_of


def test_serves_pages_and_fonts(tmp_path):
    (tmp_path / "index.html").write_text("<h1>Course</h1>", encoding="utf-8")
    (tmp_path / "font.woff2").write_bytes(b"wOF2")
    server = make_server(tmp_path, "127.0.0.1", 0)
    serve_in_thread(server)
    try:
        with urllib.request.urlopen(url_of(server)) as page:
            assert b"<h1>Course</h1>" in page.read()
        with urllib.request.urlopen(url_of(server) + "font.woff2") as font:
            assert font.headers["Content-Type"] == "font/woff2"
    finally:
        server.shutdown()
        server.server_close()


def test_no_site_yet(tmp_path):
    with pytest.raises(KitError, match="run 'ccin-learn book build' first"):
        site_directory(KitPaths(tmp_path))


def test_text_files_go_gzipped_to_a_browser_that_accepts_it(tmp_path):
    script = "const course = 'The Coop Option';\n" * 2000
    (tmp_path / "big.js").write_text(script, encoding="utf-8")
    server = make_server(tmp_path, "127.0.0.1", 0)
    serve_in_thread(server)
    url = url_of(server) + "big.js?v=1"
    try:
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
    finally:
        server.shutdown()
        server.server_close()
