"""``ccin-learn hub init``: the files of a JupyterHub deployment.

The folder gets a commented ``jupyterhub_config.py``, the secrets it reads at
start (``secrets/``, each 0600, made with :mod:`secrets`), a ``.gitignore`` that
keeps them out of git, and a README for the network's IT. No secret is ever
written into the configuration: the configuration reads the files.
"""

from __future__ import annotations

import json
import re
import secrets
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ccin_learn import __version__
from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write, open_private_log
from ccin_learn.hub.cohorts import (
    ACCOUNT,
    COHORTS_NAME,
    example,
)
from ccin_learn.selfassessment.access import NETWORK_ADMINS
from ccin_learn.settings import (
    HOST,
    HUB_APP_PORT,
    HUB_APP_SERVICE,
    HUB_PORT,
    NBGRADER_EXCHANGE,
    NBGRADER_SHARED,
)
from ccin_learn.site.paths import KitPaths

CONFIG_NAME = "jupyterhub_config.py"
README_NAME = "README.md"
GITIGNORE_NAME = ".gitignore"
SECRETS_DIR = "secrets"
LOG_NAME = "jupyterhub.log"
# Each secret file and how many random bytes it holds (hex-encoded in the file).
# JupyterHub wants a 32-byte hex cookie secret.
SECRET_FILES = {
    "jupyterhub_cookie_secret": 32,
    "proxy_auth_token": 32,
    "idle_culler_api_token": 32,
}
GITIGNORE = f"""\
# Written by ccin-learn hub init: what must never reach git.
{SECRETS_DIR}/
jupyterhub.sqlite*
assessments.sqlite*
{LOG_NAME}
jupyterhub-proxy.pid
"""
DEFAULT_ADMIN = "ccin-admin"
# JupyterHub's own internal API; the proxy's API port is the public port + 1 by default.
HUB_API_PORT = 8081
DB_URL_VAR = "CCIN_HUB_DB_URL"
IDLE_TIMEOUT = 3600  # seconds
# What the app's token may do: read people's groups, and change councils' groups for a lead.
APP_SERVICE_ROLE_SCOPES = (
    "read:users:name",
    "read:users:groups",
    "list:groups",
    "groups",
    "admin:groups",
)
USER_NAME = re.compile(ACCOUNT)
PROXY_BIN = Path(".bin") / "configurable-http-proxy"
NBGRADER_ASSIGNMENTS = "nbgrader.server_extensions.assignment_list"
OWNER_ONLY_DIR = 0o700
SECRET_MODE = 0o600


@dataclass(frozen=True)
class HubSettings:
    """What ``hub init`` writes into the configuration."""

    admin: str = DEFAULT_ADMIN
    ip: str = HOST
    port: int = HUB_PORT
    hub_port: int = HUB_API_PORT
    proxy_api_port: int | None = None  # default: port + 1
    db_url_file: Path | None = None
    app_port: int = HUB_APP_PORT
    app_db_url_file: Path | None = None
    # Cohorts (cohorts.toml): the world-readable folder of learners' nbgrader settings,
    # and nbgrader's exchange.
    shared: str = NBGRADER_SHARED
    exchange: str = NBGRADER_EXCHANGE

    @property
    def api_port(self) -> int:
        return self.proxy_api_port or self.port + 1

    def check(self) -> None:
        if not USER_NAME.fullmatch(self.admin):
            raise KitError(
                f"admin name {self.admin!r} is not a system user name: use lower-case "
                "letters, digits, '-' and '_', starting with a letter (32 at most)"
            )
        ports = {
            "port": self.port,
            "hub port": self.hub_port,
            "proxy API port": self.api_port,
            "app port": self.app_port,
        }
        if len(set(ports.values())) < len(ports):
            shown = ", ".join(f"{name} {number}" for name, number in ports.items())
            raise KitError(f"the hub's ports must differ: {shown}")
        for secret in (self.db_url_file, self.app_db_url_file):
            if secret is not None:
                check_private(secret)
        example(self.shared, self.exchange)  # absolute paths, or a one-line error


@dataclass(frozen=True)
class HubFiles:
    """The files ``hub init`` wrote (the secrets it kept included)."""

    folder: Path
    config: Path
    readme: Path
    gitignore: Path
    secrets: tuple[Path, ...]
    kept_secrets: tuple[Path, ...]
    cohorts: Path | None = None  # cohorts.toml (kept if it was there)


def check_private(path: Path) -> None:
    """A file of secrets that exists and that only its owner can read."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        raise KitError(f"{path}: cannot read: {err.strerror}") from err
    if not stat.S_ISREG(mode):
        raise KitError(f"{path} is not a file")
    if mode & 0o077:
        raise KitError(f"{path} is readable by others: chmod 600 {path}")


def kit_proxy(paths: KitPaths) -> Path:
    """The kit's configurable-http-proxy (npm, pinned in package-lock.json)."""
    proxy = paths.node_modules / PROXY_BIN
    if not proxy.exists():
        from ccin_learn.site.assets import install_npm_packages  # lazy: runs npm only if needed

        install_npm_packages(paths)
    if not proxy.exists():
        raise KitError(f"{proxy} is missing: run npm ci in {paths.root}")
    return proxy.absolute()


def singleuser_command() -> Path:
    """The kit environment's ``jupyterhub-singleuser``: each person's server runs the kit."""
    command = Path(sys.executable).parent / "jupyterhub-singleuser"
    if not command.exists():
        raise KitError(
            f"{command} is missing: install the hub's parts with "
            "PIP_CONSTRAINT=constraints.txt pip install --editable '.[hub]' in the kit"
        )
    return command


def shebang(command: Path) -> Path | None:
    """The interpreter a script names on its first line, if it names one."""
    try:
        with command.open("rb") as stream:
            first = stream.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    return Path(words[0]) if words else None


def blocked_for_others(command: Path) -> Path | None:
    """The first folder or file that stops other accounts running ``command``, or None.

    LocalProcessSpawner runs each person's server as them, so the command, its
    interpreter and every folder above them (symbolic links followed) must be open to
    others: a virtual environment whose Python lives under /root (pyenv) is not.
    Judged by permission bits, as root sees them (ACLs are not read).
    """
    interpreter = shebang(command)
    # A script is read by its interpreter; a program is only executed.
    needs = {command: stat.S_IXOTH | (stat.S_IROTH if interpreter else 0)}
    if interpreter is not None:
        needs[interpreter] = stat.S_IXOTH
    for target, bits in needs.items():
        for path in dict.fromkeys([target.absolute(), target.resolve()]):
            for folder in reversed(path.parents):
                if not mode_of(folder) & stat.S_IXOTH:
                    return folder
            if mode_of(path) & bits != bits:
                return path
    return None


def mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode
    except OSError:
        return 0


def nbgrader_assignments_enabled() -> bool:
    """Whether Jupyter Server loads nbgrader's assignment list, as its config files say."""
    from jupyter_core.paths import jupyter_config_path  # lazy: only hub init reads it

    enabled = False
    # Lowest priority first, so a later (more personal) file overrides an earlier one.
    for folder in map(Path, reversed(jupyter_config_path())):
        files = [*sorted((folder / "jupyter_server_config.d").glob("*.json"))]
        files.append(folder / "jupyter_server_config.json")
        for file in files:
            try:
                data = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            extensions = data.get("ServerApp", {}).get("jpserver_extensions", {})
            if isinstance(extensions, dict) and NBGRADER_ASSIGNMENTS in extensions:
                enabled = bool(extensions[NBGRADER_ASSIGNMENTS])
    return enabled


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("ccin_learn.hub", "templates"),
        autoescape=False,  # a Python file and Markdown, not HTML
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["py"] = lambda value: repr(str(value)) if value is not None else "None"
    return env


def write_private(path: Path, text: str) -> None:
    """Create ``path`` readable and writable by its owner only (0600), whatever the umask."""
    with open_private_log(path) as stream:  # the same 0600 file, whatever the umask
        stream.write(text)


def write_secrets(folder: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Make each missing secret; keep (and make owner-only) the ones there. (all, kept)."""
    folder.mkdir(mode=OWNER_ONLY_DIR, exist_ok=True)
    folder.chmod(OWNER_ONLY_DIR)
    written, kept = [], []
    for name, size in SECRET_FILES.items():
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8").strip():
            path.chmod(SECRET_MODE)
            kept.append(path)
        else:
            write_private(path, secrets.token_hex(size) + "\n")
        written.append(path)
    return tuple(written), tuple(kept)


def init_hub(
    folder: Path,
    settings: HubSettings,
    proxy: Path,
    singleuser: Path,
    force: bool = False,
) -> HubFiles:
    """Write a hub into ``folder``; refuse to replace a configuration unless ``force``."""
    settings.check()
    folder = folder.absolute()
    config = folder / CONFIG_NAME
    if config.exists() and not force:
        raise KitError(f"{config} already exists: use --force to rewrite it (secrets are kept)")
    if folder.exists() and not folder.is_dir():
        raise KitError(f"{folder} is not a folder")
    if not folder.exists():
        folder.mkdir(parents=True, mode=OWNER_ONLY_DIR)
        folder.chmod(OWNER_ONLY_DIR)
    all_secrets, kept = write_secrets(folder / SECRETS_DIR)
    values = {
        "version": __version__,
        "folder": folder,
        "admin": settings.admin,
        "ip": settings.ip,
        "port": settings.port,
        "hub_port": settings.hub_port,
        "proxy_api_port": settings.api_port,
        "db_url_file": absolute(settings.db_url_file),
        "proxy": proxy,
        "singleuser": singleuser,
        "nbgrader_assignments": nbgrader_assignments_enabled(),
        "idle_timeout": IDLE_TIMEOUT,
        "app_port": settings.app_port,
        "app_service": HUB_APP_SERVICE,
        "app_scopes": list(APP_SERVICE_ROLE_SCOPES),
        "network_admins": NETWORK_ADMINS,
        "app_db_url_file": absolute(settings.app_db_url_file),
        "cohorts_file": COHORTS_NAME,
    }
    env = templates()
    readme, gitignore = folder / README_NAME, folder / GITIGNORE_NAME
    config.write_text(env.get_template(f"{CONFIG_NAME}.j2").render(values), encoding="utf-8")
    readme.write_text(env.get_template(f"{README_NAME}.j2").render(values), encoding="utf-8")
    gitignore.write_text(GITIGNORE, encoding="utf-8")
    cohorts = folder / COHORTS_NAME
    if not cohorts.exists():  # people's data: a forced rewrite keeps it
        atomic_write(cohorts, example(settings.shared, settings.exchange).encode("utf-8"))
    return HubFiles(folder, config, readme, gitignore, all_secrets, kept, cohorts)


def absolute(path: Path | None) -> Path | None:
    return path.absolute() if path is not None else None


def folder_is_private(folder: Path) -> bool:
    """True when no other account can enter ``folder``."""
    return not folder.stat().st_mode & 0o077
