"""Plan a community share offer: how many investors it needs, and what to watch for.

A society planning a time-bound community share offer needs to know how many
people must invest, how fast they must come in, and whether its holding limits
fit the law and the sector's guidance. This module works that out with no
widgets, so the figures can be tested by hand. Money is handled in whole pence
so that, for example, £200,000 at an average of £1,000 is exactly 200 investors.

The limits are the course's checked facts (``data/facts.yaml``:
``withdrawable-share-cap``, ``withdrawable-share-cap-ni``,
``community-shares-max-guidance``, ``standard-mark-threshold``); a test holds
the constants below to the registry, so a change there fails until the planner
follows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ccin_learn.errors import KitError
from ccin_learn.text import money, plural

LEGAL_CAP = 100_000
LEGAL_CAP_NORTHERN_IRELAND = 20_000
TEN_PERCENT_GUIDANCE_BELOW = 1_000_000
STANDARD_MARK_FROM = 50_000
MAX_WEEKS = 52


@dataclass(frozen=True)
class OfferInputs:
    """What the society plans: the target and holding limits in pounds, the weeks open."""

    target: float
    minimum: float
    maximum: float
    average: float
    weeks: int
    northern_ireland: bool = False


@dataclass(frozen=True)
class Notice:
    """Something the planner should check, with a plain label that does not rely on colour."""

    label: str
    message: str


@dataclass(frozen=True)
class Scenario:
    """One way the money might come in, with the total raised at the end of each week."""

    name: str
    description: str
    raised: tuple[int, ...]  # whole pounds at the end of week 0, 1, ... weeks


@dataclass(frozen=True)
class OfferPlan:
    """The investors an offer needs, the notices on its limits, and the scenarios."""

    inputs: OfferInputs
    investors_needed: int
    investors_per_week: int
    fewest_investors: int
    most_investors: int
    notices: tuple[Notice, ...]
    scenarios: tuple[Scenario, ...]


def to_pence(name: str, pounds: float) -> int:
    """An amount in whole pence, refusing text, infinities and NaN with a one-line message."""
    if isinstance(pounds, bool) or not isinstance(pounds, int | float) or not math.isfinite(pounds):
        raise KitError(f"the {name} must be a number of pounds")
    return round(pounds * 100)


def check_inputs(inputs: OfferInputs) -> tuple[int, int, int, int]:
    """The target, minimum, maximum and average in pence, or a KitError naming the problem."""
    target = to_pence("target raise", inputs.target)
    minimum = to_pence("minimum holding", inputs.minimum)
    maximum = to_pence("maximum holding", inputs.maximum)
    average = to_pence("expected average holding", inputs.average)
    if target <= 0:
        raise KitError("the target raise must be more than £0")
    if minimum <= 0:
        raise KitError("the minimum holding must be more than £0")
    if minimum > maximum:
        raise KitError(
            f"the minimum holding ({money(inputs.minimum, pence=True)}) cannot be more than "
            f"the maximum holding ({money(inputs.maximum, pence=True)})"
        )
    if not minimum <= average <= maximum:
        raise KitError(
            f"the expected average holding ({money(inputs.average, pence=True)}) must be between "
            f"the minimum ({money(inputs.minimum, pence=True)}) "
            f"and the maximum ({money(inputs.maximum, pence=True)})"
        )
    weeks = inputs.weeks
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise KitError(f"the offer period must be a whole number of weeks from 1 to {MAX_WEEKS}")
    return target, minimum, maximum, average


def divide_up(total: int, part: int) -> int:
    """How many parts of ``part`` it takes to reach ``total`` (whole numbers, rounded up)."""
    return -(-total // part)


def legal_cap_notice(inputs: OfferInputs) -> Notice | None:
    """Warn when the maximum holding is above the legal limit on withdrawable shares."""
    if inputs.northern_ireland:
        cap, where = LEGAL_CAP_NORTHERN_IRELAND, "in Northern Ireland"
        other = f"{money(LEGAL_CAP, pence=True)} in England, Scotland and Wales"
    else:
        cap, where = LEGAL_CAP, "in England, Scotland and Wales"
        other = f"{money(LEGAL_CAP_NORTHERN_IRELAND, pence=True)} in Northern Ireland"
    if to_pence("maximum holding", inputs.maximum) <= cap * 100:
        return None
    return Notice(
        "Over the legal limit",
        f"The maximum holding of {money(inputs.maximum, pence=True)} is above the legal limit: "
        f"no one member may hold more than {money(cap, pence=True)} of withdrawable shares {where} "
        f"(as of 2025; {other}; member societies are exempt). "
        f"Set the maximum holding to {money(cap, pence=True)} or less.",
    )


def ten_percent_notice(inputs: OfferInputs) -> Notice | None:
    """Warn when one investor could hold more than 10% of a raise under £1m."""
    target = to_pence("target raise", inputs.target)
    maximum = to_pence("maximum holding", inputs.maximum)
    if target >= TEN_PERCENT_GUIDANCE_BELOW * 100 or maximum * 10 <= target:
        return None
    return Notice(
        "Above the 10% guidance",
        f"The maximum holding of {money(inputs.maximum, pence=True)} is more than 10% of the "
        f"{money(inputs.target, pence=True)} target ({money(inputs.target / 10, pence=True)}). "
        "For raises under £1m, "
        "the Community Shares Handbook's guidance is to cap each investor at about 10% "
        "of the target.",
    )


def standard_mark_notice(inputs: OfferInputs) -> Notice | None:
    """Note that small offers are not expected to carry the Community Shares Standard Mark."""
    if to_pence("target raise", inputs.target) >= STANDARD_MARK_FROM * 100:
        return None
    return Notice(
        "Under £50,000",
        "The Community Shares Standard Mark is not expected for offers under £50,000 "
        "(as of 2025), so do not plan on having it. Ask a coop development body or the "
        "Community Shares Unit how to make a small offer clear to investors.",
    )


def notices_for(inputs: OfferInputs) -> tuple[Notice, ...]:
    """Every notice that applies, most serious first."""
    found = (legal_cap_notice(inputs), ten_percent_notice(inputs), standard_mark_notice(inputs))
    return tuple(notice for notice in found if notice is not None)


# Each shape gives the share of the target raised by a point in the offer (0 to 1).
# They are illustrations of common patterns, not forecasts.
SHAPES: tuple[tuple[str, str, Callable[[float], float]], ...] = (
    ("Steady", "the same amount comes in every week", lambda t: t),
    (
        "Slow start, late surge",
        "little comes in at first and most in the last weeks",
        lambda t: t * t,
    ),
    (
        "Early rush",
        "most comes in during the first weeks, then a trickle",
        lambda t: 1 - (1 - t) ** 2,
    ),
)


def scenarios_for(target: float, weeks: int) -> tuple[Scenario, ...]:
    """Money raised by the end of each week under each shape, in whole pounds."""
    points = [w / weeks for w in range(weeks + 1)]
    return tuple(
        Scenario(name, description, tuple(round(target * shape(t)) for t in points))
        for name, description, shape in SHAPES
    )


def plan_offer(inputs: OfferInputs) -> OfferPlan:
    """Work out the investors an offer needs, its notices and its scenarios."""
    target, minimum, maximum, average = check_inputs(inputs)
    needed = divide_up(target, average)
    return OfferPlan(
        inputs=inputs,
        investors_needed=needed,
        investors_per_week=divide_up(needed, inputs.weeks),
        fewest_investors=divide_up(target, maximum),
        most_investors=divide_up(target, minimum),
        notices=notices_for(inputs),
        scenarios=scenarios_for(inputs.target, inputs.weeks),
    )


def plan_summary(plan: OfferPlan) -> str:
    """One sentence with the key figures, for the page and the tool."""
    inputs = plan.inputs
    return (
        f"To raise {money(inputs.target, pence=True)} at an average of "
        f"{money(inputs.average, pence=True)} a holding, "
        f"you need {plural(plan.investors_needed, 'investor')}: at least "
        f"{plural(plan.investors_per_week, 'new investor')} a week over "
        f"{plural(inputs.weeks, 'week')}."
    )


def range_summary(plan: OfferPlan) -> str:
    """The fewest and most investors the holding limits allow."""
    inputs = plan.inputs
    return (
        f"If everyone invested the maximum ({money(inputs.maximum, pence=True)}), "
        f"{plural(plan.fewest_investors, 'investor')} would be enough; if everyone invested "
        f"the minimum ({money(inputs.minimum, pence=True)}), you would need "
        f"{plural(plan.most_investors, 'investor')}."
    )


def scenario_finding(plan: OfferPlan) -> str:
    """What the scenario chart shows, in words: where each scenario stands halfway through."""
    inputs = plan.inputs
    weeks = inputs.weeks
    target = money(inputs.target, pence=True)
    opening = f"How {target} could build up over {plural(weeks, 'week')} in three scenarios."
    if weeks < 2:
        return f"{opening} In a one-week offer, all three reach the target by the end of week 1."
    half = weeks // 2
    parts = [
        f"{scenario.name.lower()}: {money(scenario.raised[half], pence=True)} "
        f"({round(100 * scenario.raised[half] / inputs.target)}% of the target)"
        for scenario in plan.scenarios
    ]
    return (
        f"{opening} By the end of week {half}: {'; '.join(parts)}. "
        f"All three reach the target by the end of week {weeks}."
    )
