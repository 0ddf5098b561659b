"""Benchmark: the kit's parallel, sandboxed autograde against plain ``nbgrader autograde``.

Fair by construction, because a speed claim a trainer cannot reproduce is worse than none:

- **The same kind of process on both sides.** Each side is the command a trainer types,
  run as a fresh process: ``nbgrader autograde ASSIGNMENT`` in the cohort folder (one
  submission at a time, no sandbox) and ``ccin-learn grade autograde ASSIGNMENT``
  (one worker per core, each learner's kernel in a bubblewrap sandbox). Both pay their
  own start-up, and a third side, ``ccin-learn grade autograde --no-sandbox``, measures
  the sandbox's own cost.
- **A warm-up of each** (a small cohort, not counted) so neither side pays the first
  run's cold file cache alone.
- **Alternating order** (each repeat starts with a different side) and **at least three
  repeats**, on a fresh copy of the same collected submissions every time, so nothing
  is "unchanged since last time". The medians are compared; each run's load average is
  printed, because another busy process on 2 cores changes everything.
- **Identical grades**: every side's gradebook must hold the same score for every cell.

    python benchmarks/autograde.py [--learners 24] [--repeats 3] [--assignment ...]

Target: sandboxed parallel grading at least 1.7x plain nbgrader on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ccin_learn.grading.cohort import init_cohort, open_cohort, release  # noqa: E402
from ccin_learn.grading.results import question_scores  # noqa: E402
from ccin_learn.grading.roster import Learner  # noqa: E402

SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
TARGET = 1.7
WARM_UP_LEARNERS = 3


@dataclass(frozen=True)
class Side:
    """One way of grading: a label and the command line, run in the cohort's folder."""

    label: str
    argv: tuple[str, ...]
    sandboxed: bool


@dataclass
class Timings:
    side: Side
    seconds: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def sides(assignment: str, workers: int | None) -> list[Side]:
    """Plain nbgrader, the kit sandboxed, and the kit without the sandbox.

    The kit runs with its own default number of workers (two per core) unless
    ``workers`` is given, as a trainer would run it.
    """
    kit = (sys.executable, "-m", "ccin_learn.cli", "grade", "autograde", assignment)
    options = ("--course", ".") + (("--workers", str(workers)) if workers else ())
    how = f"{workers} workers" if workers else "default workers"
    plain = (sys.executable, "-m", "nbgrader", "autograde", assignment)
    return [
        Side("nbgrader autograde (one at a time)", plain, sandboxed=False),
        Side(f"ccin-learn grade autograde ({how})", kit + options, sandboxed=True),
        Side(f"ccin-learn ... --no-sandbox ({how})", kit + options + ("--no-sandbox",), False),
    ]


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
    """A released assignment with every learner's submission collected, not yet graded."""
    roster = [Learner(f"learner{n:03d}") for n in range(learners)]
    cohort = init_cohort(folder, roster, source=ROOT / "assessments", course_id="bench")
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


def fresh_copy(root: Path, to: Path) -> Path:
    """The collected cohort again, ungraded, with its config pointing at the copy."""
    shutil.rmtree(to, ignore_errors=True)
    shutil.copytree(root, to)
    config = to / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(root), str(to)))
    return to


def run_side(side: Side, cohort: Path) -> float:
    """Wall seconds of one side's command on one fresh cohort; a failure stops the benchmark."""
    started = time.monotonic()
    done = subprocess.run(side.argv, cwd=cohort, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        detail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
        raise SystemExit(f"{side.label} failed (exit {done.returncode}): {' | '.join(detail)}")
    if side.sandboxed and "Learners' code ran in: bubblewrap" not in done.stdout:
        raise SystemExit(f"{side.label} did not say it sandboxed learners' code: {done.stdout}")
    return seconds


def scores(root: Path, assignment: str) -> list[tuple[str, str, float]]:
    return sorted(
        (q.learner, q.question, q.score)
        for q in question_scores(open_cohort(root))
        if q.assignment == assignment
    )


def load() -> float:
    return os.getloadavg()[0]


def order(all_sides: list[Side], repeat: int) -> list[Side]:
    """Rotate which side goes first, so no side always runs on a machine the other warmed."""
    shift = repeat % len(all_sides)
    return all_sides[shift:] + all_sides[:shift]


def measure(
    base: Path, warm: Path, work: Path, all_sides: list[Side], repeats: int, assignment: str
) -> tuple[list[Timings], bool]:
    timings = [Timings(side) for side in all_sides]
    for side in all_sides:  # warm-up, not counted
        run_side(side, fresh_copy(warm, work / "warm-up"))
    reference: list[tuple[str, str, float]] | None = None
    same = True
    for repeat in range(repeats):
        for side in order(all_sides, repeat):
            timing = next(t for t in timings if t.side is side)
            timing.loads.append(load())
            timing.seconds.append(run_side(side, fresh_copy(base, work / "run")))
            got = scores(work / "run", assignment)
            reference = got if reference is None else reference
            same = same and got == reference and bool(got)
            print(
                f"  repeat {repeat + 1}: {side.label:<44} {timing.seconds[-1]:6.1f} s "
                f"(load {timing.loads[-1]:.2f})",
                flush=True,
            )
    return timings, same


def report(timings: list[Timings], same: bool) -> int:
    plain, kit, unsandboxed = timings
    print("\nmedians")
    for t in timings:
        print(
            f"  {t.side.label:<44} {t.median:6.1f} s   sandboxed: "
            f"{'yes' if t.side.sandboxed else 'no'}"
        )
    ratio = plain.median / kit.median
    overhead = kit.median / unsandboxed.median
    print(f"  speed-up, sandboxed kit over plain nbgrader   {ratio:5.2f}x")
    print(f"  the sandbox's own cost (sandboxed/unsandboxed) {overhead:5.2f}x")
    print(f"  grades identical on every side and repeat      {'yes' if same else 'NO'}")
    print(f"  load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'PASS' if ratio >= TARGET else 'FAIL'} speed-up {ratio:.2f}x >= {TARGET}x "
        f"(sandboxed: yes)"
    )
    print(f"{'PASS' if same else 'FAIL'} identical scores")
    return 0 if same and ratio >= TARGET else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=24)
    parser.add_argument("--repeats", type=int, default=3, choices=range(3, 21), metavar="3..20")
    parser.add_argument("--assignment", default="community-wealth-building")
    parser.add_argument("--workers", type=int, default=None, help="default: the kit's own")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ccin-bench-") as tmp:
        work = Path(tmp)
        base = build_cohort(work / "base", args.assignment, args.learners)
        warm = build_cohort(work / "warm", args.assignment, WARM_UP_LEARNERS)
        print(
            f"{args.learners} submissions of {args.assignment}; "
            f"{len(os.sched_getaffinity(0))} CPU core(s); load average before: "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        all_sides = sides(args.assignment, args.workers)
        timings, same = measure(base, warm, work, all_sides, args.repeats, args.assignment)
    return report(timings, same)


if __name__ == "__main__":
    sys.exit(main())
