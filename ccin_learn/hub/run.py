"""``ccin-learn hub start``: run JupyterHub in the foreground until Ctrl+C or SIGTERM.

JupyterHub runs in a session of its own, so a signal reaches it once, from this
process: Ctrl+C and ``kill`` both make it stop its proxy and every server it
started before this returns. What it prints goes to the terminal and to
``jupyterhub.log`` (mode 0600). Nothing secret is on its command line: the
configuration reads the secrets from files, and JupyterHub hands tokens to the
proxy, the services and the servers in their environment.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ccin_learn.errors import KitError
from ccin_learn.fileio import open_private_log
from ccin_learn.hub.deploy import CONFIG_NAME, LOG_NAME

FORWARDED = (signal.SIGINT, signal.SIGTERM)
# Seconds JupyterHub has to stop its proxy and servers before it is killed.
STOP_TIMEOUT = 30


@dataclass(frozen=True)
class HubRun:
    """How a run of the hub ended."""

    exit_code: int
    stopped: bool  # by Ctrl+C or SIGTERM, rather than on its own
    log: Path


def jupyterhub_command() -> Path:
    """The ``jupyterhub`` of the kit's environment."""
    beside = Path(sys.executable).parent / "jupyterhub"
    if beside.exists():
        return beside
    found = shutil.which("jupyterhub")
    if found is None:
        raise KitError(
            "JupyterHub is not installed: PIP_CONSTRAINT=constraints.txt "
            "pip install --editable '.[hub]' in the kit"
        )
    return Path(found)


def hub_command(folder: Path) -> list[str]:
    return [str(jupyterhub_command()), "-f", str(folder / CONFIG_NAME)]


def stop_quickly(process: subprocess.Popen[str]) -> None:
    """Ask JupyterHub to stop (it then stops the proxy and servers); kill it if it hangs."""
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def check_hub_folder(folder: Path) -> Path:
    """The folder, absolute, once it is known to hold a hub configuration."""
    folder = folder.absolute()
    if not (folder / CONFIG_NAME).is_file():
        raise KitError(f"{folder / CONFIG_NAME} not found: run ccin-learn hub init {folder} first")
    return folder


def run_hub(folder: Path, echo: Callable[[str], None]) -> HubRun:
    """Run the hub configured in ``folder`` until it stops; ``echo`` shows each line it prints."""
    folder = check_hub_folder(folder)
    log_path = folder / LOG_NAME
    stopped = False
    with open_private_log(log_path) as log:
        process = subprocess.Popen(
            hub_command(folder),
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            text=True,
            errors="replace",
            bufsize=1,
        )

        def forward(signum: int, _frame: FrameType | None) -> None:
            nonlocal stopped
            stopped = True
            if process.poll() is None:
                process.send_signal(signum)

        previous = {number: signal.signal(number, forward) for number in FORWARDED}
        try:
            assert process.stdout is not None
            for line in process.stdout:
                log.write(line)
                log.flush()
                echo(line.rstrip("\n"))
            code = process.wait()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            if process.poll() is None:  # only if this process failed itself
                stop_quickly(process)
    return HubRun(code, stopped, log_path)
