"""``hub init`` writes a hub folder: a configuration that loads, owner-only secrets, a README."""

from __future__ import annotations

import importlib
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyterhub.auth import Authenticator
from traitlets.config import Config

from ccin_learn.errors import KitError
from ccin_learn.hub.deploy import (
    SECRET_FILES,
    HubFiles,
    blocked_for_others,
    nbgrader_assignments_enabled,
)
from tests.hub.driver import private_file

LoadConfig = Callable[[HubFiles], Config]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def secret_values(files: HubFiles) -> list[str]:
    return [path.read_text(encoding="utf-8").strip() for path in files.secrets]


def test_init_writes_the_config_the_readme_the_gitignore_and_the_secrets(
    hub_files: HubFiles,
) -> None:
    names = {path.name for path in hub_files.folder.iterdir()}
    assert names == {"jupyterhub_config.py", "README.md", ".gitignore", "secrets", "cohorts.toml"}
    assert sorted(path.name for path in hub_files.secrets) == sorted(SECRET_FILES)
    assert hub_files.kept_secrets == ()


def test_secrets_are_random_hex_and_owner_only(hub_files: HubFiles) -> None:
    values = secret_values(hub_files)
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in values)
    assert len(set(values)) == len(values)
    assert {mode(path) for path in hub_files.secrets} == {0o600}
    assert mode(hub_files.folder / "secrets") == 0o700
    assert mode(hub_files.folder) == 0o700


def test_no_secret_is_written_in_the_config_or_the_readme(hub_files: HubFiles) -> None:
    texts = hub_files.config.read_text() + hub_files.readme.read_text()
    assert not [value for value in secret_values(hub_files) if value in texts]


def test_the_gitignore_keeps_secrets_database_and_log_out_of_git(hub_files: HubFiles) -> None:
    lines = hub_files.gitignore.read_text().splitlines()
    assert {"secrets/", "jupyterhub.sqlite*", "jupyterhub.log"} <= set(lines)


def test_an_existing_config_is_kept_unless_forced(
    write_hub: Callable[..., HubFiles], hub_files: HubFiles
) -> None:
    before = secret_values(hub_files)
    hub_files.config.write_text("# edited by IT\n")
    with pytest.raises(KitError, match=r"already exists: use --force"):
        write_hub()
    assert hub_files.config.read_text() == "# edited by IT\n"
    again = write_hub(force=True, admin="it-lead")
    assert "it-lead" in again.config.read_text()
    assert secret_values(again) == before  # a forced rewrite signs nobody out
    assert again.kept_secrets == again.secrets


def test_the_config_loads_and_sets_the_native_authenticator(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    assert config.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    native = config.NativeAuthenticator
    assert native.enable_signup is True
    assert native.open_signup is False
    assert native.minimum_password_length == 10
    assert native.check_common_password is True
    assert native.allowed_failed_logins == 3
    assert native.seconds_before_next_try == 600
    assert config.Authenticator.admin_users == {"ccin-admin"}


def test_the_config_reads_the_secrets_from_their_files(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    secrets = {path.name: path for path in hub_files.secrets}
    assert config.JupyterHub.cookie_secret_file == str(secrets["jupyterhub_cookie_secret"])
    token = secrets["proxy_auth_token"].read_text().strip()
    assert config.ConfigurableHTTPProxy.auth_token == token
    culler = services_of(config)["idle-culler"]
    assert culler["api_token"] == secrets["idle_culler_api_token"].read_text().strip()


def test_the_config_refuses_a_secret_others_can_read(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    hub_files.secrets[1].chmod(0o644)
    with pytest.raises(SystemExit, match="readable by others"):
        load_config(hub_files)


def test_the_network_defaults_to_this_machine_clear_of_the_kit_ports(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    assert (config.JupyterHub.ip, config.JupyterHub.port) == ("127.0.0.1", 8010)
    assert (config.JupyterHub.hub_ip, config.JupyterHub.hub_port) == ("127.0.0.1", 8081)
    assert config.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8011"
    [command] = config.ConfigurableHTTPProxy.command
    assert command.endswith("node_modules/.bin/configurable-http-proxy")
    assert Path(command).exists()


def test_the_spawner_runs_the_kit_as_each_system_user(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    assert config.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    [command] = config.Spawner.cmd
    assert Path(command).name == "jupyterhub-singleuser" and Path(command).exists()
    assert config.Spawner.default_url == "/tree"
    # Limits are documented, not set: LocalProcessSpawner would not enforce them.
    assert "mem_limit" not in config.Spawner and "cpu_limit" not in config.Spawner
    text = hub_files.config.read_text()
    assert '# c.Spawner.mem_limit = "2G"' in text and "systemdspawner" in text
    assert "Zero to JupyterHub" in text


def test_the_idle_culler_is_a_service_with_its_role(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    culler = services_of(config)["idle-culler"]
    assert culler["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=3600"]
    role = roles_of(config)["idle-culler"]
    assert role["services"] == ["idle-culler"]
    assert set(role["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }
    importlib.import_module("jupyterhub_idle_culler")


def test_the_database_is_sqlite_in_the_folder_and_owner_only(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    database = hub_files.folder / "jupyterhub.sqlite"
    assert config.JupyterHub.db_url == f"sqlite:///{database}"
    assert mode(database) == 0o600


def test_the_database_url_comes_from_the_environment_at_start(
    hub_files: HubFiles, load_config: LoadConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "postgresql+psycopg://hub:s3cret@db.example.org/hub"
    monkeypatch.setenv("CCIN_HUB_DB_URL", url)
    assert load_config(hub_files).JupyterHub.db_url == url
    assert "s3cret" not in hub_files.config.read_text()


def test_the_database_url_comes_from_a_private_file_at_start(
    write_hub: Callable[..., HubFiles], load_config: LoadConfig, tmp_path: Path
) -> None:
    url_file = private_file(
        tmp_path / "hub-db-url", "postgresql+psycopg://hub:s3cret@db.example.org/hub\n"
    )
    files = write_hub(db_url_file=url_file)
    config = load_config(files)
    assert config.JupyterHub.db_url == "postgresql+psycopg://hub:s3cret@db.example.org/hub"
    assert "s3cret" not in files.config.read_text()
    assert not (files.folder / "jupyterhub.sqlite").exists()


def test_a_database_url_file_others_can_read_is_refused(
    write_hub: Callable[..., HubFiles], tmp_path: Path
) -> None:
    url_file = tmp_path / "hub-db-url"
    url_file.write_text("postgresql+psycopg://hub:s3cret@db.example.org/hub\n")
    url_file.chmod(0o644)
    with pytest.raises(KitError, match="readable by others: chmod 600"):
        write_hub(db_url_file=url_file)


@pytest.mark.parametrize("admin", ["Council Admin", "admin,two", "a/b", "Admin", ""])
def test_an_admin_name_that_is_no_system_user_name_is_refused(
    write_hub: Callable[..., HubFiles], admin: str
) -> None:
    with pytest.raises(KitError, match="not a system user name"):
        write_hub(admin=admin)


def test_the_ports_must_differ(write_hub: Callable[..., HubFiles]) -> None:
    with pytest.raises(KitError, match="ports must differ"):
        write_hub(port=8081)


def test_every_authenticator_the_config_names_can_be_imported(hub_files: HubFiles) -> None:
    """The active one and the commented alternatives: Entra ID, generic OAuth, LTI 1.3."""
    named = re.findall(r'authenticator_class = "([\w.]+)"', hub_files.config.read_text())
    assert set(named) == {
        "nativeauthenticator.NativeAuthenticator",
        "oauthenticator.azuread.AzureAdOAuthenticator",
        "oauthenticator.generic.GenericOAuthenticator",
        "ltiauthenticator.lti13.auth.LTI13Authenticator",
    }
    for path in named:
        module, _, name = path.rpartition(".")
        assert issubclass(getattr(importlib.import_module(module), name), Authenticator)


def test_the_readme_tells_it_how_to_start_add_an_admin_and_choose_a_spawner(
    hub_files: HubFiles,
) -> None:
    text = hub_files.readme.read_text()
    assert f"ccin-learn hub start {hub_files.folder}" in text
    assert "admin_users" in text and "/hub/authorize" in text
    assert "systemdspawner" in text and "spawner" in text.lower()
    for path in hub_files.secrets:
        assert f"secrets/{path.name}" in text


def test_nbgrader_assignment_list_is_enabled_in_the_kit() -> None:
    assert nbgrader_assignments_enabled()


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every account can enter (pytest's own tmp_path is closed to others)."""
    folder = Path(tempfile.mkdtemp(prefix="ccintest-open-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_a_command_closed_to_other_accounts_is_found(open_folder: Path) -> None:
    """LocalProcessSpawner runs the server as each person: its Python must be open to them."""
    bin_dir = open_folder / "pyenv" / "bin"
    bin_dir.mkdir(parents=True, mode=0o755)
    python = bin_dir / "python"
    python.write_text("")
    python.chmod(0o755)
    script = open_folder / "jupyterhub-singleuser"
    script.write_text(f"#!{python} -I\n")
    script.chmod(0o755)
    assert blocked_for_others(script) is None
    (open_folder / "pyenv").chmod(0o700)  # as /root is
    assert blocked_for_others(script) == open_folder / "pyenv"
    (open_folder / "pyenv").chmod(0o755)
    script.chmod(0o711)  # runnable but unreadable: its interpreter could not read it
    assert blocked_for_others(script) == script
    assert blocked_for_others(Path("/usr/bin/env")) is None


def services_of(config: Config) -> dict[str, dict[str, Any]]:
    return {service["name"]: service for service in config.JupyterHub.services}


def roles_of(config: Config) -> dict[str, dict[str, Any]]:
    return {role["name"]: role for role in config.JupyterHub.load_roles}


def test_the_app_is_a_service_every_officer_may_open(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    """The self-assessment app: one service, behind the hub's sign-in, its database URL in
    its environment (never on its command line), the first administrator a network admin."""
    config = load_config(hub_files)
    app = services_of(config)["ccin-app"]
    assert app["url"] == "http://127.0.0.1:8870"
    assert app["command"][1:] == ["-m", "ccin_learn.hub.app_service"]
    assert app["oauth_no_confirm"] is True
    database = hub_files.folder / "assessments.sqlite"
    assert app["environment"]["CCIN_DB_URL"] == f"sqlite:///{database}"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    roles = roles_of(config)
    assert roles["ccin-app"]["services"] == ["ccin-app"]
    assert "admin:groups" in roles["ccin-app"]["scopes"]
    assert roles["user"]["scopes"] == ["self", "access:services!service=ccin-app"]
    assert config.JupyterHub.load_groups == {"network-admins": {"users": ["ccin-admin"]}}


def test_the_app_reads_its_postgresql_url_from_a_private_file(
    write_hub: Callable[..., HubFiles], load_config: LoadConfig, tmp_path: Path
) -> None:
    url = "postgresql+psycopg://ccin:s3cret@db.example/assessments\n"
    url_file = private_file(tmp_path / "assessments-url", url)
    files = write_hub(app_db_url_file=url_file)
    assert "s3cret" not in files.config.read_text()
    app = services_of(load_config(files))["ccin-app"]
    assert app["environment"]["CCIN_DB_URL"].endswith("s3cret@db.example/assessments")
    url_file.chmod(0o644)
    with pytest.raises(KitError, match="readable by others"):
        write_hub(app_db_url_file=url_file, force=True)
