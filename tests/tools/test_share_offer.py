"""The share offer planner's figures, notices and errors, checked against hand-worked sums."""

from __future__ import annotations

import math

import pytest

from ccin_learn.course.facts import default_facts
from ccin_learn.errors import KitError
from ccin_learn.text import money
from ccin_learn.tools import share_offer
from ccin_learn.tools.share_offer import (
    OfferInputs,
    plan_offer,
    plan_summary,
    range_summary,
    scenario_finding,
)

# The Community Shares Handbook's typical offer: about 200 investors averaging about £1,000.
TYPICAL = OfferInputs(target=200_000, minimum=100, maximum=20_000, average=1_000, weeks=8)


def offer(**changes: object) -> OfferInputs:
    values = {**TYPICAL.__dict__, **changes}
    return OfferInputs(**values)


def labels(inputs: OfferInputs) -> list[str]:
    return [notice.label for notice in plan_offer(inputs).notices]


def test_typical_offer_needs_200_investors_25_a_week():
    plan = plan_offer(TYPICAL)
    # 200,000 / 1,000 = 200 investors; 200 / 8 weeks = 25 a week.
    assert plan.investors_needed == 200
    assert plan.investors_per_week == 25
    # 200,000 / 20,000 = 10 at the maximum; 200,000 / 100 = 2,000 at the minimum.
    assert plan.fewest_investors == 10
    assert plan.most_investors == 2_000
    assert plan.notices == ()
    assert plan_summary(plan) == (
        "To raise £200,000 at an average of £1,000 a holding, you need 200 investors: "
        "at least 25 new investors a week over 8 weeks."
    )
    assert range_summary(plan) == (
        "If everyone invested the maximum (£20,000), 10 investors would be enough; if "
        "everyone invested the minimum (£100), you would need 2,000 investors."
    )


def test_part_investors_round_up():
    plan = plan_offer(offer(target=50_000, minimum=50, maximum=5_000, average=300, weeks=6))
    # 50,000 / 300 = 166.7, so 167 investors; 167 / 6 = 27.8, so 28 a week.
    assert plan.investors_needed == 167
    assert plan.investors_per_week == 28
    assert plan.fewest_investors == 10  # 50,000 / 5,000
    assert plan.most_investors == 1_000  # 50,000 / 50


def test_pence_do_not_pick_up_floating_point_dust():
    # 100 / 0.1 is 1000.0000000000001 in floating point; it must be exactly 1,000 investors.
    plan = plan_offer(offer(target=100, minimum=0.1, maximum=10, average=0.1, weeks=1))
    assert plan.investors_needed == 1_000


def test_one_of_everything_reads_in_the_singular():
    plan = plan_offer(offer(target=1_000, minimum=1_000, maximum=1_000, average=1_000, weeks=1))
    assert plan_summary(plan).endswith(
        "you need 1 investor: at least 1 new investor a week over 1 week."
    )


def test_maximum_over_the_legal_limit_is_flagged():
    assert "Over the legal limit" not in labels(offer(target=2_000_000, maximum=100_000))
    found = plan_offer(offer(target=2_000_000, maximum=100_000.01)).notices
    assert [n.label for n in found] == ["Over the legal limit"]
    assert "no one member may hold more than £100,000 of withdrawable shares" in found[0].message
    assert "£20,000 in Northern Ireland" in found[0].message


def test_northern_ireland_has_a_20000_limit():
    assert "Over the legal limit" not in labels(offer(target=2_000_000, maximum=20_001))
    found = plan_offer(offer(target=2_000_000, maximum=20_001, northern_ireland=True)).notices
    assert [n.label for n in found] == ["Over the legal limit"]
    assert "more than £20,000 of withdrawable shares in Northern Ireland" in found[0].message
    assert "Set the maximum holding to £20,000 or less" in found[0].message


def test_maximum_above_ten_percent_of_a_raise_under_1m_is_flagged():
    # 10% of £200,000 is £20,000: exactly 10% is fine, a penny more is not.
    assert labels(offer(maximum=20_000)) == []
    found = plan_offer(offer(maximum=20_000.01)).notices
    assert [n.label for n in found] == ["Above the 10% guidance"]
    assert "more than 10% of the £200,000 target (£20,000)" in found[0].message


def test_ten_percent_guidance_is_only_for_raises_under_1m():
    assert labels(offer(target=1_000_000, maximum=100_000)) == []
    # £100,000 is more than 10% of £999,999 (£99,999.90).
    assert labels(offer(target=999_999, maximum=100_000)) == ["Above the 10% guidance"]


def test_offers_under_50000_are_told_about_the_standard_mark():
    small = plan_offer(offer(target=49_999, minimum=50, maximum=4_000, average=250))
    assert [n.label for n in small.notices] == ["Under £50,000"]
    assert "Standard Mark is not expected for offers under £50,000" in small.notices[0].message
    assert labels(offer(target=50_000, minimum=50, maximum=5_000, average=250)) == []


def test_all_three_notices_come_most_serious_first():
    assert labels(offer(target=40_000, maximum=150_000)) == [
        "Over the legal limit",
        "Above the 10% guidance",
        "Under £50,000",
    ]


def test_scenarios_follow_their_shapes_and_all_reach_the_target():
    steady, slow, rush = plan_offer(TYPICAL).scenarios
    assert [steady.name, slow.name, rush.name] == ["Steady", "Slow start, late surge", "Early rush"]
    # Halfway (week 4 of 8): steady 1/2, slow start (1/2)^2 = 1/4, early rush 1 - (1/2)^2 = 3/4.
    assert (steady.raised[4], slow.raised[4], rush.raised[4]) == (100_000, 50_000, 150_000)
    # Week 1: slow start (1/8)^2 x 200,000 = 3,125; early rush (1 - (7/8)^2) x 200,000 = 46,875.
    assert (steady.raised[1], slow.raised[1], rush.raised[1]) == (25_000, 3_125, 46_875)
    for scenario in (steady, slow, rush):
        assert len(scenario.raised) == 9
        assert scenario.raised[0] == 0
        assert scenario.raised[-1] == 200_000
        assert list(scenario.raised) == sorted(scenario.raised)


def test_scenario_finding_says_where_each_stands_halfway():
    assert scenario_finding(plan_offer(TYPICAL)) == (
        "How £200,000 could build up over 8 weeks in three scenarios. By the end of week 4: "
        "steady: £100,000 (50% of the target); slow start, late surge: £50,000 (25% of the "
        "target); early rush: £150,000 (75% of the target). All three reach the target by "
        "the end of week 8."
    )
    one_week = plan_offer(offer(weeks=1))
    assert "all three reach the target by the end of week 1" in scenario_finding(one_week)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": 0}, "the target raise must be more than £0"),
        ({"target": -5_000}, "the target raise must be more than £0"),
        ({"target": math.nan}, "the target raise must be a number of pounds"),
        ({"target": "lots"}, "the target raise must be a number of pounds"),
        ({"minimum": 0}, "the minimum holding must be more than £0"),
        (
            {"minimum": 500, "maximum": 400, "average": 450},
            r"the minimum holding \(£500\) cannot be more than the maximum holding \(£400\)",
        ),
        (
            {"average": 50},
            r"the expected average holding \(£50\) must be between the minimum \(£100\) "
            r"and the maximum \(£20,000\)",
        ),
        ({"average": 25_000}, r"the expected average holding \(£25,000\) must be between"),
        ({"weeks": 0}, "the offer period must be a whole number of weeks from 1 to 52"),
        ({"weeks": 53}, "the offer period must be a whole number of weeks from 1 to 52"),
        ({"weeks": 2.5}, "the offer period must be a whole number of weeks from 1 to 52"),
    ],
)
def test_bad_figures_get_one_clear_line(changes, message):
    with pytest.raises(KitError, match=message) as caught:
        plan_offer(offer(**changes))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("limit", "fact_id"),
    [
        (share_offer.LEGAL_CAP, "withdrawable-share-cap"),
        (share_offer.LEGAL_CAP_NORTHERN_IRELAND, "withdrawable-share-cap-ni"),
        (share_offer.STANDARD_MARK_FROM, "standard-mark-threshold"),
    ],
)
def test_the_planners_limits_are_the_registrys(limit, fact_id):
    """The planner computes with the figures the course's fact registry states."""
    assert default_facts().get(fact_id).value == money(limit)


def test_the_ten_percent_guidance_is_the_registrys():
    fact = default_facts().get("community-shares-max-guidance")
    assert fact.value == "10%"
    assert "less than £1 million" in fact.statement
    assert share_offer.TEN_PERCENT_GUIDANCE_BELOW == 1_000_000
