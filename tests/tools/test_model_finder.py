"""Which cooperative model: answers add the points of the rules they meet, best kind first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ccin_learn.datafile import DataFileError
from ccin_learn.errors import KitError
from ccin_learn.tools.coop_models import (
    MODELS_FILE,
    default_guide,
    load_guide,
    load_guide_file,
    page_data,
)
from ccin_learn.tools.model_finder import (
    ModelGuide,
    first_answers,
    fitting_kinds,
    fitting_summary,
    rank_kinds,
)

ROOT = Path(__file__).resolve().parents[2]
GUIDE = default_guide()


def answers(members: str, benefit: str, control: str) -> dict[str, str]:
    return {"members": members, "benefit": benefit, "control": control}


def fitting_ids(members: str, benefit: str, control: str) -> list[tuple[str, int]]:
    return [(m.kind.id, m.score) for m in fitting_kinds(GUIDE, answers(members, benefit, control))]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # customers 3 + benefit members 1 + one vote 1
        (("users", "members", "one-vote"), [("consumer", 5)]),
        # worker: 3 + 1 + 1; employee ownership: 3 + 1 - 1 (one vote is not its way)
        (("workers", "members", "one-vote"), [("worker", 5), ("employee-owned", 3)]),
        # employee ownership: 3 + 1 + 3 (trust); worker: 3 + 1 - 1
        (("workers", "members", "trust"), [("employee-owned", 7), ("worker", 3)]),
        # community benefit society: 3 + 2 + 1; nothing else reaches 3
        (("community", "community", "one-vote"), [("community-benefit", 6)]),
        # multi-stakeholder: 3 + 2 + 2
        (("several", "several", "classes"), [("multi-stakeholder", 7)]),
        # housing: 3 + 1 (Community Land Trust) + 1; community benefit society: 0 + 2 + 1
        (("residents", "community", "one-vote"), [("housing", 5), ("community-benefit", 3)]),
        # consumer: 3 + 0 + 1; community benefit society: 0 + 2 + 1
        (("users", "community", "one-vote"), [("consumer", 4), ("community-benefit", 3)]),
        # multi-stakeholder: staff 1 + several 2 + classes 2; worker: 3 - 1 falls below 3
        (("workers", "several", "classes"), [("multi-stakeholder", 5)]),
        (("platform", "members", "one-vote"), [("platform", 5)]),
        (("producers", "members", "one-vote"), [("producer", 5)]),
        # "not sure" adds nothing: the members answer alone reaches 3
        (("users", "not-sure", "not-sure"), [("consumer", 3)]),
    ],
)
def test_answers_give_the_hand_worked_ranking(given, expected):
    assert fitting_ids(*given) == expected


def test_reasons_say_why_a_kind_fits_and_what_to_watch():
    worker = next(
        m
        for m in fitting_kinds(GUIDE, answers("workers", "members", "trust"))
        if m.kind.id == "worker"
    )
    assert worker.reasons_for == (
        "Its members are the people who work in it.",
        "Members benefit through their work, a say in how it is run and a share of any surplus.",
    )
    assert worker.reasons_against == (
        "A trust that holds the business for the staff is employee ownership, where staff need "
        "not each have a vote.",
    )
    assert worker.answers_pointing == 2
    assert worker.fit_words == "2 of your answers point to it"


def test_contradictory_answers_fit_nothing():
    # community benefit society: 3 (members) - 1 (benefit to members only) = 2, below 3
    assert fitting_kinds(GUIDE, answers("community", "members", "not-sure")) == ()
    assert fitting_summary(()) == "No kind fits these answers well."


def test_ranking_covers_every_kind_and_equal_scores_keep_file_order():
    ranked = rank_kinds(GUIDE, answers("users", "members", "classes"))
    assert len(ranked) == len(GUIDE.kinds)
    # consumer 3 + 1 - 1 = 3 and multi-stakeholder 1 + 2 = 3: consumer comes first in the file
    assert [(m.kind.id, m.score) for m in ranked[:2]] == [
        ("consumer", 3),
        ("multi-stakeholder", 3),
    ]


def test_summary_line_names_kinds_and_points():
    matches = fitting_kinds(GUIDE, answers("workers", "members", "one-vote"))
    assert fitting_summary(matches) == (
        "Worker coop (5 points); Employee ownership (not a coop) (3 points)"
    )


def test_the_tool_starts_on_each_question_first_answer():
    assert first_answers(GUIDE) == {"members": "users", "benefit": "members", "control": "one-vote"}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"members": "users", "benefit": "members"}, "answer the question 'How should control"),
        (answers("aliens", "members", "one-vote"), "'aliens' is not an answer"),
        ({**answers("users", "members", "one-vote"), "colour": "red"}, "unknown question"),
    ],
)
def test_bad_answers_are_refused(bad, message):
    with pytest.raises(KitError, match=message):
        fitting_kinds(GUIDE, bad)


def test_every_kind_links_to_a_page_of_this_module():
    for kind in GUIDE.kinds:
        stem = ROOT / kind.page
        assert stem.with_suffix(".md").is_file() or stem.with_suffix(".ipynb").is_file(), kind.page


def write_guide(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(MODELS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "coop_models.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def rename_answer(data: dict) -> None:
    data["kinds"][0]["rules"][0]["answers"] = ["shoppers"]


def point_at_no_question(data: dict) -> None:
    data["kinds"][0]["rules"][0]["question"] = "colour"


def only_negative(data: dict) -> None:
    for rule in data["kinds"][0]["rules"]:
        rule["points"] = -1


def zero_points(data: dict) -> None:
    data["kinds"][0]["rules"][0]["points"] = 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (rename_answer, "question 'members' has no option 'shoppers'"),
        (point_at_no_question, "names no question 'colour'"),
        (only_negative, "never fits"),
        (zero_points, "points must not be 0"),
    ],
)
def test_a_bad_data_file_names_the_problem(tmp_path, change, message):
    with pytest.raises(DataFileError, match=message):
        load_guide(write_guide(tmp_path, change))


def test_the_page_ranks_on_the_same_guide_as_the_voila_app():
    # The page gets page_data() through JSON packed in its wheel.
    in_page = ModelGuide.from_data(json.loads(json.dumps(page_data(), sort_keys=True)))
    assert in_page == default_guide()
    validated = load_guide_file()
    assert [k.id for k in in_page.kinds] == [k.id for k in validated.kinds]
    assert [r.answers for k in in_page.kinds for r in k.rules] == [
        r.answers for k in validated.kinds for r in k.rules
    ]
    assert in_page.question("control").option_ids() == validated.questions[2].option_ids()
