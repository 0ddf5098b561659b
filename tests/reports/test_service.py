"""The report process: a kernel gets its downloads from it and stays small.

These tests start a real report process, as the kit's Voila server does, and
ask it the way an app kernel does (its address and key in the environment).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from multiprocessing.connection import Client

import psutil
import pytest

from ccin_learn.reports import service
from ccin_learn.reports.downloads import downloads, session_report
from ccin_learn.reports.service import KEY_VAR, SOCKET_VAR, Address, ReportService

REPORT_LIBRARIES = ("matplotlib", "fpdf", "docx", "uharfbuzz")

KERNEL = """
import json, sys
from ccin_learn.reports.service import session_downloads
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store
session = Session.open(Store(sys.argv[1]), sys.argv[2])
files = session_downloads(session)
print(json.dumps({
    "files": [f.filename.rsplit(".", 1)[1] for f in files],
    "pdf": files[3].data[:5].decode("ascii"),
    "loaded": sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[3].split(","))),
}))
"""


@pytest.fixture(scope="module")
def report_process() -> Iterator[ReportService]:
    """One report process for the module, started as the app server starts it."""
    started = ReportService()
    started.start()
    yield started
    started.stop()


@pytest.fixture
def kernel_env(report_process: ReportService, monkeypatch: pytest.MonkeyPatch) -> Address:
    """This process set up as an app kernel of the server that started the process."""
    for name, value in report_process.address.environment().items():
        monkeypatch.setenv(name, value)
    return report_process.address


def test_downloads_from_the_report_process_are_those_made_here(kernel_env, full_session):
    remote = service.session_downloads(full_session)
    local = downloads(session_report(full_session))
    assert [(f.label, f.filename, f.mime) for f in remote] == [
        (f.label, f.filename, f.mime) for f in local
    ]
    by_name = {f.filename.rsplit(".", 1)[1]: f.data for f in remote}
    assert by_name["json"] == local[0].data
    assert by_name["csv"] == local[1].data
    assert by_name["pdf"].startswith(b"%PDF")


def test_a_kernel_that_asks_the_report_process_never_loads_the_report_libraries(
    kernel_env, full_session
):
    """The point of the process: the kernel's memory stays that of the app."""
    result = subprocess.run(
        [sys.executable, "-c", KERNEL, full_session.store.url, full_session.council,
         ",".join(REPORT_LIBRARIES)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    made = json.loads(result.stdout)
    assert made == {"files": ["json", "csv", "html", "pdf", "docx"], "pdf": "%PDF-", "loaded": []}


def test_a_wrong_key_is_refused_and_the_kernel_makes_the_files_itself(
    kernel_env, full_session, monkeypatch, caplog
):
    monkeypatch.setenv(KEY_VAR, "00" * 32)
    with caplog.at_level(logging.WARNING, logger="ccin_learn.reports.service"):
        files = service.session_downloads(full_session)
    assert [f.filename.rsplit(".", 1)[1] for f in files] == ["json", "csv", "html", "pdf", "docx"]
    assert "unreachable" in caplog.text
    monkeypatch.setenv(KEY_VAR, kernel_env.key.hex())
    assert len(service.session_downloads(full_session)) == 5  # the process lives on


def test_no_report_process_at_its_address_means_the_files_are_made_here(
    full_session, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv(SOCKET_VAR, str(tmp_path / "gone"))
    monkeypatch.setenv(KEY_VAR, "ab" * 32)
    monkeypatch.setattr(service, "START_WAIT_S", 0.2)
    with caplog.at_level(logging.WARNING, logger="ccin_learn.reports.service"):
        files = service.session_downloads(full_session)
    assert files[3].data.startswith(b"%PDF")
    assert "unreachable" in caplog.text


def test_a_request_it_cannot_render_gets_its_reason_in_one_line(kernel_env):
    with Client(kernel_env.socket, family="AF_UNIX", authkey=kernel_env.key) as connection:
        connection.send((None, None, None))
        ok, reason = connection.recv()
    assert not ok
    assert "\n" not in reason and "Error" in reason
    with Client(kernel_env.socket, family="AF_UNIX", authkey=kernel_env.key) as connection:
        assert connection.fileno() >= 0  # still accepting


def test_its_socket_is_in_a_folder_only_its_user_can_open(report_process):
    assert os.stat(report_process.folder).st_mode & 0o777 == 0o700


SERVER = """
import sys, time
from ccin_learn.reports.service import ReportService
started = ReportService()
started.start()
print(started.process.pid, started.folder, flush=True)
time.sleep(600)
"""


def test_the_report_process_goes_when_its_server_is_killed():
    """A server killed outright (no atexit) must not leave a report process behind."""
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    pid = int(server.stdout.readline().split()[0])
    report = psutil.Process(pid)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    try:
        report.wait(timeout=10)
    except psutil.TimeoutExpired:
        report.kill()
        pytest.fail("the report process outlived its server by 10 s")


def test_stopping_it_ends_the_process_and_removes_its_folder():
    started = ReportService()
    started.start()
    started.stop()
    assert started.process is not None and started.process.poll() is not None
    assert not started.folder.exists()
