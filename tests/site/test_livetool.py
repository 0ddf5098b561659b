"""The note above each tool's picture: on the right pages, saying the right thing.

A tool that runs in the page gets the Run button and the address of its REPL; a tool
that needs the kit's server says so and links to it. Read from the notebooks (quick) and
from the built pages (slow), as the reader gets them.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from ccin_learn.apps.catalogue import default_tools
from ccin_learn.settings import app_url
from ccin_learn.site.lite import TOOL_CODE
from ccin_learn.site.livetool import page_note, server_note

ROOT = Path(__file__).resolve().parents[2]
# The tools whose book page shows a picture of the tool (the self-assessment page links
# to its app and explains the checklist instead).
PICTURED = [tool for tool in default_tools().tools if tool.app != "self-assessment"]


def cells(docname: str) -> list[dict]:
    return json.loads((ROOT / f"{docname}.ipynb").read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("tool", PICTURED, ids=lambda t: t.app)
def test_each_tools_picture_has_the_note_directly_above_it(tool):
    page = cells(tool.page)
    marker = f"```{{live-tool}} {tool.app}\n```"
    at = [i for i, cell in enumerate(page) if "".join(cell["source"]).strip() == marker]
    assert len(at) == 1, f"{tool.page} needs one {{live-tool}} {tool.app}"
    below = page[at[0] + 1]
    assert below["cell_type"] == "code"
    assert "import" in "".join(below["source"]) and "(" in "".join(below["source"])
    assert not any("live_tool_link" in "".join(cell["source"]) for cell in page)


def test_every_pictured_tool_but_the_spend_analysis_runs_in_the_page():
    # The spend analysis needs pandas, which has no browser build (December 2026).
    assert {tool.app for tool in PICTURED} - set(TOOL_CODE) == {"spend-analysis"}


def test_the_notes_say_what_the_reader_sees_and_what_to_do():
    runs = " ".join(page_note("LM3 calculator"))
    assert "a picture until you start it" in runs and "Run this tool here" in runs
    assert "nothing you type leaves your computer" in runs
    server = " ".join(server_note("Spend", "http://127.0.0.1:8866/voila/render/spend.ipynb"))
    assert (
        "ccin-learn start" in server
        and "(http://127.0.0.1:8866/voila/render/spend.ipynb)" in server
    )


@pytest.mark.slow
@pytest.mark.parametrize("tool", PICTURED, ids=lambda t: t.app)
def test_the_built_page_carries_the_note_and_a_repl_that_exists(built_site, tool):
    html = (built_site / f"{tool.page}.html").read_text(encoding="utf-8")
    box = BeautifulSoup(html, "html.parser").select_one("aside.ccin-live-tool")
    assert box is not None and box["data-tool"] == tool.app
    if tool.app in TOOL_CODE:
        assert box.select_one("button.ccin-live-start").get_text() == "Run this tool here"
        repl = urljoin(f"http://book/{tool.page}.html", box["data-repl"])
        assert (built_site / urlsplit(repl).path.lstrip("/")).is_file()
        assert parse_qs(urlsplit(repl).query)["code"] == [TOOL_CODE[tool.app]]
    else:
        assert box.select_one("button") is None
        assert box.select_one("a")["href"] == app_url(tool.app)
