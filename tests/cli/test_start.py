"""`ccin-learn start`, the main job: serves the book and the live tools until stopped."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def test_start_serves_book_and_tools_and_stops_cleanly(built_site, kit, free_port):
    book_port, app_port = free_port(), free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ccin_learn.cli",
            "start",
            "--no-build",
            "--port",
            str(book_port),
            "--app-port",
            str(app_port),
            "--root",
            str(kit.root),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("Press Ctrl+C"):
                break
        assert f"The course book is at http://127.0.0.1:{book_port}/" in lines
        assert f"The live tools are at http://127.0.0.1:{app_port}/" in lines
        home_page = f"http://127.0.0.1:{book_port}/book/index.html"
        with urllib.request.urlopen(home_page, timeout=10) as home:
            assert b"The Coop Option" in home.read()
        app = f"http://127.0.0.1:{app_port}/voila/render/pathway.ipynb"
        with urllib.request.urlopen(app, timeout=60) as tool:
            assert b"Plan your route" in tool.read()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 130
    assert "Traceback" not in process.stderr.read()
