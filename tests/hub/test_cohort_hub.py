"""The network's hub walked end to end: two cohorts side by side, where learners fetch
and submit and a trainer grades, and councils' officers in the self-assessment app.

The hub is written by ``hub init``, its cohorts added with ``hub cohort add`` and run by
``hub start``, its own database and the assessments' in a real PostgreSQL; the graders
make their course folders with ``ccin-learn grade``, as themselves, in their private
homes. People act in Chromium, and through the endpoints their browser uses (the
Assignments tab's, the Admin page's). ``tests/hub/officers.py`` has the officers' part and
``tests/hub/network.py`` the network's: ratings, agreement, benchmark, plan and evidence.
"""

from __future__ import annotations

import csv
import io
import json
import pwd
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy
from click.testing import CliRunner
from playwright.sync_api import expect

from ccin_learn.cli import cli
from ccin_learn.hub.deploy import HubFiles, init_hub
from ccin_learn.selfassessment.access import short_name
from tests.grading.cohorts import ANSWERS, make_assessments
from tests.hub.driver import (
    CannotRun,
    Hub,
    add_to_group,
    approve,
    hub_settings,
    kit_commands,
    log_in,
    open_folder_for_all,
    private_file,
    run_as,
    running_hub,
    sign_up,
    system_accounts,
    wait_for_own_server,
    xsrf_header,
)
from tests.hub.network import RATERS, network_at_work, raters_join
from tests.hub.officers import LEAD, MINE, VIEWER, officers_at_work, officers_join

ADMIN = "ccintest-admin"
TRAINER = "ccintest-trainer"
LEARNER1 = "ccintest-learner-a1"  # cohort A (test_run.py, maybe running alongside, has learner1)
LEARNER2 = "ccintest-learner-b1"  # cohort B
GRADERS = {"ccintest-a": "ccintest-grader-a", "ccintest-b": "ccintest-grader-b"}
COURSE_A, COURSE_B = GRADERS
ASSIGNMENT = "ps1"
PASSWORD = "Cohort-pass-2468"
SHOTS = Path("/tmp/work/shots-cohorts")  # looked at by hand: the Assignments tab, Formgrader
WIDE, NARROW = 1280, 390  # a laptop, a phone
PATIENCE = 30_000  # ms for a page of the hub or a server to show something


@dataclass(frozen=True)
class Machine:
    """The accounts, the world-readable area (shared settings, exchange), the commands."""

    accounts: dict[str, pwd.struct_passwd]
    area: Path
    commands: Path

    def course_dir(self, course: str) -> Path:
        return Path(self.accounts[GRADERS[course]].pw_dir) / course

    def as_grader(self, course: str, *args: str) -> str:
        account = self.accounts[GRADERS[course]]
        return run_as(account, self.commands, "ccin-learn", *args).stdout


@pytest.fixture
def machine() -> Iterator[Machine]:
    names = [TRAINER, LEARNER1, LEARNER2, *GRADERS.values()]
    try:
        with open_folder_for_all("ccintest-cohorts-") as area, system_accounts(*names) as found:
            yield Machine(dict(zip(names, found, strict=True)), area, kit_commands(area))
    except CannotRun as reason:
        pytest.skip(str(reason))


@dataclass(frozen=True)
class WrittenHub:
    """A hub folder ``hub init`` wrote, to start (and start again) with ``hub start``."""

    files: HubFiles
    port: int
    work: Path
    app_db_url: str
    hub_db_url: str

    def start(self) -> AbstractContextManager[Hub]:
        return running_hub(self.files, self.port, self.work)


@pytest.fixture
def written(
    machine: Machine,
    tmp_path: Path,
    free_port: Callable[[], int],
    proxy: Path,
    singleuser: Path,
    postgresql_database: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> WrittenHub:
    """IT writes the hub (its database and the assessments' in PostgreSQL, their URLs in
    0600 files) and adds two cohorts; each grader makes and releases their course."""
    app_db_url, hub_db_url = postgresql_database(), postgresql_database()
    monkeypatch.setenv("CCIN_KERNEL_POOL", "1")  # the app service preheats one kernel
    settings = hub_settings(
        ADMIN,
        db_url_file=private_file(tmp_path / "hub-db-url", hub_db_url),
        app_db_url_file=private_file(tmp_path / "app-db-url", app_db_url),
        shared=str(machine.area / "shared"),
        exchange=str(machine.area / "exchange"),
    )
    files = init_hub(tmp_path / "hub", settings, proxy, singleuser)
    for course, grader in GRADERS.items():
        port = str(free_port())
        added = CliRunner().invoke(
            cli,
            ["hub", "cohort", "add", str(files.folder), course, "--grader", grader, "--port", port],
        )
        assert added.exit_code == 0, added.output
    source = make_assessments(machine.area / "assessments")
    for path in [source, *source.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    def make_course(course: str) -> None:
        folder = str(machine.course_dir(course))
        machine.as_grader(
            course, "grade", "init", folder, "--course-id", course,
            "--exchange", settings.exchange, "--source", str(source),
        )  # fmt: skip
        machine.as_grader(course, "grade", "release", ASSIGNMENT, "--course", folder)

    with ThreadPoolExecutor(len(GRADERS)) as graders:  # each grader at their own terminal
        list(graders.map(make_course, GRADERS))
    return WrittenHub(files, settings.port, tmp_path, app_db_url, hub_db_url)


def signed_in(hub: Hub, name: str) -> requests.Session:
    session, refused = log_in(hub, name, PASSWORD)
    assert not refused, refused
    return session


def assignments(hub: Hub, session: requests.Session, name: str, course: str) -> list[dict]:
    """The Assignments tab's list for ``course`` (nbgrader's assignment_list API)."""
    page = session.get(f"{hub.url}user/{name}/assignments", params={"course_id": course})
    page.raise_for_status()
    answer = page.json()
    assert answer["success"], answer
    return list(answer["value"])


def act(hub: Hub, session: requests.Session, name: str, action: str, course: str) -> None:
    """Press the Assignments tab's Fetch or Submit button."""
    headers = xsrf_header(session, f"{hub.url}user/{name}/tree")
    done = session.post(
        f"{hub.url}user/{name}/assignments/{action}",
        data={"course_id": course, "assignment_id": ASSIGNMENT},
        headers=headers,
        timeout=60,
    )
    assert done.status_code == 200, done.text
    answer = done.json()
    assert answer["success"], answer


def answer_and_save(hub: Hub, session: requests.Session, name: str, path: str) -> None:
    """Type the right answers into the fetched notebook and save it (the contents API)."""
    url = f"{hub.url}user/{name}/api/contents/{path}"
    notebook = session.get(url, timeout=30).json()["content"]
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in ANSWERS["right"]:
            cell["source"] = ANSWERS["right"][grade_id]
    headers = xsrf_header(session, f"{hub.url}user/{name}/tree")
    body = {"type": "notebook", "format": "json", "content": notebook}
    saved = session.put(url, data=json.dumps(body), headers=headers, timeout=30)
    assert saved.status_code == 200, saved.text


def browser_signed_in(chromium: Any, hub: Hub, name: str, width: int) -> Any:
    """A new browser window, ``width`` pixels wide, signed in through the hub's form."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(PATIENCE)
    page = context.new_page()
    page.goto(hub.url + "hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.locator("[type=submit]").first.click()
    page.wait_for_url(lambda url: "/hub/login" not in url)
    return page


def open_assignments(page: Any, hub: Hub, name: str) -> None:
    """The learner's file browser, then its Assignments tab (nbgrader's assignment list)."""
    page.goto(f"{hub.url}user/{name}/tree")
    page.get_by_text("Nbgrader", exact=True).click()
    menu = page.get_by_role("menu")
    # A learner's menu has the assignment list only: no Formgrader, no course list.
    expect(menu.get_by_text("Assignment List")).to_be_visible()
    expect(menu.get_by_text("Formgrader")).to_have_count(0)
    menu.get_by_text("Assignment List").click()
    expect(page.get_by_text("Released assignments", exact=True)).to_be_visible()


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE / 1000
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting: {what}"
        time.sleep(0.3)


@pytest.mark.slow
@pytest.mark.browser
def test_the_network_at_work_learners_trainers_and_councils_officers(
    written: WrittenHub, machine: Machine, chromium: Any
) -> None:
    with written.start() as hub:
        learners_and_a_trainer_at_work(hub, machine, chromium)
        officers_join(hub, signed_in(hub, ADMIN), written.app_db_url)
        officers_at_work(hub, chromium, written.app_db_url, PASSWORD)
        raters_join(hub, signed_in(hub, ADMIN))
        stranger = signed_in(hub, LEARNER2)  # of no council
        network_at_work(hub, chromium, written.app_db_url, stranger, written.work)
    # The groups the administrator filled are kept when the hub starts again.
    with written.start() as hub:
        admin = signed_in(hub, ADMIN)
        headers = xsrf_header(admin, hub.url + "hub/admin")
        groups = admin.get(f"{hub.url}hub/api/groups", headers=headers, timeout=30).json()
        members = {group["name"]: sorted(group["users"]) for group in groups}
        assert members == {
            "network-admins": [ADMIN],
            f"nbgrader-{COURSE_A}": [LEARNER1],
            f"formgrade-{COURSE_A}": [TRAINER],
            f"nbgrader-{COURSE_B}": [LEARNER2],
            f"formgrade-{COURSE_B}": [],
            f"council-{short_name(MINE)}-lead": [LEAD],
            f"council-{short_name(MINE)}-viewer": [VIEWER],
            f"council-{short_name(MINE)}-editor": sorted(RATERS),
        }
    hub_keeps_its_people_in_postgresql(written)


def hub_keeps_its_people_in_postgresql(written: WrittenHub) -> None:
    """The hub's own database is the PostgreSQL one named in its 0600 file: everyone
    is there, no SQLite file is beside it, and its password is in no log."""
    engine = sqlalchemy.create_engine(written.hub_db_url)
    try:
        with engine.connect() as connection:
            users = set(connection.execute(sqlalchemy.text("SELECT name FROM users")).scalars())
    finally:
        engine.dispose()
    assert {ADMIN, TRAINER, LEARNER1, LEARNER2, LEAD, VIEWER, *RATERS} <= users
    folder = written.files.folder
    assert not (folder / "jupyterhub.sqlite").exists(), "no SQLite file beside it"
    password = sqlalchemy.engine.make_url(written.hub_db_url).password
    assert password and password not in (folder / "jupyterhub.log").read_text()


def learners_and_a_trainer_at_work(hub: Hub, machine: Machine, chromium: Any) -> None:
    """Sign-up to grade: the admin approves and groups people, learner 1 submits in
    Chromium, the trainer grades, and the learners are kept out of what is not theirs."""
    for name in (ADMIN, TRAINER, LEARNER1, LEARNER2):
        sign_up(hub, name, PASSWORD)
    admin = signed_in(hub, ADMIN)
    for name in (TRAINER, LEARNER1, LEARNER2):
        approve(hub, admin, name)
    # A hub account exists from its first sign-in; then the admin can put it in a group.
    learner1, learner2, trainer = (signed_in(hub, n) for n in (LEARNER1, LEARNER2, TRAINER))
    add_to_group(hub, admin, f"nbgrader-{COURSE_A}", LEARNER1)
    add_to_group(hub, admin, f"nbgrader-{COURSE_B}", LEARNER2)
    add_to_group(hub, admin, f"formgrade-{COURSE_A}", TRAINER)

    # Each learner sees their own cohort's assignment only.
    wait_for_own_server(hub, learner1, LEARNER1)
    wait_for_own_server(hub, learner2, LEARNER2)
    [released] = assignments(hub, learner1, LEARNER1, COURSE_A)
    assert released["status"] == "released"
    assert assignments(hub, learner2, LEARNER2, COURSE_A) == []
    assert [a["course_id"] for a in assignments(hub, learner2, LEARNER2, COURSE_B)] == [COURSE_B]
    for session, name, course in ((learner1, LEARNER1, COURSE_A), (learner2, LEARNER2, COURSE_B)):
        courses = session.get(f"{hub.url}user/{name}/courses", timeout=30).json()
        assert courses == {"success": True, "value": [course]}  # the tab's course chooser

    # Learner 2's cohort works the same, side by side (the Assignments tab's requests).
    act(hub, learner2, LEARNER2, "fetch", COURSE_B)

    # Learner 1 fetches in their server's Assignments tab, answers, and submits.
    tab = browser_signed_in(chromium, hub, LEARNER1, WIDE)
    open_assignments(tab, hub, LEARNER1)
    expect(tab.get_by_text(COURSE_A).first).to_be_visible()
    tab.get_by_role("button", name="Fetch").click()
    expect(tab.get_by_role("button", name="Submit")).to_be_visible()
    answer_and_save(hub, learner1, LEARNER1, f"{COURSE_A}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    tab.get_by_role("button", name="Submit").click()
    until(
        lambda: (
            "submitted" in {a["status"] for a in assignments(hub, learner1, LEARNER1, COURSE_A)}
        ),
        "learner 1's submission",
    )
    open_assignments(tab, hub, LEARNER1)
    expect(tab.get_by_role("button", name="Fetch Feedback")).to_be_visible()  # submitted
    shoot(tab, f"learner-assignments-{WIDE}")
    phone = browser_signed_in(chromium, hub, LEARNER1, NARROW)
    open_assignments(phone, hub, LEARNER1)
    shoot(phone, f"learner-assignments-{NARROW}")

    # The trainer collects and autogrades as the cohort's grader, and sees the score.
    folder = str(machine.course_dir(COURSE_A))
    assert LEARNER1 in machine.as_grader(
        COURSE_A, "grade", "collect", ASSIGNMENT, "--course", folder
    )
    machine.as_grader(
        COURSE_A, "grade", "autograde", ASSIGNMENT, "--course", folder, "--workers", "1"
    )
    exported = machine.as_grader(COURSE_A, "grade", "export", "--course", folder)
    [row] = csv.DictReader(io.StringIO(exported))
    assert (row["learner"], row["score"], row["max_score"]) == (LEARNER1, "3", "5")
    # ... and on the cohort's Formgrader, the service only its trainers may open.
    formgrader = f"{hub.url}services/{COURSE_A}/formgrader"
    page = trainer.get(formgrader, timeout=30)
    assert page.status_code == 200 and "Manage Assignments" in page.text, page.status_code
    api = trainer.get(f"{formgrader}/api/submissions/{ASSIGNMENT}", timeout=30)
    [graded] = api.json()
    assert (graded["student"], graded["score"], graded["autograded"]) == (LEARNER1, 3.0, True)
    for width in (WIDE, NARROW):
        grader = browser_signed_in(chromium, hub, TRAINER, width)
        grader.goto(f"{formgrader}/manage_submissions/{ASSIGNMENT}")
        expect(grader.get_by_text(LEARNER1).first).to_be_visible()
        expect(grader.get_by_text("3 / 5").first).to_be_visible()
        shoot(grader, f"trainer-formgrader-{width}")

    # Learners cannot open a Formgrader, another learner's server, or the gradebook.
    refused = learner1.get(formgrader, timeout=30)
    assert refused.status_code == 403, (refused.status_code, refused.url)
    shown = tab.goto(formgrader)
    assert shown is not None and shown.status == 403
    shoot(tab, "learner-refused-formgrader")
    # Their own server has no Formgrader either (only the assignment list is on).
    assert learner1.get(f"{hub.url}user/{LEARNER1}/formgrader", timeout=30).status_code == 404
    other = learner1.get(f"{hub.url}user/{LEARNER2}/tree", timeout=30)
    assert other.status_code == 403, (other.status_code, other.url)
    gradebook = Path(folder) / "gradebook.db"
    peek = run_as(machine.accounts[LEARNER1], machine.commands, "cat", str(gradebook), check=False)
    assert peek.returncode != 0 and "Permission denied" in peek.stderr
    home = run_as(
        machine.accounts[LEARNER1],
        machine.commands,
        "ls",
        "-a",
        machine.accounts[LEARNER2].pw_dir,
        check=False,
    )
    assert home.returncode != 0 and "Permission denied" in home.stderr
