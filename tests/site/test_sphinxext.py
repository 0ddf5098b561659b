"""The book's Sphinx additions: module summaries from the catalogue, clean page assets."""

from __future__ import annotations

from types import SimpleNamespace

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.site.sphinxext import clean_page_assets, page_has_widgets, summary_markdown


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


WIDGET_VIEW = '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "a1"}</script>'
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def script(filename, body="", **attributes):
    if body:
        attributes["body"] = body
    return SimpleNamespace(filename=filename, attributes=attributes)


def manager_scripts():
    return [
        script("vendor/require.js"),
        script("vendor/html-manager/embed-amd.js"),
        script("quiz.js"),
    ]


def test_a_page_with_a_widget_view_or_saved_state_has_widgets():
    assert page_has_widgets(f"<p>Plan</p>{WIDGET_VIEW}", [])
    assert page_has_widgets("<p>Plan</p>", [script("", "{}", type=WIDGET_STATE)])


def test_a_text_page_has_no_widgets():
    assert not page_has_widgets("<p>Widgets are explained here.</p>", manager_scripts())


def test_a_text_page_loads_no_widget_manager():
    context = {"script_files": manager_scripts(), "css_files": [], "body": "<p>Text</p>"}
    clean_page_assets(None, "page", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == ["quiz.js"]


def test_a_widget_page_keeps_the_widget_manager():
    context = {"script_files": manager_scripts(), "css_files": [], "body": WIDGET_VIEW}
    clean_page_assets(None, "page", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == [
        "vendor/require.js",
        "vendor/html-manager/embed-amd.js",
        "quiz.js",
    ]


def test_duplicate_scripts_and_thebe_loader_are_dropped():
    scripts = [
        script("vendor/require.js"),
        script("sphinx-thebe.js"),
        script("", 'const THEBE_JS_URL = "https://unpkg.com/thebe"'),
        script("vendor/html-manager/embed-amd.js"),
        script("vendor/require.js"),
        script("vendor/html-manager/embed-amd.js"),
    ]
    context = {"script_files": scripts, "css_files": [], "body": WIDGET_VIEW}
    clean_page_assets(None, "page", "page.html", context, None)
    assert [s.filename for s in context["script_files"]] == [
        "vendor/require.js",
        "vendor/html-manager/embed-amd.js",
    ]
