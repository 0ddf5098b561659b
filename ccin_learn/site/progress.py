"""Reading progress kept in the reader's browser: what the pages tell ``static/progress.js``.

The browser needs to know which pages make up each module, to show "7 of 19 read"
beside the module in the navigation. That list comes from ``_toc.yml`` here, so a
page added to a module counts without touching the script. Each page carries it as
a JSON ``<script>`` in its head, with the page's own name and the way back to the
site's root. Nothing is sent anywhere: the script keeps progress in localStorage.

``{progress-panel}`` puts the home page's "Your progress" box: continue where you
left off, and saving progress to a file or loading it on another machine.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.site.toc import chapter_docnames

CONFIG_ID = "ccin-progress-config"

PANEL_HTML = """\
<div class="ccin-progress-panel">
<p>Your progress is kept only in this browser, on this device: the pages you have read and
your quiz answers. Nothing is sent anywhere. To carry it to another computer or browser,
save it to a file here and load the file there.</p>
<p class="ccin-continue" hidden><a class="ccin-continue-link" href="#">Continue where you
left off<span class="ccin-continue-title"></span></a></p>
<div class="ccin-progress-tools" hidden>
<p><button type="button" class="ccin-progress-export">Save your progress to a file</button></p>
<p><label for="ccin-progress-import">Load progress from a file (it is added to the progress
kept in this browser):</label>
<input type="file" id="ccin-progress-import" class="ccin-progress-import"
accept=".json,application/json"></p>
</div>
<p class="ccin-progress-message" role="status" aria-live="polite"></p>
<noscript><p>Keeping your progress needs JavaScript.</p></noscript>
</div>
"""


@lru_cache(maxsize=4)
def module_pages(root: Path) -> dict[str, list[str]]:
    """Each course module's pages by its landing page (the catalogue's modules, in order).

    Other chapters ("Plan your route", the micro-credentials list) are not modules, so
    they get no count.
    """
    chapters = chapter_docnames(root)
    return {
        module.page: chapters[module.page]
        for module in default_catalogue().modules
        if module.page in chapters
    }


def page_config(pagename: str, root_doc: str, modules: dict[str, list[str]]) -> dict[str, Any]:
    """What progress.js needs on one page: its name, the site's root, the home page, the modules."""
    return {
        "page": pagename,
        "root": "../" * pagename.count("/"),
        "home": root_doc,
        "modules": modules,
    }


def config_script(config: dict[str, Any]) -> str:
    """The config as a JSON script element; ``<`` is escaped so no text can close the element."""
    body = json.dumps(config, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{CONFIG_ID}">{body}</script>'


def add_progress_config(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Put the page's progress config in its head, beside the meta tags."""
    modules = module_pages(Path(app.srcdir))
    script = config_script(page_config(pagename, app.config.root_doc, modules))
    context["metatags"] = context.get("metatags", "") + script


class ProgressPanel(SphinxDirective):
    """The home page's "Your progress" box, filled in by progress.js."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [nodes.raw("", PANEL_HTML, format="html")]


def setup_progress(app: Sphinx) -> None:
    """Register the panel, the per-page config and the script; called from sphinxext.setup."""
    app.add_directive("progress-panel", ProgressPanel)
    app.connect("html-page-context", add_progress_config)
    app.add_js_file("progress.js", loading_method="defer", priority=400)
    app.add_css_file("progress.css")
