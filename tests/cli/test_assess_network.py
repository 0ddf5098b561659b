"""`ccin-learn assess respondents | benchmark | plan`: the network's commands, as a
network administrator or a script runs them on the database."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import pytest

from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, Answer, Assessment, load_assessment
from ccin_learn.selfassessment.benchmark import set_taking_part
from ccin_learn.selfassessment.checklist import default_checklist
from ccin_learn.selfassessment.plan import add_step
from ccin_learn.selfassessment.respondents import agree, share_rating
from ccin_learn.selfassessment.store import Store

CHARTER = "cwb-inclusive-economy-charter"
MINE = "Example Unitary Council (fictional)"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Five unitary councils taking part, each agreed; the example rated by three officers
    who differ on the charter, with a two-step plan."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-network') / 'kit.sqlite'}"
    example = load_assessment(EXAMPLES_DIR / "example-unitary.json")
    for n, name in enumerate([MINE, "Second Unitary", "Third", "Fourth", "Fifth"]):
        council = example.council.model_copy(update={"name": name})
        rated(url, example.model_copy(update={"council": council}), n)
    store = Store(url, default_checklist(), person="lee")
    add_step(store, MINE, {"action_id": CHARTER, "what": "Draft the charter",
                           "owner": "Policy team", "due": date(2027, 1, 31)})  # fmt: skip
    add_step(store, MINE, {"action_id": CHARTER, "what": "=1+1", "owner": "Head of Policy"})
    return url


def rated(url: str, assessment: Assessment, n: int) -> None:
    admin = Store(url, default_checklist(), person="admin")
    name = assessment.council.name
    admin.save(assessment, 0)
    for person, level in {"ann": 0, "ben": 1, "cat": 3}.items() if n == 0 else {"admin": 2}.items():
        share_rating(Store(url, default_checklist(), person=person),
                     assessment.with_answer(CHARTER, Answer(level=level)))  # fmt: skip
    agree(admin, assessment, 1)
    set_taking_part(admin, name, True)


def test_respondents_lists_who_rated_and_where_they_differed(
    db: str, run_cli: Callable[..., object]
) -> None:
    out = run_cli(["assess", "respondents", MINE, "--db", db]).out
    assert "Ratings shared since the last agreed version: none" in out
    assert "Version 2, agreed by admin: 3 officers rated; they differed" in out
    assert "Rated by: ann, ben, cat" in out
    assert "Develop an Inclusive Economy Charter: ann 0 Not started; ben 1 Exploring; cat 3" in out
    err = run_cli(["assess", "respondents", "Nowhere", "--db", db], exit_code=1).err
    assert "Nowhere" in err


def test_benchmark_prints_and_writes_the_anonymised_distributions(
    db: str, run_cli: Callable[..., object], tmp_path: Path
) -> None:
    out = run_cli(["assess", "benchmark", "--type", "unitary", "--db", db]).out
    assert "Unitary council  Overall score  5  " in out
    assert "Second Unitary" not in out and MINE not in out
    target = tmp_path / "benchmark.csv"
    run_cli(["assess", "benchmark", "-o", target, "--db", db])
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    unitary = [r for r in rows if r["council_type"] == "Unitary council"]
    county = [r for r in rows if r["council_type"] == "County council"]
    assert unitary[0]["councils"] == "5" and unitary[0]["median"]
    assert county[0]["councils"] == "fewer than 5 councils" and county[0]["median"] == ""
    err = run_cli(["assess", "benchmark", "--type", "parish", "--db", db], exit_code=1).err
    assert "no council type 'parish': choose one of unitary" in err


def test_plan_prints_or_writes_word_and_csv(
    db: str, run_cli: Callable[..., object], tmp_path: Path
) -> None:
    out = run_cli(["assess", "plan", MINE, "--db", db]).out
    assert "[not started] Draft the charter (Develop an Inclusive Economy Charter; owner: " in out
    word = tmp_path / "plan.docx"
    run_cli(["assess", "plan", MINE, "-o", word, "--db", db])
    cells = [c.text for t in docx.Document(str(word)).tables for r in t.rows for c in r.cells]
    assert "Draft the charter" in cells and "31 Jan 2027" in cells
    table = tmp_path / "plan.csv"
    run_cli(["assess", "plan", MINE, "-o", table, "--db", db])
    steps = {r["step"] for r in csv.DictReader(io.StringIO(table.read_text("utf-8-sig")))}
    assert steps == {"Draft the charter", "'=1+1"}
    err = run_cli(["assess", "plan", MINE, "-o", tmp_path / "plan.txt", "--db", db], 2).err
    assert "must end in .csv, .docx or .pdf" in err and not (tmp_path / "plan.txt").exists()
