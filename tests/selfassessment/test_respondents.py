"""Several officers rate one council and its lead agrees the answer, on both databases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import AccessError, Officer, Role, group_name
from ccin_learn.selfassessment.assessment import Answer, Assessment
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.respondents import (
    agree,
    agreements,
    latest_agreed,
    middle_ratings,
    my_rating,
    ratings,
    round_summary,
    share_rating,
    spread,
)
from ccin_learn.selfassessment.store import ConflictError, Store

COUNCIL = "Testborough Council"


@pytest.fixture
def as_officer(
    store: Store, checklist: Checklist, make_assessment: Callable[..., Assessment]
) -> Callable[[str, Role], Store]:
    """``as_officer(name, role)``: the same database seen by an officer of the council,
    which the network's administrator has started with a blank version 1."""
    store.save(make_assessment({}, name=COUNCIL), 0)

    def make(name: str, role: Role) -> Store:
        return Store(store.url, checklist, officer=Officer.from_groups(
            name, [group_name(COUNCIL, role)]))  # fmt: skip

    return make


@pytest.fixture
def rated(
    as_officer: Callable[[str, Role], Store], make_assessment: Callable[..., Assessment]
) -> dict[str, Store]:
    """Three officers share ratings: ann and ben agree on c1, cat is 3 levels above."""
    stores = {name: as_officer(name, Role.EDITOR) for name in ("ann", "ben", "cat")}
    stores["lead"] = as_officer("lee", Role.LEAD)
    levels = {"ann": 1, "ben": 2, "cat": 4}
    for name, level in levels.items():
        evidence = Answer(level=2, evidence=f"{name}'s evidence: cabinet paper")
        rating = make_assessment({"c1": level, "c2": evidence, "p1": "na"}, name=COUNCIL)
        share_rating(stores[name], rating)
    return stores


def test_each_officer_has_one_open_rating_and_sharing_again_replaces_it(
    rated: dict[str, Store], make_assessment: Callable[..., Assessment]
) -> None:
    share_rating(rated["ann"], make_assessment({"c1": 3}, name=COUNCIL))
    found = ratings(rated["lead"], COUNCIL)
    assert [r.person for r in found] == ["ann", "ben", "cat"]
    assert found[0].assessment.answer("c1").level == 3
    mine = my_rating(rated["ann"], COUNCIL)
    assert mine is not None and mine.assessment.answer("c1").level == 3


def test_the_lead_sees_the_spread_with_each_officers_evidence_and_the_disagreements(
    rated: dict[str, Store], checklist: Checklist
) -> None:
    spreads = {s.action.id: s for s in spread(ratings(rated["lead"], COUNCIL), checklist)}
    c1, c2, p1 = spreads["c1"], spreads["c2"], spreads["p1"]
    assert [(a.person, a.words) for a in c1.answers] == [
        ("ann", "1 Exploring"),
        ("ben", "2 Committed"),
        ("cat", "4 Embedded"),
    ]
    assert c1.disagree and c1.middle == 2
    assert not c2.disagree and [a.evidence for a in c2.answers] == [
        "ann's evidence: cabinet paper",
        "ben's evidence: cabinet paper",
        "cat's evidence: cabinet paper",
    ]
    assert not p1.disagree and p1.middle is None  # everyone said not applicable
    assert p1.answers[0].words == "Not applicable: Not for us, because."


def test_only_members_who_edit_rate_and_only_the_lead_sees_ratings(
    as_officer: Callable[[str, Role], Store],
    rated: dict[str, Store],
    make_assessment: Callable[..., Assessment],
) -> None:
    viewer = as_officer("vic", Role.VIEWER)
    with pytest.raises(AccessError, match="you are a viewer"):
        share_rating(viewer, make_assessment({"c1": 1}, name=COUNCIL))
    with pytest.raises(AccessError, match="you are an editor"):
        ratings(rated["ann"], COUNCIL)
    stranger = Store(rated["ann"].url, rated["ann"].checklist,
                     officer=Officer.from_groups("sid", []))  # fmt: skip
    with pytest.raises(AccessError, match="not a member"):
        round_summary(stranger, COUNCIL)


def test_agreeing_saves_a_version_records_who_agreed_and_closes_the_round(
    rated: dict[str, Store], checklist: Checklist, make_assessment: Callable[..., Assessment]
) -> None:
    lead = rated["lead"]
    answer = middle_ratings(make_assessment({}, name=COUNCIL), ratings(lead, COUNCIL), checklist)
    assert answer.answer("c1").level == 2 and answer.answer("c2").level == 2
    saved, used = agree(lead, answer, based_on=1)
    assert (saved.version, used) == (2, 3)
    assert agreements(lead, COUNCIL)[2][0] == "lee"
    assert latest_agreed(rated["ann"], COUNCIL) == 2
    assert ratings(lead, COUNCIL) == [], "the next round starts empty"
    summary = round_summary(rated["ann"], COUNCIL, 2)
    assert summary is not None and summary.officers == ("ann", "ben", "cat")
    assert [d.action.id for d in summary.disagreements] == ["c1"]
    assert summary.agreed_by == "lee"
    assert summary.sentence == (
        "3 officers rated; they differed by two levels or more on 1 action."
    )


def test_a_refused_agreement_records_nothing(
    rated: dict[str, Store], make_assessment: Callable[..., Assessment]
) -> None:
    lead = rated["lead"]
    with pytest.raises(ConflictError):
        agree(lead, make_assessment({"c1": 2}, name=COUNCIL), based_on=0)  # stale
    assert latest_agreed(lead, COUNCIL) == 0 and lead.latest_version_number(COUNCIL) == 1
    assert len(ratings(lead, COUNCIL)) == 3
    with pytest.raises(AccessError, match="you are an editor"):
        agree(rated["ann"], make_assessment({"c1": 2}, name=COUNCIL), based_on=1)


def test_agreeing_with_no_rating_shared_is_refused_and_saves_no_version(
    as_officer: Callable[[str, Role], Store], make_assessment: Callable[..., Assessment]
) -> None:
    lead = as_officer("lee", Role.LEAD)
    with pytest.raises(KitError, match="no officer has shared a rating"):
        agree(lead, make_assessment({"c1": 2}, name=COUNCIL), based_on=1)
    assert lead.latest_version_number(COUNCIL) == 1
    assert agreements(lead, COUNCIL) == {}
