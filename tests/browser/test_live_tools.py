"""The LM3 calculator runs in the reader's browser (JupyterLite, Pyodide) with no server.

Built with ``ccin_learn.site.lite`` (it needs the ``lite`` extra: jupyterlite-core and the
pyodide kernel; ``LITE_JUPYTER`` may name another ``jupyter`` that has them). Every
request off the machine is aborted, so a result proves nothing came from the internet.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccin_learn.site.lite import build_lite, repl_url
from ccin_learn.site.server import make_server, serve_in_thread, url_of
from tests.browser.offline import offline_page
from tests.conftest import unused_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PACKAGE = Path(__file__).resolve().parents[2] / "ccin_learn"
FIRST_RESULT_MS = 90_000  # a cold Pyodide start on a loaded 2-core machine


@pytest.fixture(scope="module")
def lite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The lite site, built offline from the pinned packages and served on localhost."""
    jupyter = os.environ.get("LITE_JUPYTER", f"{sys.executable} -m jupyter").split()
    root = tmp_path_factory.mktemp("lite")
    build_lite(PACKAGE, PACKAGE.parent / ".lite-cache", root / "lite", jupyter)
    server = make_server(root, "127.0.0.1", unused_port())
    serve_in_thread(server)
    yield f"{url_of(server).rstrip('/')}/lite"
    server.shutdown()
    server.server_close()


def test_lm3_calculator_answers_a_changed_input_with_nothing_from_outside(chromium, lite_url):
    page, log = offline_page(chromium)
    try:
        page.goto(repl_url(lite_url, "lm3-calculator"))
        score = page.get_by_text("LM3 score:")
        score.wait_for(timeout=FIRST_RESULT_MS)
        assert "1.84" in score.locator("xpath=..").inner_text()

        staff = page.get_by_label("Local staff re-spend locally (%)")
        staff.fill("100")
        staff.press("Enter")
        # R3 = 42,000 x 40% + 18,000 x 100% = 34,800, so LM3 = 1.948 -> 1.95
        page.get_by_text("£34,800").wait_for(timeout=10_000)
        assert "1.95" in score.locator("xpath=..").inner_text()
        assert log.external_requests == []
        assert log.console_errors == []
    finally:
        page.close()
