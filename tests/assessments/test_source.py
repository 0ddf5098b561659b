"""The micro-credential assessment notebooks in assessments/source, one per module.

Fast tests read each notebook as JSON. They check what its first cell states, the nbgrader
metadata, that the marks add up, and the answers and checks. The answers and checks use only
the standard library, so these tests run them in plain Python without a kernel. The slow tests
run nbgrader itself, as an author would:

- `nbgrader validate` on each source notebook: the model answers score full marks;
- `nbgrader generate_assignment` in a temporary course folder, then `nbgrader validate --invert`
  on each blank release: every automatically marked check fails, and the release holds no model
  answers or hidden tests.

Each nbgrader command takes tens of seconds to start on a slow machine, so the slow tests
validate several notebooks in one command and split its output.
"""

from __future__ import annotations

import ast
import copy
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.grading.cohorts import between

ROOT = Path(__file__).resolve().parents[2]
ASSESSMENTS = ROOT / "assessments"
SOURCE = ASSESSMENTS / "source"
DATA = ROOT / "ccin_learn" / "data"

MODULES = {m["id"]: m for m in yaml.safe_load((DATA / "modules.yaml").read_text())["modules"]}
MODULE_IDS = list(MODULES)
CREDENTIALS = yaml.safe_load((DATA / "credentials.yaml").read_text(encoding="utf-8"))
CHECKLIST = yaml.safe_load((DATA / "checklist.yaml").read_text(encoding="utf-8"))
COURSE = yaml.safe_load((ASSESSMENTS / "course.yaml").read_text(encoding="utf-8"))

# The marks each notebook is meant to carry: (total, marked by a trainer).
INTENDED_MARKS = {
    "coop-option": (23, 8),
    "finance": (24, 8),
    "legal-structures": (24, 8),
    "community-wealth-building": (28, 10),
    "cooperative-placemaking": (23, 8),
}
# Questions that describe no case, so need not say "fictional": (module, question number).
NO_CASE = {("legal-structures", 2), ("legal-structures", 4)}

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # nbgrader's default for Python
TEXT_STUB = "YOUR ANSWER HERE"
QUESTION = re.compile(r"^## Question (\d+): (.+) \((\d+) marks?\)$", re.MULTILINE)
GRADE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ---- Reading notebooks ------------------------------------------------------------------------


def notebook_path(module_id: str, folder: Path = SOURCE) -> Path:
    return folder / module_id / f"{module_id}.ipynb"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_grade(cell: dict) -> bool:
    return bool(nbgrader(cell).get("grade"))


def is_solution(cell: dict) -> bool:
    return bool(nbgrader(cell).get("solution"))


def is_autograded(cell: dict) -> bool:
    return cell["cell_type"] == "code" and is_grade(cell) and not is_solution(cell)


def is_written(cell: dict) -> bool:
    return cell["cell_type"] == "markdown" and is_grade(cell) and is_solution(cell)


def outside(source: str, begin: str, end: str) -> str:
    """The source without its begin/end regions (as nbgrader strips hidden tests)."""
    kept, inside = [], False
    for line in source.splitlines():
        if line.strip() == begin:
            inside = True
        elif line.strip() == end:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def blank(source: str) -> str:
    """A solution cell as nbgrader releases it: the solution replaced by the stub."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN_SOLUTION:
            inside = True
            lines.append(CODE_STUB)
        elif line.strip() == END_SOLUTION:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def questions(nb: dict) -> list[dict]:
    """Each question with its header and the graded cells that follow it."""
    found: list[dict] = []
    for cell in nb["cells"][1:]:
        match = QUESTION.search(text(cell)) if cell["cell_type"] == "markdown" else None
        if match:
            found.append(
                {
                    "number": int(match[1]),
                    "title": match[2],
                    "marks": int(match[3]),
                    "text": text(cell),
                    "cells": [],
                }
            )
        elif is_grade(cell):
            assert found, f"graded cell {nbgrader(cell)['grade_id']} comes before any question"
            found[-1]["cells"].append(cell)
    return found


def marks(nb: dict) -> tuple[int, int]:
    """Total marks and marks given by a trainer, from the cells' nbgrader points."""
    graded = [cell for cell in nb["cells"] if is_grade(cell)]
    total = sum(nbgrader(cell)["points"] for cell in graded)
    by_hand = sum(nbgrader(cell)["points"] for cell in graded if is_written(cell))
    return total, by_hand


def hours_text(hours: float) -> str:
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    words = f"{whole} hour" + ("" if whole == 1 else "s")
    return words + (f" {minutes} minutes" if minutes else "")


def credential(module_id: str) -> dict:
    entry = next(c for c in CREDENTIALS["credentials"] if c["module"] == module_id)
    return {**CREDENTIALS["defaults"], **entry}


def squash(words: str) -> str:
    return " ".join(words.split())


@pytest.fixture(params=MODULE_IDS)
def module_id(request) -> str:
    return request.param


@pytest.fixture
def nb(module_id: str) -> dict:
    return load(notebook_path(module_id))


# ---- Running answers and checks in plain Python ---------------------------------------------


def run(cells: list[dict], namespace: dict | None = None) -> dict[str, bool]:
    """Run code cells in order in one namespace, as a kernel would; say which checks pass."""
    namespace = {"__name__": "__main__"} if namespace is None else namespace
    passed = {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        try:
            exec(compile(text(cell), f"<cell {index}>", "exec"), namespace)
            ok = True
        except Exception:
            ok = False
        if is_autograded(cell):
            passed[nbgrader(cell)["grade_id"]] = ok
    return passed


def released(nb: dict) -> list[dict]:
    """The cells as nbgrader releases them: solutions blanked and hidden tests removed."""
    cells = copy.deepcopy(nb["cells"])
    for cell in cells:
        if cell["cell_type"] == "code" and is_solution(cell):
            cell["source"] = blank(text(cell))
        elif is_written(cell):
            cell["source"] = TEXT_STUB
        elif is_grade(cell):
            cell["source"] = outside(text(cell), BEGIN_HIDDEN, END_HIDDEN)
    return cells


def target(cell: dict) -> tuple[str, str | None]:
    """The variable a check cell tests and, for a dictionary, the entry."""
    visible = outside(text(cell), BEGIN_HIDDEN, END_HIDDEN)
    name = re.search(r'assert "(\w+)" in globals\(\)', visible)
    assert name, f"{nbgrader(cell)['grade_id']} should first check that its variable is set"
    key = re.search(rf'assert "(\w+)" in {name[1]}\b', visible)
    return name[1], key[1] if key else None


def value_of(namespace: dict, name: str) -> dict:
    """A copy of a dictionary answer, so that changing it leaves the model answer alone."""
    return dict(namespace[name])


def wrong_values(value: object, visible: str, namespace: dict) -> list[object]:
    """Answers of the right form that differ from the model answer."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value - 1, value + 10]
    if isinstance(value, float):
        return [value + 10, value - 10]
    allowed = re.search(r"\bin ([A-Z_]+_IDS)\b", visible)
    options = list(namespace[allowed[1]]) if allowed else list("abcd")
    return [option for option in options if option != value]


# ---- What the notebooks say -------------------------------------------------------------------


def test_there_is_one_source_notebook_for_each_module():
    folders = sorted(path.name for path in SOURCE.iterdir() if path.is_dir())
    assert folders == sorted(MODULE_IDS)
    for module_id in MODULE_IDS:
        found = sorted(p.name for p in (SOURCE / module_id).iterdir() if p.suffix == ".ipynb")
        assert found == [f"{module_id}.ipynb"], module_id


def test_first_cell_states_each_learning_outcome(module_id, nb):
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown"
    assert nbgrader(first)["locked"] is True, "the first cell should be read-only"
    assert not is_grade(first) and not is_solution(first)
    body = text(first)
    assert "By the end you can:" in body
    after = body.split("By the end you can:", 1)[1]
    for outcome in MODULES[module_id]["outcomes"]:
        assert f"\n- {outcome}\n" in after, f"the first cell should state: {outcome}"


def test_first_cell_states_the_marking_the_pass_mark_and_the_time(module_id, nb):
    body = squash(text(nb["cells"][0]))
    total, by_hand = marks(nb)
    details = credential(module_id)
    pass_mark = details["pass_mark"]
    need = -(-pass_mark * total // 100)
    assert (
        f"worth {total} marks: {total - by_hand} marked automatically and {by_hand} by a trainer"
    ) in body
    assert f"You pass with {pass_mark}% of the marks or more: at least {need} of the {total}" in (
        body
    )
    assert f"It takes about {hours_text(details['assessment_hours'])}." in body
    assert "marked automatically" in body and "rubric" in body
    assert "Every case in this assessment is fictional" in body
    auto = [q["number"] for q in questions(nb) if not any(map(is_written, q["cells"]))]
    assert f"Questions {auto[0]} to {auto[-1]} are marked automatically" in body


def test_cells_carry_valid_nbgrader_metadata(nb):
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    seen = set()
    for cell in nb["cells"]:
        data = nbgrader(cell)
        if not data:
            continue
        grade_id = data["grade_id"]
        assert GRADE_ID.match(grade_id), grade_id
        assert grade_id not in seen, f"grade_id {grade_id} is used twice"
        seen.add(grade_id)
        assert data["schema_version"] == 3
        assert data["task"] is False
        assert not cell.get("outputs"), f"{grade_id} should have no saved outputs"
        if data["grade"]:
            assert isinstance(data["points"], int) and data["points"] > 0, grade_id
        else:
            assert "points" not in data, grade_id
        if is_autograded(cell):
            assert data["locked"] is True, f"check cell {grade_id} should be read-only"
        if data["solution"]:
            assert data["locked"] is False, grade_id
        if cell["cell_type"] == "code" and data["solution"]:
            assert not data["grade"], f"{grade_id}: answer cells are not themselves graded"
            assert text(cell).count(BEGIN_SOLUTION) == text(cell).count(END_SOLUTION) == 1
        if not data["grade"] and not data["solution"]:
            assert data["locked"] is True, f"{grade_id} should be read-only"
    for cell in nb["cells"]:
        if not (is_grade(cell) or is_solution(cell)):
            assert BEGIN_SOLUTION not in text(cell) and BEGIN_HIDDEN not in text(cell)


def test_marks_add_up_with_about_a_third_marked_by_hand(module_id, nb):
    found = questions(nb)
    assert [q["number"] for q in found] == list(range(1, len(found) + 1))
    for question in found:
        points = sum(nbgrader(cell)["points"] for cell in question["cells"])
        assert points == question["marks"], (
            f"question {question['number']} says {question['marks']} marks, "
            f"but its cells carry {points}"
        )
    written = [q for q in found if any(map(is_written, q["cells"]))]
    automatic = [q for q in found if q not in written]
    assert all(len(q["cells"]) == 1 for q in written), "a written answer is one graded cell"
    assert all(all(map(is_autograded, q["cells"])) for q in automatic)
    assert 3 <= len(automatic) <= 4
    assert 1 <= len(written) <= 2
    assert found.index(written[0]) > found.index(automatic[-1]), "written answers come last"
    total, by_hand = marks(nb)
    assert (total, by_hand) == INTENDED_MARKS[module_id]
    assert 20 <= total <= 30
    assert 0.28 <= by_hand / total <= 0.40, f"{by_hand} of {total} marks by hand"


def test_questions_with_parts_give_partial_credit(nb):
    for question in questions(nb):
        cells = question["cells"]
        if any(map(is_written, cells)):
            continue
        assert len(cells) >= 2, f"question {question['number']} should mark its parts apart"


def test_written_questions_state_their_rubric(nb):
    for question in questions(nb):
        if not any(map(is_written, question["cells"])):
            continue
        body = question["text"]
        assert "**Rubric (" in body
        rubric = body.split("**Rubric (", 1)[1]
        awarded = [int(n) for n in re.findall(r"^- \*\*(\d+) marks?\*\*", rubric, re.MULTILINE)]
        assert sum(awarded) == question["marks"], (
            f"question {question['number']}: the rubric gives {sum(awarded)} marks"
        )
        answer = text(question["cells"][0])
        assert answer.startswith("**Model answer (for trainers).**")
        assert len(answer.split()) >= 250, "the model answer should be a full answer"


def test_cases_say_they_are_fictional(module_id, nb):
    for question in questions(nb):
        if (module_id, question["number"]) in NO_CASE:
            continue
        assert "fictional" in question["text"], (
            f"question {question['number']} should say that its case is fictional"
        )


def test_level_questions_quote_the_checklist_descriptors(module_id, nb):
    actions = {action["id"]: action for action in CHECKLIST["actions"]}
    for question in questions(nb):
        for action_id in re.findall(r"checklist action `([a-z-]+)`", question["text"]):
            body = squash(question["text"])
            for level, descriptor in actions[action_id]["levels"].items():
                assert f"| {level} | {squash(str(descriptor))} |" in body, (action_id, level)


def test_some_notebooks_ask_for_checklist_levels():
    asking = [m for m in MODULE_IDS if "checklist action `" in json.dumps(load(notebook_path(m)))]
    assert len(asking) >= 2


def test_answers_and_checks_use_only_the_standard_library(nb):
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse(text(cell))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names, name


# ---- Running the answers and checks -----------------------------------------------------------


def test_model_answers_pass_every_check(nb):
    results = run(nb["cells"])
    assert results and all(results.values()), [k for k, ok in results.items() if not ok]


def test_every_check_fails_on_a_blank_notebook(nb):
    results = run(released(nb))
    assert results and not any(results.values()), [k for k, ok in results.items() if ok]


def test_every_check_has_visible_form_checks_and_hidden_tests(nb):
    for cell in nb["cells"]:
        if not is_autograded(cell):
            continue
        source = text(cell)
        assert source.count(BEGIN_HIDDEN) == source.count(END_HIDDEN) == 1
        visible = outside(source, BEGIN_HIDDEN, END_HIDDEN)
        hidden = "\n".join(between(source, BEGIN_HIDDEN, END_HIDDEN))
        assert "assert" in visible and "assert" in hidden, nbgrader(cell)["grade_id"]
        assert source.index("assert") < source.index(BEGIN_HIDDEN), "visible checks come first"


def test_a_wrong_part_loses_only_its_own_marks(nb):
    """A well-formed wrong answer passes the visible checks, fails the hidden ones, and costs
    only the marks of the checks on that part."""
    model = {"__name__": "__main__"}
    run(nb["cells"], model)
    checks = [cell for cell in nb["cells"] if is_autograded(cell)]
    for cell in checks:
        grade_id = nbgrader(cell)["grade_id"]
        name, key = target(cell)
        visible = outside(text(cell), BEGIN_HIDDEN, END_HIDDEN)
        value = model[name][key] if key else model[name]
        for wrong in wrong_values(value, visible, model):
            namespace = dict(model)
            namespace[name] = {**value_of(model, name), key: wrong} if key else wrong
            try:
                exec(visible, dict(namespace))
            except AssertionError:
                continue  # not the right form: try the next wrong value
            results = run(checks, namespace)
            failed = {gid for gid, ok in results.items() if not ok}
            same_part = {nbgrader(c)["grade_id"] for c in checks if target(c) == (name, key)}
            assert failed == same_part, f"a wrong {name} {key or ''} fails {sorted(failed)}"
            break
        else:
            pytest.fail(f"{grade_id}: no wrong answer of the right form passes its visible checks")


def test_author_config_names_the_course_and_keeps_the_default_stubs():
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(ASSESSMENTS)).load_config()
    assert config.CourseDirectory.course_id == COURSE["course_id"] == "ccin-coop-option"
    assert Path(config.CourseDirectory.root) == ASSESSMENTS
    assert 10 <= config.ExecutePreprocessor.timeout <= 300
    assert "ClearSolutions" not in config, "keep nbgrader's default stubs"


# ---- nbgrader itself (slow) -------------------------------------------------------------------


def nbgrader_command(*args: str, cwd: Path) -> str:
    """Run an nbgrader command; return its output, with the log lines in order."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}"
    return done.stdout


def validate_each(paths: list[Path], cwd: Path, *extra: str) -> dict[str, str]:
    """Validate several notebooks in one command; return each notebook's part of the output."""
    output = nbgrader_command("validate", *extra, *map(str, paths), cwd=cwd)
    parts = re.split(r"^.*Validating '([^']+)'.*$", output, flags=re.MULTILINE)
    found = {Path(path).stem: part for path, part in zip(parts[1::2], parts[2::2], strict=True)}
    assert sorted(found) == sorted(p.stem for p in paths), output
    return found


@pytest.fixture(scope="module")
def source_validation(tmp_path_factory) -> dict[str, str]:
    paths = [notebook_path(module_id) for module_id in MODULE_IDS]
    return validate_each(paths, tmp_path_factory.mktemp("validate-source"))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A temporary course folder with every assignment generated from the source."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(SOURCE, root / "source")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE['course_id']!r}\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(root / 'gradebook.db')!r}\n",
        encoding="utf-8",
    )
    for module_id in MODULE_IDS:
        # The assignment is added to the database as it is generated (nbgrader's default).
        nbgrader_command("generate_assignment", module_id, "--force", cwd=root)
    return root


@pytest.fixture(scope="module")
def release_validation(course: Path) -> dict[str, str]:
    paths = [notebook_path(module_id, course / "release") for module_id in MODULE_IDS]
    return validate_each(paths, course, "--invert")


@pytest.mark.slow
def test_nbgrader_validate_passes_every_source_notebook(module_id, source_validation):
    output = source_validation[module_id]
    assert "Success! Your notebook passes all the tests." in output, output
    assert "VALIDATION FAILED" not in output and "The following cell failed" not in output


@pytest.mark.slow
def test_generate_assignment_adds_each_assignment_to_the_gradebook(course):
    with sqlite3.connect(course / "gradebook.db") as db:
        names = {row[0] for row in db.execute("SELECT name FROM assignment")}
        notebooks = {row[0] for row in db.execute("SELECT name FROM notebook")}
    assert names == set(MODULE_IDS)
    assert notebooks == set(MODULE_IDS)


@pytest.mark.slow
def test_every_autograded_check_fails_on_the_blank_release(module_id, release_validation):
    output = release_validation[module_id]
    assert "Success! The notebook does not pass any tests." in output, output
    assert "The following cell passed" not in output
    assert "NOTEBOOK PASSED ON" not in output and "HAVE CHANGED" not in output


@pytest.mark.slow
def test_release_has_no_model_answers_or_hidden_tests(module_id, course):
    source = load(notebook_path(module_id))
    release = load(notebook_path(module_id, course / "release"))
    assert len(release["cells"]) == len(source["cells"])
    release_lines = {line.strip() for cell in release["cells"] for line in text(cell).splitlines()}
    everything = "\n".join(text(cell) for cell in release["cells"])
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
        assert marker not in everything
    for before, after in zip(source["cells"], release["cells"], strict=True):
        grade_id = nbgrader(before).get("grade_id")
        secret = between(text(before), BEGIN_SOLUTION, END_SOLUTION)
        secret += between(text(before), BEGIN_HIDDEN, END_HIDDEN)
        for line in secret:
            if len(line.strip()) >= 8:
                assert line.strip() not in release_lines, f"{grade_id} leaks: {line.strip()}"
        if is_written(before):
            assert text(after).strip() == TEXT_STUB
        elif before["cell_type"] == "code" and is_solution(before):
            assert text(after).strip() == blank(text(before)).strip()
        elif is_autograded(before):
            assert text(after).strip() == outside(text(before), BEGIN_HIDDEN, END_HIDDEN).strip()
        else:
            assert text(after) == text(before)
