"""The action plan: steps an officer adds, a stale change refused, the plan carried from
version to version with what was done since, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from ccin_learn.selfassessment.access import AccessError, Officer, Role, group_name
from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.plan import (
    PlanError,
    add_step,
    change_step,
    plan_view,
    remove_step,
    steps,
)
from ccin_learn.selfassessment.store import Store

COUNCIL = "Testborough Council"
PAGE = "modules/community-wealth-building/index"


@pytest.fixture
def council(store: Store, make_assessment: Callable[..., Assessment]) -> Assessment:
    """The council with a saved version 1."""
    assessment = make_assessment({"c1": 1}, name=COUNCIL)
    store.save(assessment, 0)
    return assessment


def step(**changes: object) -> dict[str, object]:
    return {
        "action_id": "c1",
        "what": "Take a social value policy to cabinet",
        "owner": "Head of Procurement",
        "due": date(2027, 3, 31),
        "status": "not started",
        "course_page": PAGE,
    } | changes


def test_a_step_is_kept_with_its_action_owner_due_date_status_and_course_page(
    store: Store, council: Assessment
) -> None:
    added = add_step(store, COUNCIL, step())
    later = add_step(store, COUNCIL, step(what="Report to scrutiny", due=None, course_page=None))
    soon = add_step(store, COUNCIL, step(what="Draft the policy", due=date(2027, 1, 15)))
    assert [s.what for s in steps(store, COUNCIL)] == [soon.what, added.what, later.what]
    assert (added.action_id, added.owner, added.due, added.status, added.course_page) == (
        "c1", "Head of Procurement", date(2027, 3, 31), "not started", PAGE)  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ({"what": ""}, "not saved: enter the step$"),
        ({"owner": "   "}, "not saved: enter the step's owner$"),
        ({"status": "finished"}, "not saved: "),
        ({"action_id": "zz"}, "choose a checklist action"),
        ({"course_page": "book/index"}, "choose a course page that serves this action"),
        ({"what": "x" * 501}, r"not saved: the step is too long: at most 500 characters"),
    ],
)
def test_a_bad_step_is_refused_in_one_line_and_nothing_is_added(
    store: Store, council: Assessment, bad: dict[str, object], words: str
) -> None:
    with pytest.raises(PlanError, match=words) as refused:
        add_step(store, COUNCIL, step(**bad))
    assert "\n" not in str(refused.value)
    assert steps(store, COUNCIL) == []


def test_a_change_based_on_an_old_revision_is_refused_and_changes_nothing(
    store: Store, council: Assessment
) -> None:
    added = add_step(store, COUNCIL, step())
    changed = change_step(store, COUNCIL, added.id, added.revision, step(status="in progress"))
    assert (changed.status, changed.revision) == ("in progress", 2)
    with pytest.raises(PlanError, match=r"changed at .* since you opened it"):
        change_step(store, COUNCIL, added.id, added.revision, step(owner="Someone else"))
    with pytest.raises(PlanError, match="changed at"):
        remove_step(store, COUNCIL, added.id, added.revision)
    [kept] = steps(store, COUNCIL)
    assert (kept.owner, kept.status) == ("Head of Procurement", "in progress")
    remove_step(store, COUNCIL, kept.id, kept.revision)
    assert steps(store, COUNCIL) == []


def test_the_plan_carries_over_and_each_version_shows_what_was_done_since(
    store: Store, council: Assessment
) -> None:
    first = add_step(store, COUNCIL, step(what="Draft the policy"))
    second = add_step(store, COUNCIL, step(what="Take it to cabinet"))
    store.save(council, 1)  # version 2 keeps both, not done
    done = change_step(store, COUNCIL, first.id, first.revision, step(what="Draft the policy",
                                                                       status="done"))  # fmt: skip
    assert done.done_at is not None
    live = plan_view(store, COUNCIL)
    assert live.since_version == 2 and [s.what for s in live.done_since] == ["Draft the policy"]
    store.save(council, 2)  # version 3
    three, two = plan_view(store, COUNCIL, 3), plan_view(store, COUNCIL, 2)
    assert [s.what for s in three.steps] == ["Draft the policy", "Take it to cabinet"]
    assert (three.since_version, [s.what for s in three.done_since]) == (2, ["Draft the policy"])
    assert [s.status for s in two.steps] == ["not started", "not started"]
    assert plan_view(store, COUNCIL).done_since == (), "nothing done since version 3"
    remove_step(store, COUNCIL, second.id, second.revision)
    assert len(plan_view(store, COUNCIL, 3).steps) == 2, "a version keeps its snapshot"


def test_viewers_read_the_plan_and_only_editors_change_it(
    store: Store, council: Assessment
) -> None:
    add_step(store, COUNCIL, step())
    viewer = Store(store.url, store.checklist, officer=Officer.from_groups(
        "vic", [group_name(COUNCIL, Role.VIEWER)]))  # fmt: skip
    assert len(steps(viewer, COUNCIL)) == 1
    with pytest.raises(AccessError, match="you are a viewer"):
        add_step(viewer, COUNCIL, step())
    stranger = Store(store.url, store.checklist, officer=Officer.from_groups("sid", []))
    with pytest.raises(AccessError, match="not a member"):
        plan_view(stranger, COUNCIL)
