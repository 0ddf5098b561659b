"""Drive a real hub the way a person does, through its forms: the hub's tests and
``benchmarks/hub_load.py`` share it.

A :class:`Hub` is ``ccin-learn hub start`` on a folder ``hub init`` wrote; the
functions sign people up, approve them, sign them in and start their servers
with plain HTTP (``requests``), as a browser would, the form's ``_xsrf`` token
included.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psutil
import requests

from ccin_learn.hub.deploy import HubFiles, HubSettings, blocked_for_others, singleuser_command

START_TIMEOUT = 30  # seconds for the hub to answer
SPAWN_TIMEOUT = 45  # seconds for a person's server to answer
XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')

LAUNCHER = """\
#!{python} -S
# The kit's single-user server, started by a Python that every account can run (tests).
import os, site, sys
site.addsitedir({site_packages!r})
# After any folder the hub names (a cohort's nbgrader settings), the kit's own.
found = [p for p in os.environ.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join([*found, {prefix!r} + "/etc/jupyter"])
os.environ.setdefault("JUPYTER_PATH", {prefix!r} + "/share/jupyter")
from jupyterhub.singleuser import main
sys.exit(main())
"""


class CannotRun(Exception):
    """This machine cannot run the part asked for (the caller skips)."""


@dataclass(frozen=True)
class Hub:
    url: str  # ends in a slash
    folder: Path
    process: subprocess.Popen[bytes]
    output: Path

    def processes(self) -> list[psutil.Process]:
        """``hub start`` and every process under it (hub, proxy, culler, servers)."""
        top = psutil.Process(self.process.pid)
        return [top, *top.children(recursive=True)]

    def secrets(self) -> list[str]:
        return [path.read_text().strip() for path in (self.folder / "secrets").iterdir()]

    def tail(self) -> str:
        return self.output.read_text(errors="replace")[-3000:]


@contextmanager
def open_singleuser() -> Iterator[Path]:
    """The kit's jupyterhub-singleuser, or, when its Python is closed to other accounts
    (a venv made from pyenv's Python under /root, as on the test machine), a launcher
    that runs the same packages with the system's Python of the same version."""
    command = singleuser_command()
    if blocked_for_others(command) is None:
        yield command
        return
    python = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if blocked_for_others(python) is not None:
        raise CannotRun(f"{command} is closed to other accounts and there is no {python}")
    folder = Path(tempfile.mkdtemp(prefix="ccintest-singleuser-"))
    try:
        folder.chmod(0o755)
        launcher = folder / "jupyterhub-singleuser"
        site_packages = str(Path(psutil.__file__).parents[1])
        text = LAUNCHER.format(python=python, site_packages=site_packages, prefix=sys.prefix)
        launcher.write_text(text)
        launcher.chmod(0o755)
        yield launcher
    finally:
        shutil.rmtree(folder)


@contextmanager
def system_accounts(*names: str) -> Iterator[list[pwd.struct_passwd]]:
    """System users of these names (LocalProcessSpawner runs each server as its
    person), made afresh with private homes and removed afterwards."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        raise CannotRun("needs root and useradd to make system users")
    for name in names:
        remove_account(name)
    try:
        for name in names:
            subprocess.run(
                ["useradd", "--system", "--create-home", "--key", "HOME_MODE=0700", name],
                check=True,
            )
        yield [pwd.getpwnam(name) for name in names]
    finally:
        for name in names:
            remove_account(name)


def remove_account(name: str) -> None:
    subprocess.run(["userdel", "--remove", "--force", name], capture_output=True, check=False)


@contextmanager
def running_hub(files: HubFiles, port: int, work: Path) -> Iterator[Hub]:
    """``hub start`` on a written folder until the block ends (then SIGTERM, which
    must stop it as Ctrl+C does: exit code 130)."""
    output = work / "start.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ccin_learn.cli", "hub", "start", str(files.folder)],
            cwd=work,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    hub = Hub(f"http://127.0.0.1:{port}/", files.folder, process, output)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(hub.url + "hub/health"):
            assert process.poll() is None, hub.tail()
            assert time.monotonic() < deadline, hub.tail()
            time.sleep(0.2)
        yield hub
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert code == 130, hub.tail()  # "Stopped.", as Ctrl+C


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def xsrf_of(session: requests.Session, url: str) -> str:
    """The form's _xsrf token (JupyterHub checks it against its cookie on every POST)."""
    page = session.get(url, timeout=10)
    page.raise_for_status()
    found = XSRF.search(page.text)
    assert found, f"no _xsrf field on {url}"
    return found[1]


def sign_up(hub: Hub, name: str, password: str) -> str:
    """Sign ``name`` up through the form; the page's text."""
    session = requests.Session()
    url = hub.url + "hub/signup"
    fields = {
        "username": name,
        "signup_password": password,
        "signup_password_confirmation": password,
        "_xsrf": xsrf_of(session, url),
    }
    page = session.post(url, data=fields, timeout=30)
    page.raise_for_status()
    return page.text


def log_in(hub: Hub, name: str, password: str) -> tuple[requests.Session, str]:
    """(a session, the page's text); the session is signed in if the hub redirected."""
    session = requests.Session()
    url = hub.url + "hub/login"
    fields = {"username": name, "password": password, "_xsrf": xsrf_of(session, url)}
    page = session.post(url, data=fields, allow_redirects=False, timeout=30)
    signed_in = page.status_code == 302
    assert signed_in or page.status_code == 200, page.status_code
    return session, "" if signed_in else page.text


def approve(hub: Hub, admin: requests.Session, name: str) -> None:
    """The administrator approves ``name`` on NativeAuthenticator's authorize page."""
    approved = admin.get(f"{hub.url}hub/authorize/{name}", timeout=10)
    assert approved.status_code == 200, approved.status_code
    assert approved.url.endswith(f"hub/authorize#{name}"), approved.url


def wait_for_own_server(
    hub: Hub, session: requests.Session, name: str, timeout: float = SPAWN_TIMEOUT
) -> dict[str, object]:
    """Start ``name``'s server from the hub and return its /api/status."""
    session.get(hub.url + "hub/spawn", timeout=30).raise_for_status()
    home = f"{hub.url}user/{name}/"
    deadline = time.monotonic() + timeout
    while True:
        # Until the server answers, the hub shows its "starting" page; then the server
        # signs the person in through the hub (OAuth) and shows its file browser.
        page = session.get(home + "tree", timeout=30)
        if page.status_code == 200 and page.url.startswith(home):
            break
        assert time.monotonic() < deadline, hub.tail()
        time.sleep(0.5)
    status = session.get(home + "api/status", timeout=10)
    status.raise_for_status()
    return dict(status.json())


# ---- cohorts: graders, trainers and learners on the hub ---------------------------------

KIT_COMMAND = """\
#!{python}
# {name} of the kit for another account (tests): the system's Python, the kit's packages
# on PYTHONPATH (see account_environment).
import sys
from {module} import main
sys.exit(main())
"""


@contextmanager
def open_folder_for_all(prefix: str) -> Iterator[Path]:
    """A new folder every account can enter (pytest's own folders are root's only)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        folder.chmod(0o755)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def kit_commands(folder: Path) -> Path:
    """``ccin-learn`` and ``alembic`` (nbgrader runs it by name) that any account can run,
    in ``folder/bin``: what a grader types in a terminal of their Formgrader."""
    python = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if blocked_for_others(python) is not None:
        raise CannotRun(f"there is no {python} that other accounts can run")
    commands = folder / "bin"
    commands.mkdir(mode=0o755)
    for name, module in (("ccin-learn", "ccin_learn.cli"), ("alembic", "alembic.config")):
        path = commands / name
        path.write_text(KIT_COMMAND.format(python=python, name=name, module=module))
        path.chmod(0o755)
    return commands


def account_environment(account: pwd.struct_passwd, commands: Path) -> dict[str, str]:
    """The environment of a login of ``account`` whose PATH starts with ``commands``."""
    import ccin_learn

    packages = [str(Path(ccin_learn.__file__).parents[1]), str(Path(psutil.__file__).parents[1])]
    return {
        "HOME": account.pw_dir,
        "USER": account.pw_name,
        "LOGNAME": account.pw_name,
        "PATH": os.pathsep.join([str(commands), "/usr/bin", "/bin"]),
        "PYTHONPATH": os.pathsep.join(packages),
        "LANG": "C.UTF-8",
    }


def run_as(
    account: pwd.struct_passwd, commands: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` as ``account``, in its home, as that person would in a terminal."""
    done = subprocess.run(
        list(args),
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        env=account_environment(account, commands),
        cwd=account.pw_dir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def xsrf_header(session: requests.Session, url: str) -> dict[str, str]:
    """The header JupyterHub and Jupyter Server want on a POST made with a cookie: the
    ``_xsrf`` cookie they set on a page, sent back (as the Admin page's script does)."""
    session.get(url, timeout=30).raise_for_status()
    path = urlparse(url).path
    cookies = [c for c in session.cookies if c.name == "_xsrf" and path.startswith(c.path or "/")]
    assert cookies, f"no _xsrf cookie from {url}"
    return {"X-XSRFToken": str(max(cookies, key=lambda c: len(c.path or "")).value)}


def add_to_group(hub: Hub, admin: requests.Session, group: str, *names: str) -> None:
    """The administrator adds people to a group with the hub's REST API, as the Admin page."""
    headers = xsrf_header(admin, hub.url + "hub/admin")
    added = admin.post(
        f"{hub.url}hub/api/groups/{group}/users",
        json={"users": list(names)},
        headers=headers,
        timeout=30,
    )
    assert added.status_code == 200, (added.status_code, added.text)


def private_file(path: Path, text: str) -> Path:
    """A file only its owner reads (0600 from the start), holding ``text``: how a
    database URL with its password reaches the hub."""
    path.touch(mode=0o600)
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hub_settings(admin: str, **more: Any) -> HubSettings:
    """A hub's settings with all its ports free on this machine (tests run several)."""
    return HubSettings(
        admin=admin,
        port=free_port(),
        hub_port=free_port(),
        proxy_api_port=free_port(),
        app_port=free_port(),
        **more,
    )
