"""The route planner widget shows what the pathway logic says, escaped, and reacts to ticks."""

from __future__ import annotations

import json

from ccin_learn.course.catalogue import default_course, page_data
from ccin_learn.course.pathway import Course, plan_route
from ccin_learn.widgets.pathway import PathwayPlanner, route_html

COURSE = default_course()


def test_starts_with_the_core_module_ticked():
    planner = PathwayPlanner(COURSE, link_base="../")
    assert planner.chosen() == ["coop-option"]
    assert 'href="../modules/coop-option/index.html"' in planner.result.value
    assert "Total: 5 hours" in planner.result.value


def test_ticking_finance_and_changing_pace_updates_the_route():
    planner = PathwayPlanner(COURSE)
    planner.boxes["coop-option"].value = False
    planner.boxes["finance"].value = True
    planner.pace.value = 2.5
    text = planner.result.value
    assert "needed before Financing cooperatives" in text
    assert "Total: 7.5 hours" in text
    assert "about 3 weeks at 2.5 hours a week" in text


def test_every_control_has_a_label():
    planner = PathwayPlanner(COURSE)
    assert all(box.description for box in planner.boxes.values())
    assert planner.pace.description == "Hours a week you can give"


def test_nothing_ticked_asks_for_a_choice():
    assert "Tick at least one module" in route_html(plan_route(COURSE, []), 1, "")


def test_link_base_is_escaped():
    html = route_html(plan_route(COURSE, ["finance"]), 1, '"><script>')
    assert "<script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_the_page_planner_starts_with_the_same_route_as_the_voila_app():
    in_page = Course.from_data(json.loads(json.dumps(page_data(), sort_keys=True)))
    planner = PathwayPlanner(in_page, link_base="../")
    assert planner.result.value == PathwayPlanner(COURSE, link_base="../").result.value
    assert planner.result.value == (
        '<ol>\n<li><a href="../modules/coop-option/index.html">The Coop Option</a> '
        "(core module, 5 hours): you chose it</li>\n</ol>\n"
        "<p><strong>Total: 5 hours</strong>, about 5 weeks at 1 hour a week.</p>\n"
    )
