"""What changed since last time, in words."""

from __future__ import annotations

from ccin_learn.selfassessment.compare import changes


def test_changed_levels_and_applicability_are_listed_in_checklist_order(make_assessment, checklist):
    before = make_assessment({"c1": 1, "c2": 3, "p1": 2})
    after = make_assessment({"c1": 2, "c2": 3, "c3": "na", "p1": 1, "p2": 0})
    found = changes(before, after, checklist)
    assert [(c.action.id, c.before, c.after, c.moved_up) for c in found] == [
        ("c1", "1 Exploring", "2 Committed", True),
        ("c3", "not answered", "not applicable", False),
        ("p1", "2 Committed", "1 Exploring", False),
        ("p2", "not answered", "0 Not started", False),
    ]


def test_no_change(make_assessment, checklist):
    same = make_assessment({"c1": 1})
    assert changes(same, same, checklist) == []
