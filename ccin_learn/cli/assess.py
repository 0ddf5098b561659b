"""``ccin-learn assess``: the council self-assessment from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccin_learn.cli.common import db_option as common_db_option
from ccin_learn.cli.common import stop_on_sigterm
from ccin_learn.errors import KitError
from ccin_learn.selfassessment.assessment import Assessment, load_assessment, stamped, to_json
from ccin_learn.settings import APP_PORT, HOST
from ccin_learn.text import percent

if TYPE_CHECKING:
    from ccin_learn.selfassessment.checklist import Checklist
    from ccin_learn.selfassessment.plan import PlanView

db_option = common_db_option(
    "Database URL (default: $CCIN_DB_URL, else a SQLite file in your data folder)."
)
file_argument = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


def output_option(
    help_text: str, required: bool = False
) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """``-o/--output FILE``: where a command writes (or, when optional, instead of printing)."""
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=required,
        default=None, help=help_text,
    )  # fmt: skip


def open_store(db_url: str | None):
    from ccin_learn.selfassessment.store import Store  # lazy: start-up speed

    return Store(db_url)


@click.group()
def assess() -> None:
    """Rate a council against CCIN's 15 checklist actions: app, files, reports, history."""


@assess.command()
@click.option("--host", default=HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=APP_PORT,
    show_default=True,
    help="Port for the app.",
)
@db_option
def app(host: str, port: int, db_url: str | None) -> None:
    """Start the self-assessment app (Voila) until you press Ctrl+C."""
    import threading  # lazy: start-up speed

    from ccin_learn.apps.launcher import running_voila  # lazy: start-up speed
    from ccin_learn.selfassessment.store import default_db_url  # lazy: start-up speed
    from ccin_learn.settings import app_url, book_url  # lazy: start-up speed

    url = db_url or default_db_url()
    open_store(url)  # fail now, with a clear message, if the database cannot be used
    with ExitStack() as stack:
        log = Path.home() / ".cache" / "ccin-learn" / "voila.log"
        base = stack.enter_context(running_voila(host, port, book_url(), log, db_url=url))
        click.echo(f"The self-assessment app is at {app_url('self-assessment', base)}")
        click.echo("Press Ctrl+C to stop.")
        stop_on_sigterm()
        threading.Event().wait()


@assess.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> int:
    """Check assessment files; exit 0 if all are valid, else 1 with a line per bad file."""
    bad = 0
    for path in files:
        try:
            load_assessment(path)
        except KitError as err:
            bad += 1
            click.echo(f"invalid: {err}", err=True)
        else:
            click.echo(f"valid: {path}")
    return 1 if bad else 0


def score_json(assessment: Assessment) -> dict[str, object]:
    from ccin_learn.selfassessment.scoring import score  # lazy: start-up speed

    card = score(assessment)
    return {
        "council": assessment.council.name,
        "assessed_on": assessment.assessed_on.isoformat(),
        "overall": card.overall,
        "themes": {
            t.theme_id: {
                "title": t.title,
                "score": t.percent,
                "answered": t.answered,
                "total": t.total,
            }
            for t in card.themes
        },
        "answered": card.answered,
        "total": card.total,
        "complete": card.complete,
        "principles": {str(n): mean for n, mean in card.principles.items()},
        "priorities": [
            {
                "action": p.action.id,
                "title": p.action.title,
                "level": p.level,
                "next_level": p.next_level,
                "next_step": p.next_step,
            }
            for p in card.priorities
        ],
    }


def score_lines(assessment: Assessment) -> list[str]:
    from ccin_learn.selfassessment.checklist import default_checklist  # lazy: start-up speed
    from ccin_learn.selfassessment.scoring import score  # lazy: start-up speed

    card, names = score(assessment), default_checklist().level_name
    lines = [
        f"{assessment.council.name}, assessed on {assessment.assessed_on:%d %B %Y}",
        f"Overall: {percent(card.overall)} ({card.completeness})",
    ]
    lines += [
        f"{t.title}: {percent(t.percent)} ({t.answered} of {t.total} answered)" for t in card.themes
    ]
    lines.append("Priorities:" if card.priorities else "Priorities: none yet")
    lines += [
        f"  {i}. {p.action.title} (now {p.level} {names(p.level)}). Next step: {p.next_step}"
        for i, p in enumerate(card.priorities, start=1)
    ]
    return lines


@assess.command()
@file_argument
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def score(file: Path, as_json: bool) -> None:
    """Print the scores, completeness and priorities of an assessment file."""
    assessment = load_assessment(file)
    if as_json:
        click.echo(json.dumps(score_json(assessment), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(score_lines(assessment)))


@assess.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@output_option("The report to write: a .html, .pdf, .docx (Word) or .csv file.", required=True)
@click.option(
    "--council", default=None, help="Report a saved version of this council instead of a file."
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(1),
    default=None,
    help="With --council: which saved version (default: the latest).",
)
@db_option
def report(
    file: Path | None, output: Path, council: str | None, version: int | None, db_url: str | None
) -> None:
    """Write a report (HTML, PDF, Word or CSV, by the file name) of a file or a saved version.

    A saved version is compared with the version saved before it.
    """
    # lazy: start-up speed
    from ccin_learn.reports.downloads import file_report, format_of, saved_report, write_report

    if (file is None) == (council is None):
        raise click.UsageError("give either an assessment FILE or --council NAME")
    if version is not None and council is None:
        raise click.UsageError("--version needs --council")
    format_of(output)  # refuse a bad file name before any work
    if file is not None:
        made = file_report(load_assessment(file))
    else:
        made = saved_report(open_store(db_url), council or "", version)
    write_report(made, output)
    click.echo(f"Wrote {output}")


@assess.command("import")
@file_argument
@click.option(
    "--force",
    is_flag=True,
    help="Save the file on top of the latest version even if it is based on an older one.",
)
@db_option
def import_(file: Path, force: bool, db_url: str | None) -> None:
    """Validate an assessment file and save it as the council's newest version.

    The file must be based on the latest saved version (files written by `assess
    export` and the app's JSON download say which); otherwise it is refused, so an
    import never replaces a colleague's newer work unless --force is given.
    """
    assessment = load_assessment(file)  # validated before the store is touched
    saved = open_store(db_url).import_file(assessment, force=force)
    click.echo(f"Imported {saved.council} as version {saved.version}")


@assess.command()
@click.argument("council")
@output_option("The JSON file to write.", required=True)
@click.option(
    "--version",
    "version",
    type=click.IntRange(1),
    default=None,
    help="Which saved version (default: the latest).",
)
@db_option
def export(council: str, output: Path, version: int | None, db_url: str | None) -> None:
    """Write a council's saved assessment to a JSON file."""
    from ccin_learn.fileio import atomic_write  # lazy: start-up speed

    saved = open_store(db_url).load(council, version)
    # The file says which version it is, so importing it after edits obeys the stale-save rule.
    atomic_write(output, to_json(stamped(saved.assessment, saved.version)).encode("utf-8"))
    click.echo(f"Wrote version {saved.version} of {saved.council} to {output}")


@assess.command()
@click.argument("council")
@db_option
def history(council: str, db_url: str | None) -> None:
    """List a council's saved versions with their scores."""
    from ccin_learn.selfassessment.scoring import score  # lazy: start-up speed

    for saved in open_store(db_url).history(council):
        card = score(saved.assessment)
        overall = percent(card.overall)
        click.echo(
            f"version {saved.version}  saved {saved.saved_at.astimezone():%Y-%m-%d %H:%M}"
            f"{saved.by_whom}  "
            f"assessed {saved.assessment.assessed_on}  overall {overall}  {card.completeness}"
        )


@assess.command()
@output_option("Write the schema to this file instead of printing it.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of assessment files (for other systems that read them)."""
    from ccin_learn.fileio import atomic_write  # lazy: start-up speed
    from ccin_learn.selfassessment.assessment import json_schema  # lazy: start-up speed

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}")


@assess.command("list")
@db_option
def list_councils(db_url: str | None) -> None:
    """List the councils in the database."""
    names = open_store(db_url).councils()
    click.echo("\n".join(names) if names else "No councils saved yet.")


@assess.command()
@click.argument("council")
@db_option
def respondents(council: str, db_url: str | None) -> None:
    """List who has shared a rating of COUNCIL, and who rated its latest agreed version.

    For the latest agreed version it also lists the actions where officers' ratings
    were two levels or more apart, with each officer's rating.
    """
    # lazy: start-up speed
    from ccin_learn.selfassessment.respondents import latest_agreed, ratings, round_summary

    store = open_store(db_url)
    store.load(council)  # refuse an unknown council in one line
    shared = ratings(store, council)
    click.echo(f"Ratings shared since the last agreed version: {len(shared) or 'none'}")
    for rating in shared:
        answered = sum(1 for a in rating.assessment.answers.values() if a.answered)
        click.echo(f"  {rating.person}  shared {rating.shared_at.astimezone():%Y-%m-%d %H:%M}"
                   f"  {answered} of {len(store.checklist.actions)} answered")  # fmt: skip
    version = latest_agreed(store, council)
    summary = round_summary(store, council, version) if version else None
    if not version:
        click.echo("No version agreed yet.")
    elif summary is None:
        click.echo(f"Version {version} was agreed with no officer's rating recorded.")
    else:
        click.echo(f"Version {version}, agreed by {summary.agreed_by}: {summary.sentence}")
        click.echo(f"  Rated by: {', '.join(summary.officers)}")
        for spread in summary.disagreements:
            ratings_text = "; ".join(f"{a.person} {a.words}" for a in spread.answers)
            click.echo(f"  {spread.action.title}: {ratings_text}")


@assess.command()
@click.option(
    "--type",
    "council_type",
    default=None,
    metavar="T",
    help="One type of council (an id such as unitary or county); default: all.",
)
@output_option("Write the distributions to this CSV file instead of printing them.")
@db_option
def benchmark(council_type: str | None, output: Path | None, db_url: str | None) -> None:
    """The benchmark's anonymised distributions, for the network's administrators.

    One row per council type and figure: how many councils count towards it and its
    quartiles, from each taking-part council's latest agreed version. A figure with
    fewer than 5 councils is listed with its values withheld; no council is named.
    """
    # lazy: start-up speed
    from ccin_learn.selfassessment.benchmark import WITHHELD, network_distributions, number

    rows = network_distributions(open_store(db_url), council_type)
    header = ["council_type", "figure", "councils", "lower_quartile", "median", "upper_quartile"]
    table = []
    for row in rows:
        group, kind = row.group, row.figure.kind
        values = (
            [str(group.councils), number(group.lower, kind), number(group.median, kind),
             number(group.upper, kind)]
            if group else [WITHHELD, "", "", ""]
        )  # fmt: skip
        table.append([row.type_name, row.figure.label, *values])
    if output is None:
        for line in table:
            click.echo("  ".join(cell for cell in line if cell))
        return
    from ccin_learn.csvtext import csv_text  # lazy: start-up speed
    from ccin_learn.fileio import atomic_write  # lazy: start-up speed

    atomic_write(output, csv_text(header, table).encode("utf-8-sig"))
    click.echo(f"Wrote {len(table)} rows to {output}")


@assess.command()
@click.argument("council")
@output_option("Write the plan to a .csv, .docx (Word) or .pdf file instead of printing it.")
@db_option
def plan(council: str, output: Path | None, db_url: str | None) -> None:
    """Print COUNCIL's action plan, or write it as CSV, Word or PDF by the file's name."""
    from datetime import date  # lazy: start-up speed

    from ccin_learn.selfassessment.plan import plan_view  # lazy: start-up speed

    fmt = output.suffix.lower().removeprefix(".") if output else ""
    if output is not None and fmt not in ("csv", "docx", "pdf"):
        raise click.UsageError(f"{output}: the plan's file must end in .csv, .docx or .pdf")
    store = open_store(db_url)
    store.load(council)  # refuse an unknown council before any work
    view = plan_view(store, council)
    if output is None:
        click.echo("\n".join(plan_lines(view, store.checklist)))
        return
    from ccin_learn.fileio import atomic_write  # lazy: start-up speed
    from ccin_learn.reports.plan_files import render_plan  # lazy: the report libraries

    atomic_write(output, render_plan(view, store.checklist, fmt, date.today()))
    click.echo(f"Wrote {view.council}'s action plan ({len(view.steps)} steps) to {output}")


def plan_lines(view: PlanView, checklist: Checklist) -> list[str]:
    """The plan as text: one line per step, then what was done since the last version."""
    if not view.steps:
        return [f"{view.council}'s action plan has no steps yet."]
    titles = {a.id: a.title for a in checklist.actions}
    lines = [f"{view.council}'s action plan:"]
    for step in view.steps:
        due = f"due {step.due:%-d %b %Y}" if step.due else "no date"
        lines.append(f"  [{step.status}] {step.what} ({titles.get(step.action_id, '')}; "
                     f"owner: {step.owner}; {due})")  # fmt: skip
    if view.since_version:
        done = [s.what for s in view.done_since]
        lines.append(f"Done since version {view.since_version}: {'; '.join(done) or 'nothing'}")
    return lines
