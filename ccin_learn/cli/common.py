"""Pieces the sub-command modules share."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


def one_line(message: str) -> str:
    """A message on one line, however many lines the library that raised it used."""
    return " ".join(message.split())
