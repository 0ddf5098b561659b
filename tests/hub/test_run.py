"""A real hub, as ``hub init`` writes it and ``hub start`` runs it: sign-up, approval, a
learner's own server, the lock-out, and no secret on any command line."""

from __future__ import annotations

import pwd
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from ccin_learn.hub.deploy import init_hub
from tests.hub.driver import (
    CannotRun,
    Hub,
    approve,
    hub_settings,
    log_in,
    running_hub,
    sign_up,
    system_accounts,
    wait_for_own_server,
)

ADMIN = "ccintest-admin"
LEARNER = "ccintest-learner1"
PASSWORDS = {ADMIN: "Admin-pass-1234", LEARNER: "Learner-pass-5678"}


@pytest.fixture
def learner_account() -> Iterator[pwd.struct_passwd]:
    """A system user for the learner: LocalProcessSpawner runs their server as them."""
    try:
        with system_accounts(LEARNER) as [account]:
            yield account
    except CannotRun as reason:
        pytest.skip(str(reason))


@pytest.fixture
def hub(
    tmp_path: Path,
    proxy: Path,
    singleuser: Path,
) -> Iterator[Hub]:
    """``hub init`` then ``hub start`` on free ports; stopped with SIGTERM afterwards."""
    settings = hub_settings(ADMIN)
    files = init_hub(tmp_path / "hub", settings, proxy, singleuser)
    with running_hub(files, settings.port, tmp_path) as running:
        yield running


@pytest.mark.slow
def test_a_learner_signs_up_is_approved_starts_a_server_and_is_locked_out(
    hub: Hub, learner_account: pwd.struct_passwd
) -> None:
    # The administrator named at init is approved as they sign up; a learner waits.
    assert "The signup was successful!" in sign_up(hub, ADMIN, PASSWORDS[ADMIN])
    assert "Your information has been sent to the admin." in sign_up(
        hub, LEARNER, PASSWORDS[LEARNER]
    )
    _, refused = log_in(hub, LEARNER, PASSWORDS[LEARNER])
    assert "has not been authorized by an administrator yet" in refused

    admin, refused = log_in(hub, ADMIN, PASSWORDS[ADMIN])
    assert not refused
    approve(hub, admin, LEARNER)

    learner, refused = log_in(hub, LEARNER, PASSWORDS[LEARNER])
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
    _, refused = log_in(hub, LEARNER, PASSWORDS[LEARNER])
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
