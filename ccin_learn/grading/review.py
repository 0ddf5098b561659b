"""What a trainer must look at in a submission, found before and after nbgrader grades it.

nbgrader keeps some submissions as submitted but cannot grade them as they are (a
renamed notebook), grades others with a silent change (a pasted copy of a graded
cell, a cell turned from code to markdown), and scores some checks 0 for reasons
the learner did not cause (a warning on stderr, a module the grading kernel lacks).
Its log says so in words a trainer rarely sees. Each finding here is one sentence
naming the cell or file and the fix; autograde stores them per learner and assignment
in ``.ccin-graded/<learner>/<assignment>.review.json`` (replaced on every autograde of
that learner) so that ``grade status`` and ``grade export`` show them later.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ccin_learn.errors import KitError, one_line
from ccin_learn.fileio import atomic_write

MANIFESTS = ".ccin-graded"
NO_MODULE = re.compile(r"No module named '([^']+)'")


@dataclass(frozen=True)
class Note:
    """One sentence for the trainer; ``review`` when the learner's result needs a look."""

    text: str
    review: bool = True


def nbgrader_cells(path: Path) -> list[tuple[str, dict, nbformat.NotebookNode]]:
    """(grade id, nbgrader metadata, cell) for every nbgrader cell of a notebook, in order."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        info = cell.get("metadata", {}).get("nbgrader", {})
        if info.get("grade_id"):
            found.append((info["grade_id"], info, cell))
    return found


# ---- before grading: the files and cells the learner handed in ---------------------------


def submission_notes(
    released: Path, submitted: Path, learner: str, earlier: dict[str, set[str]] | None = None
) -> list[Note]:
    """Everything about the submitted files and cells that nbgrader treats specially.

    ``earlier`` holds the locked cells of versions released before a ``release --force``
    (``earlier_releases``): a learner who fetched before the fix has those, not edits.
    """
    expected = sorted(p.name for p in released.glob("*.ipynb"))
    handed_in = sorted(p.name for p in submitted.glob("*.ipynb"))
    notes = file_notes(expected, handed_in, f"submitted/{learner}/{released.name}/")
    for name in expected:
        if name in handed_in:
            notes += cell_notes(released / name, submitted / name, earlier or {})
    return notes


def file_notes(expected: list[str], handed_in: list[str], folder: str) -> list[Note]:
    """A renamed notebook (nbgrader cannot grade it) or an extra copy (nbgrader ignores it)."""
    missing = [n for n in expected if n not in handed_in]
    extra = [n for n in handed_in if n not in expected]
    notes = []
    if missing and len(extra) == 1 and len(missing) == 1:
        notes.append(
            Note(
                f"the notebook was renamed to {extra[0]!r} — rename it to {missing[0]} in "
                f"{folder} and run autograde again, or ask the learner to resubmit"
            )
        )
        return notes
    for name in missing:
        others = f" (handed in instead: {', '.join(extra)})" if extra else ""
        notes.append(
            Note(
                f"{name} was not handed in{others}: put it in {folder} as {name} and run "
                "autograde again, or ask the learner to resubmit"
            )
        )
    if not missing:
        for name in extra:
            notes.append(
                Note(
                    f"also handed in {name!r}, which nbgrader does not grade (graded: "
                    f"{', '.join(expected)}): look at it in case the learner worked in it"
                )
            )
    return notes


def cell_notes(released: Path, submitted: Path, earlier: dict[str, set[str]]) -> list[Note]:
    """Duplicate grade ids, changed cell types, and locked cells edited or deleted."""
    name = released.name
    theirs = nbgrader_cells(submitted)
    counts = Counter(grade_id for grade_id, _info, _cell in theirs)
    notes = [
        Note(
            f"has {count} cells with the grade id {grade_id!r} in {name} (a pasted copy of "
            "a graded cell): the last was graded, the others ran as ordinary cells; "
            "check it in Formgrader"
        )
        for grade_id, count in sorted(counts.items())
        if count > 1
    ]
    by_id = {grade_id: cell for grade_id, _info, cell in theirs}
    for grade_id, info, cell in nbgrader_cells(released):
        mine = by_id.get(grade_id)
        if mine is not None and mine.cell_type != cell.cell_type:
            notes.append(
                Note(
                    f"changed the cell {grade_id!r} in {name} from {cell.cell_type} to "
                    f"{mine.cell_type}; nbgrader turned it back and graded it: check it in "
                    "Formgrader"
                )
            )
        if info.get("locked"):
            before = earlier.get(f"{name}/{grade_id}", set())
            notes += locked_cell_note(grade_id, info, cell, mine, name, before)
    return notes


def locked_cell_note(
    grade_id: str, info: dict, cell: nbformat.NotebookNode, mine, name: str, before: set[str]
) -> list[Note]:
    """A locked cell (a check or a question) the learner deleted or edited.

    nbgrader grades with the master copy of these cells whatever the learner did
    (a deleted graded cell is restored, ``OverwriteCells.add_missing_cells``); the
    trainer is told, because editing a test is worth a conversation.
    """
    if mine is None:
        done = (
            "it was restored from the master copy and graded"
            if info.get("grade")
            else ("it is not graded")
        )
        return [Note(f"deleted the locked cell {grade_id!r} in {name}; {done}", review=False)]
    if mine.source.strip() != cell.source.strip() and mine.source.strip() in before:
        return [
            Note(
                f"has the locked cell {grade_id!r} in {name} as released before it was "
                "fixed (fetched before 'release --force'); it was graded with the fixed "
                "master copy",
                review=False,
            )
        ]
    if mine.source.strip() != cell.source.strip():
        return [
            Note(
                f"edited the locked cell {grade_id!r} in {name}; nbgrader graded with the "
                "master copy",
                review=False,
            )
        ]
    return []


def keep_last_of_duplicates(folder: Path) -> None:
    """Turn all but the last cell of each repeated grade id into ordinary cells.

    nbgrader's ``DeduplicateIds`` means to do this, but it leaves an empty ``nbgrader``
    metadata dictionary that its own validator reads as an old format, so the whole
    submission fails with advice to run ``nbgrader update .`` (the wrong fix). Removing
    the dictionary instead lets nbgrader grade the submission as it intends.
    """
    for path in sorted(folder.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        seen: set[str] = set()
        changed = False
        for cell in reversed(notebook.cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if not grade_id:
                continue
            if grade_id in seen:
                del cell.metadata["nbgrader"]
                changed = True
            seen.add(grade_id)
        if changed:
            nbformat.write(notebook, path)


# ---- after grading: the checks' outputs in the autograded notebooks ----------------------


def output_notes(executed: Path, submitted: Path) -> list[Note]:
    """Checks that nbgrader scored as failed for reasons the learner did not cause."""
    notes = []
    for path in sorted(executed.glob("*.ipynb")):
        for grade_id, info, cell in nbgrader_cells(path):
            if info.get("grade") and not info.get("solution") and cell.cell_type == "code":
                notes += check_notes(grade_id, cell.get("outputs", []), submitted)
    return notes


def check_notes(grade_id: str, outputs: list, submitted: Path) -> list[Note]:
    """A check whose only failure is stderr output, or that lacks a module.

    nbgrader's ``determine_grade`` counts any stderr output as a failure, so a warning
    printed while a check runs scores 0 though every assertion passed.
    """
    errors = [o for o in outputs if o.get("output_type") == "error"]
    stderr = [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    if stderr and not errors:
        return [
            Note(
                f"the check {grade_id!r} wrote to stderr (a warning), which nbgrader scores "
                "as a failure: look at it in Formgrader"
            )
        ]
    notes = []
    for error in errors:
        if error.get("ename") not in ("ModuleNotFoundError", "ImportError"):
            continue
        found = NO_MODULE.search(error.get("evalue", ""))
        module = found.group(1) if found else ""
        top = module.split(".")[0]
        if top and ((submitted / f"{top}.py").exists() or (submitted / top).is_dir()):
            continue  # the learner's own module: their mistake, not the kernel's
        notes.append(
            Note(
                f"the check {grade_id!r} needs module {module or error.get('evalue', '')!r}, "
                "which the grading kernel lacks: install it and run autograde --force"
            )
        )
    return notes


# ---- stored per learner and assignment -------------------------------------------------


def release_history(root: Path, assignment: str) -> Path:
    return root / MANIFESTS / "releases" / f"{assignment}.json"


def earlier_releases(root: Path, assignment: str) -> dict[str, set[str]]:
    """The locked cells of every version of ``assignment`` replaced by ``release --force``,
    by ``notebook/grade id``."""
    path = release_history(root, assignment)
    if not path.is_file():
        return {}
    return {key: set(sources) for key, sources in json.loads(path.read_text()).items()}


def remember_release(root: Path, assignment: str) -> None:
    """Keep the locked cells of the version learners may have fetched, before a
    ``release --force`` replaces it, so a learner who fetched it is not said to have
    edited a test the trainer fixed since."""
    history = earlier_releases(root, assignment)
    for notebook in sorted((root / "release" / assignment).glob("*.ipynb")):
        for grade_id, info, cell in nbgrader_cells(notebook):
            if info.get("locked"):
                history.setdefault(f"{notebook.name}/{grade_id}", set()).add(cell.source.strip())
    text = json.dumps({key: sorted(v) for key, v in history.items()}, indent=1, sort_keys=True)
    path = release_history(root, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))


def review_file(root: Path, learner: str, assignment: str) -> Path:
    return root / MANIFESTS / learner / f"{assignment}.review.json"


def write_review(root: Path, learner: str, assignment: str, reasons: list[str]) -> None:
    """Replace a learner's review reasons for an assignment (an empty list clears them)."""
    path = review_file(root, learner, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps({"needs_review": reasons}, indent=1).encode("utf-8"))


def read_review(root: Path, learner: str, assignment: str) -> tuple[str, ...]:
    """The stored review reasons; none for a learner never autograded by the kit."""
    path = review_file(root, learner, assignment)
    if not path.is_file():
        return ()
    try:
        reasons = json.loads(path.read_text(encoding="utf-8"))["needs_review"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KitError(
            f"cannot read {path} ({one_line(err)}): run autograde {assignment} again"
        ) from err
    return tuple(str(r) for r in reasons)
