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
``--baseline OTHER`` measures a second built book (an older commit's) in the same run and
browser, each with its own warm-ups and kept profile, the two books' order alternating
run by run, and prints each figure's ratio to the baseline's.
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
from dataclasses import dataclass, field
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


@dataclass
class Side:
    """One built book under test: its server, its kept profile, and its timings."""

    site: Path
    url: str = ""
    kept: BrowserContext | None = None
    first: list[float] = field(default_factory=list)
    later: list[float] = field(default_factory=list)


def one_run(browser: Browser, side: Side, later_first: bool, outside: list[str]) -> None:
    """A first visit (fresh profile) and a later one (kept profile), in the given order."""
    assert side.kept is not None
    if later_first:
        side.later.append(press_to_result(side.kept, side.url))
        side.first.append(fresh(browser, side.url, outside))
    else:
        side.first.append(fresh(browser, side.url, outside))
        side.later.append(press_to_result(side.kept, side.url))


def measure(sides: list[Side], runs: int) -> list[str]:
    """Fill each side's timings (warm-ups dropped); return the requests that tried to leave.

    With a baseline, both books are measured in the same browser, the order of the sides
    and of first and later visits alternating run by run.
    """
    servers = [make_server(side.site, "127.0.0.1", 0) for side in sides]
    outside: list[str] = []
    try:
        for side, server in zip(sides, servers, strict=True):
            serve_in_thread(server)
            side.url = f"{url_of(server).rstrip('/')}/{PAGE}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            for side in sides:
                side.kept = browser.new_context()
                if not proves_offline(side.kept):
                    raise SystemExit("a request off this machine got through: not measuring")
                offline(side.kept, outside)
                fresh(browser, side.url, outside)  # warm-up: disk and OS caches
                press_to_result(side.kept, side.url)  # warm-up: fills the kept profile's cache
            for run in range(runs):
                for side in sides if run % 2 == 0 else sides[::-1]:
                    one_run(browser, side, later_first=bool(run % 2), outside=outside)
            browser.close()
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    return outside


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def figures(side: Side) -> list[float]:
    """The side's medians of first and later visits, and its lite site's size."""
    return [
        statistics.median(side.first),
        statistics.median(side.later),
        folder_mb(side.site / "lite"),
    ]


ROWS = [
    ("first visit, press to first result", TARGET_FIRST_S, "s"),
    ("later visit, from the cache", TARGET_LATER_S, "s"),
    ("lite runtime in the site", TARGET_MB, "MB"),
]


def report(side: Side, baseline: Side | None) -> None:
    """Medians against the targets, and against the baseline's when there is one."""
    before = figures(baseline) if baseline is not None else [None] * len(ROWS)
    for (name, target, unit), value, old in zip(ROWS, figures(side), before, strict=True):
        line = (
            f"{name:36} {value:6.1f} {unit} (target {target:g} {unit}, ratio {value / target:.2f})"
        )
        if old is not None:
            line += f"; baseline {old:.1f} {unit}, ratio to it {value / old:.2f}"
        print(line)
    for label, runs in (("runs", side), ("baseline runs", baseline)):
        if runs is not None:
            first, later = ([round(x, 1) for x in kind] for kind in (runs.first, runs.later))
            print(f"{label}: first {first}, later {later}")


def built(site: Path) -> bool:
    return (site / PAGE).is_file() and (site / "lite").is_dir()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument(
        "--baseline", type=Path, help="another built book (an older commit's) to measure beside it"
    )
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be 3 or more: a median of fewer is not a figure")
    for site in filter(None, (args.site, args.baseline)):
        if not built(site):
            print(f"no built book with its lite site in {site}: run ccin-learn book build")
            return 1
    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores)"
    )
    side = Side(args.site)
    baseline = Side(args.baseline) if args.baseline else None
    outside = measure([side, baseline] if baseline else [side], args.runs)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(side, baseline)
    print(f"requests off the machine: {len(outside)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
