"""The command line: help everywhere, one-line errors, meaningful exit codes."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from ccin_learn.cli import main

COMMANDS = [
    [],
    ["book"],
    ["book", "build"],
    ["serve"],
    ["start"],
    ["assess"],
    ["assess", "app"],
    ["assess", "validate"],
    ["assess", "score"],
    ["assess", "report"],
    ["assess", "import"],
    ["assess", "export"],
    ["assess", "history"],
    ["assess", "list"],
    ["assess", "schema"],
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "ccin_learn.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(command, capsys):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: ccin-learn {' '.join(command)}".rstrip())


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "ccin-learn, version" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["book", "build", "--bogus"], "No such option '--bogus'"),
        (["serve", "--port", "0"], "Invalid value for '--port'"),
        (["start", "--port", "9000", "--app-port", "9000"], "must differ from --port"),
        (["bake"], "No such command 'bake'"),
    ],
)
def test_wrong_use_is_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_serving_before_building_explains_what_to_do(tmp_path):
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_toc.yml").write_text("root: index\n")
    result = run("serve", "--root", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ccin-learn: error: no built book at {tmp_path / '_build' / 'html'}: "
        "run 'ccin-learn book build' first"
    )


def test_a_folder_without_a_book_is_refused(tmp_path):
    result = run("book", "build", "--root", str(tmp_path))
    assert result.returncode == 1
    assert "no course book found" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_busy_port_is_one_line_and_exit_1(tmp_path):
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<h1>x</h1>")
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_toc.yml").write_text("root: index\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--root", str(tmp_path), "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ccin-learn: error: port {port} on 127.0.0.1 is already in use: "
        "stop the other server or pass --port"
    )
