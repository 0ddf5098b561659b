"""A working session: open, edit with autosave, save versions, handle someone else's save."""

from __future__ import annotations

from datetime import date

import pytest

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.merge import Side
from ccin_learn.selfassessment.session import Session, compare_versions, usable_reason
from ccin_learn.selfassessment.store import ConflictError


def test_a_new_council_gets_its_types_defaults_and_a_draft(store):
    session = Session.open(store, "  Anyshire   County ", "county", today=date(2026, 5, 1))
    assert session.council == "Anyshire County"
    assert session.assessment.answer("c3").not_applicable is not None
    assert session.based_on == 0
    assert store.draft("anyshire county") is not None, "a new council is kept from the start"


def test_every_edit_is_autosaved_and_restored_on_reopen(store):
    session = Session.open(store, "Anytown", "unitary")
    session.set_level("c1", 2)
    session.update("c1", evidence="Cabinet report, 12 March")
    reopened = Session.open(store, "Anytown")
    assert reopened.assessment.answer("c1").level == 2
    assert reopened.assessment.answer("c1").evidence == "Cabinet report, 12 March"
    assert reopened.restored_draft_at is not None


def test_not_applicable_needs_a_reason_and_clears_the_level(store):
    session = Session.open(store, "Anytown", "unitary")
    session.set_level("p2", 3)
    with pytest.raises(KitError, match="say why"):
        session.set_not_applicable("p2", "  ")
    session.set_not_applicable("p2", "We have no land to transfer.")
    answer = session.assessment.answer("p2")
    assert answer.level is None and answer.not_applicable.reason == "We have no land to transfer."
    session.set_not_applicable("p2", None)
    assert session.assessment.answer("p2").applicable


def test_saving_versions_and_what_changed_since(store):
    session = Session.open(store, "Anytown", "unitary")
    session.set_level("c1", 1)
    assert session.save_version().version == 1
    assert store.draft("Anytown") is None
    session.set_level("c1", 3)
    session.set_level("p1", 0)
    comparison = session.comparison()
    assert comparison.status == "Unsaved changes to version 1"
    assert [(c.action.id, c.before, c.after) for c in comparison.changes] == [
        ("c1", "1 Exploring", "3 Delivering"),
        ("p1", "not answered", "0 Not started"),
    ]
    assert session.save_version().version == 2
    assert [v.version for v in session.history()] == [1, 2]


def test_a_stale_session_cannot_overwrite_a_colleagues_save(store):
    mine = Session.open(store, "Anytown", "unitary")
    mine.save_version()
    theirs = Session(store, store.load("Anytown").assessment, based_on=1)
    mine.set_level("c1", 4)
    theirs.set_level("c2", 2)
    theirs.save_version()
    with pytest.raises(ConflictError, match="someone saved version 2"):
        mine.save_version()
    assert store.load("Anytown").assessment.answer("c1").level is None
    mine.load_version()  # take their latest, then redo
    assert mine.based_on == 2
    mine.set_level("c1", 4)
    assert mine.save_version().version == 3


@pytest.fixture
def two_versions(store) -> Session:
    """Anytown with version 1 (c1 at level 1) and version 2 (c1 at level 2) saved."""
    session = Session.open(store, "Anytown", "unitary")
    session.set_level("c1", 1)
    session.save_version()
    session.set_level("c1", 2)
    session.save_version()
    return session


def test_opening_an_old_version_saves_as_the_newest(two_versions):
    session = two_versions
    session.load_version(1)
    assert session.assessment.answer("c1").level == 1
    assert session.save_version().version == 3


def test_a_new_council_needs_a_name_and_a_type(store):
    with pytest.raises(KitError, match="enter the council's name"):
        Session.open(store, "   ")
    with pytest.raises(KitError, match="choose the type of council for Newtown"):
        Session.open(store, "Newtown")
    with pytest.raises(KitError, match="An ONS code looks like E06000001"):
        Session.open(store, "Newtown", "unitary", gss_code="not-a-code")


def test_just_saved_is_compared_with_the_version_before_not_itself(store):
    session = Session.open(store, "Anytown", "unitary")
    assert session.comparison().status == "Not saved yet"
    session.set_level("c1", 1)
    session.save_version()
    first = session.comparison()
    assert (first.status, first.baseline, first.changes) == ("Saved version 1", None, ())
    for action_id, level in [("c1", 3), ("c2", 2), ("p1", 0), ("p2", 4)]:
        session.set_level(action_id, level)
    session.save_version()
    comparison = session.comparison()
    assert comparison.status == "Saved version 2"
    assert comparison.baseline is not None and comparison.baseline.version == 1
    assert [c.action.id for c in comparison.changes] == ["c1", "c2", "p1", "p2"]


def test_an_unsaved_change_after_a_save_is_labelled_unsaved(store):
    session = Session.open(store, "Anytown", "unitary")
    session.save_version()
    session.set_level("c2", 2)
    assert session.has_unsaved_changes()
    comparison = session.comparison()
    assert comparison.status == "Unsaved changes to version 1"
    assert [c.action.id for c in comparison.changes] == ["c2"]


def test_a_usable_reason_is_what_the_assessment_model_accepts():
    assert not usable_reason("")
    assert not usable_reason("  ab  ")  # trimmed first, as the model stores it
    assert usable_reason("abc")
    assert not usable_reason("x" * 10_001)  # longer than any text the file format keeps


def test_the_baseline_is_scored_for_charts_beside_the_working_copy(store, checklist):
    session = Session.open(store, "Anytown", "unitary")
    assert session.comparison().baseline_card(checklist) is None
    session.set_level("c1", 1)
    session.save_version()
    session.set_level("c1", 3)
    before = session.comparison().baseline_card(checklist)
    assert before is not None
    assert before.levels["c1"] == 1 and session.card.levels["c1"] == 3


def test_an_assessor_with_an_invisible_character_is_refused_and_not_kept(store):
    session = Session.open(store, "Anytown", "unitary")
    with pytest.raises(KitError, match="invisible or control characters"):
        session.set_details(assessor="Policy\u200b team")
    assert session.assessment.assessor is None
    assert store.draft("Anytown").assessment.assessor is None
    session.set_details(assessor="  Policy team ")
    assert store.draft("Anytown").assessment.assessor == "Policy team"


def test_a_refused_save_keeps_the_work_and_merges_it_over_the_colleagues(store):
    Session.open(store, "Anytown", "unitary").save_version()  # version 1, blank
    mine = Session.open(store, "Anytown")
    theirs = Session.open(store.as_person("colleague"), "Anytown")
    mine.set_level("c1", 3)
    mine.set_level("p1", 1)
    theirs.set_level("c2", 2)
    theirs.set_level("p1", 4)
    assert theirs.save_version().version == 2
    assert mine.is_behind()
    with pytest.raises(ConflictError):
        mine.save_version()
    assert mine.assessment.answer("c1").level == 3, "nothing typed is lost"
    assert store.draft("Anytown").assessment.answer("c1").level == 3
    merge = mine.merge_with_latest()
    assert [c.action.id for c in merge.conflicts] == ["p1"]
    mine.accept_merge(merge, {"p1": Side.MINE})
    assert mine.based_on == 2 and not mine.is_behind()
    saved = mine.save_version()
    assert saved.version == 3
    levels = {a: saved.assessment.answer(a).level for a in ("c1", "c2", "p1")}
    assert levels == {"c1": 3, "c2": 2, "p1": 1}


def test_two_officers_starting_the_same_new_council_merge_from_blank(store):
    first = Session.open(store, "Newtown", "unitary")
    second = Session.open(store.as_person("colleague"), "Newtown", "unitary")
    first.set_level("c1", 2)
    second.set_level("c2", 3)
    first.save_version()
    merge = second.merge_with_latest()
    assert merge.conflicts == ()
    second.accept_merge(merge, {})
    assert second.save_version().assessment.answer("c1").level == 2


def test_save_state_says_where_the_work_is_kept(store):
    session = Session.open(store, "Anytown", "unitary")
    assert session.save_state().startswith("Draft saved at ")
    session.save_version()
    assert session.save_state().startswith("Version 1 saved at ")
    session.set_level("c1", 1)
    assert session.save_state().startswith("Draft saved at ")
    reopened = Session.open(store, "Anytown")
    assert reopened.save_state().startswith("Draft from ")


def test_two_saved_versions_compare_without_touching_the_working_copy(store, two_versions):
    session = two_versions
    session.set_level("p1", 2)  # unsaved
    pair = compare_versions(store, "Anytown", 1, 2)
    assert (pair.first.version, pair.second.version) == (1, 2)
    assert [(c.action.id, c.before, c.after) for c in pair.changes] == [
        ("c1", "1 Exploring", "2 Committed")
    ]
    first_card, second_card = pair.cards(session.checklist)
    assert (first_card.overall, second_card.overall) == (25, 50)
    assert session.assessment.answer("p1").level == 2 and session.based_on == 2
    with pytest.raises(KitError, match="two different versions"):
        compare_versions(store, "Anytown", 2, 2)
    assert session.file_assessment().based_on_version == 2
