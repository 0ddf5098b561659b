"""The legal form chooser's data and ranking, checked against hand-worked answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ccin_learn.course.facts import default_facts
from ccin_learn.datafile import DataFileError
from ccin_learn.errors import KitError
from ccin_learn.tools.legal_forms import (
    QUESTIONS,
    ROWS,
    Fit,
    comparison_rows,
    join_names,
    ordinal,
    rank_forms,
    summary_line,
    verdicts_for,
)
from ccin_learn.tools.legal_forms_schema import FORMS_FILE, default_forms, load_forms

DATA = default_forms()

# Every URL the chooser may cite: those in the course's checked facts, and those checked
# against the source for the chooser on 2026-12-04 (listed last). A source not in this
# list has not been checked: check it first.
FACT_URLS = {
    "https://vlex.co.uk/vid/813301397",
    "https://gov.uk/hmrc-internal-manuals/company-taxation-manual/ctm40507",
    "http://communityshares.org.uk/resources/handbook/bona-fide-co-operative-societies",
    "https://www.uk.coop/resources/community-shares-handbook/3-registration-process/31-statutory-rules",
    "https://handbook.fca.org.uk/handbook/rfccbs3/rfccbs3s3",
    "http://communityshares.org.uk/resources/handbook/maximum-shareholdings",
    "http://communityshares.org.uk/news-and-events/news/revised-and-expanded-community-shares-handbook-posted-online",
    "http://communityshares.org.uk/resources/handbook/basic-information",
    "http://legislation.data.gov.uk/uksi/2006/264/schedules/made",
    "https://www.gov.uk/government/publications/community-interest-companies-how-to-form-a-cic/community-interest-companies-guidance-chapters",
    "https://www.legislation.gov.uk/uksi/2014/2483/made/data.htm",
    "https://www.orrlitchfield.com/Limited_Companies/Private_Companies_Limited_by_Guarantee",
    "https://cooperantics.co.uk/2017/09/04/multistakeholder-co-operatives-manchester-30th-september/",
    "https://archive.crht.org.uk/index.php/resources/156-uk-government-accepts-clt-definition",
    "http://www.legislation.gov.uk/ukpga/2014/26/notes/division/1/131/1",
    "https://www.gov.uk/government/publications/capital-gains-tax-employee-ownership-trusts/capital-gains-tax-employee-ownership-trusts-relief-reduction",
    "https://www.gov.uk/hmrc-internal-manuals/employment-income-manual/eim03050",
    "https://www.uk.coop/resources/community-shares-handbook/2-society-legislation/24-asset-lock-provisions-cs",
    "http://www.legislation.gov.uk/ukpga/2006/46/part/13/chapter/1",
    "https://gov.uk/government/publications/model-articles-for-private-companies-limited-by-guarantee",
    "https://www.lexology.com/library/detail.aspx?g=6c1a113b-fa9c-47ce-8390-6311b5b39d6a",
    "https://www.howatavraamsolicitors.co.uk/duty-to-promote-the-success-of-the-company-a-reminder-for-directors/",
    "https://wrigleys.co.uk/news/community-led-housing/back-to-basics-in-community-led-housing-what-is-a-community-land-trust",
    "https://communitylandtrusts.org.uk/about-clts/a-to-z-of-community-land-projects-jargon-buster",
    "https://uppercolyvalleyclt.org/ufaqs/what-is-the-legal-status-of-the-clt/",
    "https://www.somerset.coop/p/somerset-rules-registrations.html",
    "https://gov.uk/hmrc-internal-manuals/capital-gains-manual/cg67850",
}

VILLAGE_SHOP = {
    "profits": "none",
    "asset-lock": "statutory",
    "control": "yes",
    "capital": "yes",
    "purpose": "community",
    "members": "community",
}
WORKER_BUYOUT = {
    "profits": "members-trade",
    "asset-lock": "no",
    "control": "yes",
    "capital": "unsure",
    "purpose": "members",
    "members": "workers",
}


def ranked(ranking):
    return [(r.form.id, r.points, r.rank) for r in ranking.ranked]


def set_aside(ranking):
    return {r.form.id: [v.question.id for v in r.conflicts] for r in ranking.set_aside}


# --- The data file -------------------------------------------------------------------


def test_the_file_has_five_legal_forms_and_three_models():
    kinds = [form.kind for form in DATA.forms]
    assert kinds.count("form") == 5 and kinds.count("model") == 3
    assert summary_line(DATA) == "The chooser compares 5 legal forms and 3 models on 6 questions."


def test_every_source_is_from_the_checked_facts():
    assert {source.url for source in DATA.sources} <= FACT_URLS
    assert DATA.cited() == DATA.sources, "every listed source is cited by some fact"


def test_every_figure_is_dated():
    for form in DATA.forms:
        for attr, _heading in ROWS:
            fact = getattr(form, attr)
            if fact and re.search(r"£|%", fact.text):
                dated = re.search(r"as of \d{4}|\d{1,2} \w+ \d{4}", fact.text, re.IGNORECASE)
                assert dated, (form.id, attr)


def test_every_figure_agrees_with_the_course_fact_registry():
    # The registry is where the course's figures are checked; the chooser must not drift.
    registry = default_facts()
    written = [f"{fact.value or ''} {fact.statement}" for fact in registry.facts]
    for form in DATA.forms:
        for attr, _heading in ROWS:
            for figure in re.findall(r"£[\d,]+|\d+(?:\.\d+)?%", getattr(form, attr).text):
                assert any(figure in text for text in written), (form.id, attr, figure)


def test_every_cell_of_the_table_holds_a_fact_and_none_talks_about_the_sources():
    rows = comparison_rows(DATA.forms)
    assert [heading for heading, _facts in rows][:2] == ["What it is", "Law and regulator"]
    assert len(rows) == 9
    for heading, facts in rows:
        assert len(facts) == len(DATA.forms)
        for form, fact in zip(DATA.forms, facts, strict=True):
            assert fact.sources, (form.id, heading)
            assert "source" not in fact.text.lower(), (form.id, heading)


@pytest.fixture
def forms_data() -> dict:
    """A fresh copy of the shipped data file, for a test to break."""
    return yaml.safe_load(FORMS_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def saved(tmp_path):
    """Write forms data to a file in tmp_path and return its path."""

    def save(data: dict) -> Path:
        path = tmp_path / "legal_forms.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return save


@pytest.mark.parametrize("attr", [attr for attr, _heading in ROWS])
def test_a_form_missing_any_row_is_refused_in_one_clear_line(forms_data, saved, attr):
    del forms_data["forms"][2][attr]
    with pytest.raises(DataFileError) as refused:
        load_forms(saved(forms_data))
    message = str(refused.value)
    assert message.endswith(
        f"forms[2]: company-limited-by-guarantee has no {attr}: "
        "every form needs a sourced fact for every row"
    )
    assert "\n" not in message


def test_a_row_left_empty_is_refused_like_a_missing_one(forms_data, saved):
    forms_data["forms"][5]["capital"] = None
    del forms_data["forms"][5]["setting_up"]
    with pytest.raises(DataFileError, match="community-land-trust has no capital, setting_up:"):
        load_forms(saved(forms_data))


def test_a_fact_citing_an_unlisted_source_is_refused(forms_data, saved):
    forms_data["forms"][0]["what_it_is"]["sources"] = ["made-up-source"]
    with pytest.raises(DataFileError, match="cites 'made-up-source'"):
        load_forms(saved(forms_data))


def test_an_uncertain_fact_must_be_dated(forms_data, saved):
    lock = forms_data["forms"][0]["asset_lock"]
    lock.update(uncertain=True, text="It is said the lock is not available.")
    with pytest.raises(DataFileError, match="as of"):
        load_forms(saved(forms_data))


def test_an_unknown_code_is_refused(forms_data, saved):
    forms_data["forms"][0]["profits"]["code"] = "whatever"
    with pytest.raises(DataFileError, match=r"forms\[0\]\.profits\.code"):
        load_forms(saved(forms_data))


# --- Ranking -------------------------------------------------------------------------


def test_village_shop_ranks_the_community_benefit_society_first():
    # Hand-worked: CBS fits all six answers well (6 x 2 = 12). CLT: profits, capital,
    # purpose and members fit well (8), asset lock and control could fit (2) = 10.
    # CIC: profits 1, lock 2, control 1 (by its articles), capital 0 (ordinary shares),
    # purpose 2, members 1 (its articles choose them) = 7. Multi-stakeholder: profits 1,
    # lock 1 (only as a CBS), control 1, capital 2, purpose 1, members 0 = 6.
    ranking = rank_forms(DATA, VILLAGE_SHOP)
    assert ranked(ranking) == [
        ("community-benefit-society", 12, 1),
        ("community-land-trust", 10, 2),
        ("community-interest-company", 7, 3),
        ("multi-stakeholder-cooperative", 6, 4),
    ]
    assert set_aside(ranking) == {
        "cooperative-society": ["asset-lock"],
        "company-limited-by-guarantee": ["asset-lock", "capital"],
        "company-limited-by-shares": ["asset-lock"],
        "employee-ownership-trust": ["asset-lock", "members"],
    }
    assert ranking.ties == ()


def test_the_clt_scores_on_its_real_attributes():
    clt = DATA.get("community-land-trust")
    verdicts = {v.question.id: v for v in verdicts_for(DATA, clt, VILLAGE_SHOP)}
    assert {q: v.fit for q, v in verdicts.items()} == {
        "profits": Fit.GOOD,
        "asset-lock": Fit.OK,
        "control": Fit.OK,
        "capital": Fit.GOOD,
        "purpose": Fit.GOOD,
        "members": Fit.GOOD,
    }
    assert "community benefit society" in verdicts["capital"].reason
    assert [s.id for s in verdicts["capital"].sources][:2] == ["clt-legal-forms", "upper-coly-clt"]


def test_a_tie_shares_the_rank_keeps_table_order_and_is_explained():
    ranking = rank_forms(DATA, {"asset-lock": "statutory"})
    assert [tie.names for tie in ranking.ties] == [
        ("Community benefit society (CBS)", "Community Interest Company (CIC)"),
        ("Community Land Trust (CLT)", "Multi-stakeholder cooperative"),
    ]
    assert ranking.ties[0].explanation.startswith(
        "Community benefit society (CBS) and Community Interest Company (CIC) share 1st "
        "place with 2 points each: your answers do not separate them."
    )


def test_worker_buyout_ranks_the_cooperative_society_first_and_sets_aside_locked_forms():
    ranking = rank_forms(DATA, WORKER_BUYOUT)
    assert ranked(ranking) == [
        ("cooperative-society", 8, 1),
        ("company-limited-by-guarantee", 4, 2),
        ("multi-stakeholder-cooperative", 3, 3),
        ("company-limited-by-shares", 2, 4),
    ]
    assert set_aside(ranking)["community-benefit-society"] == ["profits", "asset-lock", "purpose"]
    assert set_aside(ranking)["community-interest-company"] == ["asset-lock", "purpose"]
    assert set_aside(ranking)["community-land-trust"] == ["profits", "purpose"]


def test_investor_dividends_rule_out_forms_without_share_capital_and_cooperatives():
    ranking = rank_forms(DATA, {"profits": "investors"})
    assert ranked(ranking)[0] == ("company-limited-by-shares", 2, 1)
    reasons = {r.form.id: r.conflicts[0].reason for r in ranking.set_aside}
    assert reasons["company-limited-by-guarantee"].startswith("Has no share capital")
    assert "not a cooperative" in reasons["cooperative-society"]


def test_the_asset_lock_is_settled_for_cooperative_societies():
    coop = DATA.get("cooperative-society")
    (verdict,) = verdicts_for(DATA, coop, {"asset-lock": "statutory"})
    assert verdict.fit is Fit.NO
    assert not verdict.uncertain
    assert [s.id for s in verdict.sources] == ["ccuk-asset-lock"]


def test_an_uncertain_fact_counts_against_a_form_but_does_not_rule_it_out(forms_data, saved):
    forms_data["forms"][0]["asset_lock"].update(
        uncertain=True, text="As of 2026, one adviser says it has no asset lock."
    )
    data = load_forms(saved(forms_data))
    coop = data.get("cooperative-society")
    (verdict,) = verdicts_for(data, coop, {"asset-lock": "statutory"})
    assert (verdict.fit, verdict.uncertain) == (Fit.POOR, True)
    guarantee = data.get("company-limited-by-guarantee")
    assert verdicts_for(data, guarantee, {"asset-lock": "statutory"})[0].fit is Fit.NO


def test_every_verdict_on_every_answer_rests_on_a_sourced_fact():
    assert [fit.name for fit in Fit] == ["GOOD", "OK", "POOR", "NO"]
    for question in QUESTIONS:
        for option in question.options:
            for form in DATA.forms:
                for verdict in verdicts_for(DATA, form, {question.id: option.id}):
                    facts = [getattr(form, attr).text for attr, _heading in ROWS]
                    assert verdict.reason in facts, (form.id, question.id, option.id)
                    assert verdict.sources, (form.id, question.id, option.id)


def test_not_sure_everywhere_ranks_nothing_and_reports_no_tie():
    ranking = rank_forms(DATA, {question.id: "unsure" for question in QUESTIONS})
    assert ranking.answered == 0
    assert {r.rank for r in ranking.ranked} == {1}
    assert ranking.ties == ()


def test_the_trust_answer_puts_the_employee_ownership_trust_first():
    ranking = rank_forms(DATA, {"members": "trust"})
    assert ranked(ranking)[:3] == [
        ("employee-ownership-trust", 2, 1),
        ("company-limited-by-shares", 1, 2),
        ("community-interest-company", 1, 2),
    ]
    # An EOT must hold more than half of a company's shares, and this one has none.
    assert set_aside(ranking) == {"company-limited-by-guarantee": ["members"]}


def test_unknown_questions_and_answers_are_refused():
    with pytest.raises(KitError, match="unknown question 'colour'"):
        rank_forms(DATA, {"colour": "red"})
    with pytest.raises(KitError, match="unknown answer 'maybe' to question 'profits'"):
        rank_forms(DATA, {"profits": "maybe"})


def test_wording_helpers():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B", "C"]) == "A, B and C"
