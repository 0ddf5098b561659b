"""The self-assessment app's widgets, driven as an officer would, without a browser."""

from __future__ import annotations

import base64
import io
import re

import pytest
from pypdf import PdfReader

from ccin_learn.widgets.assessment_app import NOT_ANSWERED, SelfAssessmentApp


@pytest.fixture
def started(store, checklist):
    """``started(name=..., council_type=...)``: an app with a new council opened in it."""

    def start(name="Anyshire County", council_type="county"):
        app = SelfAssessmentApp(store, checklist, book_base="http://book.test/")
        app.picker.name.value = name
        app.picker.council_type.value = council_type
        app.on_start_new()
        return app

    return start


def test_starting_a_council_shows_the_workspace_with_its_defaults(store, started):
    app = started()
    assert app.workspace.layout.display is None and app.picker.layout.display == "none"
    assert "Anyshire County" in app.heading.value
    assert app.editors["c3"].not_applicable.value is True
    assert app.editors["c3"].level.disabled
    assert "0 of 5 answered" not in app.scores.value  # c3 (not applicable) counts
    assert "1 of 5 answered: too early" in app.scores.value


def test_choosing_levels_updates_scores_priorities_and_charts(store, started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 2
    app.editors["p1"].level.value = 4
    assert "2 of 5 answered: too early for an overall score" in app.scores.value
    app.editors["c2"].level.value = 3
    assert "Overall: <strong>75%</strong>" in app.scores.value  # (2+4+3)/12, 3 of 5 answered
    assert "Action c1 title" in app.priorities.value
    assert "c1: level 3 for this action, in words" in app.priorities.value
    assert (
        'href="http://book.test/modules/community-wealth-building/index.html"'
        in app.priorities.value
    )
    assert "2 Committed" in app.charts.value
    app.editors["c1"].level.value = 0
    assert "Overall: <strong>58%</strong>" in app.scores.value  # (0+4+3)/12


def test_not_applicable_waits_for_a_reason(store, started):
    app = started(council_type="unitary")
    editor = app.editors["p2"]
    editor.level.value = 1
    editor.not_applicable.value = True
    assert "Type why this action does not apply" in app.status.value
    assert store.draft("Anyshire County").assessment.answer("p2").level == 1
    editor.reason.value = "No council land here."
    answer = store.draft("Anyshire County").assessment.answer("p2")
    assert answer.not_applicable.reason == "No council land here." and answer.level is None
    assert editor.level.value == NOT_ANSWERED and editor.level.disabled


def test_typed_evidence_is_kept_without_saving(store, started, checklist):
    app = started()
    app.editors["c1"].evidence.value = "Cabinet minute 14/2026"
    again = SelfAssessmentApp(store, checklist)
    again.picker.saved.value = "Anyshire County"
    again.on_open_saved()
    assert again.editors["c1"].evidence.value == "Cabinet minute 14/2026"
    assert "Restored your unsaved answers" in again.status.value


def test_save_history_and_changes_since_last_version(store, started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 1
    app.on_save()
    assert "Saved version 1 of Anyshire County" in app.status.value
    assert app.versions.options[0][1] == 1
    app.editors["c1"].level.value = 3
    assert "Unsaved changes to version 1: changes since version 1" in app.changes.value
    assert "1 Exploring \u2192 3 Delivering" in app.changes.value


def test_a_colleagues_newer_save_is_reported_not_overwritten(store, started, checklist):
    mine = started(council_type="unitary")
    mine.on_save()
    theirs = SelfAssessmentApp(store, checklist)
    theirs.picker.saved.value = "Anyshire County"
    theirs.on_open_saved()
    theirs.editors["c2"].level.value = 2
    theirs.on_save()
    mine.editors["c1"].level.value = 4
    mine.on_save()
    assert "Problem:" in mine.status.value and "someone saved version 2" in mine.status.value
    assert store.latest_version_number("Anyshire County") == 2


def test_downloads_offer_all_four_files(store, started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 2
    app.on_downloads()
    links = app.downloads.value
    for suffix, mime in (
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("html", "text/html"),
        ("pdf", "application/pdf"),
    ):
        assert 'download="self-assessment-anyshire-county-' in links
        assert f'.{suffix}"' in links and f"data:{mime};base64," in links


def test_an_unexpected_error_is_a_friendly_message_not_a_traceback(
    store, monkeypatch, caplog, started
):
    app = started(council_type="unitary")

    def broken() -> None:
        raise RuntimeError("database exploded at line 42")

    monkeypatch.setattr(app.session, "save_version", broken)
    app.on_save()
    assert "Something went wrong" in app.status.value
    assert "RuntimeError" not in app.status.value and "line 42" not in app.status.value
    assert "database exploded" in caplog.text, "the details go to the server log"


def test_starting_without_a_type_asks_for_it(store, checklist):
    app = SelfAssessmentApp(store, checklist)
    app.picker.name.value = "Newtown"
    app.on_start_new()
    assert "choose the type of council for Newtown" in app.status.value
    assert app.session is None


def test_an_existing_council_opens_by_name_without_its_type(store, started, checklist):
    started(council_type="unitary").on_save()
    again = SelfAssessmentApp(store, checklist)
    again.picker.name.value = "anyshire county"
    again.on_start_new()
    assert again.session is not None and again.session.based_on == 1


def test_the_saved_list_is_reread_when_the_page_opens(store, started, checklist):
    app = SelfAssessmentApp(store, checklist)  # prepared before anyone saved
    started().on_save()
    app.refresh_councils()
    assert ("Anyshire County", "Anyshire County") in app.picker.saved.options


def downloaded(app: SelfAssessmentApp, suffix: str) -> bytes:
    """The bytes behind the download link an officer clicks, decoded from its data URL."""
    found = re.search(
        rf'download="[^"]+\.{suffix}" href="data:[^;]+;base64,([^"]+)"', app.downloads.value
    )
    assert found, f"no .{suffix} download link"
    return base64.b64decode(found.group(1))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_downloads_after_saving_compare_with_the_version_before(store, started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 1
    app.on_save()
    for action_id, level in [("c1", 3), ("c2", 2), ("p1", 0), ("p2", 4)]:
        app.editors[action_id].level.value = level
    app.on_save()
    app.on_downloads()
    html = downloaded(app, "html").decode("utf-8")
    assert "<dt>Version</dt><dd>Saved version 2</dd>" in html
    assert "Changes since version 1" in html
    assert "4 actions changed" in html and "0 actions changed" not in html
    text = pdf_text(downloaded(app, "pdf"))
    assert "Version: Saved version 2" in text and "Changes since version 1" in text
    assert "Saved version 2: changes since version 1" in app.changes.value


def test_downloads_of_unsaved_changes_say_so(store, started):
    app = started(council_type="unitary")
    app.on_save()
    app.editors["c2"].level.value = 2
    app.on_downloads()
    html = downloaded(app, "html").decode("utf-8")
    assert "<dt>Version</dt><dd>Unsaved changes to version 1</dd>" in html
    assert "Saved version" not in html
    assert "Unsaved changes to version 1" in pdf_text(downloaded(app, "pdf"))


def test_a_council_name_with_markup_stays_plain_text(store, started):
    app = started(name='<script>alert("x")</script> Council', council_type="unitary")
    for shown in (app.heading.value, app.status.value):
        assert "<script>" not in shown and "&lt;script&gt;alert(" in shown
    app.on_save()
    assert "<script>" not in app.status.value and "Saved version 1 of &lt;script&gt;" in (
        app.status.value
    )


def test_a_reason_counts_once_the_assessment_model_accepts_it(store, started):
    app = started(council_type="unitary")
    editor = app.editors["p2"]
    editor.not_applicable.value = True
    editor.reason.value = " ab "  # too short once trimmed: still waiting
    assert store.draft("Anyshire County").assessment.answer("p2").not_applicable is None
    editor.reason.value = "abc"
    assert store.draft("Anyshire County").assessment.answer("p2").not_applicable.reason == "abc"
    assert "not applicable" in app.charts.value


def test_changed_actions_are_charted_before_and_now(store, started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 1
    app.on_save()
    assert "Saved version 1: no earlier version to compare with." in app.changes.value
    app.editors["c1"].level.value = 3
    changes = app.changes.value
    assert "<caption>Changed actions: version 1 and now</caption>" in changes
    assert '<span class="value">before: 1 Exploring</span>' in changes
    assert '<span class="value">3 Delivering</span>' in changes
    app.editors["c1"].level.value = 1  # back to version 1: compared with the one before it
    assert "Saved version 1: no earlier version to compare with." in app.changes.value
    app.editors["c1"].evidence.value = "Cabinet minute 14/2026"
    app.refresh_scores()
    assert "Unsaved changes to version 1" in app.changes.value
    assert "No level has changed." in app.changes.value


def test_a_wrong_ons_code_is_explained_without_a_regular_expression(store, checklist):
    app = SelfAssessmentApp(store, checklist)
    app.picker.name.value = "Newtown"
    app.picker.council_type.value = "unitary"
    app.picker.gss.value = "E6000001"
    app.on_start_new()
    assert "An ONS code looks like E06000001: a letter (E, W, S or N) and 8 digits" in (
        app.status.value
    )
    assert "^[" not in app.status.value and "should match pattern" not in app.status.value
    assert app.session is None and app.workspace.layout.display == "none"


def test_the_summary_bar_shows_the_headline_and_what_was_saved(store, started):
    app = started(council_type="unitary")
    assert "0 of 5 answered: too early for an overall score" in app.summary.value
    app.refresh_summary("Version 3 saved")
    for action_id, level in [("c1", 2), ("c2", 3), ("p1", 4)]:
        app.editors[action_id].level.value = level
    assert "Overall: 75% (3 of 5 answered" in app.summary.value
    assert "Version 3 saved" in app.summary.value, "a score change keeps the save state"
    app.refresh_summary("Draft saved at 12:04")
    assert "Draft saved at 12:04" in app.summary.value
    assert "Version 3 saved" not in app.summary.value
    assert 'href="#ccin-scores"' in app.summary.value and 'id="ccin-scores"' in app.scores.value


def test_save_comes_right_after_the_scores(started):
    """The score column sticks in view on a wide screen, so Save stays in reach with it."""
    app = started(council_type="unitary")
    (columns,) = [c for c in app.workspace.children if "ccin-columns" in c._dom_classes]
    questions, scores = columns.children
    assert app.pane_box in questions.children and app.theme in questions.children
    assert scores.children[0] is app.scores and scores.children[2] is app.save_button
    assert app.workspace.children[:2] == (app.heading, app.summary)


def test_course_links_open_in_a_new_tab_and_say_so(started):
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 1
    links = re.findall(r"<a [^>]*>.*?</a>", app.priorities.value)
    assert links
    for link in links:
        assert 'target="_blank"' in link and 'rel="noopener"' in link
        assert '<span class="ccin-visually-hidden"> (opens in a new tab)</span>' in link


def test_the_council_heading_can_take_focus(started):
    app = started(council_type="unitary")
    assert re.search(
        r'<h2 class="ccin-council-heading" tabindex="-1">Anyshire County</h2>', (app.heading.value)
    )
