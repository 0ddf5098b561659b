"""The model finder widget shows what the matching logic says, escaped, and reacts to answers."""

from __future__ import annotations

import json

from ccin_learn.tools.coop_models import default_guide, page_data
from ccin_learn.tools.model_finder import ModelGuide, fitting_kinds
from ccin_learn.widgets.model_finder import ModelFinder, finding_html, rules_markdown

GUIDE = default_guide()


def test_starts_with_the_first_answers_and_shows_a_consumer_coop():
    finder = ModelFinder(GUIDE, link_base="../../")
    assert finder.answers() == {"members": "users", "benefit": "members", "control": "one-vote"}
    text = finder.result.value
    assert "1 kind fits your answers:" in text
    assert "<strong>Consumer coop</strong> (3 of your answers point to it)" in text
    assert 'href="../../modules/coop-option/member-coops.html"' in text
    assert "Read more: Kinds of coop: consumer, worker and producer" in text


def test_changing_answers_reranks_and_labels_reasons_in_words():
    finder = ModelFinder(GUIDE)
    finder.choices["members"].value = "workers"
    finder.choices["control"].value = "trust"
    text = finder.result.value
    assert "2 kinds fit your answers, best first:" in text
    assert text.index("Employee ownership (not a coop)") < text.index("Worker coop")
    assert "<strong>Be careful:</strong> A trust that holds the business for the staff" in text
    assert 'href="modules/coop-option/employee-ownership.html"' in text


def test_contradictory_answers_point_to_the_first_kinds_page():
    finder = ModelFinder(GUIDE, link_base="../../")
    finder.choices["members"].value = "community"
    finder.choices["control"].value = "not-sure"
    text = finder.result.value
    assert "No kind fits these answers well" in text
    assert 'href="../../modules/coop-option/member-coops.html"' in text


def test_every_control_has_a_label():
    finder = ModelFinder(GUIDE)
    assert [c.description for c in finder.choices.values()] == [
        "Who would the members be?",
        "Who should benefit most?",
        "How should control work?",
    ]


def test_link_base_is_escaped():
    answers = {"members": "users", "benefit": "members", "control": "one-vote"}
    matches = fitting_kinds(GUIDE, answers)
    html = finding_html(matches, '"><script>', GUIDE)
    assert "<script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_rule_table_lists_every_kind_with_points_for_and_against():
    table = rules_markdown(GUIDE).splitlines()
    assert len(table) == 2 + len(GUIDE.kinds)
    multi = next(line for line in table if line.startswith("| Multi-stakeholder coop |"))
    assert 'Control: "Each group of members elects its own seats on the board" (+2 points)' in multi
    assert 'Control: "A trust holds the business on behalf of all the staff" (-1 point)' in multi


def test_the_page_finder_starts_with_the_same_finding_as_the_voila_app():
    in_page = ModelGuide.from_data(json.loads(json.dumps(page_data(), sort_keys=True)))
    finder = ModelFinder(in_page, link_base="../../")
    assert finder.result.value == ModelFinder(GUIDE, link_base="../../").result.value
    assert finder.result.value == (
        "<p><strong>1 kind fits your answers:</strong></p>\n<ol>\n"
        "<li><p><strong>Consumer coop</strong> (3 of your answers point to it). "
        "Owned and controlled by the people who buy from it or use its services.</p>\n"
        "<p>What it suits: A shop, a service or a utility that local people use regularly "
        "and want to own.</p>\n<ul>\n"
        "<li><strong>Fits:</strong> Its members are its customers or service users.</li>\n"
        "<li><strong>Fits:</strong> Members benefit through what they buy or use, and any "
        "surplus can be shared in proportion to how much each member trades with it.</li>\n"
        "<li><strong>Fits:</strong> Each member has one vote, however much they spend.</li>\n"
        '</ul>\n<p><a href="../../modules/coop-option/member-coops.html">'
        "Read more: Kinds of coop: consumer, worker and producer</a></p></li>\n</ol>\n"
    )
