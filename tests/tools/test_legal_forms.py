"""The legal form chooser's data and ranking, checked against hand-worked answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ccin_learn.datafile import DataFileError
from ccin_learn.errors import KitError
from ccin_learn.tools.legal_forms import (
    FORMS_FILE,
    NOT_COVERED,
    QUESTIONS,
    ROWS,
    Fit,
    comparison_rows,
    default_forms,
    join_names,
    load_forms,
    ordinal,
    rank_forms,
    summary_line,
    verdicts_for,
)

DATA = default_forms()

# Every URL in the course's checked facts that the chooser may cite. A source not in this
# list has not been checked: add it to the facts first.
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
    "https://www.shambelliehouse.org/the-trust/membership/community-shares/",
    "https://www.gov.uk/government/publications/community-interest-companies-how-to-form-a-cic/community-interest-companies-guidance-chapters",
    "https://www.legislation.gov.uk/uksi/2014/2483/made/data.htm",
    "https://www.orrlitchfield.com/Limited_Companies/Private_Companies_Limited_by_Guarantee",
    "https://cooperantics.co.uk/2017/09/04/multistakeholder-co-operatives-manchester-30th-september/",
    "https://archive.crht.org.uk/index.php/resources/156-uk-government-accepts-clt-definition",
    "http://www.legislation.gov.uk/ukpga/2014/26/notes/division/1/131/1",
    "https://www.gov.uk/government/publications/capital-gains-tax-employee-ownership-trusts/capital-gains-tax-employee-ownership-trusts-relief-reduction",
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


def test_the_table_has_a_row_per_feature_and_gaps_where_the_sources_are_silent():
    rows = comparison_rows(DATA.forms)
    assert [heading for heading, _facts in rows][:2] == ["What it is", "Law and regulator"]
    assert len(rows) == 9
    members = dict(rows)["Who the members are"]
    guarantee = [f.id for f in DATA.forms].index("company-limited-by-guarantee")
    assert members[guarantee] is None


def write(tmp_path, data) -> Path:
    path = tmp_path / "legal_forms.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def raw() -> dict:
    return yaml.safe_load(FORMS_FILE.read_text(encoding="utf-8"))


def test_a_fact_citing_an_unlisted_source_is_refused(tmp_path):
    data = raw()
    data["forms"][0]["what_it_is"]["sources"] = ["made-up-source"]
    with pytest.raises(DataFileError, match="cites 'made-up-source'"):
        load_forms(write(tmp_path, data))


def test_an_uncertain_fact_must_be_dated(tmp_path):
    data = raw()
    data["forms"][0]["asset_lock"]["text"] = "It is said the lock is not available."
    with pytest.raises(DataFileError, match="as of"):
        load_forms(write(tmp_path, data))


def test_an_unknown_code_is_refused(tmp_path):
    data = raw()
    data["forms"][0]["profits"]["code"] = "whatever"
    with pytest.raises(DataFileError, match=r"forms\[0\]\.profits\.code"):
        load_forms(write(tmp_path, data))


# --- Ranking -------------------------------------------------------------------------


def test_village_shop_ranks_the_community_benefit_society_first():
    # Hand-worked: CBS fits all six answers well (6 x 2 = 12). CLT: profits, purpose and
    # members fit well (6), asset lock and control could fit (2), capital not covered (0) = 8.
    # Cooperative society: profits 1, lock 0 (uncertain), control 2, capital 2, purpose 0,
    # members 0 = 5. CIC: profits 1, lock 2, control 0 (not covered), capital 0, purpose 2,
    # members 0 (not covered) = 5. Multi-stakeholder: control 1, the rest 0 = 1.
    ranking = rank_forms(DATA, VILLAGE_SHOP)
    assert ranked(ranking) == [
        ("community-benefit-society", 12, 1),
        ("community-land-trust", 8, 2),
        ("cooperative-society", 5, 3),
        ("community-interest-company", 5, 3),
        ("multi-stakeholder-cooperative", 1, 5),
    ]
    assert set_aside(ranking) == {
        "company-limited-by-guarantee": ["asset-lock", "capital"],
        "company-limited-by-shares": ["asset-lock"],
        "employee-ownership-trust": ["members"],
    }


def test_a_tie_shares_the_rank_keeps_table_order_and_is_explained():
    ranking = rank_forms(DATA, VILLAGE_SHOP)
    assert len(ranking.ties) == 1
    tie = ranking.ties[0]
    assert tie.names == ("Cooperative society", "Community Interest Company (CIC)")
    assert tie.explanation.startswith(
        "Cooperative society and Community Interest Company (CIC) share 3rd place with "
        "5 points each: your answers do not separate them."
    )


def test_worker_buyout_ranks_the_cooperative_society_first_and_sets_aside_locked_forms():
    ranking = rank_forms(DATA, WORKER_BUYOUT)
    assert ranked(ranking)[0] == ("cooperative-society", 8, 1)
    assert set_aside(ranking)["community-benefit-society"] == ["profits", "asset-lock", "purpose"]
    assert set_aside(ranking)["community-interest-company"] == ["asset-lock", "purpose"]
    # The two companies score 0 on sources that are silent, and share 3rd place.
    assert ("company-limited-by-guarantee", 0, 3) in ranked(ranking)
    assert ("company-limited-by-shares", 0, 3) in ranked(ranking)


def test_investor_dividends_rule_out_forms_without_share_capital_and_cooperatives():
    ranking = rank_forms(DATA, {"profits": "investors"})
    assert ranked(ranking)[0] == ("company-limited-by-shares", 2, 1)
    reasons = {r.form.id: r.conflicts[0].reason for r in ranking.set_aside}
    assert reasons["company-limited-by-guarantee"].startswith("Has no share capital")
    assert "not a cooperative" in reasons["cooperative-society"]


def test_an_uncertain_fact_counts_against_a_form_but_does_not_rule_it_out():
    coop = DATA.get("cooperative-society")
    (verdict,) = verdicts_for(DATA, coop, {"asset-lock": "statutory"})
    assert verdict.fit is Fit.POOR
    assert verdict.uncertain
    guarantee = DATA.get("company-limited-by-guarantee")
    assert verdicts_for(DATA, guarantee, {"asset-lock": "statutory"})[0].fit is Fit.NO


def test_where_the_sources_are_silent_the_verdict_says_so_and_scores_nothing():
    guarantee = DATA.get("company-limited-by-guarantee")
    (verdict,) = verdicts_for(DATA, guarantee, {"control": "yes"})
    assert verdict.fit is Fit.UNKNOWN
    assert verdict.reason == NOT_COVERED
    assert verdict.sources == ()


def test_every_reason_carries_its_sources():
    ranking = rank_forms(DATA, VILLAGE_SHOP)
    for result in (*ranking.ranked, *ranking.set_aside):
        for verdict in result.verdicts:
            assert verdict.sources or verdict.reason == NOT_COVERED


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
