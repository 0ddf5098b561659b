"""The three-way merge after a refused save: one side's changes kept, both sides' shown."""

from __future__ import annotations

from datetime import date

import pytest

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.assessment import Answer
from ccin_learn.selfassessment.merge import Side, three_way


def test_changes_only_one_officer_made_are_kept_and_both_changed_is_a_conflict(
    make_assessment, checklist
):
    base = make_assessment({"c1": 1, "c2": 1, "p1": 1})
    mine = make_assessment({"c1": 3, "c2": 1, "p1": 2, "p2": 0})  # c1, p1, p2 changed
    theirs = make_assessment({"c1": 1, "c2": 4, "p1": 4, "p2": 0})  # c2, p1, p2 changed
    merge = three_way(base, mine, theirs, latest=5, checklist=checklist)
    assert [a.id for a in merge.kept_mine] == ["c1"]
    assert [a.id for a in merge.took_theirs] == ["c2", "p2"]  # p2: the same change on both
    assert [(c.action.id, c.mine.level, c.theirs.level) for c in merge.conflicts] == [("p1", 2, 4)]
    kept = merge.resolve({"p1": Side.MINE})
    assert {a: kept.answer(a).level for a in ("c1", "c2", "p1", "p2")} == {
        "c1": 3,
        "c2": 4,
        "p1": 2,
        "p2": 0,
    }
    assert merge.resolve({"p1": Side.THEIRS}).answer("p1").level == 4


def test_evidence_counts_as_a_change_and_every_conflict_needs_a_choice(make_assessment, checklist):
    base = make_assessment({"c1": 1})
    mine = make_assessment({"c1": Answer(level=1, evidence="Our audit, May 2026")})
    theirs = make_assessment({"c1": Answer(level=1, notes="Ask finance")})
    merge = three_way(base, mine, theirs, latest=2, checklist=checklist)
    assert [c.action.id for c in merge.conflicts] == ["c1"]
    with pytest.raises(KitError, match="choose whose answer to keep for: Action c1 title"):
        merge.resolve({})
    assert merge.resolve({"c1": Side.MINE}).answer("c1").evidence == "Our audit, May 2026"


def test_an_action_nobody_changed_is_exactly_the_colleagues(make_assessment, checklist):
    base = make_assessment({"c1": 1})
    theirs = make_assessment({"c1": 1, "c2": 2})
    merge = three_way(base, base, theirs, latest=2, checklist=checklist)
    assert merge.conflicts == () and merge.kept_mine == ()
    assert merge.resolve({}) == theirs


def test_my_date_and_assessor_win_over_the_colleagues(make_assessment, checklist):
    base = make_assessment({})
    mine = base.model_copy(update={"assessed_on": date(2026, 12, 1)})
    theirs = base.model_copy(update={"assessor": "Policy team"})
    merged = three_way(base, mine, theirs, latest=2, checklist=checklist).resolve({})
    assert merged.assessed_on == date(2026, 12, 1) and merged.assessor == "Policy team"
