"""``ccin-learn grade``: run a cohort's micro-credential assessments with nbgrader."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccin_learn.cli.common import db_option, progress_bar
from ccin_learn.errors import KitError
from ccin_learn.site.paths import find_root

if TYPE_CHECKING:
    from ccin_learn.grading.cohort import Cohort

course_option = click.option(
    "--course",
    "course_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="The cohort folder.",
)
assignment_argument = click.argument("assignment")


def cohort_at(course_dir: Path) -> Cohort:
    from ccin_learn.grading.cohort import open_cohort  # lazy: nbgrader takes seconds to import

    return open_cohort(course_dir)


@click.group()
def grade() -> None:
    """Trainer's tools: release, collect, autograde, feedback and export a cohort's grades.

    Hand-grading stays in nbgrader's Formgrader in JupyterLab (see the trainer guide).
    """


@grade.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV of learners: an 'id' column, and optionally first_name, last_name, email.",
)
@db_option(
    "Gradebook database URL, without a password (default: gradebook.db in the cohort folder)."
)
@click.option(
    "--exchange",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="nbgrader exchange folder (default: exchange/ in the cohort folder).",
)
@click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The assessments to use: a folder with course.yaml and source/ "
    "(default: assessments/ of the kit checkout you are in).",
)
@click.option(
    "--course-id",
    default=None,
    help="The cohort's nbgrader course id (default: course.yaml's); cohorts sharing "
    "a hub's exchange each need their own.",
)
def init(
    directory: Path,
    roster: Path | None,
    db_url: str | None,
    exchange: Path | None,
    source: Path | None,
    course_id: str | None,
) -> None:
    """Set up a cohort folder and gradebook from the kit's assessments."""
    from ccin_learn.grading.cohort import init_cohort  # lazy: start-up speed
    from ccin_learn.grading.roster import load_roster  # lazy: start-up speed

    learners = load_roster(roster) if roster else []
    source = source or kit_assessments()
    cohort = init_cohort(
        directory, learners, source, db_url=db_url, exchange=exchange, course_id=course_id
    )
    click.echo(
        f"Cohort ready in {cohort.root}: {len(learners)} learner(s), assignments "
        f"{', '.join(cohort.assignments())}."
    )
    click.echo(f"Next: ccin-learn grade release ASSIGNMENT --course {cohort.root}")


@grade.command()
@assignment_argument
@course_option
def release(assignment: str, course_dir: Path) -> None:
    """Generate the learners' version of an assignment and release it."""
    from ccin_learn.grading.cohort import release as release_assignment  # lazy: start-up speed

    cohort = cohort_at(course_dir)
    with progress_bar(f"Releasing {assignment}") as update:
        update("generating and releasing", 50)
        release_assignment(cohort, assignment)
    click.echo(f"Released {assignment}: learners can fetch it from the exchange.")


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--zip",
    "zip_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of zip files downloaded from a learning platform; each zip or "
    "folder name starts with the learner's id.",
)
def collect(assignment: str, course_dir: Path, zip_dir: Path | None) -> None:
    """Collect submissions from nbgrader's exchange, or from downloaded zip files."""
    from ccin_learn.grading.cohort import collect as collect_exchange  # lazy: start-up speed
    from ccin_learn.grading.zipcollect import collect_zips

    cohort = cohort_at(course_dir)
    learners = (
        collect_zips(cohort, assignment, zip_dir)
        if zip_dir
        else collect_exchange(cohort, assignment)
    )
    click.echo(
        f"Collected {assignment}: {len(learners)} submission(s)"
        + (f" ({', '.join(learners)})" if learners else "")
    )


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Submissions graded at once (default: one per CPU core).",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(128, 65536),
    default=1024,
    show_default=True,
    help="Memory limit of each learner's kernel, all its processes together.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Grade unchanged submissions again too (nbgrader "
    "then asks for hand-graded answers to be reviewed again).",
)
@click.option(
    "--no-sandbox",
    is_flag=True,
    help="Run learners' code without the bubblewrap sandbox, with your rights "
    "(only where bubblewrap cannot run).",
)
def autograde(
    assignment: str,
    course_dir: Path,
    workers: int | None,
    memory_mb: int,
    force: bool,
    no_sandbox: bool,
) -> int:
    """Autograde new and changed submissions in parallel; the scores are nbgrader's own.

    Each learner's code runs in a bubblewrap sandbox: no network, nothing of yours
    readable or writable but its own copy, and limits on all its processes together.
    """
    from ccin_learn.grading.autograde import autograde as run  # lazy: start-up speed

    cohort = cohort_at(course_dir)
    if no_sandbox:
        click.echo(
            "Warning: grading without a sandbox: learners' code runs with your rights "
            "(it can read your files, your keys and other learners' work).",
            err=True,
        )
    with progress_bar(f"Autograding {assignment}") as update:
        report = run(
            cohort,
            assignment,
            workers,
            memory_mb,
            force=force,
            progress=lambda o, n, total: update(f"{n} of {total}", 100 * n // total),
            sandbox=not no_sandbox,
        )
    fresh = len(report.graded) - len(report.unchanged)
    click.echo(
        f"Autograded {fresh} submission(s) of {assignment} in {report.seconds:.0f} s "
        f"with {report.workers} worker(s); {len(report.unchanged)} unchanged since "
        f"last time; {len(report.failed)} could not be graded."
    )
    # how learners' code was contained (the same for the whole run)
    contained = sorted({o.contained.split(";")[0] for o in report.outcomes if o.contained})
    for how in contained:
        click.echo(f"Learners' code ran in: {how}.")
    for outcome in report.outcomes:
        for problem in outcome.problems:
            click.echo(f"  {outcome.learner}: {problem}")
    return 1 if report.failed else 0


@grade.command()
@assignment_argument
@course_option
def feedback(assignment: str, course_dir: Path) -> None:
    """Generate each learner's feedback and release it through the exchange."""
    from ccin_learn.grading.cohort import feedback as release_feedback  # lazy: start-up speed

    cohort = cohort_at(course_dir)
    with progress_bar(f"Feedback for {assignment}") as update:
        update("generating and releasing", 50)
        release_feedback(cohort, assignment)
    click.echo(f"Released feedback for {assignment}.")


@grade.command()
@course_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV file to write (default: print to the screen).",
)
@click.option(
    "--per-question", is_flag=True, help="One row per question instead of per assignment."
)
def export(course_dir: Path, output: Path | None, per_question: bool) -> None:
    """Export the grades as CSV."""
    from ccin_learn.credentials.catalogue import pass_marks  # lazy: start-up speed
    from ccin_learn.fileio import atomic_write
    from ccin_learn.grading.export import grades_csv, questions_csv

    cohort = cohort_at(course_dir)
    text = questions_csv(cohort) if per_question else grades_csv(cohort, pass_marks())
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}")


@grade.command()
@course_option
def status(course_dir: Path) -> None:
    """Per learner: who submitted, who awaits hand-grading, who passed."""
    from ccin_learn.credentials.catalogue import pass_marks  # lazy: start-up speed
    from ccin_learn.grading.results import results

    cohort = cohort_at(course_dir)
    marks = pass_marks()
    rows = results(cohort)
    if not rows:
        raise KitError("no learners or assignments in this cohort yet")
    for r in rows:
        if not r.submitted:
            state = "not submitted"
        elif r.needs_hand_grading:
            state = f"submitted; awaiting hand-grading ({r.score:g}/{r.max_score:g} so far)"
        else:
            mark = marks.get(r.assignment)
            verdict = "graded" if mark is None else ("passed" if r.passed(mark) else "not passed")
            state = f"{verdict}: {r.percent:g}%"
        click.echo(f"{r.learner:<16} {r.assignment:<28} {state}")


def kit_assessments() -> Path:
    """The assessments/ folder of the kit checkout the trainer is in (or installed from)."""
    try:
        return find_root().root / "assessments"
    except KitError as err:
        raise KitError(
            "no kit checkout found to take the assessments from: "
            "pass --source DIR (a folder with course.yaml and source/)"
        ) from err
