"""Run the Voila server for the live tools, with the settings a public-facing app needs.

Sources are stripped and tracebacks never reach the browser (officers get a
friendly message, not Python), and kernels are preheated so a tool opens fast.

An operator sizes the kernels with environment variables (``ccin_learn.apps.kernels``
explains the policy): ``CCIN_KERNEL_POOL`` preheated kernels for the self-assessment
app (default: sized to memory, at most 20, a training room), ``CCIN_KERNEL_CAP`` most
kernels alive at once (default: half the available memory at 200 MB each), and
``CCIN_KERNEL_FREE_AFTER`` seconds a visit's kernel lives once no page is connected
(default 60).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ccin_learn.apps import APPS_DIR
from ccin_learn.errors import KitError
from ccin_learn.fileio import open_private_log
from ccin_learn.settings import BOOK_URL_VAR, DB_URL_VAR

TEMPLATES_ROOT = APPS_DIR / "jupyter"
# JupyterLab extensions installed beside Voila that fail in its page (they need
# JupyterLab's file browser and document registry, or JupyterLite's in-browser services
# for the pyodide kernel the book's lite site uses) and print browser console errors.
BLOCKED_LAB_EXTENSIONS = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@jupyterlite/pyodide-kernel-extension",
)
# Environment variable -> the kit server's setting (``KitVoila`` in ``apps.server``).
KERNEL_VARS = {
    "CCIN_KERNEL_POOL": "kernel_pool",
    "CCIN_KERNEL_CAP": "kernel_cap",
    "CCIN_KERNEL_FREE_AFTER": "orphan_timeout",
}


# For a server whose pages never download a report: no report process is started
# (``KitVoila.report_process``), saving its start-up work and about 220 MB.
NO_REPORT_PROCESS = "--KitVoila.report_process=False"


def kernel_options(environ: Mapping[str, str]) -> list[str]:
    """The server options an operator set through ``KERNEL_VARS``; a bad value stops here."""
    options = []
    for var, setting in KERNEL_VARS.items():
        value = environ.get(var, "").strip()
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            number = -1
        if number < 0 or (setting != "orphan_timeout" and not number.is_integer()):
            raise KitError(f"{var} must be a whole number of kernels or seconds, not {value!r}")
        shown = value if setting == "orphan_timeout" else str(int(number))
        options.append(f"--KitVoila.{setting}={shown}")
    return options


def voila_command(
    host: str, port: int, apps_dir: Path = APPS_DIR, extra: Sequence[str] = ()
) -> list[str]:
    """The kit's Voila (``apps.server``: the tools index, no file tree) for the apps folder:
    no sources, no tracebacks, preheated kernels, no CDN; kernel sizes from the environment,
    and ``extra`` options over all of these."""
    command = [
        sys.executable,
        "-m",
        "ccin_learn.apps.server",
        str(apps_dir),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--preheat_kernel=True",
        "--pool_size=1",
        "--theme=light",
        "--template=ccin",
        # A page left open and idle for 30 minutes loses its kernel (answers are autosaved);
        # pool kernels never do, and a kernel no page is connected to goes within a minute.
        "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=300",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in BLOCKED_LAB_EXTENSIONS),
    ]
    return overridden(overridden(command, kernel_options(os.environ)), extra)


def overridden(command: list[str], options: Sequence[str]) -> list[str]:
    """``command`` with ``options`` replacing its options of the same names: Voila stops
    at start-up when a single-valued option is given twice."""
    names = {option.split("=", 1)[0] for option in options}
    return [part for part in command if part.split("=", 1)[0] not in names] + list(options)


def voila_environment(book_url: str, db_url: str | None) -> dict[str, str]:
    """The server's environment: where the kit's template is, the book's URL, the database."""
    jupyter_path = os.pathsep.join(
        p for p in (str(TEMPLATES_ROOT), os.environ.get("JUPYTER_PATH", "")) if p
    )
    env = {**os.environ, BOOK_URL_VAR: book_url, "JUPYTER_PATH": jupyter_path}
    if db_url:
        env[DB_URL_VAR] = db_url
    return env


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((host, port)) != 0


def wait_for_port(process: subprocess.Popen[bytes], host: str, port: int, timeout: float) -> None:
    """Wait until Voila accepts connections, or explain why it did not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise KitError(
                "the live tools server (Voila) stopped at start-up "
                f"(exit code {process.returncode}); see its log"
            )
        if not port_is_free(host, port):
            return
        time.sleep(0.2)
    raise KitError(
        f"the live tools server (Voila) did not start on {host}:{port} within {timeout:.0f} s"
    )


@contextmanager
def running_voila(
    host: str,
    port: int,
    book_url: str,
    log_path: Path,
    db_url: str | None = None,
    timeout: float = 60,
    apps_dir: Path = APPS_DIR,
    extra: Sequence[str] = (),
) -> Iterator[str]:
    """Start Voila for the apps folder (or ``apps_dir``); yield its base URL; stop it on exit.

    Voila's own log goes to ``log_path`` so the console stays readable; ``extra`` are
    more server options (``--KitVoila.kernel_pool=2``...).
    """
    if not port_is_free(host, port):
        raise KitError(
            f"port {port} on {host} is already in use: stop the other server or pass --app-port"
        )
    env = voila_environment(book_url, db_url)
    with open_private_log(log_path) as log:
        process = subprocess.Popen(
            voila_command(host, port, apps_dir, extra),
            env=env,
            cwd=log_path.parent,  # never the user's folder: a voila.py there would shadow Voila
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(process, host, port, timeout)
        yield f"http://{host}:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
