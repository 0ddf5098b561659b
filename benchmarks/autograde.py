"""Benchmark: parallel autograde against plain ``nbgrader autograde``, side by side.

In one run it builds a cohort of N fictional learners (default 40) for one of the
kit's real assessments, grades the same submissions twice, in two copies of the
cohort: once with ``nbgrader autograde`` (one submission at a time) and once with
``ccin-learn grade autograde`` (all cores). It prints both wall times, their ratio
(target: at least 1.7 on 2 cores) and whether the two gradebooks hold identical
scores.

    python benchmarks/autograde.py [--learners 40] [--assignment community-wealth-building]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ccin_learn.grading.autograde import autograde, default_workers  # noqa: E402
from ccin_learn.grading.cohort import init_cohort, open_cohort, release  # noqa: E402
from ccin_learn.grading.results import question_scores  # noqa: E402
from ccin_learn.grading.roster import Learner  # noqa: E402

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
TARGET = 1.7


def model_answers(source: Path) -> dict[str, str]:
    """Each solution cell's model answer, by grade id, from the source notebook."""
    answers = {}
    for cell in nbformat.read(source, as_version=4).cells:
        info = cell.metadata.get("nbgrader", {})
        if info.get("solution") and cell.cell_type == "code":
            answers[info["grade_id"]] = SOLUTION.sub(lambda m: m.group(1), cell.source)
    return answers


def learner_notebook(released: Path, answers: dict[str, str], how: str) -> nbformat.NotebookNode:
    """A learner's notebook: all answers right, only the first, or none."""
    notebook = nbformat.read(released, as_version=4)
    given = 0
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and how != "blank" and (how == "right" or given == 0):
            cell.source = answers[grade_id]
            given += 1
    return notebook


def build_cohort(folder: Path, assignment: str, learners: int) -> Path:
    roster = [Learner(f"learner{n:03d}") for n in range(learners)]
    cohort = init_cohort(folder, roster, source=ROOT / "assessments")
    release(cohort, assignment)
    released = cohort.root / "release" / assignment / f"{assignment}.ipynb"
    answers = model_answers(cohort.root / "source" / assignment / f"{assignment}.ipynb")
    for n, learner in enumerate(roster):
        how = "blank" if n % 5 == 4 else "partial" if n % 3 == 2 else "right"
        target = cohort.root / "submitted" / learner.id / assignment
        target.mkdir(parents=True)
        nbformat.write(learner_notebook(released, answers, how), target / released.name)
        (target / "timestamp.txt").write_text("2026-11-20 09:00:00.000000 UTC")
    return cohort.root


def copy(root: Path, to: Path) -> Path:
    shutil.copytree(root, to)
    config = to / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(root), str(to)))
    return to


def scores(root: Path, assignment: str) -> list[tuple[str, str, float]]:
    return sorted(
        (q.learner, q.question, q.score)
        for q in question_scores(open_cohort(root))
        if q.assignment == assignment
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--assignment", default="community-wealth-building")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ccin-bench-") as tmp:
        base = build_cohort(Path(tmp) / "parallel", args.assignment, args.learners)
        plain = copy(base, Path(tmp) / "plain")
        print(f"{args.learners} submissions of {args.assignment}; {default_workers()} CPU core(s)")
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", args.assignment],
            cwd=plain,
            capture_output=True,
            check=True,
        )
        sequential = time.monotonic() - started
        started = time.monotonic()
        report = autograde(open_cohort(base), args.assignment)
        parallel = time.monotonic() - started
        same = scores(plain, args.assignment) == scores(base, args.assignment)
    ratio = sequential / parallel
    print(f"  nbgrader autograde (one at a time)     {sequential:7.1f} s")
    print(f"  ccin-learn grade autograde ({report.workers} workers) {parallel:7.1f} s")
    print(f"  speed-up                               {ratio:7.2f}x")
    print(f"  gradebooks identical                   {'yes' if same else 'NO'}")
    print(f"{'PASS' if ratio >= TARGET else 'FAIL'} speed-up {ratio:.2f}x >= {TARGET}x")
    print(f"{'PASS' if same else 'FAIL'} identical scores")
    return 0 if same and report.graded else 1


if __name__ == "__main__":
    sys.exit(main())
