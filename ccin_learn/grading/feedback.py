"""Feedback for every graded learner, whether they submitted through the exchange or a zip.

nbgrader's ``release_feedback`` reads ``timestamp.txt`` and ``submission_secret.txt``
from each learner's feedback folder; ``nbgrader submit`` writes them, so learners
collected from a learning platform's zips have no secret, and one such learner
stopped the release for everyone after them (``FileNotFoundError``, December 2026).
So feedback is generated and released one learner at a time: exchange learners get
theirs through the exchange, zip learners' stays in ``feedback/<learner>/<assignment>/``
(and ``grade feedback --zip`` packs it for upload to the platform), and a learner
whose feedback cannot be made is named with the reason while the rest get theirs.

nbgrader's feedback keeps the graded notebook's test cells as they ran, hidden tests
included (nbgrader issue #917), and a failed hidden test's traceback quotes its line.
``HideHiddenTests`` removes both before the HTML is written, and every page is
checked for hidden-test lines before it is released: one that shows any is withheld.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from ccin_learn.errors import KitError
from ccin_learn.fileio import atomic_write
from ccin_learn.grading.cohort import FEEDBACK_PREPROCESSORS, Cohort, run_step

BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
# Lines shorter than this (")", "pass", "else:") say nothing about a test.
SHORTEST_TELLING_LINE = 10
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")  # what `nbgrader submit` writes
TAGS = re.compile(r"<[^>]*>")
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the colours in a traceback's text


@dataclass
class FeedbackReport:
    """Who got feedback, and how; who did not, and why."""

    assignment: str
    folder: Path
    released: list[str] = field(default_factory=list)  # through the exchange
    kept: list[str] = field(default_factory=list)  # zip learners: in feedback/ only
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def made(self) -> list[str]:
        return sorted(self.released + self.kept)


class HideHiddenTests(NbGraderPreprocessor):  # enabled by default, unlike nbconvert's
    """Remove hidden tests from test cells, and the tracebacks that would quote them.

    A failed test's traceback shows the failing line, so in a cell that had hidden tests an
    error is shown only as its name and message (the author's words to the learner), and
    when the failing line was itself a hidden test, not even its message: an assertion's
    message there is part of the hidden test.
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type != "code" or BEGIN_HIDDEN not in cell.source:
            return cell, resources
        secret = hidden_block_lines(cell.source)
        cell.source = without_hidden(cell.source)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                name = output.get("ename", "Error")
                if any(
                    line in ANSI.sub("", "\n".join(output.get("traceback", []))) for line in secret
                ):
                    # the failing line was a hidden test: its message would tell the test too
                    output["evalue"] = "one of the hidden checks did not pass"
                output["traceback"] = [f"{name}: {output.get('evalue', '')}"]
        return cell, resources


def without_hidden(source: str) -> str:
    kept, inside = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def hidden_block_lines(source: str) -> set[str]:
    """Every telling line of a cell's hidden-test blocks, stripped."""
    found: set[str] = set()
    inside = False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside and len(line.strip()) >= SHORTEST_TELLING_LINE:
            found.add(line.strip())
    return found


def hidden_lines(notebook: Path) -> set[str]:
    """Every telling line of every hidden-test block in a source notebook, stripped."""
    found: set[str] = set()
    for cell in nbformat.read(notebook, as_version=4).cells:
        found |= hidden_block_lines(cell.source)
    return found


def telling_hidden_lines(cohort: Cohort, assignment: str) -> set[str]:
    """The assignment's hidden-test lines that learners never saw (a line that is also in
    the released notebook, such as a repeated visible check, gives nothing away)."""
    hidden: set[str] = set()
    for notebook in (cohort.root / "source" / assignment).glob("*.ipynb"):
        hidden |= hidden_lines(notebook)
    for notebook in (cohort.root / "release" / assignment).glob("*.ipynb"):
        for cell in nbformat.read(notebook, as_version=4).cells:
            hidden -= {line.strip() for line in cell.source.splitlines()}
    return hidden


def page_text(page: Path) -> str:
    """A feedback page's text as a browser would show it (tags dropped, entities decoded)."""
    return html.unescape(TAGS.sub("", page.read_text(encoding="utf-8")))


def feedback_api(cohort: Cohort) -> Any:
    """nbgrader's API for the cohort, its feedback hiding hidden tests (also in the config
    of cohorts made since, so that Formgrader's feedback button hides them too)."""
    config = cohort.nbgrader_config()
    config.GenerateFeedback.preprocessors = FEEDBACK_PREPROCESSORS  # cohorts made before it
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def graded_learners(cohort: Cohort, assignment: str) -> list[str]:
    folder = cohort.root / "autograded"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def make_feedback(cohort: Cohort, assignment: str) -> FeedbackReport:
    """Generate every graded learner's feedback; release it through the exchange where it can."""
    cohort.check_assignment(assignment)
    learners = graded_learners(cohort, assignment)
    if not learners:
        raise KitError(f"nobody's {assignment} has been autograded yet: run 'grade autograde'")
    api = feedback_api(cohort)
    hidden = telling_hidden_lines(cohort, assignment)
    report = FeedbackReport(assignment, cohort.root / "feedback")
    for learner in learners:
        try:
            exchange = one_learner(api, cohort, assignment, learner, hidden)
        except KitError as err:
            report.failed[learner] = str(err)
            continue
        (report.released if exchange else report.kept).append(learner)
    return report


def one_learner(api: Any, cohort: Cohort, assignment: str, learner: str, hidden: set[str]) -> bool:
    """Make one learner's feedback; True if it was released through the exchange."""
    run_step(api.generate_feedback(assignment, learner), "generating feedback")
    folder = cohort.root / "feedback" / learner / assignment
    pages = sorted(folder.glob("*.html"))
    if not pages:
        raise KitError("generating feedback made no page")
    for page in pages:
        text = page_text(page)
        if any(line in text for line in hidden):
            shutil.rmtree(folder)
            raise KitError(f"feedback withheld: {page.name} would show hidden tests")
    if not all((folder / name).is_file() for name in EXCHANGE_FILES):
        return False  # collected from a zip: nothing in the exchange to answer
    run_step(api.release_feedback(assignment, learner), "releasing feedback")
    return True


def feedback_zips(cohort: Cohort, report: FeedbackReport, out: Path) -> list[Path]:
    """One zip per learner, ``OUT/<learner>-<assignment>-feedback.zip``, of their feedback pages."""
    if out.exists() and not out.is_dir():
        raise KitError(f"{out} is a file: give a folder for the feedback zips")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for learner in report.made:
        folder = cohort.root / "feedback" / learner / report.assignment
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in sorted(folder.glob("*.html")):
                archive.write(page, page.name)
        path = out / f"{learner}-{report.assignment}-feedback.zip"
        atomic_write(path, buffer.getvalue())
        written.append(path)
    return written
