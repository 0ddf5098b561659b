"""The self-assessment app as the hub's ``ccin-app`` service, in Chromium, as officers use it.

Part of the hub's walk (``test_cohort_hub``): with the assessments in a real PostgreSQL
database, the network's administrator makes one officer the lead of a council in the
app; that lead adds a colleague as a viewer; the lead saves a version that records
their name and cannot open another council; the viewer can read but not save, even with
a forged header, and signs out.
"""

from __future__ import annotations

import re
from pathlib import Path

import requests
import sqlalchemy
from playwright.sync_api import expect

from ccin_learn.selfassessment.session import Session
from ccin_learn.selfassessment.store import Store
from ccin_learn.settings import SIGNED_IN_HEADER
from ccin_learn.widgets.assessment_panels import MEMBER_ROLES
from tests.hub.driver import Hub, approve, log_in, sign_up

ADMIN = "ccintest-admin"
LEAD = "ccintest-officer-a"
VIEWER = "ccintest-officer-b"
PASSWORDS = {LEAD: "Lead-pass-98765", VIEWER: "Viewer-pass-4321"}
MINE, THEIRS = "Anyshire County", "Borsetshire Council"
APP = "services/ccin-app/voila/render/self-assessment.ipynb"
FIRST_WIDGET_MS = 90_000  # sign-in redirects, then Voila runs the app
SHOTS = Path("/tmp/work/shots-app-service")


def officers_join(hub: Hub, admin: requests.Session, app_db_url: str) -> None:
    """Two councils with a version each in the app's database; two officers sign up, are
    approved and sign in once (a hub account exists from its first sign-in)."""
    store = Store(app_db_url, person=ADMIN)
    for council in (MINE, THEIRS):
        Session.open(store, council, "unitary").save_version()
    store.engine.dispose()
    for name in (LEAD, VIEWER):
        sign_up(hub, name, PASSWORDS[name])
        approve(hub, admin, name)
        log_in(hub, name, PASSWORDS[name])


def signed_in_page(
    chromium: object,
    hub: Hub,
    name: str,
    password: str,
    width: int = 1280,
    claim: str | None = None,
) -> object:
    """A fresh browser context, signed in to the hub as ``name``, on the app; with
    ``claim``, every request also says it comes from that person, as a forger would."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    if claim:
        context.set_extra_http_headers({SIGNED_IN_HEADER: claim})
    page = context.new_page()
    page.goto(hub.url + "hub/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(re.compile(r"/hub/(spawn|home|user|spawn-pending)"))
    page.goto(hub.url + APP, wait_until="commit", timeout=FIRST_WIDGET_MS)
    expect(page.get_by_label("Saved councils")).to_be_visible(timeout=FIRST_WIDGET_MS)
    return page


def open_saved(page: object, name: str) -> None:
    page.get_by_label("Saved councils").select_option(label=name)
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name=name, exact=True, level=2)).to_be_visible()


def give_role(page: object, person: str, role: str) -> None:
    page.get_by_label("Hub user name").fill(person)
    label = next(words for words, value in MEMBER_ROLES if value == role)
    page.get_by_label("Role", exact=True).select_option(label=label)
    page.get_by_role("button", name="Give this role").click()
    members = page.get_by_role("table", name=re.compile("Members of"))
    expect(members.get_by_role("row", name=f"{person} {role}")).to_be_visible()


def shoot(page: object, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def saved_councils(page: object) -> list[str]:
    options = page.get_by_label("Saved councils").locator("option").all_inner_texts()
    return [" ".join(text.split()) for text in options]  # ipywidgets puts nbsp in options


def officers_at_work(hub: Hub, chromium: object, app_db_url: str, admin_password: str) -> None:
    """Councils' officers on the hub's app, each with their council's role."""
    # The network's administrator sees every council, and makes an officer its lead.
    admin = signed_in_page(chromium, hub, ADMIN, admin_password)
    assert {MINE, THEIRS} <= set(saved_councils(admin))
    open_saved(admin, MINE)
    give_role(admin, LEAD, "lead")
    admin.context.close()

    # The lead sees their council only, adds a colleague as viewer, and saves a version.
    lead = signed_in_page(chromium, hub, LEAD, PASSWORDS[LEAD])
    expect(lead.get_by_text(f"Signed in to the hub as {LEAD}.")).to_be_visible()
    assert saved_councils(lead) == ["Choose a council", MINE]
    expect(lead.get_by_label("Council name")).to_be_hidden()  # only admins start councils
    open_saved(lead, MINE)
    give_role(lead, VIEWER, "viewer")
    lead.get_by_role("heading", name="Members").scroll_into_view_if_needed()
    shoot(lead, "members-1280", full_page=False)
    lead.get_by_text(re.compile(r"^1 ")).first.click()
    lead.get_by_role("button", name="Save this version").click()
    expect(lead.get_by_text(f"Saved version 2 of {MINE}.")).to_be_visible()
    versions = lead.get_by_label("Saved versions")
    expect(versions).to_contain_text(f"by {LEAD}")
    shoot(lead, "lead-1280")
    lead.set_viewport_size({"width": 390, "height": 844})
    shoot(lead, "lead-390")

    # Another council, named in the address: refused, and nothing of it is shown.
    lead.goto(hub.url + APP + "?council=Borsetshire+Council", wait_until="commit")
    expect(lead.get_by_text("not among the councils you can open")).to_be_visible(
        timeout=FIRST_WIDGET_MS
    )
    expect(lead.get_by_role("heading", name=THEIRS)).to_have_count(0)
    assert THEIRS not in saved_councils(lead)
    lead.context.close()

    # The viewer reads the council but cannot save it or manage its members, even when
    # the browser claims to be the administrator in the header the server sets.
    viewer = signed_in_page(chromium, hub, VIEWER, PASSWORDS[VIEWER], width=390, claim=ADMIN)
    shoot(viewer, "viewer-picker-390", full_page=False)
    assert saved_councils(viewer) == ["Choose a council", MINE]
    open_saved(viewer, MINE)
    expect(viewer.get_by_text("You are a viewer of this council")).to_be_visible()
    expect(viewer.get_by_role("button", name="Save this version")).to_be_disabled()
    expect(viewer.get_by_role("heading", name="Members")).to_be_hidden()
    shoot(viewer, "viewer-390")

    # Sign out: the app asks for the hub's sign-in again.
    viewer.get_by_role("link", name="Sign out").click()
    viewer.wait_for_url(re.compile(r"/hub/(login|logout)"))
    viewer.goto(hub.url + APP, wait_until="commit")
    expect(viewer.get_by_label("Username")).to_be_visible(timeout=FIRST_WIDGET_MS)
    viewer.context.close()

    # The app's token for the hub's API reached it by environment: on no command line, in
    # no log.
    [app] = [p for p in hub.processes() if "ccin_learn.apps.server" in " ".join(p.cmdline())]
    token = app.environ()["JUPYTERHUB_API_TOKEN"]
    assert len(token) >= 32
    assert not [p for p in hub.processes() if token in " ".join(p.cmdline())]
    assert token not in (hub.folder / "jupyterhub.log").read_text()

    password = sqlalchemy.engine.make_url(app_db_url).password
    assert password and password not in (hub.folder / "jupyterhub.log").read_text()
    assert not (hub.folder / "assessments.sqlite").exists(), "the network's database only"
    store = Store(app_db_url, person=ADMIN)
    [*_, latest] = store.history(MINE)
    assert (latest.version, latest.saved_by) == (2, LEAD)
    store.engine.dispose()
