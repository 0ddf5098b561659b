"""The live tools server: Voila serves each app with its code hidden."""

from __future__ import annotations

import urllib.request

import psutil
import pytest

from ccin_learn.apps import APPS_DIR
from ccin_learn.apps.launcher import (
    NO_REPORT_PROCESS,
    kernel_options,
    running_voila,
    voila_command,
)
from ccin_learn.errors import KitError


def test_command_hides_sources_and_tracebacks_and_preheats():
    command = voila_command("127.0.0.1", 8866)
    for flag in ("--strip_sources=True", "--show_tracebacks=False", "--preheat_kernel=True"):
        assert flag in command
    assert str(APPS_DIR) in command


def test_operators_size_the_kernels_with_environment_variables():
    environ = {"CCIN_KERNEL_POOL": "4", "CCIN_KERNEL_CAP": " 30 ", "CCIN_KERNEL_FREE_AFTER": "90"}
    assert kernel_options(environ) == [
        "--KitVoila.kernel_pool=4",
        "--KitVoila.kernel_cap=30",
        "--KitVoila.orphan_timeout=90",
    ]
    assert kernel_options({}) == [], "unset: sized to memory by the server"


@pytest.mark.parametrize("value", ["many", "-1", "2.5"])
def test_a_kernel_count_that_is_not_a_whole_number_stops_the_start(value):
    with pytest.raises(KitError, match="CCIN_KERNEL_CAP must be a whole number"):
        kernel_options({"CCIN_KERNEL_CAP": value})


def test_extra_options_replace_the_same_options_given_before(monkeypatch):
    monkeypatch.setenv("CCIN_KERNEL_POOL", "3")
    extra = ["--KitVoila.kernel_pool=1", "--MappingKernelManager.cull_idle_timeout=5"]
    command = voila_command("127.0.0.1", 8866, extra=extra)
    assert command[-2:] == extra
    assert not any(part.endswith(("kernel_pool=3", "cull_idle_timeout=1800")) for part in command)
    assert len([p for p in command if "extension_denylist" in p]) == 3, "lists are kept"


@pytest.mark.slow
def test_route_planner_app_is_served_without_its_code(tmp_path, free_port):
    port = free_port()
    log = tmp_path / "voila.log"
    with running_voila(
        "127.0.0.1", port, "http://127.0.0.1:1/", log, extra=[NO_REPORT_PROCESS]
    ) as url:
        app = urllib.request.urlopen(f"{url}voila/render/pathway.ipynb", timeout=60)
        with app as page:
            html = page.read().decode("utf-8")
        voila = next(p for p in psutil.Process().children() if f"--port={port}" in p.cmdline())
        assert not [p for p in voila.children() if "ccin_learn.reports.service" in p.cmdline()], (
            "a server told not to has no report process"
        )
    assert "Plan your route" in html
    assert "application/vnd.jupyter.widget-view+json" in html
    assert "from ccin_learn" not in html, "the app's source code must not reach the browser"
    assert "PathwayPlanner(default_course()" not in html
    assert log.stat().st_mode & 0o777 == 0o600, "the server's log is its owner's only"


@pytest.mark.slow
def test_busy_port_is_refused(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with (
            pytest.raises(KitError, match="already in use"),
            running_voila("127.0.0.1", port, "http://127.0.0.1:1/", tmp_path / "voila.log"),
        ):
            pass
