"""Route planning: prerequisites added, course order kept, weeks rounded up."""

from __future__ import annotations

import pytest

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.course.pathway import format_hours, plan_route, whole_course_summary
from ccin_learn.errors import KitError

CATALOGUE = default_catalogue()


def ids(route):
    return [step.module.id for step in route.steps]


def test_finance_alone_brings_in_the_core_module_first():
    route = plan_route(CATALOGUE, ["finance"])
    assert ids(route) == ["coop-option", "finance"]
    assert route.steps[0].reason == "needed before Financing cooperatives"
    assert route.steps[1].reason == "you chose it"
    assert route.total_hours == 7.5


def test_choices_come_back_in_course_order_without_duplicates():
    route = plan_route(CATALOGUE, ["cooperative-placemaking", "legal-structures", "finance"])
    assert ids(route) == ["coop-option", "finance", "legal-structures", "cooperative-placemaking"]
    assert route.total_hours == 13


def test_a_theme_needs_nothing_else():
    assert ids(plan_route(CATALOGUE, ["community-wealth-building"])) == [
        "community-wealth-building"
    ]


def test_weeks_round_up():
    route = plan_route(CATALOGUE, ["finance"])
    assert route.weeks(2) == 4  # 7.5 hours at 2 a week
    assert route.weeks(8) == 1
    assert plan_route(CATALOGUE, []).weeks(1) == 0


def test_bad_pace_and_unknown_modules_are_refused():
    with pytest.raises(KitError, match="more than 0"):
        plan_route(CATALOGUE, ["finance"]).weeks(0)
    with pytest.raises(KitError, match="unknown module id"):
        plan_route(CATALOGUE, ["astrology"])


def test_hours_read_naturally():
    assert format_hours(1) == "1 hour"
    assert format_hours(2.5) == "2.5 hours"
    assert whole_course_summary(CATALOGUE) == (
        "The whole course is 5 modules and 16 hours of study."
    )
