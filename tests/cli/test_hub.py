"""``ccin-learn hub init`` and ``hub start`` as a user runs them: one-line refusals."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from ccin_learn.hub import deploy
from tests.conftest import CliResult

RunCli = Callable[..., CliResult]


def test_init_writes_the_folder_and_says_what_next(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "hub"
    result = run_cli(["hub", "init", folder, "--admin", "it-lead", "--port", "8020"])
    assert f"ccin-learn hub start {folder}" in result.out
    assert "sign up first as it-lead at http://127.0.0.1:8020/hub/signup" in result.out
    assert "Wrote its secrets (owner-only)" in result.out
    config = (folder / "jupyterhub_config.py").read_text()
    assert "c.JupyterHub.port = 8020" in config
    assert 'c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:8021"' in config


def test_init_refuses_an_existing_config_in_one_line_unless_forced(
    run_cli: RunCli, tmp_path: Path
) -> None:
    folder = tmp_path / "hub"
    run_cli(["hub", "init", folder])
    result = run_cli(["hub", "init", folder], exit_code=1)
    assert "already exists: use --force" in result.err
    assert "Kept its secrets" in run_cli(["hub", "init", folder, "--force"]).out


def test_init_refuses_a_bad_admin_name(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["hub", "init", tmp_path / "hub", "--admin", "Jo Bloggs"], exit_code=1)
    assert "not a system user name" in result.err
    assert not (tmp_path / "hub").exists()


def test_init_refuses_a_database_url_file_others_can_read(run_cli: RunCli, tmp_path: Path) -> None:
    url_file = tmp_path / "db-url"
    url_file.write_text("postgresql+psycopg://hub:pw@db/hub\n")
    url_file.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP)
    result = run_cli(["hub", "init", tmp_path / "hub", "--db-url-file", url_file], exit_code=1)
    assert f"chmod 600 {url_file}" in result.err


def test_start_without_a_config_says_to_run_init(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["hub", "start", tmp_path], exit_code=1)
    assert f"run ccin-learn hub init {tmp_path} first" in result.err


def test_init_warns_when_other_accounts_cannot_run_the_servers(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deploy, "blocked_for_others", lambda _command: Path("/root"))
    result = run_cli(["hub", "init", tmp_path / "hub"])
    assert "(/root is closed to them), so no one's server will start" in result.err
    monkeypatch.setattr(deploy, "blocked_for_others", lambda _command: None)
    assert "Warning" not in run_cli(["hub", "init", tmp_path / "hub", "--force"]).err


@pytest.mark.slow
def test_start_says_where_the_log_is_when_jupyterhub_fails(
    run_process: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "jupyterhub_config.py").write_text("c = get_config()\nc.JupyterHub.port = 'x'\n")
    result = run_process(["hub", "start", tmp_path], exit_code=1, one_line=False)
    log = tmp_path / "jupyterhub.log"
    last = result.err.strip().splitlines()[-1]
    assert last == f"ccin-learn: error: JupyterHub stopped with exit code 1: see {log}"
    assert "Bad config" in result.err and "Bad config" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
