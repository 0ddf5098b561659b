"""The shipped checklist: CCIN's 15 actions word for word, fully described, and checked on load."""

from __future__ import annotations

import pytest
import yaml

from ccin_learn.datafile import DataFileError
from ccin_learn.selfassessment.checklist import CHECKLIST_FILE, default_checklist, load_checklist

MEMBERS_PACK_TITLES = {
    "cwb": [
        "Develop an Inclusive Economy Charter",
        "Promote a progressive procurement policy",
        "Support the creation of a regional mutual/community bank by investing",
        "Work with local anchor institutions to buy and recruit local",
        "Regulate rent and rates for 'local' businesses in council-owned property",
        "Offer business rate rebates for those businesses that become Living Wage Accredited",
        "Champion Local Employment schemes",
        "Have insourcing Council Services as an objective",
    ],
    "placemaking": [
        "Develop a cooperative development strategy",
        "Establish a cooperative development network",
        "Commit to community engagement in local decision making including participatory budgeting",
        "Invest in local community production, particularly those focusing on community energy "
        "to tackle the climate emergency",
        "Promote the circular economy",
        "Support local enterprises to convert into coops/worker coops",
        "Have an Asset Transfer policy to manage land and assets which support Community Land "
        "Trusts",
    ],
}


def test_titles_are_the_members_pack_actions_in_order():
    checklist = default_checklist()
    for theme, titles in MEMBERS_PACK_TITLES.items():
        assert [a.title for a in checklist.actions_in(theme)] == titles


def test_every_action_is_fully_described_and_linked():
    checklist = default_checklist()
    for action in checklist.actions:
        assert sorted(action.levels) == [0, 1, 2, 3, 4]
        assert len(set(action.levels.values())) == 5, f"{action.id}: descriptors repeat"
        assert action.principles and action.evidence_prompts
        assert action.course_pages, f"{action.id} has no course page"
        assert action.resources, f"{action.id} has no CCIN resource"


def test_course_pages_exist_in_the_book(kit):
    toc = (kit.root / "_toc.yml").read_text(encoding="utf-8")
    for action in default_checklist().actions:
        for page in action.course_pages:
            assert (kit.root / f"{page}.md").is_file() or (kit.root / f"{page}.ipynb").is_file()
            assert f"file: {page}" in toc


def test_council_types_are_ccins_membership_types_with_the_rate_relief_rule():
    checklist = default_checklist()
    assert [t.id for t in checklist.council_types] == [
        "unitary",
        "county",
        "district",
        "metropolitan-borough",
        "london-borough",
        "combined-authority",
        "town-parish",
    ]
    for type_id in ("county", "combined-authority", "town-parish"):
        defaults = checklist.council_type(type_id).not_applicable
        assert [d.action for d in defaults] == ["cwb-living-wage-rate-rebates"]
        assert "billing authorities" in defaults[0].reason
    assert checklist.council_type("district").not_applicable == ()


def edited(tmp_path, change):
    data = yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "checklist.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["actions"][0]["levels"].pop(3), r"actions\[0\]\.levels"),
        (lambda d: d["actions"][1].update(theme="sport"), "unknown theme 'sport'"),
        (lambda d: d["actions"][2].update(principles=[11]), r"actions\[2\]\.principles"),
        (lambda d: d["actions"][3].update(resources=["nowhere"]), "unknown resource 'nowhere'"),
        (lambda d: d["actions"][4].update(id=d["actions"][0]["id"]), "appears twice"),
        (
            lambda d: d["council_types"][1]["not_applicable"][0].update(action="nope"),
            "unknown action 'nope'",
        ),
        (lambda d: d["actions"][5].update(course_pages=["book/index.md"]), "course page"),
        (lambda d: d["levels"].reverse(), "levels must be 0"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(tmp_path, change, message):
    with pytest.raises(DataFileError, match=message):
        load_checklist(edited(tmp_path, change))
