"""The LM3 widget shows what the LM3 logic says, reacts to every input and labels every control."""

from __future__ import annotations

from ccin_learn.widgets.lm3 import LM3Calculator, error_html


def test_starts_on_the_worked_example_with_its_rounds_and_score():
    text = LM3Calculator().result.value
    for expected in ("£100,000", "£60,000", "£24,000", "LM3 score: 1.84"):
        assert expected in text
    assert "Round 3: re-spent locally" in text


def test_changing_an_input_updates_the_rounds_and_score():
    calculator = LM3Calculator()
    calculator.staff_local.value = 100
    calculator.supplier_local.value = 100
    # All £100,000 spent locally, 40% re-spent: R3 = £40,000, LM3 = 2.40.
    assert "£40,000" in calculator.result.value
    assert "LM3 score: 2.40" in calculator.result.value


def test_the_staff_share_is_what_suppliers_leave():
    calculator = LM3Calculator()
    assert "30% of round 1" in calculator.staff_share.value
    calculator.supplier_share.value = 45
    assert "55% of round 1" in calculator.staff_share.value


def test_bad_income_shows_a_one_line_message_instead_of_a_result():
    calculator = LM3Calculator()
    calculator.income.value = -500
    text = calculator.result.value
    assert "round 1 income must be more than £0, got -500" in text
    assert "LM3 score" not in text
    calculator.income.value = 500
    assert "LM3 score: 1.84" in calculator.result.value


def test_percent_boxes_keep_to_0_to_100():
    calculator = LM3Calculator()
    calculator.staff_respend.value = 250
    assert calculator.staff_respend.value == 100


def test_every_control_has_a_label():
    calculator = LM3Calculator()
    labels = [control.description for control in calculator.controls()]
    assert all(labels) and len(set(labels)) == len(labels)


def test_messages_are_escaped():
    assert "<script>" not in error_html("<script>alert(1)</script>")
