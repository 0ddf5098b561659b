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
    from ccin_learn.grading.autograde import AutogradeReport
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
    help="The cohort's nbgrader course id, which learners type (default: made from the "
    "folder's name, e.g. spring-2027); cohorts sharing an exchange each need their own.",
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
    click.echo(f"Course id: {cohort.course.course_id} (learners give it as --course).")
    tell_learners(cohort, "ASSIGNMENT")
    click.echo(f"Next: ccin-learn grade release ASSIGNMENT --course {cohort.root}")


def tell_learners(cohort: Cohort, assignment: str) -> None:
    """Print the learners' own commands: without the course id nbgrader cannot fetch."""
    from ccin_learn.grading.cohort import learner_commands  # lazy: nbgrader is slow to import

    click.echo(f"Learners fetch and submit {assignment} with:")
    for command in learner_commands(cohort, assignment):
        click.echo(f"  {command}")


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--force",
    is_flag=True,
    help="Release again, after fixing the assignment's source: learners who fetched it "
    "keep their copy, which autograde marks with the fixed tests.",
)
def release(assignment: str, course_dir: Path, force: bool) -> None:
    """Generate the learners' version of an assignment and release it."""
    from ccin_learn.grading.cohort import release as release_assignment  # lazy: start-up speed

    cohort = cohort_at(course_dir)
    with progress_bar(f"Releasing {assignment}") as update:
        update("generating and releasing", 50)
        release_assignment(cohort, assignment, force=force)
    again = " again" if force else ""
    click.echo(f"Released {assignment}{again} to course {cohort.course.course_id}.")
    tell_learners(cohort, assignment)


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--zip",
    "zip_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="A folder of zip files downloaded from a learning platform: one zip per learner "
    "named by their id (ada01.zip, ada01_anything.zip), or an all-submissions zip with a "
    "folder per learner named by their id or full name.",
)
@click.option(
    "--max-mb",
    type=click.IntRange(1, 10240),
    default=50,
    show_default=True,
    help="With --zip: the most one learner's zip may unpack to.",
)
def collect(assignment: str, course_dir: Path, zip_dir: Path | None, max_mb: int) -> int:
    """Collect submissions from nbgrader's exchange, or from downloaded zip files.

    With --zip, a zip that matches no learner on the roster, or is unsafe, is refused by
    name, the others are still collected, and the command exits with 1.
    """
    from ccin_learn.grading.cohort import collect as collect_exchange  # lazy: start-up speed
    from ccin_learn.grading.zipcollect import MB, ZipLimits, collect_zips, format_report

    cohort = cohort_at(course_dir)
    if zip_dir is None:
        learners = collect_exchange(cohort, assignment)
        click.echo(
            f"Collected {assignment}: {len(learners)} submission(s)"
            + (f" ({', '.join(learners)})" if learners else "")
        )
        return 0
    report = collect_zips(cohort, assignment, zip_dir, ZipLimits(per_learner=max_mb * MB))
    for line in format_report(assignment, report):
        click.echo(line)
    return 1 if report.refused else 0


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Submissions graded at once (default: two per CPU core, fewer if memory is short).",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(128, 65536),
    default=1024,
    show_default=True,
    help="Memory limit of each learner's kernel, all its processes together.",
)
@click.option(
    "--changed-source",
    is_flag=True,
    help="Also regrade unchanged submissions last graded against a different master "
    "copy (after fixing a test in source/ and 'grade release --force'); hand marks "
    "stand where their question and points did not change.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Grade every submission again, unchanged ones too; hand marks stand where "
    "their question and points did not change.",
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
    changed_source: bool,
    force: bool,
    no_sandbox: bool,
) -> int:
    """Autograde new and changed submissions in parallel; the scores are nbgrader's own.

    Each learner's code runs in a bubblewrap sandbox: no network, nothing of yours
    readable or writable but its own copy, and limits on all its processes together.

    Every submission stays submitted: one nbgrader cannot grade as it is (a renamed
    notebook) is recorded as submitted and needing review, with the cause and the fix,
    and 'grade status' and 'grade export' show it.

    To fix an unfair test: correct it in source/ASSIGNMENT/, run 'grade release
    ASSIGNMENT --force', then 'grade autograde ASSIGNMENT --changed-source'. Learners
    graded against the old test are regraded; their hand marks stand unless the question
    or points of that answer changed, in which case the answer goes back to
    hand-grading. Re-confirm the rest in Formgrader's 'Manage Submissions' (each
    regraded learner's notebook shows the new test's output).
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
            changed_source=changed_source,
            progress=lambda o, n, total: update(f"{n} of {total}", 100 * n // total),
            sandbox=not no_sandbox,
        )
    for line in autograde_summary(report):
        click.echo(line)
    # how learners' code was contained (the same for the whole run)
    contained = sorted({o.contained.split(";")[0] for o in report.outcomes if o.contained})
    for how in contained:
        click.echo(f"Learners' code ran in: {how}.")
    for outcome in report.outcomes:
        for problem in outcome.problems:
            click.echo(f"  {outcome.learner}: {problem}")
    return 1 if report.failed else 0


def autograde_summary(report: AutogradeReport) -> list[str]:
    """What a run did, in the trainer's words: graded, regraded, kept, left for review."""
    fresh = [o for o in report.graded if not o.unchanged and not o.regraded]
    lines = [
        f"Autograded {len(fresh)} new or changed submission(s) of {report.assignment} in "
        f"{report.seconds:.0f} s with {report.workers} worker(s); "
        f"{len(report.unchanged)} unchanged since last time; {len(report.failed)} could "
        "not be graded" + (" (kept as submitted, needing review)." if report.failed else ".")
    ]
    if report.regraded:
        tests = ", ".join(n.split("/")[-1] for n in report.changed_cells)
        remark = sum(len(o.remark) for o in report.regraded)
        lines.append(
            f"Regraded {len(report.regraded)} submission(s) "
            + (
                f"whose tests or questions changed ({tests})"
                if tests
                else "graded before (--force)"
                if report.forced
                else "graded before the kit recorded their master copy"
            )
            + f"; kept {sum(o.kept_marks for o in report.regraded)} hand mark(s)"
            + (
                f"; {remark} written answer(s) need re-marking because their question "
                "or points changed."
                if remark
                else "."
            )
        )
    if report.stale:
        lines.append(
            f"The master copy of {report.assignment} changed since {len(report.stale)} "
            f"submission(s) were graded: run autograde {report.assignment} --changed-source."
        )
    if report.in_review:
        lines.append(
            f"{len(report.in_review)} submission(s) need review (see below, and 'grade status')."
        )
    return lines


@grade.command()
@assignment_argument
@course_option
@click.option(
    "--zip",
    "zip_out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write OUT/<learner>-<assignment>-feedback.zip for each learner, "
    "to upload to a learning platform.",
)
def feedback(assignment: str, course_dir: Path, zip_out: Path | None) -> int:
    """Generate each learner's feedback: released through the exchange to those who
    submitted there, kept in the cohort's feedback/ folder for those collected from zips."""
    from ccin_learn.grading.feedback import feedback_zips, make_feedback  # lazy: start-up speed

    cohort = cohort_at(course_dir)  # click has refused a --zip that is a file
    with progress_bar(f"Feedback for {assignment}") as update:
        update("generating and releasing", 50)
        report = make_feedback(cohort, assignment)
    click.echo(
        f"Feedback for {assignment}: {len(report.made)} learner(s) in {report.folder}; "
        f"{len(report.released)} released through the exchange"
        + (f" ({', '.join(report.released)})" if report.released else "")
        + f", {len(report.kept)} kept there only (not submitted through the exchange)"
        + (f" ({', '.join(report.kept)})" if report.kept else "")
        + "."
    )
    if zip_out is not None:
        written = feedback_zips(cohort, report, zip_out)
        click.echo(f"Wrote {len(written)} feedback zip(s) to {zip_out}.")
    for learner, reason in sorted(report.failed.items()):
        click.echo(f"  no feedback for {learner}: {reason}")
    return 1 if report.failed else 0


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
    """Per learner and released assessment: submitted, awaiting hand-grading, passed.

    A result that needs review says why and what to do (a renamed notebook, a check
    that failed for a reason the learner did not cause), as autograde found it.
    """
    from ccin_learn.credentials.catalogue import pass_marks  # lazy: start-up speed
    from ccin_learn.grading.results import results

    cohort = cohort_at(course_dir)
    marks = pass_marks()
    rows = results(cohort)
    if not rows:
        raise KitError(
            "no learners or released assignments in this cohort yet: run 'grade release'"
        )
    for r in rows:
        if not r.submitted:
            state = "not submitted"
        elif r.needs_hand_grading:
            state = f"submitted; awaiting hand-grading ({r.score:g}/{r.max_score:g} so far)"
        else:
            mark = marks.get(r.assignment)
            verdict = "graded" if mark is None else ("passed" if r.passed(mark) else "not passed")
            state = f"{verdict}: {r.percent:g}%"
        if r.review:
            state += f"; needs review: {'; '.join(r.review)}"
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
