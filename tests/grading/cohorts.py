"""A tiny nbgrader assignment and fictional learners' answers, for the grading tests.

Modelled on nbgrader's own test fixtures: two autograded questions (2 + 1
points) and one hand-graded written answer (2 points).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

COURSE_YAML = """\
course_id: ccin-test-cohort
course_title: "A test course"
awarding_body:
  name: "Test Awarding Body"
  url: "https://example.org/"
  country: "GB"
  issuer_url: "https://example.org/ccin/issuer/"
verification: "Verify with ccin-learn credentials verify and the published public key."
"""


def meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: int = 0) -> dict:
    data = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        data["points"] = points
    return {"nbgrader": data}


def source_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    }
    cells = [
        nbformat.v4.new_markdown_cell(
            "# Test assignment", metadata=meta("intro", grade=False, solution=False, locked=True)
        ),
        nbformat.v4.new_code_cell(
            "total = None\n### BEGIN SOLUTION\ntotal = 2 + 3\n### END SOLUTION",
            metadata=meta("answer_total", grade=False, solution=True, locked=False),
        ),
        nbformat.v4.new_code_cell(
            'assert isinstance(total, int), "total must be a whole number"\n'
            "### BEGIN HIDDEN TESTS\nassert total == 5\n### END HIDDEN TESTS",
            metadata=meta("test_total", grade=True, solution=False, locked=True, points=2),
        ),
        nbformat.v4.new_code_cell(
            'choice = None\n### BEGIN SOLUTION\nchoice = "b"\n### END SOLUTION',
            metadata=meta("answer_choice", grade=False, solution=True, locked=False),
        ),
        nbformat.v4.new_code_cell(
            'assert choice in ("a", "b", "c"), "set choice to a, b or c"\n'
            '### BEGIN HIDDEN TESTS\nassert choice == "b"\n### END HIDDEN TESTS',
            metadata=meta("test_choice", grade=True, solution=False, locked=True, points=1),
        ),
        nbformat.v4.new_markdown_cell(
            "Explain your choice. (2 points: one for the reason, one for an example.)",
            metadata=meta("question_written", grade=False, solution=False, locked=True),
        ),
        nbformat.v4.new_markdown_cell(
            "YOUR ANSWER HERE",
            metadata=meta("written", grade=True, solution=True, locked=False, points=2),
        ),
    ]
    nb.cells = cells
    return nb


def make_assessments(folder: Path, assignments: tuple[str, ...] = ("ps1",)) -> Path:
    """An ``assessments``-like folder: course.yaml and source/<assignment>/ for each."""
    (folder / "course.yaml").parent.mkdir(parents=True, exist_ok=True)
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    for assignment in assignments:
        (folder / "source" / assignment).mkdir(parents=True)
        nbformat.write(source_notebook(), folder / "source" / assignment / f"{assignment}.ipynb")
    return folder


ANSWERS = {
    "right": {
        "answer_total": "total = 5",
        "answer_choice": 'choice = "b"',
        "written": "Because b is right, for example in Preston.",
    },
    "partial": {"answer_total": "total = 5", "answer_choice": 'choice = "a"'},
    "blank": {},
    "loop": {"answer_total": "while True:\n    pass", "answer_choice": 'choice = "b"'},
    "tamper": {
        "answer_total": "total = 4",
        "answer_choice": 'choice = "b"',
        "test_total": "pass  # I removed the test",
    },
}


def answered(released: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A learner's copy of the released notebook with their answers typed in."""
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def submit(cohort_root: Path, assignment: str, learner: str, kind: str, home: Path) -> None:
    """The learner fetches nothing by hand: they write their notebook and run nbgrader submit."""
    config = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import json;from traitlets.config.loader import "
                f"PyFileConfigLoader as L;c=L('nbgrader_config.py',path={str(cohort_root)!r})"
                ".load_config();print(json.dumps([c.Exchange.root,c.CourseDirectory.course_id]))",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    exchange, course_id = config
    work = home / learner / assignment
    work.mkdir(parents=True)
    released = cohort_root / "release" / assignment / f"{assignment}.ipynb"
    nbformat.write(answered(released, ANSWERS[kind]), work / f"{assignment}.ipynb")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "submit",
            assignment,
            "--student",
            learner,
            f"--Exchange.root={exchange}",
            f"--CourseDirectory.course_id={course_id}",
        ],
        cwd=home / learner,
        capture_output=True,
        text=True,
        check=True,
    )


def copy_cohort(root: Path, to: Path) -> Path:
    """A full copy of a cohort (for grading the same submissions a second way)."""
    shutil.copytree(root, to)
    config = (to / "nbgrader_config.py").read_text(encoding="utf-8")
    (to / "nbgrader_config.py").write_text(config.replace(str(root), str(to)), encoding="utf-8")
    return to


def between(source: str, begin: str, end: str) -> list[str]:
    """The lines inside every begin/end pair of markers."""
    found, inside = [], False
    for line in source.splitlines():
        if line.strip() == begin:
            inside = True
        elif line.strip() == end:
            inside = False
        elif inside:
            found.append(line)
    return found
