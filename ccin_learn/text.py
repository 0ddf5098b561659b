"""The kit's words for numbers: money, percentages, counts and scores, written once.

Reports, the app, the tools and the command line all show these; writing them
in one place keeps "no score yet" from becoming "no score" on another screen.
"""

from __future__ import annotations

NO_SCORE = "no score yet"
NOT_ANSWERED = "not answered"
NOT_APPLICABLE = "not applicable"


def money(amount: float, pence: bool = False) -> str:
    """Pounds as a person writes them: ``£1,234``, ``-£56``; with ``pence``, ``£12.50``.

    Pence show only when asked for and not zero, so whole-pound sums stay short.
    """
    if not pence:
        whole = round(amount)
        return f"{'-' if whole < 0 else ''}£{abs(whole):,}"
    pennies = round(amount * 100)
    whole, part = divmod(abs(pennies), 100)
    sign = "-" if pennies < 0 else ""
    return f"{sign}£{whole:,}" if part == 0 else f"{sign}£{whole:,}.{part:02d}"


def percent(value: float | None) -> str:
    """A score as ``42%``, or the words for a score that cannot be worked out yet."""
    return NO_SCORE if value is None else f"{value:g}%"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 action``, ``2,000 actions`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def level_words(level: int | None, name: str | None, not_applicable: bool = False) -> str:
    """An action's answer in words: ``2 Committed``, ``not answered`` or ``not applicable``."""
    if not_applicable:
        return NOT_APPLICABLE
    return NOT_ANSWERED if level is None else f"{level} {name}"
