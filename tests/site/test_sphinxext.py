"""The book's Sphinx additions: module summaries from the catalogue, clean page assets."""

from __future__ import annotations

from types import SimpleNamespace

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.site.sphinxext import clean_page_assets, summary_markdown


def test_summary_states_time_prerequisites_and_outcomes():
    catalogue = default_catalogue()
    finance = catalogue.get("finance")
    lines = summary_markdown(finance, catalogue)
    assert lines[0] == "**Study time:** about 2.5 hours."
    assert "*The Coop Option*" in lines[2]
    assert "By the end you can:" in lines[4]
    assert lines[-1] == f"- {finance.outcomes[-1]}."
    assert len([line for line in lines if line.startswith("- ")]) == len(finance.outcomes)


def test_core_module_has_no_prerequisite():
    catalogue = default_catalogue()
    lines = summary_markdown(catalogue.get("coop-option"), catalogue)
    assert lines[2] == "**Prerequisites:** none; you can start here."


def script(filename, body=""):
    return SimpleNamespace(filename=filename, attributes={"body": body} if body else {})


def test_duplicate_scripts_and_thebe_loader_are_dropped():
    scripts = [
        script("vendor/require.js"),
        script("sphinx-thebe.js"),
        script("", 'const THEBE_JS_URL = "https://unpkg.com/thebe"'),
        script("vendor/html-manager/embed-amd.js"),
        script("vendor/require.js"),
        script("vendor/html-manager/embed-amd.js"),
    ]
    context = {"script_files": scripts, "css_files": []}
    clean_page_assets(None, "page", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == [
        "vendor/require.js",
        "vendor/html-manager/embed-amd.js",
    ]
