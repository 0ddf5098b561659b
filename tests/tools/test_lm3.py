"""LM3 arithmetic against hand-worked examples, the 0% and 100% edges, and bad inputs."""

from __future__ import annotations

import math

import pytest

from ccin_learn.errors import KitError
from ccin_learn.text import money
from ccin_learn.tools.lm3 import LM3Inputs, calculate, meaning, score_text


def inputs(**changes: float) -> LM3Inputs:
    """The course's worked example: £100,000 in, 60% spent locally, 40% of that re-spent."""
    base = {
        "income": 100_000,
        "supplier_share": 70,
        "supplier_local": 60,
        "staff_local": 60,
        "supplier_respend": 40,
        "staff_respend": 40,
    }
    return LM3Inputs(**{**base, **changes})


def test_worked_example_gives_rounds_of_100k_60k_24k_and_a_score_of_1_84():
    # R2 = 60% of £100,000 = £60,000; R3 = 40% of £60,000 = £24,000;
    # LM3 = (100,000 + 60,000 + 24,000) / 100,000 = 1.84.
    result = calculate(inputs())
    assert result.round1 == 100_000
    assert result.round2 == pytest.approx(60_000)
    assert result.round3 == pytest.approx(24_000)
    assert result.score == pytest.approx(1.84)
    assert score_text(result) == "1.84"
    assert money(result.round3) == "£24,000"
    assert money(result.total) == "£184,000"


def test_suppliers_and_staff_are_worked_out_separately():
    # £200,000: £100,000 to suppliers, £100,000 to staff.
    # Local suppliers 30% = £30,000; local staff 80% = £80,000; R2 = £110,000.
    # Re-spent: 25% of £30,000 = £7,500; 50% of £80,000 = £40,000; R3 = £47,500.
    # LM3 = (200,000 + 110,000 + 47,500) / 200,000 = 1.7875.
    result = calculate(
        LM3Inputs(
            income=200_000,
            supplier_share=50,
            supplier_local=30,
            staff_local=80,
            supplier_respend=25,
            staff_respend=50,
        )
    )
    assert result.round2 == pytest.approx(110_000)
    assert result.round3 == pytest.approx(47_500)
    assert result.score == pytest.approx(1.7875)
    assert score_text(result) == "1.79"


def test_the_split_between_suppliers_and_staff_matters_when_their_local_shares_differ():
    # All £10,000 to staff who are 90% local: R2 = £9,000, R3 = 10% of that = £900.
    all_staff = calculate(
        inputs(income=10_000, supplier_share=0, supplier_local=0, staff_local=90, staff_respend=10)
    )
    assert (all_staff.round2, all_staff.round3) == pytest.approx((9_000, 900))
    # All £10,000 to suppliers who are 0% local: nothing stays.
    all_suppliers = calculate(
        inputs(income=10_000, supplier_share=100, supplier_local=0, staff_local=90)
    )
    assert (all_suppliers.round2, all_suppliers.round3) == (0, 0)
    assert all_suppliers.score == 1


def test_nothing_spent_locally_scores_exactly_1():
    result = calculate(inputs(supplier_local=0, staff_local=0))
    assert (result.round2, result.round3) == (0, 0)
    assert result.score == 1
    assert score_text(result) == "1.00"


def test_nothing_re_spent_locally_stops_at_round_2():
    result = calculate(inputs(supplier_respend=0, staff_respend=0))
    assert result.round3 == 0
    assert result.score == pytest.approx(1.6)


def test_everything_spent_and_re_spent_locally_scores_exactly_3():
    result = calculate(
        inputs(supplier_local=100, staff_local=100, supplier_respend=100, staff_respend=100)
    )
    assert (result.round2, result.round3) == pytest.approx((100_000, 100_000))
    assert result.score == pytest.approx(3)


def test_the_score_says_what_it_means_in_pounds():
    assert meaning(calculate(inputs())) == (
        "Each £1 of income was worth £1.84 to the local economy over three rounds of "
        "spending, counting the first £1."
    )


@pytest.mark.parametrize(
    ("income", "message"),
    [
        (-100, "round 1 income must be more than £0, got -100"),
        (0, "round 1 income must be more than £0, got 0"),
        (math.nan, "round 1 income must be more than £0, got nan"),
    ],
)
def test_income_must_be_a_positive_amount(income, message):
    with pytest.raises(KitError) as caught:
        calculate(inputs(income=income))
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "supplier_share",
            101,
            "share of round 1 spent on suppliers must be between 0 and 100%, got 101",
        ),
        (
            "supplier_local",
            -1,
            "local share of supplier spending must be between 0 and 100%, got -1",
        ),
        ("staff_local", 150, "local share of staff spending must be between 0 and 100%, got 150"),
        (
            "supplier_respend",
            -0.5,
            "local re-spend of suppliers must be between 0 and 100%, got -0.5",
        ),
        ("staff_respend", math.inf, "local re-spend of staff must be between 0 and 100%, got inf"),
    ],
)
def test_percentages_outside_0_to_100_are_refused_by_name(field, value, message):
    with pytest.raises(KitError) as caught:
        calculate(inputs(**{field: value}))
    assert str(caught.value) == message


def test_0_and_100_percent_are_allowed_at_every_input():
    for value, score in ((0, 1), (100, 3)):
        result = calculate(
            inputs(
                supplier_share=value,
                supplier_local=value,
                staff_local=value,
                supplier_respend=value,
                staff_respend=value,
            )
        )
        assert result.score == pytest.approx(score)
