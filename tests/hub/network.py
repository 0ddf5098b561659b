"""The network's self-assessment on the hub, in Chromium, with the assessments in PostgreSQL.

Part of the hub's walk (``test_cohort_hub``), after ``officers.py``: three officers of one
council rate it (the lead and two editors the lead adds), one of them attaching a file
as evidence (a file that only claims to be a PDF is refused first); the lead sees the
spread and agrees the council's answer; the benchmark stays hidden with four councils
and shows once a fifth agrees; the lead adds a step to the action plan and downloads it
as Word and PDF; a member downloads the evidence file and someone of no council is
refused it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdfium2 as pdfium
import requests
from playwright.sync_api import expect

from ccin_learn.selfassessment.assessment import EXAMPLES_DIR, load_assessment
from ccin_learn.selfassessment.benchmark import set_taking_part
from ccin_learn.selfassessment.respondents import agree, share_rating
from ccin_learn.selfassessment.store import Store
from tests.hub.driver import Hub, approve, log_in, sign_up
from tests.hub.officers import (
    ADMIN,
    LEAD,
    MINE,
    PASSWORDS,
    give_role,
    open_saved,
    shoot,
    signed_in_page,
)

RATERS = {"ccintest-officer-c": "Rater-pass-1357", "ccintest-officer-d": "Rater-pass-2468"}
OTHERS = ["Brackton Unitary", "Cawley Unitary", "Dunmere Unitary", "Eastwold Unitary"]
STEP = "Take the inclusive economy charter to cabinet"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def raters_join(hub: Hub, admin: requests.Session) -> None:
    """Two more officers sign up, are approved and sign in once."""
    for name, password in RATERS.items():
        sign_up(hub, name, password)
        approve(hub, admin, name)
        log_in(hub, name, password)


def council_agreed(app_db_url: str, name: str) -> None:
    """Another unitary council, rated, agreed and taking part (by the network's admin)."""
    example = load_assessment(EXAMPLES_DIR / "example-unitary.json")
    council = example.model_copy(update={"council": example.council.model_copy(
        update={"name": name})})  # fmt: skip
    store = Store(app_db_url, person=ADMIN)
    store.save(council, 0)
    share_rating(store, council)
    agree(store, council, 1)
    set_taking_part(store, name, True)
    store.engine.dispose()


def rate(page: object, level: int) -> None:
    """Rate the first action (the charter) and share the rating with the lead."""
    page.get_by_text(re.compile(rf"^{level} ")).first.click()
    page.get_by_role("button", name="Share my rating with the lead").click()
    expect(page.get_by_text(f"Your rating is shared with the lead of {MINE}.")).to_be_visible()


def attach(page: object, path: Path) -> None:
    """Attach a file to the first action (its evidence controls open on asking)."""
    opener = page.get_by_role("button", name="Add or remove evidence files and links").first
    if opener.is_visible():
        opener.click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Attach a file")).first.click()
    chooser.value.set_files(str(path))


def reopen(page: object) -> None:
    """Choose another council and open this one again: the app reads it afresh."""
    page.get_by_role("button", name="Choose another council").click()
    open_saved(page, MINE)


def downloaded(page: object, link: str) -> bytes:
    with page.expect_download() as started:
        page.get_by_role("link", name=link).click()
    return Path(started.value.path()).read_bytes()


def network_at_work(
    hub: Hub, chromium: object, app_db_url: str, stranger: requests.Session, tmp: Path
) -> None:
    """Three officers rate, the lead agrees; benchmark, plan and evidence as above."""
    for name in OTHERS[:3]:
        council_agreed(app_db_url, name)
    fake, real = tmp / "minutes.pdf", tmp / "evidence.pdf"
    fake.write_bytes(b"Cabinet minutes, typed as plain text")
    real.write_bytes(PDF)

    lead = signed_in_page(chromium, hub, LEAD, PASSWORDS[LEAD])
    open_saved(lead, MINE)
    for name in RATERS:
        give_role(lead, name, "editor")
    rate(lead, 1)
    lead.get_by_label("Take part in the benchmark among councils of our type").check()
    expect(lead.get_by_text(f"Not shown yet: {MINE} takes part")).to_be_visible()

    rater_c, rater_d = (signed_in_page(chromium, hub, n, p) for n, p in RATERS.items())
    for rater, level in ((rater_c, 3), (rater_d, 4)):
        open_saved(rater, MINE)
        rate(rater, level)
    attach(rater_c, fake)
    expect(rater_c.get_by_text(re.compile(r"not attached: minutes\.pdf is not a file type"))
           ).to_be_visible()  # fmt: skip
    attach(rater_c, real)
    expect(rater_c.get_by_role("link", name="Download evidence.pdf")).to_be_visible()

    # The lead sees the three ratings, how far apart they are, and agrees.
    reopen(lead)
    ratings = lead.get_by_role("table", name="Officers' ratings, action by action")
    for name in (LEAD, *RATERS):
        expect(ratings).to_contain_text(name)
    expect(ratings).to_contain_text("Differ by 2 levels or more")
    shoot(lead, "ratings-1280", full_page=False)
    lead.get_by_role("button", name="Agree as the council's answer").click()
    expect(lead.get_by_text(re.compile(
        rf"Agreed version \d+ as {MINE}'s answer, from the ratings of 3 officers\."))
    ).to_be_visible()  # fmt: skip
    expect(lead.get_by_text("the benchmark needs agreed versions from at least 5")).to_be_visible()
    benchmark = lead.get_by_role("table", name=re.compile(f"Where {MINE} stands"))
    expect(benchmark).to_have_count(0)

    # A fifth council agrees: the benchmark shows, naming no other council.
    council_agreed(app_db_url, OTHERS[3])
    reopen(lead)
    expect(benchmark).to_be_visible()
    charter = benchmark.get_by_role("row", name=re.compile("^Develop an Inclusive Economy Charter"))
    expect(charter).to_contain_text("in the bottom quarter")  # agreed at 1; the others at 2
    for other in OTHERS:
        expect(lead.get_by_text(other)).to_have_count(0)
    benchmark.scroll_into_view_if_needed()
    shoot(lead, "benchmark-1280", full_page=False)

    # The lead plans a step and takes the plan away as Word and PDF.
    lead.get_by_label("Step", exact=True).fill(STEP)
    lead.get_by_label("Owner", exact=True).fill("Head of Policy")
    lead.get_by_role("button", name="Add this step").click()
    expect(lead.get_by_role("table", name=f"Action plan for {MINE}")).to_contain_text(STEP)
    lead.get_by_role("button", name="Prepare downloads").click()
    word = docx.Document(io.BytesIO(downloaded(lead, "Download the action plan (Word)")))
    assert STEP in [row.cells[0].text for table in word.tables for row in table.rows]
    pdf = pdfium.PdfDocument(downloaded(lead, "Download the action plan (PDF)"))
    assert STEP in " ".join(pdf[0].get_textpage().get_text_range().split())
    lead.set_viewport_size({"width": 390, "height": 844})
    lead.get_by_role("table", name=f"Action plan for {MINE}").scroll_into_view_if_needed()
    shoot(lead, "plan-390", full_page=False)
    lead.context.close()

    # A member downloads the evidence; someone of no council is refused it.
    link = rater_c.get_by_role("link", name="Download evidence.pdf")
    assert downloaded(rater_c, "Download evidence.pdf") == PDF
    address = hub.url.rstrip("/") + str(link.get_attribute("href"))
    refused = stranger.get(address, timeout=30)
    assert refused.status_code == 404, (refused.status_code, refused.url)
    assert refused.text == "No such evidence file, or not one you can open.\n"
    shoot(rater_c, "rater-1280", full_page=False)
    for page in (rater_c, rater_d):
        page.context.close()
