"""The command line: help everywhere, one-line errors, meaningful exit codes."""

from __future__ import annotations

import socket

import pytest

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


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(command, run_cli):
    out = run_cli([*command, "--help"]).out
    assert out.startswith(f"Usage: ccin-learn {' '.join(command)}".rstrip())


def test_version(run_cli):
    assert "ccin-learn, version" in run_cli(["--version"]).out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["book", "build", "--bogus"], "No such option '--bogus'"),
        (["serve", "--port", "0"], "Invalid value for '--port'"),
        (["start", "--port", "9000", "--app-port", "9000"], "must differ from --port"),
        (["bake"], "No such command 'bake'"),
    ],
)
def test_wrong_use_is_one_line_and_exit_2(args, message, run_process):
    assert message in run_process(args, exit_code=2).err


def test_serving_before_building_explains_what_to_do(tmp_path, run_process):
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_toc.yml").write_text("root: index\n")
    result = run_process(["serve", "--root", tmp_path], exit_code=1)
    assert result.err.strip() == (
        f"ccin-learn: error: no built book at {tmp_path / '_build' / 'html'}: "
        "run 'ccin-learn book build' first"
    )


def test_a_folder_without_a_book_is_refused(tmp_path, run_process):
    result = run_process(["book", "build", "--root", tmp_path], exit_code=1)
    assert "no course book found" in result.err


def test_busy_port_is_one_line_and_exit_1(tmp_path, run_process):
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<h1>x</h1>")
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "_toc.yml").write_text("root: index\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_process(["serve", "--root", tmp_path, "--port", port], exit_code=1)
    assert result.err.strip() == (
        f"ccin-learn: error: port {port} on 127.0.0.1 is already in use: "
        "stop the other server or pass --port"
    )
