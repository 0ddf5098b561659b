"""The kit's words for numbers, as a reader sees them."""

from __future__ import annotations

import pytest

from ccin_learn.text import level_words, money, percent, plural


@pytest.mark.parametrize(
    ("amount", "pence", "shown"),
    [
        (200_000, False, "£200,000"),
        (1234.4, False, "£1,234"),
        (-50, False, "-£50"),
        (-0.4, False, "£0"),
        (12.5, True, "£12.50"),
        (200_000, True, "£200,000"),
        (-5_000, True, "-£5,000"),
    ],
)
def test_money_is_written_as_people_write_it(amount: float, pence: bool, shown: str) -> None:
    assert money(amount, pence=pence) == shown


def test_a_missing_score_is_said_in_words() -> None:
    assert percent(None) == "no score yet"
    assert percent(42) == "42%"


def test_counts_agree_with_their_nouns() -> None:
    assert plural(1, "action") == "1 action"
    assert plural(2000, "investor") == "2,000 investors"
    assert plural(3, "entry", "entries") == "3 entries"


def test_an_answer_in_words() -> None:
    assert level_words(2, "Committed") == "2 Committed"
    assert level_words(None, None) == "not answered"
    assert level_words(3, "Delivering", not_applicable=True) == "not applicable"
