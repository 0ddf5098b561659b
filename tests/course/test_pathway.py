"""Route planning: prerequisites added, course order kept, weeks rounded up."""

from __future__ import annotations

import json

import pytest

from ccin_learn.course.catalogue import default_catalogue, default_course, page_data
from ccin_learn.course.pathway import Course, format_hours, plan_route, whole_course_summary
from ccin_learn.errors import KitError

COURSE = default_course()


def ids(route):
    return [step.module.id for step in route.steps]


def test_finance_alone_brings_in_the_core_module_first():
    route = plan_route(COURSE, ["finance"])
    assert ids(route) == ["coop-option", "finance"]
    assert route.steps[0].reason == "needed before Financing cooperatives"
    assert route.steps[1].reason == "you chose it"
    assert route.total_hours == 7.5


def test_choices_come_back_in_course_order_without_duplicates():
    route = plan_route(COURSE, ["cooperative-placemaking", "legal-structures", "finance"])
    assert ids(route) == ["coop-option", "finance", "legal-structures", "cooperative-placemaking"]
    assert route.total_hours == 13


def test_a_theme_needs_nothing_else():
    assert ids(plan_route(COURSE, ["community-wealth-building"])) == ["community-wealth-building"]


def test_weeks_round_up():
    route = plan_route(COURSE, ["finance"])
    assert route.weeks(2) == 4  # 7.5 hours at 2 a week
    assert route.weeks(8) == 1
    assert plan_route(COURSE, []).weeks(1) == 0


def test_bad_pace_and_unknown_modules_are_refused():
    with pytest.raises(KitError, match="more than 0"):
        plan_route(COURSE, ["finance"]).weeks(0)
    with pytest.raises(KitError, match="unknown module id"):
        plan_route(COURSE, ["astrology"])


def test_hours_read_naturally():
    assert format_hours(1) == "1 hour"
    assert format_hours(2.5) == "2.5 hours"
    assert whole_course_summary(COURSE) == ("The whole course is 5 modules and 16 hours of study.")


def test_the_page_plans_on_the_same_course_as_the_voila_app():
    # The page gets page_data() through JSON packed in its wheel.
    in_page = Course.from_data(json.loads(json.dumps(page_data(), sort_keys=True)))
    assert in_page == default_course()
    fields = ("id", "title", "kind", "page", "hours", "prerequisites")
    assert [tuple(getattr(m, f) for f in fields) for m in in_page.modules] == [
        tuple(getattr(m, f) for f in fields) for m in default_catalogue().modules
    ]


def test_an_unknown_module_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match="no module 'astrology' \\(known: coop-option, finance"):
        COURSE.get("astrology")
