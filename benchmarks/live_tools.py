"""How long a tool in the book takes from "Run this tool here" to its first result, and its size.

Run ``python benchmarks/live_tools.py [--runs 3] [--site _build/html]`` after
``ccin-learn book build``. It serves the built book with the kit's own server and, in
Debian's chromium with every request off the machine failing (a dead proxy), opens the
LM3 calculator's page and presses "Run this tool here", as a reader does; the clock stops
when the page says the tool is running (its first result is drawn).

- first visit: a fresh browser profile each run (empty cache), after one warm-up run;
- later visit: one profile, a warm-up visit that fills its cache, then timed revisits
  (the runtime then comes from the browser's cache).

The two kinds alternate run by run, so a change in the machine's load touches both.
Medians of ``--runs`` (>= 3); the load average is printed, since 2 shared cores make every
figure depend on what else runs. Targets: first <= 10 s, later <= 3 s, the lite site
<= 60 MB. A report: exits 0 whether or not targets are met, 1 if it cannot measure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from ccin_learn.site.server import make_server, serve_in_thread, url_of

# Off-machine requests go to a proxy that is not there, so they fail; this machine's own
# addresses bypass it. Not Playwright's request routing: routing turns the browser's HTTP
# cache off, and a later visit would then fetch every file again.
DEAD_PROXY = "--proxy-server=http://127.0.0.1:9"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    DEAD_PROXY,
]
RESULT_MS = 180_000
TARGET_FIRST_S, TARGET_LATER_S, TARGET_MB = 10.0, 3.0, 60.0
PAGE = "modules/community-wealth-building/lm3-calculator.html"
ROOT = Path(__file__).resolve().parents[1]


def offline(context: BrowserContext, outside: list[str]) -> None:
    """Record every request that is not to this machine (the dead proxy makes it fail)."""

    def seen(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if not url.startswith(("http://127.0.0.1", "data:", "blob:")):
            outside.append(url)

    context.on("request", seen)


def proves_offline(context: BrowserContext) -> bool:
    """True if a request off the machine fails, as every one in the runs must."""
    page = context.new_page()
    try:
        page.goto("http://192.0.2.1/", timeout=10_000)  # TEST-NET-1: never a real host
    except PlaywrightError:
        return True
    finally:
        page.close()
    return False


def press_to_result(context: BrowserContext, url: str) -> float:
    """Seconds from pressing "Run this tool here" to the tool's first result."""
    page = context.new_page()
    page.goto(url)
    button = page.get_by_role("button", name="Run this tool here")
    button.wait_for()
    start = time.perf_counter()
    button.click()
    page.locator(".ccin-live-running").wait_for(timeout=RESULT_MS)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def fresh(browser: Browser, url: str, outside: list[str]) -> float:
    context = browser.new_context()
    offline(context, outside)
    try:
        return press_to_result(context, url)
    finally:
        context.close()


def measure(site: Path, runs: int) -> tuple[list[float], list[float], list[str]]:
    """First-visit and later-visit seconds (warm-ups dropped), and requests that tried to leave."""
    server = make_server(site, "127.0.0.1", 0)
    serve_in_thread(server)
    url = f"{url_of(server).rstrip('/')}/{PAGE}"
    outside: list[str] = []
    first: list[float] = []
    later: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            kept = browser.new_context()
            if not proves_offline(kept):
                raise SystemExit("a request off this machine got through: not measuring")
            offline(kept, outside)
            fresh(browser, url, outside)  # warm-up: disk and OS caches
            press_to_result(kept, url)  # warm-up: fills the kept profile's cache
            for run in range(runs):
                if run % 2:
                    later.append(press_to_result(kept, url))
                    first.append(fresh(browser, url, outside))
                else:
                    first.append(fresh(browser, url, outside))
                    later.append(press_to_result(kept, url))
            kept.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return first, later, outside


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be 3 or more: a median of fewer is not a figure")
    if not (args.site / PAGE).is_file() or not (args.site / "lite").is_dir():
        print(f"no built book with its lite site in {args.site}: run ccin-learn book build")
        return 1
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores)"
    )
    first, later, outside = measure(args.site, args.runs)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    size = folder_mb(args.site / "lite")
    rows = [
        ("first visit, press to first result", statistics.median(first), TARGET_FIRST_S, "s"),
        ("later visit, from the cache", statistics.median(later), TARGET_LATER_S, "s"),
        ("lite runtime in the site", size, TARGET_MB, "MB"),
    ]
    for name, value, target, unit in rows:
        print(
            f"{name:36} {value:6.1f} {unit} (target {target:g} {unit}, ratio {value / target:.2f})"
        )
    print(f"runs: first {[round(x, 1) for x in first]}, later {[round(x, 1) for x in later]}")
    print(f"requests off the machine: {len(outside)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
