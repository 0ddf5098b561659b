"""The offline harness itself: it must catch what the site tests rely on it to catch."""

from __future__ import annotations

import pytest

from tests.browser.offline import is_local, offline_page, serious_axe_violations

pytestmark = [pytest.mark.browser]


def test_is_local_accepts_only_this_machine():
    assert is_local("http://127.0.0.1:8000/index.html")
    assert is_local("http://localhost:8866/voila/render/pathway.ipynb")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("https://cdn.jsdelivr.net/npm/x.js")
    assert not is_local("http://127.0.0.1.example.org/x.js")


def test_external_request_is_blocked_and_recorded(chromium, site_url):
    page, log = offline_page(chromium)
    try:
        page.goto(site_url, wait_until="networkidle")
        page.evaluate(
            "() => new Promise(done => { const s = document.createElement('script');"
            " s.src = 'https://cdn.example.org/widget.js'; s.onerror = done;"
            " document.head.appendChild(s); })"
        )
        assert log.external_requests == ["https://cdn.example.org/widget.js"]
        assert log.console_errors, "a blocked script must show as a console error"
    finally:
        page.close()


def test_axe_reports_an_image_without_alt_text(chromium, site_url):
    page, _log = offline_page(chromium)
    try:
        page.goto(site_url, wait_until="networkidle")
        page.evaluate(
            "() => { const img = document.createElement('img'); img.src = 'data:,';"
            " document.querySelector('article').appendChild(img); }"
        )
        assert any(v.startswith("image-alt") for v in serious_axe_violations(page))
    finally:
        page.close()
