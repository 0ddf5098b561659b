"""A throwaway PostgreSQL cluster for the tests: one per pytest-xdist worker, a database per test.

The self-assessment store must work on PostgreSQL as a shared deployment's database,
so its tests run there as well as on SQLite. Each worker starts Debian's PostgreSQL
(``./kit test`` installs it) on a free port on 127.0.0.1 with durability off, for
speed; each test gets a new database and the cluster goes at the end of the session.

PostgreSQL refuses to run as root: as root, the cluster runs as the system user
``ccin-pg`` (made if missing) in a folder of its own under /tmp, because pytest's
temporary folders are root's alone (0700) and pytest resets their modes. The superuser's
password never appears on a command line (issue 13, item 8): initdb reads it from a
0600 file, and the tests pass it in the URL, in process.
"""

from __future__ import annotations

import fcntl
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import psycopg

SUPERUSER = "ccin_test"
SYSTEM_USER = "ccin-pg"
USERADD = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
READY_TIMEOUT = 30.0
# No trust anywhere: other local users must not get in; no sync: it is thrown away.
INITDB_OPTIONS = ["--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"]
# Durability is of no use to a cluster thrown away after the tests.
SPEED_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


@dataclass
class Cluster:
    """A running cluster: where to reach it, and the process to stop."""

    port: int
    password: str
    process: subprocess.Popen[bytes]
    folder: Path

    def url(self, database: str) -> str:
        """A SQLAlchemy URL for ``database``, with the password: keep it in process."""
        where = f"127.0.0.1:{self.port}/{database}"
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@{where}"

    def admin(self) -> psycopg.Connection:
        """An autocommit connection to the ``postgres`` database, for CREATE DATABASE."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )


def postgresql_bin() -> Path:
    """The newest installed PostgreSQL's binaries; fail (not skip) when there are none."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda path: int(Path(path).parts[4]) if Path(path).parts[4].isdigit() else 0,
    )
    if not found:
        pytest.fail(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): "
            "run ./kit test, which installs it",
            pytrace=False,
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: run ./kit test, which installs it", pytrace=False)
    return Path(found[-1]).parent


def system_user(lock_folder: Path) -> pwd.struct_passwd:
    """The unprivileged user the cluster runs as when we are root; made once, under a lock.

    The lock keeps this run's workers from racing to make it; another run's useradd may
    still win, so a failure counts only if the user is still missing after it.
    """
    with (lock_folder / "ccin-pg-user.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            made = subprocess.run(
                [*USERADD, SYSTEM_USER], capture_output=True, text=True, check=False
            )
        try:
            return pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            pytest.fail(f"cannot make the user {SYSTEM_USER}: {made.stderr.strip()}", pytrace=False)


def as_user(user: pwd.struct_passwd | None) -> list[str]:
    """The command prefix that runs a program as ``user`` (nothing when not root)."""
    if user is None:
        return []
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"]


def make_folder(tmp_path_factory: pytest.TempPathFactory, user: pwd.struct_passwd | None) -> Path:
    """The cluster's folder: pytest's when we are that user, else one of its own in /tmp."""
    if user is None:
        return tmp_path_factory.mktemp("postgresql")
    folder = Path(tempfile.mkdtemp(prefix="ccin-pg-"))
    os.chown(folder, user.pw_uid, user.pw_gid)
    return folder


def init_cluster(bin_dir: Path, folder: Path, password: str, prefix: list[str]) -> Path:
    """``initdb`` a data folder whose superuser logs in with ``password`` (scram-sha-256)."""
    data = folder / "data"
    password_file = folder / "password"
    password_file.touch(mode=0o600)
    password_file.write_text(password + "\n", encoding="utf-8")
    shutil.chown(password_file, folder.stat().st_uid, folder.stat().st_gid)
    initdb = [str(bin_dir / "initdb"), f"--pgdata={data}", f"--username={SUPERUSER}"]
    done = subprocess.run(
        [*prefix, *initdb, f"--pwfile={password_file}", *INITDB_OPTIONS],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,  # the user's own: the caller's may be closed to it (a checkout in /root)
    )
    password_file.unlink()
    if done.returncode != 0:
        pytest.fail(f"initdb failed: {done.stderr.strip()}", pytrace=False)
    return data


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_postgres(bin_dir: Path, data: Path, port: int, prefix: list[str]) -> subprocess.Popen:
    """``postgres`` on ``port`` of 127.0.0.1 only, its socket in the cluster's folder."""
    settings = {
        **SPEED_SETTINGS,
        "listen_addresses": "127.0.0.1",
        "port": str(port),
        "unix_socket_directories": str(data.parent),
    }
    options = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
    log = (data.parent / "postgres.log").open("ab")
    return subprocess.Popen(
        [*prefix, str(bin_dir / "postgres"), "-D", str(data), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=data.parent,
    )


def wait_until_ready(cluster: Cluster) -> bool:
    """True once the cluster takes connections; False if ``postgres`` exited first."""
    import psycopg

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if cluster.process.poll() is not None:
            return False
        try:
            cluster.admin().close()
            return True
        except psycopg.OperationalError:
            time.sleep(0.05)
    return False


def stop(cluster: Cluster) -> None:
    """Immediate shutdown, as ``pg_ctl stop -m immediate`` does it (SIGQUIT)."""
    if cluster.process.poll() is None:
        cluster.process.send_signal(signal.SIGQUIT)
        try:
            cluster.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cluster.process.kill()
            cluster.process.wait()


def start_cluster(bin_dir: Path, folder: Path, prefix: list[str]) -> Cluster:
    """A new cluster; a port taken by someone else meanwhile means trying another."""
    password = secrets.token_urlsafe(24)
    data = init_cluster(bin_dir, folder, password, prefix)
    for _ in range(3):
        port = free_port()
        cluster = Cluster(port, password, start_postgres(bin_dir, data, port, prefix), folder)
        if wait_until_ready(cluster):
            return cluster
        stop(cluster)
    log = (folder / "postgres.log").read_text(errors="replace").strip().splitlines()
    pytest.fail(f"PostgreSQL did not start: {log[-1] if log else 'no log'}", pytrace=False)


@pytest.fixture(scope="session")
def postgresql_cluster(
    tmp_path_factory: pytest.TempPathFactory, shared_dir: Path
) -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster for this worker's session, stopped at its end."""
    bin_dir = postgresql_bin()
    user = system_user(shared_dir) if os.geteuid() == 0 else None
    folder = make_folder(tmp_path_factory, user)
    cluster = start_cluster(bin_dir, folder, as_user(user))
    yield cluster
    stop(cluster)
    if user is not None:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def new_databases(cluster: Cluster, prefix: str) -> Iterator[Callable[[], str]]:
    """A maker of new, empty databases on ``cluster`` (each call one URL), all dropped
    when the block ends."""
    numbers = count(1)
    made: list[str] = []

    def new_database() -> str:
        name = f"{prefix}_{os.getpid()}_{time.monotonic_ns()}_{next(numbers)}"
        with cluster.admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return cluster.url(name)

    try:
        yield new_database
    finally:
        with cluster.admin() as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgresql_database(postgresql_cluster: Cluster) -> Iterator[Callable[[], str]]:
    """Call it for the URL of a new, empty database; they are dropped after the test."""
    with new_databases(postgresql_cluster, "test") as new_database:
        yield new_database
