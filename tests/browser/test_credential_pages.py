"""The way to the certificate in the built book: from each module to its micro-credential."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.credentials.catalogue import load_credentials, pass_marks
from tests.browser.offline import offline_page, serious_axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CATALOGUE = default_catalogue()
CREDENTIALS = load_credentials()


@pytest.mark.parametrize("module", CATALOGUE.modules, ids=lambda m: m.id)
def test_module_landing_page_leads_to_its_credential_and_its_pass_mark(chromium, site_url, module):
    page, log = offline_page(chromium)
    page.goto(f"{site_url}{module.page}.html")
    page.get_by_role("link", name=f"How to take the {module.title} micro-credential").click()
    expect(page).to_have_url(f"{site_url}book/credentials/{module.id}.html")
    expect(
        page.get_by_role("heading", level=1, name=f"Micro-credential: {module.title}", exact=True)
    ).to_be_visible()
    mark = f"{pass_marks()[module.id]:g}%"
    expect(page.locator("article")).to_contain_text(f"Pass mark: {mark} of the assessment")
    for heading in ("What it assesses", "Get the assessment and hand it in", "What you receive"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("heading", name="How anyone can check it")).to_be_visible()
    assert log.external_requests == []
    assert log.console_errors == []
    page.close()


def test_prerequisite_on_a_credential_page_links_to_that_credential(chromium, site_url):
    page, _ = offline_page(chromium)
    page.goto(f"{site_url}book/credentials/finance.html")
    page.get_by_role("link", name="Micro-credential: The Coop Option").first.click()
    expect(
        page.get_by_role("heading", level=1, name="Micro-credential: The Coop Option", exact=True)
    ).to_be_visible()
    page.close()


def test_list_page_has_every_credential_and_is_reached_from_the_home_page(chromium, site_url):
    page, _ = offline_page(chromium)
    page.goto(site_url)
    page.locator("article").get_by_role("link", name="Micro-credentials", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="The micro-credentials", exact=True)
    ).to_be_visible()
    items = page.locator("article li")
    expect(items).to_have_count(len(CREDENTIALS))
    for item, credential in zip(items.all(), CREDENTIALS, strict=True):
        expect(item).to_contain_text(f"pass mark {credential.pass_mark:g}%")
        expect(item.get_by_role("link", name=credential.module_title)).to_have_attribute(
            "href", f"{credential.id}.html"
        )
    page.close()


@pytest.mark.parametrize("docname", ["book/credentials/index", "book/credentials/finance"])
@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_credential_pages_fit_a_phone_and_pass_axe(chromium, site_url, docname, width, height):
    page, _ = offline_page(chromium)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{site_url}{docname}.html", wait_until="networkidle")
    overflow = page.evaluate(
        "[...document.querySelectorAll('article *')].filter(e => e.scrollWidth > "
        "e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible').length"
    )
    assert overflow == 0
    assert serious_axe_violations(page) == []
    page.close()
