"""Scoring against hand-computed cases: not applicable, unanswered, rounding and ties."""

from __future__ import annotations

import pytest

from ccin_learn.selfassessment.scoring import percent, score, scores_frame


def test_theme_and_overall_scores_leave_out_unanswered_and_not_applicable(
    make_assessment, checklist
):
    # cwb: c1=2, c2=3, c3 not applicable -> (2+3)/(4*2) = 62.5% -> 63%
    # placemaking: p1=1, p2 unanswered -> 1/4 = 25%
    # overall: (2+3+1)/(4*3) = 50%
    card = score(make_assessment({"c1": 2, "c2": 3, "c3": "na", "p1": 1}), checklist)
    assert card.theme("cwb").percent == 63
    assert card.theme("placemaking").percent == 25
    assert card.overall == 50
    assert card.answered == 4  # a not-applicable action counts as answered
    assert card.completeness == "4 of 5 answered (incomplete)"
    assert not card.complete


def test_headline_waits_for_half_the_actions(make_assessment, checklist):
    # 2 of 5 answered is under half: the overall score (75%) is not headlined
    early = score(make_assessment({"c1": 2, "p1": 4}), checklist)
    assert early.overall == 75 and not early.headline_ready
    assert early.headline == "2 of 5 answered: too early for an overall score (answer at least 3)"
    # 3 of 5 (a not-applicable action counts as answered) is enough
    ready = score(make_assessment({"c1": 2, "p1": 4, "c3": "na"}), checklist)
    assert ready.headline_ready
    assert ready.headline == "Overall: 75% (3 of 5 answered (incomplete))"


def test_headline_needs_a_score_not_only_answers(make_assessment, checklist):
    card = score(make_assessment({"c1": "na", "c2": "na", "c3": "na"}), checklist)
    assert card.answered == 3 and card.overall is None and not card.headline_ready
    assert "too early for an overall score" in card.headline


def test_halves_round_up_not_to_even():
    assert percent([1, 0]) == 13  # 12.5 -> 13 (round() would give 12)
    assert percent([2, 1, 0, 0]) == 19  # 18.75 -> 19
    assert percent([]) is None


def test_nothing_answered_has_no_score(make_assessment, checklist):
    card = score(make_assessment({}), checklist)
    assert card.overall is None
    assert all(t.percent is None for t in card.themes)
    assert card.completeness == "0 of 5 answered (incomplete)"
    assert card.priorities == ()


def test_complete_assessment_says_so(make_assessment, checklist):
    card = score(make_assessment({"c1": 4, "c2": 4, "c3": 4, "p1": 4, "p2": 4}), checklist)
    assert card.overall == 100
    assert card.complete
    assert card.completeness == "5 of 5 answered"
    assert card.priorities == (), "an Embedded action has no next step"


def test_principles_get_the_mean_of_their_answered_actions(make_assessment, checklist):
    card = score(make_assessment({"c1": 1, "c2": 4, "c3": "na", "p1": 2}), checklist)
    assert card.principles[1] == pytest.approx((1 + 4 + 2) / 3)  # c1, c2, p1
    assert card.principles[3] == 4  # only c2
    assert card.principles[4] is None  # c3 is not applicable
    assert card.principles[5] is None  # p2 unanswered
    assert card.principles[10] is None


def test_priorities_are_lowest_levels_then_more_principles_then_checklist_order(
    make_assessment, checklist
):
    # c1 (2 principles) and p1 (2 principles) and c2 (3 principles) all at level 1;
    # p2 at 0 comes first; then c2 (more principles); then c1 before p1 (checklist order).
    card = score(make_assessment({"c1": 1, "c2": 1, "p1": 1, "p2": 0, "c3": 3}), checklist)
    assert [p.action.id for p in card.priorities] == ["p2", "c2", "c1"]
    first = card.priorities[0]
    assert (first.level, first.next_level) == (0, 1)
    assert first.next_step == "p2: level 1 for this action, in words"


def test_priorities_skip_not_applicable_and_unanswered_and_carry_links(make_assessment, checklist):
    card = score(make_assessment({"c1": 3, "c3": "na"}), checklist)
    assert [p.action.id for p in card.priorities] == ["c1"]
    assert card.priorities[0].action.course_pages == ("modules/community-wealth-building/index",)
    assert [r.id for r in card.priorities[0].resources] == ["lab"]


def test_many_assessments_as_a_dataframe(make_assessment, checklist):
    frame = scores_frame(
        [
            make_assessment({"c1": 2, "c2": 3, "c3": "na", "p1": 1}, name="A Council"),
            make_assessment({}, name="B Council"),
        ],
        checklist,
    )
    assert list(frame["council"]) == ["A Council", "B Council"]
    assert frame.loc[0, "overall"] == 50
    assert frame["overall"].isna().tolist() == [False, True]
    assert frame.loc[0, "cwb"] == 63
    assert list(frame["complete"]) == [False, False]
    assert frame.loc[0, "principle_3"] == 3
