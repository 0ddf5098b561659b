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


@pytest.fixture
def colleague(store, checklist):
    """``colleague()``: a second officer's app with Anyshire County open in it."""

    def open_as_colleague():
        app = SelfAssessmentApp(store.as_person("colleague"), checklist)
        app.picker.saved.value = "Anyshire County"
        app.on_open_saved()
        return app

    return open_as_colleague


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
    assert "Type why this action does not apply" in editor.message.value, "said beside it"
    assert app.status.value == "" and app.save_message.value == ""
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
    assert "Saved version 1 of Anyshire County" in app.save_message.value, "beside Save"
    assert "Version 1 saved at" in app.save_state.value
    panel = app.versions_panel
    assert panel.versions.value == 1 and "(working from this)" in panel.versions.label
    assert panel.versions.label.endswith(f" by {store.person} (working from this)"), "who saved"
    app.editors["c1"].level.value = 3
    assert "Unsaved changes to version 1: changes since version 1" in app.changes.value
    assert "1 Exploring \u2192 3 Delivering" in app.changes.value


def test_a_colleagues_newer_save_is_merged_not_overwritten_nor_lost(store, started, colleague):
    mine = started(council_type="unitary")
    mine.on_save()
    theirs = colleague()
    theirs.editors["c2"].level.value = 2
    theirs.editors["c1"].level.value = 1
    theirs.on_save()
    mine.editors["c1"].level.value = 4
    mine.editors["p1"].evidence.value = "Our own evidence"
    mine.on_save()
    refusal = mine.save_message.value
    assert "Problem:" in refusal and "someone saved version 2" in refusal
    assert "Your answers are kept" in refusal
    assert store.latest_version_number("Anyshire County") == 2
    assert mine.conflict.layout.display is None, "the side-by-side view opens"
    assert list(mine.conflict.choices) == ["c1"]
    shown = mine.conflict.items.children[0].value
    assert "Your answer" in shown and "4 Embedded" in shown and "1 Exploring" in shown
    mine.on_save_merged()  # no choice made yet: asked, nothing saved
    assert "choose whose answer to keep for: Action c1 title" in mine.save_message.value
    assert store.latest_version_number("Anyshire County") == 2
    mine.conflict.choices["c1"].value = "mine"
    mine.on_save_merged()
    assert "Saved version 3: your answers on top of version 2" in mine.save_message.value
    saved = store.load("Anyshire County")
    assert saved.version == 3
    assert saved.assessment.answer("c1").level == 4 and saved.assessment.answer("c2").level == 2
    assert saved.assessment.answer("p1").evidence == "Our own evidence"
    assert mine.editors["c2"].level.value == 2, "the colleague's answer is on screen too"
    assert mine.conflict.layout.display == "none"


def test_not_now_keeps_the_draft_and_closes_the_merge(store, started, checklist, colleague):
    mine = started(council_type="unitary")
    mine.on_save()
    theirs = colleague()
    theirs.editors["c2"].level.value = 2
    theirs.on_save()
    mine.editors["c1"].level.value = 4
    mine.on_save()
    assert mine.conflict.choices == {}, "only one of them changed each action"
    mine.on_merge_later()
    assert mine.conflict.layout.display == "none"
    assert store.draft("Anyshire County").assessment.answer("c1").level == 4
    again = SelfAssessmentApp(store, checklist)
    again.picker.saved.value = "Anyshire County"
    again.on_open_saved()
    assert "version 2 has been saved since" in again.status.value
    assert again.editors["c1"].level.value == 4


@pytest.fixture
def two_saved(started):
    """An app with version 1 (c1 at 1) and version 2 (c1 at 3) saved, and unsaved p1 at 2."""
    app = started(council_type="unitary")
    app.editors["c1"].level.value = 1
    app.on_save()
    app.editors["c1"].level.value = 3
    app.on_save()
    app.editors["p1"].level.value = 2
    return app


def test_two_versions_compare_without_changing_the_working_copy(two_saved):
    app = two_saved
    panel = app.versions_panel
    assert (panel.first.value, panel.second.value) == (1, 2)
    app.on_compare()
    view = panel.comparison.value
    assert "Version 1 and version 2" in view and "1 action changed" in view
    assert "<td>1 Exploring</td><td>3 Delivering</td>" in view
    assert app.session.assessment.answer("p1").level == 2 and app.session.based_on == 2
    panel.first.value = panel.second.value = 2
    app.on_compare()
    assert "choose two different versions" in app.versions_message.value
    app.on_close_comparison()
    assert panel.compare_view.layout.display == "none"


def test_making_an_old_version_the_working_copy_asks_first(two_saved):
    app = two_saved
    panel = app.versions_panel
    panel.versions.value = 1
    app.on_restore_asked()
    assert panel.confirm.layout.display is None
    assert "Your unsaved answers will be replaced" in panel.confirm_text.value
    app.on_restore_cancelled()
    assert app.session.assessment.answer("p1").level == 2, "cancel changes nothing"
    app.on_restore_asked()
    app.on_restore_confirmed()
    assert app.editors["c1"].level.value == 1 and app.editors["p1"].level.value == NOT_ANSWERED
    assert "Your working copy is now version 1" in app.versions_message.value
    assert app.session.based_on == 2, "a save goes on top of the latest version"


def test_the_place_in_the_address_reopens_the_council_and_theme(store, started, checklist):
    started(council_type="unitary").on_save()
    app = SelfAssessmentApp(store, checklist)
    app.restore_place("council=anyshire+county&section=placemaking")
    assert app.session is not None and app.session.council == "Anyshire County"
    assert app.theme.value == "placemaking"
    assert 'data-council="Anyshire County" data-section="placemaking"' in app.location.value
    other = SelfAssessmentApp(store, checklist)
    other.restore_place("council=%3Cb%3ENowhere")
    assert other.session is None and "&lt;b&gt;Nowhere" in other.status.value
    assert "not among the councils you can open" in other.status.value


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
    shown = app.save_message.value
    assert "Something went wrong" in shown
    assert "RuntimeError" not in shown and "line 42" not in shown
    assert "database exploded" in caplog.text, "the details go to the server log"


def test_starting_without_a_type_asks_for_it(store, checklist):
    app = SelfAssessmentApp(store, checklist)
    app.picker.name.value = "Newtown"
    app.on_start_new()
    assert "choose the type of council for Newtown" in app.picker.message.value
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
    assert "<script>" not in app.save_message.value
    assert "Saved version 1 of &lt;script&gt;" in app.save_message.value


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
    shown = app.picker.message.value
    assert "Problem: </strong>An ONS code looks like E06000001: a letter (E, W, S or N) and 8" in (
        shown
    )
    assert "^[" not in shown and "should match pattern" not in shown and "gss_code" not in shown
    assert app.session is None and app.workspace.layout.display == "none"


def test_the_summary_bar_shows_the_headline_and_what_was_saved(store, started):
    app = started(council_type="unitary")
    assert "0 of 5 answered: too early for an overall score" in app.summary.value
    for action_id, level in [("c1", 2), ("c2", 3), ("p1", 4)]:
        app.editors[action_id].level.value = level
    assert "Overall: 75% (3 of 5 answered" in app.summary.value
    assert re.search(r"Draft saved at \d\d:\d\d", app.summary.value)
    app.on_save()
    assert re.search(r"Version 1 saved at \d\d:\d\d", app.summary.value)
    assert "Draft saved" not in app.summary.value
    assert 'href="#ccin-scores"' in app.summary.value and 'id="ccin-scores"' in app.scores.value


def test_save_comes_right_after_the_scores(started):
    """The score column sticks in view on a wide screen, so Save stays in reach with it."""
    app = started(council_type="unitary")
    (columns,) = [c for c in app.workspace.children if "ccin-columns" in c._dom_classes]
    questions, scores = columns.children
    assert app.pane_box in questions.children and app.theme in questions.children
    assert scores.children[0] is app.scores and scores.children[3] is app.save_button
    assert scores.children[2] is app.save_state, "what is saved, right above Save"
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


def test_the_version_already_being_worked_on_is_not_offered_again(started):
    app = started(council_type="unitary")
    app.on_save()
    app.on_restore_asked()
    assert "Version 1 is already your working copy." in app.versions_message.value
    assert app.versions_panel.confirm.layout.display == "none"
