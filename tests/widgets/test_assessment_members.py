"""The app on a hub: it works as the officer who signed in, shows a viewer why they cannot
change anything, and lets a lead manage the council's members."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccin_learn.selfassessment.access import (
    NETWORK_ADMINS,
    AccessError,
    Officer,
    Role,
    group_name,
    short_name,
)
from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store
from ccin_learn.settings import SIGNED_IN_VAR
from ccin_learn.widgets.assessment_app import SelfAssessmentApp

MINE, THEIRS = "Anyshire County", "Borsetshire Council"


class GroupsDirectory:
    """The hub's groups in memory: accounts and the groups each belongs to."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self.groups = groups

    def officer(self, name: str) -> Officer:
        if name not in self.groups:
            raise AccessError(f"the hub has no user {name!r}")
        return Officer.from_groups(name, self.groups[name])

    def members(self, council: str) -> dict[str, Role]:
        found = {}
        for person in self.groups:
            role = self.officer(person).roles.get(short_name(council))
            if role is not None:
                found[person] = role
        return found

    def set_role(self, council: str, person: str, role: Role) -> None:
        if person not in self.groups:
            raise AccessError(f"{person!r} has not signed in to this hub yet")
        self.remove(council, person)
        self.groups[person].append(group_name(council, role))

    def remove(self, council: str, person: str, keep: Role | None = None) -> None:
        mine = {group_name(council, role) for role in Role if role is not keep}
        self.groups[person] = [g for g in self.groups[person] if g not in mine]


@pytest.fixture
def hub_app(store: Store, checklist, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """``hub_app(name)``: the app as the hub's service opens it for ``name`` (signed in)."""
    for council in (MINE, THEIRS):
        Session.open(store, council, "unitary").save_version()
    directory = GroupsDirectory(
        {
            "ada": [NETWORK_ADMINS],
            "lee": ["council-anyshire-county-lead"],
            "val": ["council-anyshire-county-viewer"],
            "new": [],
        }
    )

    def open_for(name: str) -> SelfAssessmentApp:
        monkeypatch.setenv(SIGNED_IN_VAR, name)
        hub_store = Store(store.url, checklist, officer=Officer.nobody())
        app = SelfAssessmentApp(hub_store, checklist, directory=directory)
        assert app.picker.saved.options == (("Choose a council", ""),), "nothing before sign-in"
        app.sign_in()
        return app

    open_for.directory = directory  # type: ignore[attr-defined]
    return open_for


def test_an_officer_works_as_themselves_on_their_councils_only(hub_app) -> None:
    app = hub_app("lee")
    assert "Signed in to the hub as <strong>lee</strong>" in app.signed_in.value
    assert 'href="/hub/logout"' in app.signed_in.value
    assert [value for _, value in app.picker.saved.options] == ["", MINE]
    assert app.picker.new_council.layout.display == "none", "only admins start councils"
    app.restore_place("council=Borsetshire+Council")
    assert app.session is None and "not among the councils you can open" in app.status.value
    app.picker.saved.value = MINE
    app.on_open_saved()
    app.editors["c1"].level.value = 2
    app.on_save()
    assert app.session.last_saved.saved_by == "lee"
    labels = [label for label, _ in app.versions_panel.versions.options]
    assert any(label.startswith("Version 2,") and "by lee" in label for label in labels)


def test_a_viewer_sees_why_the_controls_are_disabled(hub_app) -> None:
    app = hub_app("val")
    app.picker.saved.value = MINE
    app.on_open_saved()
    assert "You are a viewer of this council" in app.status.value
    assert app.save_button.disabled and app.editors["c1"].level.disabled
    assert app.members.layout.display == "none"


def test_someone_in_no_council_is_told_whom_to_ask(hub_app) -> None:
    app = hub_app("new")
    assert "not a member of any council yet" in app.status.value
    assert app.picker.saved.options == (("Choose a council", ""),)


def test_a_page_nobody_signed_in_to_opens_nothing(hub_app, monkeypatch) -> None:
    app = hub_app("new")
    monkeypatch.delenv(SIGNED_IN_VAR)
    app.store.sign_in(Officer.nobody())
    app.sign_in()
    assert "could not tell who you are" in app.status.value
    assert app.store.councils() == []


def test_a_lead_gives_changes_and_removes_roles(hub_app) -> None:
    app = hub_app("lee")
    app.picker.saved.value = MINE
    app.on_open_saved()
    assert app.members.layout.display is None
    assert "<td>lee</td><td>lead</td>" in app.members.table.value
    app.members.person.value, app.members.role.value = "new", "editor"
    app.on_give_role()
    assert "new is now editor of Anyshire County." in app.members.message.value
    assert "<td>new</td><td>editor</td>" in app.members.table.value
    assert hub_app("new").store.officer.may(MINE, Role.EDITOR)
    app.members.person.value = "new"
    app.on_remove_member()
    assert "<td>new</td>" not in app.members.table.value
    app.members.person.value = "nobody-here"
    app.on_give_role()
    assert "has not signed in to this hub yet" in app.members.message.value


def test_an_editor_cannot_manage_members_even_by_a_forged_click(hub_app) -> None:
    hub_app.directory.groups["val"] = ["council-anyshire-county-editor"]
    app = hub_app("val")
    app.picker.saved.value = MINE
    app.on_open_saved()
    assert app.members.layout.display == "none"
    app.members.person.value = "new"
    app.on_give_role()  # as if a page had sent the click anyway
    assert "cannot manage its members" in app.members.message.value
    assert hub_app.directory.groups["new"] == []
