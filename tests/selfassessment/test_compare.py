"""What changed since last time, in words."""

from __future__ import annotations

from ccin_learn.selfassessment.compare import changes
from tests.fixtures import assessment, tiny_checklist

CHECKLIST = tiny_checklist()


def test_changed_levels_and_applicability_are_listed_in_checklist_order():
    before = assessment(CHECKLIST, {"c1": 1, "c2": 3, "p1": 2})
    after = assessment(CHECKLIST, {"c1": 2, "c2": 3, "c3": "na", "p1": 1, "p2": 0})
    found = changes(before, after, CHECKLIST)
    assert [(c.action.id, c.before, c.after, c.moved_up) for c in found] == [
        ("c1", "1 Exploring", "2 Committed", True),
        ("c3", "not answered", "not applicable", False),
        ("p1", "2 Committed", "1 Exploring", False),
        ("p2", "not answered", "0 Not started", False),
    ]


def test_no_change():
    same = assessment(CHECKLIST, {"c1": 1})
    assert changes(same, same, CHECKLIST) == []
