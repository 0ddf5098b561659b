"""How much each kind of book page downloads: bytes over the wire and requests, on a fresh cache.

Run ``python benchmarks/page_weight.py [--site _build/html] [--runs 3]``. It builds nothing:
it serves an already built book (by default this checkout's ``_build/html``) on a free
localhost port and opens one page of each kind in Debian's Chromium, each in a new browser
context (an empty cache), after one warm-up load of the same page (the server's and the
disk's caches are then warm for every measured run alike). Bytes are the encoded bytes each
response took on the wire, as Chromium's DevTools protocol reports them when a request
finishes (``Network.loadingFinished`` ``encodedDataLength``); the median of the runs is
printed beside the target and the ratio to it.

Targets: a page without a widget <= 1.0 MB; a tool page with saved widgets <= 2.5 MB (the
Pyodide runtime, fetched only when the reader presses "Run", is not part of the page).
Requests off this machine are aborted and counted; there should be none. The script is a
report: it exits 0 whether or not the targets are met, and 1 only if a page could not be
measured.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from ccin_learn.site.server import make_server, serve_in_thread, url_of

HOST = "127.0.0.1"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MB = 1_000_000
PAGE_MB, TOOL_PAGE_MB = 1.0, 2.5
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
QUIET_MS, SETTLE_MAX_MS = 1000, 15_000


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    target_mb: float


PAGE_TYPES = [
    PageType("home page", "book/index.html", PAGE_MB),
    PageType("text page", "modules/coop-option/what-is-a-cooperative.html", PAGE_MB),
    PageType("quiz page", "modules/coop-option/quiz.html", PAGE_MB),
    PageType("tool page", "book/plan-your-route.html", TOOL_PAGE_MB),
    PageType("facts page", "book/facts.html", PAGE_MB),
]


@dataclass(frozen=True)
class Load:
    """One page load: bytes on the wire, requests made, and requests off the machine."""

    bytes: int
    requests: int
    external: int


def load_once(browser: Browser, url: str) -> Load:
    """Open the page in a new context (empty cache) and sum what came over the network."""
    context = browser.new_context()
    page = context.new_page()
    external: list[str] = []

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": False})
    sizes: dict[str, float] = {}
    session.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    try:
        page.goto(url, wait_until="load")
        settle(page, sizes)
    finally:
        context.close()
    return Load(int(sum(sizes.values())), len(sizes), len(external))


def settle(page: Page, sizes: dict[str, float]) -> None:
    """Wait until no request has finished for QUIET_MS (scripts fetch fonts and data late).

    Playwright's "networkidle" never comes on a page that keeps a request open.
    """
    seen = -1
    for _ in range(SETTLE_MAX_MS // QUIET_MS):
        if len(sizes) == seen:
            return
        seen = len(sizes)
        page.wait_for_timeout(QUIET_MS)


def measure(browser: Browser, url: str, runs: int) -> Load:
    """Median bytes and requests of ``runs`` loads, after one warm-up load."""
    load_once(browser, url)
    loads = [load_once(browser, url) for _ in range(runs)]
    return Load(
        int(statistics.median(load.bytes for load in loads)),
        int(statistics.median(load.requests for load in loads)),
        max(load.external for load in loads),
    )


def report_line(kind: PageType, load: Load) -> str:
    megabytes = load.bytes / MB
    ratio = megabytes / kind.target_mb
    verdict = "ok" if ratio <= 1 and not load.external else "OVER"
    return (
        f"{kind.name:<11} {megabytes:6.2f} MB {load.requests:4d} requests"
        f"  target {kind.target_mb:.1f} MB  ratio {ratio:4.2f}  external {load.external}"
        f"  {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    executable = shutil.which("chromium")
    if executable is None or not (args.site / "index.html").exists():
        print("needs Debian's chromium and a built book (ccin-learn book build)", file=sys.stderr)
        return 1
    server = make_server(args.site.resolve(), HOST, 0)
    serve_in_thread(server)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            print(f"site: {args.site.resolve()}  median of {args.runs} runs after a warm-up")
            for kind in PAGE_TYPES:
                print(report_line(kind, measure(browser, url_of(server) + kind.path, args.runs)))
            browser.close()
    except PlaywrightError as error:
        print(f"could not measure a page: {error}", file=sys.stderr)
        return 1
    finally:
        server.shutdown()
        server.server_close()
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
