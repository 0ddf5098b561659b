"""The benchmark's anonymity rules: the threshold of five, opting in, one type at a time,
only agreed versions, and nothing of another council reaching a council's view."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import AccessError, Officer, Role, group_name
from ccin_learn.selfassessment.assessment import Answer, Assessment
from ccin_learn.selfassessment.benchmark import (
    MIN_COUNCILS,
    band,
    benchmark_for,
    network_distributions,
    number,
    quartiles,
    set_taking_part,
    taking_part,
)
from ccin_learn.selfassessment.respondents import agree, share_rating
from ccin_learn.selfassessment.store import Store

Agreed = Callable[..., None]


@pytest.fixture
def agreed(store: Store, make_assessment: Callable[..., Assessment]) -> Agreed:
    """``agreed(name, {"c1": 2}, council_type="unitary", take_part=True)``: the council's
    answers saved, rated and agreed by the network's administrator, opted in or not."""

    def make(
        name: str, answers: dict, council_type: str = "unitary", take_part: bool = True
    ) -> None:
        assessment = make_assessment(answers, council_type=council_type, name=name)
        latest = store.latest_version_number(name)
        if not latest:
            latest = store.save(assessment, 0).version
        share_rating(store, assessment)
        agree(store, assessment, latest)
        if take_part:
            set_taking_part(store, name, True)

    return make


def full(level: int) -> dict[str, int]:
    """Every action of the small checklist at ``level``."""
    return {action: level for action in ("c1", "c2", "c3", "p1", "p2")}


def test_a_figure_needs_five_councils_and_its_quartiles_interpolate() -> None:
    assert MIN_COUNCILS == 5
    assert quartiles([10, 20, 30, 40]) is None
    found = quartiles([10, 40, 50, 60, 100])
    assert found is not None
    assert (found.councils, found.lower, found.median, found.upper) == (5, 40, 50, 60)


@pytest.mark.parametrize(
    ("own", "values", "words"),
    [
        (4, [0, 1, 2, 3, 4], "in the top quarter"),
        (0, [0, 1, 2, 3, 4], "in the bottom quarter"),
        (2, [0, 1, 2, 3, 4], "at the median"),
        (2, [2, 2, 2, 2, 2], "at the median"),  # a tie is not the top quarter
        (3, [0, 1, 2, 3, 4, 4], "in the middle half, above the median"),
        (2, [0, 1, 2, 3, 4, 4], "in the middle half, below the median"),
    ],
)
def test_bands_are_by_mid_rank_so_ties_land_in_the_middle(
    own: float, values: list[float], words: str
) -> None:
    group = quartiles(values)
    assert group is not None
    assert band(own, values, group) == words


def test_numbers_read_as_people_read_them() -> None:
    assert (number(62.5, "percent"), number(2.25, "level"), number(2.0, "level")) == (
        "63%", "2.3", "2")  # fmt: skip


def test_nothing_shows_below_five_councils_and_everything_from_five(
    agreed: Agreed, store: Store
) -> None:
    for n in range(1, 5):
        agreed(f"Council {n}", full(n % 5))
    view = benchmark_for(store, "Council 1")
    assert view.taking_part and view.own_version == 2
    assert not view.any_shown and all(f.band == "" for f in view.figures)
    agreed("Council 5", full(0))
    view = benchmark_for(store, "Council 1")
    overall = view.figures[0]
    assert overall.spec.label == "Overall score" and overall.group is not None
    assert (overall.group.councils, overall.group.median, overall.own) == (5, 50, 25)
    assert overall.band == "in the middle half, below the median"


def test_councils_that_have_not_opted_in_neither_count_nor_see(
    agreed: Agreed, store: Store
) -> None:
    for n in range(1, 5):
        agreed(f"Council {n}", full(2))
    agreed("Outsider", full(4), take_part=False)
    assert not benchmark_for(store, "Council 1").any_shown
    outsider = benchmark_for(store, "Outsider")
    assert not taking_part(store, "Outsider")
    assert (outsider.taking_part, outsider.figures) == (False, ())
    set_taking_part(store, "Outsider", True)
    assert benchmark_for(store, "Council 1").any_shown
    set_taking_part(store, "Outsider", False)
    assert not benchmark_for(store, "Council 1").any_shown


def test_councils_are_compared_with_their_own_type_only(agreed: Agreed, store: Store) -> None:
    for n in range(1, 5):
        agreed(f"Unitary {n}", full(2))
    agreed("A County", full(2), council_type="county")
    assert not benchmark_for(store, "Unitary 1").any_shown
    assert not benchmark_for(store, "A County").any_shown


def test_only_the_latest_agreed_version_counts(
    agreed: Agreed, store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    for n in range(1, 6):
        agreed(f"Council {n}", full(2))
    draft = make_assessment(full(4), name="Council 5")
    store.save(draft, store.latest_version_number("Council 5"))  # saved, not agreed
    overall = benchmark_for(store, "Council 5").figures[0]
    assert overall.own == 50 and overall.group is not None and overall.group.upper == 50


def test_a_figure_fewer_than_five_councils_answered_is_withheld_alone(
    agreed: Agreed, store: Store
) -> None:
    for n in range(1, 5):
        agreed(f"Council {n}", full(2))
    agreed("Council 5", {**full(2), "c1": "na"})
    figures = {f.spec.key: f for f in benchmark_for(store, "Council 1").figures}
    assert figures["overall"].shown and figures["action:c2"].shown
    assert not figures["action:c1"].shown and figures["action:c1"].band == ""


def test_a_councils_own_answers_never_reach_another_council(agreed: Agreed, store: Store) -> None:
    secret = Answer(level=4, evidence="Secret cabinet paper 7731", notes="Private note 5150")
    for n, level in enumerate((1, 2, 2, 3), start=1):
        agreed(f"Council {n}", full(level))
    agreed("Extreme Borough", {**full(4), "c1": secret})
    view = benchmark_for(store, "Council 1")
    seen = repr(dataclasses.asdict(view))
    for hidden in ("Extreme Borough", "Secret cabinet paper", "Private note", "'own': 4"):
        assert hidden not in seen
    overall = view.figures[0]
    assert overall.group is not None and 100 not in (
        overall.group.lower, overall.group.median, overall.group.upper)  # fmt: skip
    assert not hasattr(overall.group, "minimum") and not hasattr(overall.group, "maximum")


def test_only_members_see_a_councils_benchmark_and_only_its_lead_opts_in(
    agreed: Agreed, store: Store
) -> None:
    agreed("Council 1", full(2))
    editor = Store(store.url, store.checklist, officer=Officer.from_groups(
        "ed", [group_name("Council 1", Role.EDITOR)]))  # fmt: skip
    with pytest.raises(AccessError, match="you are an editor"):
        set_taking_part(editor, "Council 1", False)
    assert benchmark_for(editor, "Council 1").taking_part
    with pytest.raises(AccessError, match="not a member"):
        benchmark_for(editor, "Council 2")


def test_the_network_export_is_anonymised_and_for_administrators_only(
    agreed: Agreed, store: Store
) -> None:
    for n in range(1, 6):
        agreed(f"Council {n}", full(n - 1))
    rows = network_distributions(store, "unitary")
    assert {r.type_name for r in rows} == {"Unitary council"}
    overall = rows[0]
    assert overall.group is not None and (overall.group.councils, overall.group.median) == (5, 50)
    assert {r.type_name for r in network_distributions(store)} == {
        "Unitary council", "County council"}  # fmt: skip
    with pytest.raises(KitError, match="no council type 'parish': choose one of unitary, county"):
        network_distributions(store, "parish")
    lead = Store(store.url, store.checklist, officer=Officer.from_groups(
        "lee", [group_name("Council 1", Role.LEAD)]))  # fmt: skip
    with pytest.raises(AccessError, match="only the network's administrators"):
        network_distributions(lead)
