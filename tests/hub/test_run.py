"""A real hub, as ``hub init`` writes it and ``hub start`` runs it: sign-up, approval, a
learner's own server, the lock-out, and no secret on any command line."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests
import sqlalchemy

from ccin_learn.hub.deploy import HubSettings, blocked_for_others, init_hub, singleuser_command

ADMIN = "ccintest-admin"
LEARNER = "ccintest-learner1"
PASSWORDS = {ADMIN: "Admin-pass-1234", LEARNER: "Learner-pass-5678"}
START_TIMEOUT = 30  # seconds for the hub to answer
SPAWN_TIMEOUT = 45  # seconds for a learner's server to answer
XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


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


LAUNCHER = """\
#!{python} -S
# The kit's single-user server, started by a Python that every account can run (tests).
import os, site, sys
site.addsitedir({site_packages!r})
os.environ.setdefault("JUPYTER_CONFIG_PATH", {prefix!r} + "/etc/jupyter")
os.environ.setdefault("JUPYTER_PATH", {prefix!r} + "/share/jupyter")
from jupyterhub.singleuser import main
sys.exit(main())
"""


@pytest.fixture(scope="session")
def singleuser() -> Iterator[Path]:
    """The kit's jupyterhub-singleuser, or, when its Python is closed to other accounts
    (a venv made from pyenv's Python under /root, as on the test machine), a launcher
    that runs the same packages with the system's Python of the same version."""
    command = singleuser_command()
    if blocked_for_others(command) is None:
        yield command
        return
    python = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if blocked_for_others(python) is not None:
        pytest.skip(f"{command} is closed to other accounts and there is no {python}")
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


@pytest.fixture
def learner_account() -> Iterator[pwd.struct_passwd]:
    """A system user for the learner: LocalProcessSpawner runs their server as them."""
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("needs root and useradd to make the learner's system user")
    subprocess.run(["userdel", "--remove", "--force", LEARNER], capture_output=True, check=False)
    subprocess.run(["useradd", "--system", "--create-home", LEARNER], check=True)
    try:
        yield pwd.getpwnam(LEARNER)
    finally:
        subprocess.run(
            ["userdel", "--remove", "--force", LEARNER], capture_output=True, check=False
        )


@pytest.fixture
def hub_db_url_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path | None:
    """None: the hub's own SQLite file. ``postgresql`` (by indirect parametrisation): a
    new database on the test cluster, its URL (with the password) in a 0600 file."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    url = request.getfixturevalue("postgresql_database")()
    path = tmp_path / "hub-db-url"
    path.touch(mode=0o600)
    path.write_text(url, encoding="utf-8")
    return path


@pytest.fixture
def hub(
    tmp_path: Path,
    free_port: Callable[[], int],
    proxy: Path,
    singleuser: Path,
    hub_db_url_file: Path | None,
) -> Iterator[Hub]:
    """``hub init`` then ``hub start`` on free ports; stopped with SIGTERM afterwards."""
    settings = HubSettings(
        admin=ADMIN,
        port=free_port(),
        hub_port=free_port(),
        proxy_api_port=free_port(),
        db_url_file=hub_db_url_file,
    )
    files = init_hub(tmp_path / "hub", settings, proxy, singleuser)
    output = tmp_path / "start.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ccin_learn.cli", "hub", "start", str(files.folder)],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    running = Hub(f"http://127.0.0.1:{settings.port}/", files.folder, process, output)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(running.url + "hub/health"):
            assert process.poll() is None, output.read_text()[-3000:]
            assert time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(0.2)
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert code == 130, output.read_text()[-3000:]  # "Stopped.", as Ctrl+C


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


def sign_up(hub: Hub, name: str) -> str:
    """Sign ``name`` up through the form; the page's text."""
    session = requests.Session()
    url = hub.url + "hub/signup"
    password = PASSWORDS[name]
    fields = {
        "username": name,
        "signup_password": password,
        "signup_password_confirmation": password,
        "_xsrf": xsrf_of(session, url),
    }
    page = session.post(url, data=fields, timeout=30)
    page.raise_for_status()
    return page.text


def log_in(hub: Hub, name: str, password: str | None = None) -> tuple[requests.Session, str]:
    """(a session, the page's text); the session is signed in if the hub redirected."""
    session = requests.Session()
    url = hub.url + "hub/login"
    fields = {
        "username": name,
        "password": password or PASSWORDS[name],
        "_xsrf": xsrf_of(session, url),
    }
    page = session.post(url, data=fields, allow_redirects=False, timeout=30)
    signed_in = page.status_code == 302
    assert signed_in or page.status_code == 200, page.status_code
    return session, "" if signed_in else page.text


def wait_for_own_server(hub: Hub, session: requests.Session, name: str) -> dict[str, object]:
    """Start ``name``'s server from the hub and return its /api/status."""
    session.get(hub.url + "hub/spawn", timeout=30).raise_for_status()
    home = f"{hub.url}user/{name}/"
    deadline = time.monotonic() + SPAWN_TIMEOUT
    while True:
        # Until the server answers, the hub shows its "starting" page; then the server
        # signs the learner in through the hub (OAuth) and shows its file browser.
        page = session.get(home + "tree", timeout=30)
        if page.status_code == 200 and page.url.startswith(home):
            break
        assert time.monotonic() < deadline, hub.output.read_text()[-3000:]
        time.sleep(0.5)
    status = session.get(home + "api/status", timeout=10)
    status.raise_for_status()
    return status.json()


@pytest.mark.slow
def test_a_learner_signs_up_is_approved_starts_a_server_and_is_locked_out(
    hub: Hub, learner_account: pwd.struct_passwd
) -> None:
    # The administrator named at init is approved as they sign up; a learner waits.
    assert "The signup was successful!" in sign_up(hub, ADMIN)
    assert "Your information has been sent to the admin." in sign_up(hub, LEARNER)
    _, refused = log_in(hub, LEARNER)
    assert "has not been authorized by an administrator yet" in refused

    admin, refused = log_in(hub, ADMIN)
    assert not refused
    approved = admin.get(f"{hub.url}hub/authorize/{LEARNER}", timeout=10)
    assert approved.status_code == 200 and approved.url.endswith(f"hub/authorize#{LEARNER}")

    learner, refused = log_in(hub, LEARNER)
    assert not refused
    status = wait_for_own_server(hub, learner, LEARNER)
    assert {"started", "last_activity", "kernels"} <= set(status)

    # The learner's server runs as the learner's system user, the venv's singleuser.
    everything = hub.processes()
    [server] = [p for p in everything if "jupyterhub-singleuser" in " ".join(p.cmdline())]
    assert server.uids().real == learner_account.pw_uid
    # No secret is on any command line: the hub, the proxy, the culler, the server.
    secrets = hub.secrets()
    command_lines = [" ".join(p.cmdline()) for p in everything]
    assert not [line for line in command_lines if any(s in line for s in secrets)]
    assert any("configurable-http-proxy" in line for line in command_lines)
    assert any("jupyterhub_idle_culler" in line for line in command_lines)

    # Three wrong passwords lock the account: the right one is then refused too.
    for _ in range(3):
        _, refused = log_in(hub, LEARNER, "not-the-password")
        assert "Invalid username or password." in refused
    _, refused = log_in(hub, LEARNER)
    assert "Invalid username or password." in refused

    # The log is the hub's owner's only, and holds no secret either.
    log = hub.folder / "jupyterhub.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text()
    assert "JupyterHub is now running" in text
    assert not [s for s in secrets if s in text]


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_a_signal_stops_the_hub_and_everything_it_started(hub: Hub, stop: signal.Signals) -> None:
    started = hub.processes()
    assert len(started) >= 4  # hub start, jupyterhub, the proxy, the idle culler
    hub.process.send_signal(stop)
    assert hub.process.wait(timeout=30) == 130
    _gone, alive = psutil.wait_procs(started, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert "Stopped." in hub.output.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("hub_db_url_file", ["postgresql"], indirect=True)
def test_the_hub_keeps_its_people_in_postgresql(hub: Hub, hub_db_url_file: Path) -> None:
    """A network's hub keeps its own database in PostgreSQL, its URL read from a file."""
    assert "The signup was successful!" in sign_up(hub, ADMIN)
    engine = sqlalchemy.create_engine(hub_db_url_file.read_text(encoding="utf-8"))
    try:
        with engine.connect() as connection:
            users = connection.execute(sqlalchemy.text("SELECT name FROM users")).scalars()
            assert ADMIN in set(users)
    finally:
        engine.dispose()
    assert not (hub.folder / "jupyterhub.sqlite").exists(), "no SQLite file beside it"
    password = sqlalchemy.engine.make_url(hub_db_url_file.read_text()).password
    assert password and password not in (hub.folder / "jupyterhub.log").read_text()
