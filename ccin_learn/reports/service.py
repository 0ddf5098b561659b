"""One report process per app server, so the app's kernels stay small.

Charts, PDF and Word files need matplotlib, fpdf2, HarfBuzz and python-docx:
about 110 MB more in any process that imports them. A training room's twenty
kernels importing them for a download each officer asks for once would hold
over 2 GB. The kit's Voila server therefore starts one report process
(``ReportService``) and tells its kernels where it listens; a kernel sends it
the working copy, its comparison and the checklist, and gets the files back.

The process listens on a Unix socket in a folder only the server's user can
open, and every connection must prove it knows a random key (the standard
library's ``multiprocessing.connection``, which also pickles the messages, so
only a proven client's message is ever unpickled). The socket's path and the
key reach the kernels by their environment, never by a command line.

A kernel with no report process (a notebook run outside the kit's server) or
one that cannot reach it makes the files itself, as it did before: slower to
start and bigger, but the officer still gets them. Renders take turns: they
are CPU work, and the machine's cores are the kernels' too.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import TYPE_CHECKING

from ccin_learn.errors import KitError
from ccin_learn.reports.extras import session_extras
from ccin_learn.reports.files import Download
from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, load_assessment

if TYPE_CHECKING:
    from ccin_learn.selfassessment.session import Session

SOCKET_VAR = "CCIN_REPORT_SOCKET"
KEY_VAR = "CCIN_REPORT_KEY"
REPLY_TIMEOUT_S = 60.0  # a render takes about 1 s; renders queue when a room clicks at once
PARENT_CHECK_S = 1.0
START_WAIT_S = 20.0  # the report process imports its libraries and draws a first report
log = logging.getLogger("ccin_learn.reports.service")


@dataclass(frozen=True)
class Address:
    """Where a report process listens and the key that opens it."""

    socket: str
    key: bytes

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Address | None:
        socket, key = environ.get(SOCKET_VAR), environ.get(KEY_VAR)
        if not socket or not key:
            return None
        try:
            return cls(socket, bytes.fromhex(key))
        except ValueError:
            return None

    def environment(self) -> dict[str, str]:
        return {SOCKET_VAR: self.socket, KEY_VAR: self.key.hex()}


class ReportError(KitError):
    """The report process could not make the files (its message says why)."""


# ---- the kernel's side ----------------------------------------------------------------


def session_downloads(session: Session) -> list[Download]:
    """Every download of an officer's working copy: from the report process if there is one."""
    address = Address.from_environment(os.environ)
    if address is not None:
        files = ask(address, session)
        if files is not None:
            return files
    return local_downloads(session)


def local_downloads(session: Session) -> list[Download]:
    """The files made in this process (its first call imports the report libraries)."""
    from ccin_learn.reports.downloads import downloads, session_report  # lazy: ~110 MB

    return downloads(session_report(session))


def session_request(session: Session) -> tuple[object, ...]:
    """What the report process needs: the working copy, its comparison, the checklist and
    the network's parts, which only this kernel can read from the database."""
    extras = session_extras(session)
    return (session.file_assessment(), session.comparison(), session.checklist, extras)


def ask(address: Address, session: Session) -> list[Download] | None:
    """The files from the report process, or None when it cannot be reached."""
    request = session_request(session)
    try:
        with connect(address) as connection:
            connection.send(request)
            if not connection.poll(REPLY_TIMEOUT_S):
                raise ReportError("the report process did not answer within a minute: try again")
            ok, payload = connection.recv()
    except (OSError, EOFError, AuthenticationError) as err:
        log.warning("report process at %s unreachable (%s): rendering here", address.socket, err)
        return None
    if not ok:
        raise ReportError(f"the reports could not be made: {payload}")
    return [Download(*fields) for fields in payload]


def connect(address: Address) -> Connection:
    """A connection to the report process, waiting while it starts (its socket appears
    once it has drawn its warm-up report, a few seconds after the server starts)."""
    deadline = time.monotonic() + START_WAIT_S
    while True:
        try:
            return Client(address.socket, family="AF_UNIX", authkey=address.key)
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# ---- the report process -------------------------------------------------------------


def serve(address: Address, parent: int) -> None:
    """Answer kernels until the server that started this process goes."""
    render_lock = threading.Lock()
    warm_up()
    threading.Thread(target=exit_with_parent, args=(parent,), daemon=True).start()
    with Listener(address.socket, family="AF_UNIX", authkey=address.key) as listener:
        log.info("report process ready at %s", address.socket)
        while True:
            try:
                connection = listener.accept()
            except (OSError, EOFError, AuthenticationError) as err:  # e.g. a wrong key
                log.warning("refused a connection to the report process: %s", err)
                continue
            threading.Thread(target=answer, args=(connection, render_lock), daemon=True).start()


def answer(connection: Connection, render_lock: threading.Lock) -> None:
    """Make one request's files; a failure goes back as its message, never a traceback."""
    with connection:
        try:
            assessment, comparison, checklist, extras = connection.recv()
            with render_lock:
                files = render_files(assessment, comparison, checklist, extras)
            connection.send((True, files))
        except (OSError, EOFError):
            return  # the kernel went away; nothing to tell it
        except Exception as err:  # a kernel must hear why; the process must live
            log.exception("report request failed")
            connection.send((False, f"{type(err).__name__}: {err}"))


def render_files(
    assessment: object, comparison: object, checklist: object, extras: object
) -> list[tuple]:
    from ccin_learn.reports.downloads import downloads  # lazy: only this process renders
    from ccin_learn.reports.model import report_input  # lazy: only this process renders

    report = report_input(assessment, comparison, checklist, extras)  # type: ignore[arg-type]
    return [(f.label, f.filename, f.mime, f.data) for f in downloads(report)]


def warm_up() -> None:
    """Import the libraries and draw one report, so the first officer waits only for theirs."""
    from ccin_learn.reports.downloads import downloads, file_report  # lazy: this process only

    downloads(file_report(load_assessment(EXAMPLES_DIR / "example-unitary.json")))


def exit_with_parent(parent: int) -> None:
    """The server may be killed without a chance to stop this process: notice, and go."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


# ---- the server's side --------------------------------------------------------------


class ReportService:
    """The report process of one app server: started with it, stopped with it."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ccin-reports-"))  # mode 0700
        self.address = Address(str(self.folder / "socket"), secrets.token_bytes(32))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> dict[str, str]:
        """Start the process; the environment its kernels need to reach it."""
        env = {**os.environ, **self.address.environment()}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ccin_learn.reports.service", str(os.getpid())], env=env
        )
        return self.address.environment()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    address = Address.from_environment(os.environ)
    if address is None or len(argv) != 1 or not argv[0].isdigit():
        print(
            f"usage: {KEY_VAR}=<hex> {SOCKET_VAR}=<path> python -m "
            "ccin_learn.reports.service <server pid> (the kit's app server starts it)",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=logging.WARNING, format="[reports %(asctime)s] %(message)s")
    log.setLevel(logging.INFO)  # its own news; fontTools's subsetting chatter stays out
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # stopped by its server: quietly
    serve(address, int(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
