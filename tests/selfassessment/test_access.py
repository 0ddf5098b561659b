"""Who may see and change which council: roles read from the hub's groups, and the store
refusing, in one line, whatever the signed-in officer's role does not allow."""

from __future__ import annotations

import pytest

from ccin_learn.selfassessment.access import (
    NETWORK_ADMINS,
    AccessError,
    Officer,
    Role,
    group_name,
    roles_from_groups,
    short_name,
)
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store

MINE, THEIRS = "Anyshire County", "Borsetshire Council"


def test_group_names_use_the_councils_short_name() -> None:
    assert short_name("  St. Albans City & District ") == "st-albans-city-district"
    assert group_name("Anyshire County", Role.EDITOR) == "council-anyshire-county-editor"
    with pytest.raises(AccessError, match="no letters or digits"):
        group_name("***", Role.LEAD)


def test_the_highest_role_a_person_holds_counts_and_other_groups_are_ignored() -> None:
    groups = [
        "council-anyshire-county-viewer",
        "council-anyshire-county-lead",
        "council-borsetshire-council-editor",
        "nbgrader-coop-2027",
        "council--lead",
        "council-x-owner",
    ]
    assert roles_from_groups(groups) == {
        "anyshire-county": Role.LEAD,
        "borsetshire-council": Role.EDITOR,
    }


def test_a_role_includes_the_rights_below_it() -> None:
    officer = Officer.from_groups("sam", ["council-anyshire-county-editor"])
    assert officer.may(MINE, Role.VIEWER) and officer.may(MINE, Role.EDITOR)
    assert not officer.may(MINE, Role.LEAD)
    assert not officer.may(THEIRS, Role.VIEWER)
    assert officer.may("anyshire  COUNTY", Role.EDITOR), "the name's case and spacing"
    with pytest.raises(AccessError, match="you are an editor of Anyshire County") as refused:
        officer.require(MINE, Role.LEAD)
    assert "ask its lead to make you a lead" in str(refused.value)


def test_a_refusal_says_the_same_whether_or_not_the_council_exists() -> None:
    officer = Officer.from_groups("sam", [])
    words = set()
    for council in (THEIRS, "Nowhere Borough"):
        with pytest.raises(AccessError) as refused:
            officer.require(council, Role.VIEWER)
        words.add(str(refused.value).replace(council, "X"))
    assert len(words) == 1


def test_network_admins_lead_every_council_and_alone_start_new_ones() -> None:
    admin = Officer.from_groups("ada", [NETWORK_ADMINS])
    assert admin.role_in(THEIRS) is Role.LEAD
    admin.require_new_council("Newtown")
    with pytest.raises(AccessError, match="only the network's administrators"):
        Officer.from_groups("sam", ["council-anyshire-county-lead"]).require_new_council("X")


def test_a_role_is_named_in_words() -> None:
    assert Role.named(" Editor ") is Role.EDITOR
    with pytest.raises(AccessError, match="choose viewer, editor or lead"):
        Role.named("owner")


@pytest.fixture
def two_councils(store: Store) -> Store:
    """The store, as the laptop's owner, with a saved version of two councils."""
    for council in (MINE, THEIRS):
        Session.open(store, council, "unitary").save_version()
    return store


def test_without_a_hub_the_person_owns_every_council(two_councils: Store) -> None:
    assert two_councils.councils() == [MINE, THEIRS]
    Session.open(two_councils, "Newtown Borough", "unitary").save_version()


def test_an_officer_sees_and_opens_only_their_councils(two_councils: Store) -> None:
    store = two_councils
    store.sign_in(Officer.from_groups("sam", ["council-anyshire-county-editor"]))
    assert store.councils() == [MINE]
    assert store.load(MINE).version == 1
    for reading in (store.load, store.history, store.draft, store.latest_version_number):
        with pytest.raises(AccessError, match="not a member of 'Borsetshire Council'"):
            reading(THEIRS)
    session = Session.open(store, MINE)
    session.set_level("c1", 2)
    assert session.save_version().saved_by == "sam"


def test_a_viewer_reads_but_cannot_change_or_save(two_councils: Store) -> None:
    store = two_councils
    store.sign_in(Officer.from_groups("val", ["council-anyshire-county-viewer"]))
    session = Session.open(store, MINE)
    assert session.card is not None
    with pytest.raises(AccessError, match="viewer of Anyshire County, so you cannot change"):
        session.set_level("c1", 3)
    with pytest.raises(AccessError, match="cannot change or save"):
        session.save_version()
    store.sign_in(Officer.owner("owner"))
    assert store.latest_version_number(MINE) == 1, "nothing was saved"


def test_nobody_signed_in_sees_nothing_and_starts_nothing(two_councils: Store) -> None:
    store = two_councils
    store.sign_in(Officer.nobody())
    assert store.councils() == []
    with pytest.raises(AccessError, match="not a member"):
        Session.open(store, MINE)
    with pytest.raises(AccessError):
        Session.open(store, "Newtown Borough", "unitary")
    store.sign_in(Officer.owner("owner"))
    assert store.councils() == [MINE, THEIRS], "no council was added"


def test_only_a_network_admin_starts_a_council(two_councils: Store) -> None:
    store = two_councils
    store.sign_in(Officer.from_groups("lee", ["council-newtown-borough-lead"]))
    with pytest.raises(AccessError, match="only the network's administrators can start"):
        Session.open(store, "Newtown Borough", "unitary")
    store.sign_in(Officer.from_groups("ada", [NETWORK_ADMINS]))
    Session.open(store, "Newtown Borough", "unitary").save_version()
    store.sign_in(Officer.from_groups("lee", ["council-newtown-borough-lead"]))
    assert store.councils() == ["Newtown Borough"]
