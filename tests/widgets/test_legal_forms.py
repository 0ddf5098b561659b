"""The legal form chooser widget shows what the ranking says, escaped, and reacts to answers."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from ccin_learn.site.lite import page_data
from ccin_learn.tools.legal_forms import QUESTIONS, LegalForms, from_data, rank_forms
from ccin_learn.tools.legal_forms_schema import default_forms
from ccin_learn.widgets.legal_forms import (
    LegalFormChooser,
    comparison_table_html,
    ranking_html,
    result_html,
)
from tests.tools.test_legal_forms import VILLAGE_SHOP

# The chooser's result before any answer (link_base "../../"), as it was when the page
# tool was added. If legal_forms.yaml or the template changes on purpose, write it again
# from LegalFormChooser(default_forms(), link_base="../../").result.value.
UNANSWERED = Path(__file__).with_name("legal_form_chooser_unanswered.html")


def table_part(html: str) -> str:
    return html[html.index("<table") :]


def column_headings(html: str) -> list[str]:
    return re.findall(r'<th scope="col"><a [^>]*>([^<]*)</a></th>', html)


def test_starts_unanswered_and_compares_every_form_in_two_tables():
    chooser = LegalFormChooser(default_forms(), link_base="../../")
    assert set(chooser.answers().values()) == {"unsure"}
    html = chooser.result.value
    assert "Answer at least one question" in html
    assert html.count("<table") == 2
    assert len(column_headings(html)) == 8
    assert "<caption>How the legal forms compare</caption>" in html
    assert '<th scope="col">Feature</th>' in html
    assert "not legal advice" in html


def test_every_control_has_a_label():
    chooser = LegalFormChooser(default_forms())
    assert [c.description for c in chooser.questions.values()] == [q.prompt for q in QUESTIONS]
    assert all(c.description for c in chooser.questions.values())


def test_answering_ranks_the_forms_and_the_table_shows_only_those_that_fit():
    chooser = LegalFormChooser(default_forms(), link_base="../../")
    for question_id, option_id in VILLAGE_SHOP.items():
        chooser.questions[question_id].value = option_id
    html = chooser.result.value
    first = re.search(r'<li value="1"><strong><a href="([^"]*)">([^<]*)</a>', html)
    assert first.groups() == (
        "../../modules/legal-structures/registered-societies.html",
        "Community benefit society (CBS)",
    )
    assert "12 points" in html
    assert html.count('<li value="3">') == 1
    assert "place with" not in html  # no tie to explain
    assert "Set aside: these do not fit your answers" in html
    assert column_headings(table_part(html)) == [
        "Community benefit society (CBS)",
        "Community Land Trust (CLT)",
        "Community Interest Company (CIC)",
        "Multi-stakeholder cooperative",
    ]


def test_reasons_link_their_sources_by_title():
    html = ranking_html(rank_forms(default_forms(), {"asset-lock": "statutory"}))
    assert (
        '<a href="http://legislation.data.gov.uk/uksi/2006/264/schedules/made">'
        "SI 2006/264: the community benefit society asset lock</a>"
    ) in html
    assert "<strong>Does not fit</strong> on the asset lock: No asset lock set by law" in html
    assert "(uncertain)" not in html


def test_an_uncertain_fact_is_flagged():
    data = default_forms()
    coop = data.get("cooperative-society")
    lock = replace(
        coop.asset_lock, uncertain=True, text="As of 2026, one adviser says it has none."
    )
    doubtful = LegalForms(
        schema_version=1,
        sources=data.sources,
        forms=(replace(coop, asset_lock=lock), data.get("community-benefit-society")),
    )
    html = ranking_html(rank_forms(doubtful, {"asset-lock": "statutory"}))
    assert "<strong>Poor fit</strong> on the asset lock: As of 2026, one adviser" in html
    assert "(uncertain)" in html


def test_every_cell_of_the_table_shows_a_fact_with_its_sources():
    data = default_forms()
    html = comparison_table_html(data, data.forms, "All forms")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.DOTALL)
    assert len(cells) == 9 * len(data.forms)
    assert all("source" in cell and "<a href=" in cell for cell in cells)
    assert "do not cover" not in html


def test_no_fitting_form_says_so_and_shows_no_table():
    data = default_forms()
    only_cbs = LegalForms(
        schema_version=1,
        sources=data.sources,
        forms=(data.get("community-benefit-society"), data.get("cooperative-society")),
    )
    ranking = rank_forms(only_cbs, {"profits": "investors"})
    html = result_html(ranking, only_cbs)
    assert "No form fits all your answers." in html
    assert "<table" not in html


def test_names_and_link_base_are_escaped():
    data = default_forms()
    risky = replace(data.get("cooperative-society"), name="<script>x</script>")
    html = comparison_table_html(data, [risky], 'Caption "quoted"', link_base='"><b>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="&#34;&gt;&lt;b&gt;modules/' in html  # Jinja2 (markupsafe) escapes " as &#34;
    assert 'aria-label="Caption &#34;quoted&#34;"' in html


def test_the_page_builds_the_same_forms_and_shows_the_same_result_as_the_voila_app():
    # What the page reads (the JSON the lite build writes into the wheel) makes the same
    # forms as the validated data file the Voila app and the book load.
    page_json = json.loads(page_data()["ccin_learn/data/legal_forms.json"])
    page_forms = from_data(page_json)
    assert page_forms == default_forms()
    page_tool = LegalFormChooser(page_forms, link_base="../../")
    assert page_tool.result.value == UNANSWERED.read_text(encoding="utf-8")
    voila_tool = LegalFormChooser(default_forms(), link_base="../../")
    for question_id, option_id in VILLAGE_SHOP.items():
        page_tool.questions[question_id].value = option_id
        voila_tool.questions[question_id].value = option_id
    assert page_tool.result.value == voila_tool.result.value
