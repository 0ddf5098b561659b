"""Pieces the sub-command modules share."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

stderr = Console(stderr=True)


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[str, int], None]]:
    """A progress bar on stderr; yields ``update(phase, percent)``."""
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(title, total=100)

        def update(phase: str, percent: int) -> None:
            progress.update(task, description=f"{title}: {phase}", completed=percent)

        yield update


def stop_on_sigterm() -> None:
    """Let ``kill`` stop the servers as cleanly as Ctrl+C does."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def url_without_password(
    _context: click.Context, _parameter: click.Parameter, url: str | None
) -> str | None:
    """Refuse a database password on the command line, where ``ps`` shows it to anyone."""
    if url and urlsplit(url).password:
        raise click.BadParameter(
            "a password on the command line shows in process lists: set the URL in "
            "$CCIN_DB_URL instead, or keep the password in ~/.pgpass (PostgreSQL reads it)"
        )
    return url


def db_option(help_text: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """``--db URL``: the self-assessment database, without its password."""
    return click.option(
        "--db", "db_url", default=None, metavar="URL", callback=url_without_password,
        help=help_text,
    )  # fmt: skip
