"""Progress config for the browser: each module's pages from ``_toc.yml``, safe in a script."""

from __future__ import annotations

import json
from pathlib import Path

from ccin_learn.site.progress import (
    CONFIG_ID,
    PANEL_HTML,
    config_script,
    module_pages,
    page_config,
)
from ccin_learn.site.toc import toc_docnames

ROOT = Path(__file__).resolve().parents[2]

TOC = """\
format: jb-book
root: book/index
parts:
  - caption: Start here
    chapters:
      - file: book/plan
  - caption: Course
    chapters:
      - file: modules/coop-option/index
        sections:
          - file: modules/coop-option/a
          - file: modules/coop-option/b
            sections:
              - file: modules/coop-option/b-more
      - file: modules/finance/index
        sections:
          - file: modules/finance/a
  - caption: Micro-credentials
    chapters:
      - file: book/credentials/index
        sections:
          - file: book/credentials/coop-option
"""


def test_modules_are_the_catalogues_and_count_every_page(tmp_path):
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    assert module_pages(tmp_path) == {
        "modules/coop-option/index": [
            "modules/coop-option/index",
            "modules/coop-option/a",
            "modules/coop-option/b",
            "modules/coop-option/b-more",
        ],
        "modules/finance/index": ["modules/finance/index", "modules/finance/a"],
    }


def test_the_book_has_five_modules_whose_pages_are_all_built():
    modules = module_pages(ROOT)
    assert sorted(modules) == [
        "modules/community-wealth-building/index",
        "modules/coop-option/index",
        "modules/cooperative-placemaking/index",
        "modules/finance/index",
        "modules/legal-structures/index",
    ]
    built = set(toc_docnames(ROOT))
    for landing, pages in modules.items():
        assert pages[0] == landing and set(pages) <= built
        assert f"{landing.removesuffix('index')}quiz" in pages


def test_page_config_points_back_to_the_site_root():
    config = page_config("modules/finance/tax-reliefs", "book/index", {})
    assert config == {
        "page": "modules/finance/tax-reliefs",
        "root": "../../",
        "home": "book/index",
        "modules": {},
    }
    assert page_config("index", "book/index", {})["root"] == ""


def test_config_script_is_json_that_no_text_can_close_early():
    config = {"page": "p", "root": "", "home": "h", "modules": {"</script><b>": ["x"]}}
    script = config_script(config)
    assert script.startswith(f'<script type="application/json" id="{CONFIG_ID}">')
    body = script.removeprefix(script.split(">", 1)[0] + ">").removesuffix("</script>")
    assert "</script>" not in body and json.loads(body) == config


def test_panel_says_progress_stays_in_this_browser_and_labels_the_file_input():
    assert "kept only in this browser" in PANEL_HTML and "Nothing is sent anywhere" in PANEL_HTML
    assert '<label for="ccin-progress-import">' in PANEL_HTML
    assert 'id="ccin-progress-import"' in PANEL_HTML
    assert 'role="status" aria-live="polite"' in PANEL_HTML
