"""The ``ccin-learn`` command: one entry point, a sub-command per job.

Exit codes: 0 done; 1 the job failed (the message says why); 2 the command
was used wrongly; 130 interrupted. Errors are one line on stderr, never a
traceback.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path

import click

from ccin_learn import __version__
from ccin_learn.cli.assess import assess
from ccin_learn.cli.common import db_option, progress_bar, stderr, stop_on_sigterm
from ccin_learn.cli.credentials import credentials
from ccin_learn.cli.grade import grade
from ccin_learn.cli.hub import hub
from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.course.facts import default_facts
from ccin_learn.errors import KitError, one_line
from ccin_learn.settings import APP_PORT, BOOK_PORT, HOST
from ccin_learn.site.check import check_book
from ccin_learn.site.paths import KitPaths, find_root

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The kit folder holding _config.yml (default: found from the current folder).",
)
host_option = click.option("--host", default=HOST, show_default=True, help="Address to listen on.")
port_type = click.IntRange(1, 65535)


def kit_paths(root: Path | None) -> KitPaths:
    return find_root(root)


def build(paths: KitPaths, strict: bool) -> None:
    """Build the book with a progress bar and a one-line summary."""
    from ccin_learn.site.build import build_book  # lazy: Sphinx takes seconds to import

    with progress_bar("Building the course book") as update:
        result = build_book(paths, strict=strict, progress=update)
    note = f", {len(result.problems)} warning(s): see {paths.build_log}" if result.problems else ""
    click.echo(f"Built the course book: {result.pages} pages in {paths.html_dir}{note}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccin-learn")
def cli() -> None:
    """The CCIN course kit: the course book, the live tools and the trainer's tools.

    Exit codes: 0 done, 1 failed (the message says why), 2 wrong use, 130 interrupted.
    """


@cli.group()
def book() -> None:
    """Build the course book (a Jupyter Book website)."""


@book.command("build")
@click.option("--strict", is_flag=True, help="Treat every warning as an error (as CI does).")
@root_option
def book_build(strict: bool, root: Path | None) -> None:
    """Build the book into _build/html, re-running only notebooks that changed."""
    build(kit_paths(root), strict)


# The statement's start shown for each fact due for review.
DUE_STATEMENT_CHARS = 60


@book.command("facts")
@click.option("--due", is_flag=True, required=True, help="List the facts past their review date.")
@click.option(
    "--on",
    "on_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Judge as of this date (default: today).",
)
def book_facts(due: bool, on_day: datetime | None) -> int:
    """List the course's facts past their review_by date; exit 1 if there are any."""
    day = on_day.date() if on_day is not None else date.today()
    overdue = default_facts().due(day)
    if not overdue:
        click.echo(f"No facts are due for review on {day.isoformat()}.")
        return EXIT_OK
    for fact in overdue:
        start = fact.statement
        if len(start) > DUE_STATEMENT_CHARS:
            start = start[: DUE_STATEMENT_CHARS - 3].rstrip() + "..."
        click.echo(f"{fact.id}  {fact.review_by.isoformat()}  {start}")
    click.echo(f"{len(overdue)} fact(s) due for review on {day.isoformat()}.", err=True)
    return EXIT_FAILED


@book.command("check")
@click.option("--times", is_flag=True, help="Also list each page's reading and activity minutes.")
@root_option
def book_check(times: bool, root: Path | None) -> int:
    """Check the pages' facts, figures and study times; exit 1 on any problem.

    Every figure in the prose must come from the fact registry, and each
    module's claimed study time must be within 15% of its pages' reading time
    plus their activities.
    """
    found = check_book(kit_paths(root).root, default_catalogue(), default_facts())
    for page in found.problems:
        for line in page.lines():
            click.echo(line)
    for module in found.modules:
        click.echo(module.line())
        if times:
            for timed in module.pages:
                click.echo(f"  {timed.docname}: {timed.reading} + {timed.activities} min")
    if found.ok:
        return EXIT_OK
    click.echo("The book check found problems (listed above).", err=True)
    return EXIT_FAILED


@cli.command()
@host_option
@click.option("--port", type=port_type, default=BOOK_PORT, show_default=True, help="Port.")
@root_option
def serve(host: str, port: int, root: Path | None) -> None:
    """Serve the built book on this machine until you press Ctrl+C."""
    from ccin_learn.site.server import make_server, site_directory, url_of  # lazy: start-up speed

    server = make_server(site_directory(kit_paths(root)), host, port)
    click.echo(f"The course book is at {url_of(server)}  (press Ctrl+C to stop)")
    with server:
        stop_on_sigterm()
        server.serve_forever()


@cli.command()
@host_option
@click.option(
    "--port", type=port_type, default=BOOK_PORT, show_default=True, help="Port for the course book."
)
@click.option(
    "--app-port",
    type=port_type,
    default=APP_PORT,
    show_default=True,
    help="Port for the live tools (Voila).",
)
@click.option("--no-build", is_flag=True, help="Serve the book as last built.")
@db_option(
    "Database for the self-assessment (default: $CCIN_DB_URL, else a SQLite "
    "file in your data folder)."
)
@root_option
def start(
    host: str, port: int, app_port: int, no_build: bool, db_url: str | None, root: Path | None
) -> None:
    """Build the book, then serve it and the live tools until you press Ctrl+C."""
    from ccin_learn.apps.launcher import running_voila  # lazy: start-up speed
    from ccin_learn.selfassessment.store import Store  # lazy: start-up speed
    from ccin_learn.settings import app_url  # lazy: start-up speed

    # lazy: start-up speed
    from ccin_learn.site.server import make_server, serve_in_thread, site_directory, url_of

    if port == app_port:
        raise click.BadParameter("must differ from --port", param_hint="--app-port")
    paths = kit_paths(root)
    store = Store(db_url)  # a database that cannot be used stops here, with its reason
    if not no_build:
        build(paths, strict=False)
    server = make_server(site_directory(paths), host, port)
    with ExitStack() as stack:
        stack.enter_context(server)
        stack.callback(server.shutdown)
        serve_in_thread(server)
        book_url = url_of(server)
        with stderr.status("Starting the live tools (Voila)..."):
            log = paths.build_dir / "voila.log"
            apps_url = stack.enter_context(
                running_voila(host, app_port, book_url, log, db_url=store.url)
            )
        click.echo(f"The course book is at {book_url}")
        click.echo(f"The self-assessment app is at {app_url('self-assessment', apps_url)}")
        click.echo(f"The live tools are at {apps_url}")
        click.echo("Press Ctrl+C to stop.")
        stop_on_sigterm()
        threading.Event().wait()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and turn every outcome into an exit code and at most one error line."""
    try:
        result = cli.main(args=argv, prog_name="ccin-learn", standalone_mode=False)
    except click.UsageError as err:
        command = err.ctx.command_path if err.ctx else "ccin-learn"
        click.echo(
            f"{command}: error: {one_line(err.format_message())} (see '{command} --help')",
            err=True,
        )
        return EXIT_USAGE
    except click.ClickException as err:
        click.echo(f"ccin-learn: error: {one_line(err.format_message())}", err=True)
        return err.exit_code
    except KitError as err:
        click.echo(f"ccin-learn: error: {one_line(str(err))}", err=True)
        return EXIT_FAILED
    except (KeyboardInterrupt, click.Abort):
        click.echo("Stopped.", err=True)
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else EXIT_OK


# The sub-command groups that live in their own modules.
cli.add_command(assess)
cli.add_command(grade)
cli.add_command(credentials)
cli.add_command(hub)
