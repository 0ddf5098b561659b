"""The throwaway PostgreSQL cluster's fixture: a machine without PostgreSQL fails, with why."""

from __future__ import annotations

import pytest

from tests import pg_cluster


def test_without_postgresql_the_tests_fail_saying_to_run_kit_test(monkeypatch):
    monkeypatch.setattr(pg_cluster.glob, "glob", lambda pattern: [])
    with pytest.raises(pytest.fail.Exception, match=r"not installed .* run ./kit test"):
        pg_cluster.postgresql_bin()


def test_the_password_is_on_no_command_line(postgresql_cluster):
    """Issue 13, item 8: secrets by file or environment only; ``ps`` shows command lines."""
    command_line = " ".join(postgresql_cluster.process.args)
    assert postgresql_cluster.password not in command_line
    assert "listen_addresses=127.0.0.1" in command_line
