"""Fixtures of the hub's tests: a written hub folder, and its configuration as loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from traitlets.config import Config, PyFileConfigLoader

from ccin_learn.hub.deploy import (
    CONFIG_NAME,
    HubFiles,
    HubSettings,
    init_hub,
    kit_proxy,
    singleuser_command,
)
from ccin_learn.site.paths import KitPaths
from tests.hub.driver import CannotRun, open_singleuser


@pytest.fixture(scope="session")
def proxy(kit: KitPaths) -> Path:
    """The kit's configurable-http-proxy."""
    return kit_proxy(kit)


@pytest.fixture
def write_hub(tmp_path: Path, proxy: Path) -> Callable[..., HubFiles]:
    """``write_hub(force=False, **settings)``: ``hub init`` into ``tmp_path/hub``."""

    def write(force: bool = False, **settings: object) -> HubFiles:
        chosen = HubSettings(**settings)  # type: ignore[arg-type]
        return init_hub(tmp_path / "hub", chosen, proxy, singleuser_command(), force=force)

    return write


@pytest.fixture
def hub_files(write_hub: Callable[..., HubFiles]) -> HubFiles:
    """A hub folder as ``hub init`` writes it with the defaults."""
    return write_hub()


@pytest.fixture
def load_config(monkeypatch: pytest.MonkeyPatch) -> Callable[[HubFiles], Config]:
    """Load a written configuration as JupyterHub does (traitlets' PyFileConfigLoader)."""
    monkeypatch.delenv("CCIN_HUB_DB_URL", raising=False)

    def load(files: HubFiles) -> Config:
        return PyFileConfigLoader(CONFIG_NAME, path=str(files.folder)).load_config()

    return load


@pytest.fixture(scope="session")
def singleuser() -> Iterator[Path]:
    """The kit's single-user server, or a launcher every account can run (see
    :func:`tests.hub.driver.open_singleuser`); skipped where neither can run."""
    try:
        with open_singleuser() as command:
            yield command
    except CannotRun as reason:
        pytest.skip(str(reason))
