"""A browser page that may only talk to localhost, and records what it tried and what broke."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
# Text cut off: a box that hides what does not fit and holds more than it shows.
CLIPPED_TEXT = """() => Array.from(document.querySelectorAll('article *')).filter(el => {
  const style = getComputedStyle(el);
  const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
  const shown = el.getClientRects().length > 0 && el.clientWidth > 1;
  return hides && shown && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim() !== '';
}).map(el => el.tagName + ': ' + el.innerText.trim().slice(0, 60))"""
# Controls and words that run past the right edge of the screen, unless inside a wide
# table's own box that scrolls sideways. A form in a scrolling box still counts: nobody
# fills in boxes they must scroll sideways to see.
PAST_THE_EDGE = """() => Array.from(document.querySelectorAll(
    'input, select, textarea, button, label, .widget-label, p, li, td, th')).filter(el => {
  const box = el.getBoundingClientRect();
  if (!box.width || box.right <= innerWidth + 1) return false;
  const table = el.closest('table');
  if (!table) return true;
  for (let up = table.parentElement; up; up = up.parentElement) {
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(up).overflowX);
    if (scrolls && up.scrollWidth > up.clientWidth + 1) return false;
  }
  return true;
}).map(el => el.tagName + ': ' + (el.innerText || el.value || '').trim().slice(0, 40))"""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class PageLog:
    """What one page did: requests that would have left the machine, and console errors."""

    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


def offline_page(browser: object) -> tuple[object, PageLog]:
    """A new page whose every non-local request fails and is recorded."""
    page = browser.new_page()
    log = PageLog()

    def route(route: object) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            log.external_requests.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    page.on("console", lambda msg: msg.type == "error" and log.console_errors.append(msg.text))
    page.on("pageerror", lambda err: log.console_errors.append(str(err)))
    return page, log


def serious_axe_violations(page: object) -> list[str]:
    """Run axe-core (from npm) on the page; return serious or critical WCAG 2.2 AA failures."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
