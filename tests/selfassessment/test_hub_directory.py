"""The app's reader of the hub's groups: where it finds the hub, and a hub that fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccin_learn.selfassessment.hub_directory import HubDirectory, HubUnreachable


def test_it_exists_only_under_a_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    assert HubDirectory.from_environment() is None
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t0ken")
    found = HubDirectory.from_environment()
    assert found == HubDirectory("http://127.0.0.1:8081/hub/api", "t0ken")


def test_a_hub_that_does_not_answer_is_one_line_without_the_token(
    free_port: Callable[[], int],
) -> None:
    directory = HubDirectory(f"http://127.0.0.1:{free_port()}/hub/api", "s3cret-token")
    with pytest.raises(HubUnreachable, match="cannot reach the hub at") as failed:
        directory.officer("sam")
    assert "\n" not in str(failed.value) and "s3cret-token" not in str(failed.value)
