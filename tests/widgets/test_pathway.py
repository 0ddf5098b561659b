"""The route planner widget shows what the pathway logic says, escaped, and reacts to ticks."""

from __future__ import annotations

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.course.pathway import plan_route
from ccin_learn.widgets.pathway import PathwayPlanner, route_html


def test_starts_with_the_core_module_ticked():
    planner = PathwayPlanner(link_base="../")
    assert planner.chosen() == ["coop-option"]
    assert 'href="../modules/coop-option/index.html"' in planner.result.value
    assert "Total: 5 hours" in planner.result.value


def test_ticking_finance_and_changing_pace_updates_the_route():
    planner = PathwayPlanner()
    planner.boxes["coop-option"].value = False
    planner.boxes["finance"].value = True
    planner.pace.value = 2.5
    text = planner.result.value
    assert "needed before Financing cooperatives" in text
    assert "Total: 7.5 hours" in text
    assert "about 3 weeks at 2.5 hours a week" in text


def test_every_control_has_a_label():
    planner = PathwayPlanner()
    assert all(box.description for box in planner.boxes.values())
    assert planner.pace.description == "Hours a week you can give"


def test_nothing_ticked_asks_for_a_choice():
    assert "Tick at least one module" in route_html(plan_route(default_catalogue(), []), 1, "")


def test_link_base_is_escaped():
    html = route_html(plan_route(default_catalogue(), ["finance"]), 1, '"><script>')
    assert "<script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html
