"""How long a live tool takes from "Run this tool here" to its first result, and its size.

Run ``python benchmarks/live_tools.py [--runs 3] [--site DIR]``. It builds the lite site
with ``ccin_learn.site.lite`` (or uses ``--site``, a folder holding ``lite/``), serves it
with the kit's own server, and opens the LM3 calculator's REPL in Debian's chromium with
every request off the machine aborted. The page load stands for the press: the kit's
page creates this very iframe when the reader presses "Run".

- first visit: a fresh browser context each run (empty cache), after one warm-up run;
- later visit: one context, a warm-up visit that fills its cache, then timed revisits.

Medians of ``--runs`` (>= 3) runs; the load average is printed, since 2 shared cores make
every figure depend on what else runs. Targets: first <= 10 s, later <= 3 s, the lite
site <= 60 MB. A report: exits 0 whether or not targets are met, 1 if it cannot measure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import BrowserContext, sync_playwright

from ccin_learn.site.lite import build_lite, repl_url
from ccin_learn.site.server import make_server, serve_in_thread, url_of

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULT_MS = 120_000
TARGET_FIRST_S, TARGET_LATER_S, TARGET_MB = 10.0, 3.0, 60.0
PACKAGE = Path(__file__).resolve().parents[1] / "ccin_learn"


def offline(context: BrowserContext, outside: list[str]) -> None:
    """Abort and record every request that is not to this machine."""

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort("internetdisconnected")  # type: ignore[attr-defined]

    context.route("**/*", route)


def time_result(context: BrowserContext, url: str) -> float:
    """Seconds from opening the tool to its first drawn score."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.get_by_text("LM3 score:").wait_for(timeout=RESULT_MS)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def site_bytes(lite: Path) -> int:
    return sum(p.stat().st_size for p in lite.rglob("*") if p.is_file())


def measure(root: Path, runs: int) -> tuple[float, float, list[str]]:
    """Median first-visit and later-visit seconds, and any request that tried to leave."""
    server = make_server(root, "127.0.0.1", 0)
    serve_in_thread(server)
    url = repl_url(f"{url_of(server).rstrip('/')}/lite", "lm3-calculator")
    outside: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            first = []
            for _ in range(runs + 1):  # the first is the warm-up (disk, OS caches)
                context = browser.new_context()
                offline(context, outside)
                first.append(time_result(context, url))
                context.close()
            context = browser.new_context()
            offline(context, outside)
            later = [time_result(context, url) for _ in range(runs + 1)]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return statistics.median(first[1:]), statistics.median(later[1:]), outside


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a folder holding an already built lite/")
    parser.add_argument("--jupyter", default=f"{sys.executable} -m jupyter")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be 3 or more: a median of fewer is not a figure")
    root = args.site or Path(tempfile.mkdtemp(prefix="lite-bench-"))
    if args.site is None:
        build_lite(PACKAGE, PACKAGE.parent / ".lite-cache", root / "lite", args.jupyter.split())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before: {load} ({os.cpu_count()} cores)")
    first, later, outside = measure(root, args.runs)
    size = site_bytes(root / "lite") / 1e6
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"first visit, press to first result: {first:.1f} s (target {TARGET_FIRST_S} s)")
    print(f"later visit, from the cache:        {later:.1f} s (target {TARGET_LATER_S} s)")
    print(f"lite runtime in the site:           {size:.1f} MB (target {TARGET_MB} MB)")
    print(f"requests off the machine:           {len(outside)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
