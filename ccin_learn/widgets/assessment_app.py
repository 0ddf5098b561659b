"""The self-assessment app that councils open in Voila.

The widgets only collect input and show the session's state: the rules (what
is saved, scored and compared, and when a not-applicable reason is enough) live
in ``ccin_learn.selfassessment.session`` and ``ccin_learn.selfassessment.scoring``.
The HTML comes from the ``assessment_*.html.j2`` templates, which escape every
value. Every handler is guarded, so a problem reaches the officer as a plain
message and the traceback goes only to the server log.
"""

from __future__ import annotations

import base64
import functools
import logging
from typing import Any, TypeVar

import ipywidgets as widgets

from ccin_learn.errors import KitError
from ccin_learn.figures import GREY, PALETTE
from ccin_learn.reports.downloads import downloads, session_report
from ccin_learn.selfassessment.checklist import Action, Checklist, default_checklist
from ccin_learn.selfassessment.scoring import Priority, ScoreCard
from ccin_learn.selfassessment.session import Session, usable_reason
from ccin_learn.selfassessment.store import Store
from ccin_learn.settings import book_url
from ccin_learn.text import percent
from ccin_learn.widgets.common import guarded as guarded_by
from ccin_learn.widgets.common import message_html
from ccin_learn.widgets.htmlcharts import BarRow, BarTable, bar_tables
from ccin_learn.widgets.templates import render

log = logging.getLogger("ccin_learn.app")
NOT_ANSWERED = -1
WIDE = widgets.Layout(width="100%")
LABEL_STYLE = {"description_width": "initial"}
UNEXPECTED = (
    "Something went wrong and that step was not done. Your answers so far are kept. "
    "If it happens again, tell whoever runs this app (the details are in its log)."
)


guarded = guarded_by(UNEXPECTED, log)
Styled = TypeVar("Styled", bound=widgets.DOMWidget)


def styled(widget: Styled, css_class: str) -> Styled:
    """The widget with a class of the Voila template's assessment.css (layout lives there)."""
    widget.add_class(css_class)
    return widget


class ActionEditor(widgets.VBox):
    """One checklist action: its levels to choose from, not-applicable, evidence, notes."""

    def __init__(self, action: Action, checklist: Checklist) -> None:
        self.action = action
        options = [("Not answered yet", NOT_ANSWERED)] + [
            (f"{n} {checklist.level_name(n)}: {action.levels[n]}", n) for n in range(5)
        ]
        self.level = widgets.RadioButtons(
            options=options,
            value=NOT_ANSWERED,
            description="Level reached",
            layout=WIDE,
            style=LABEL_STYLE,
        )
        self.not_applicable = widgets.Checkbox(
            description="Not applicable to our council", indent=False, layout=WIDE
        )
        self.reason = widgets.Text(
            description="Why it does not apply",
            layout=widgets.Layout(width="100%", display="none"),
            style=LABEL_STYLE,
        )
        self.evidence = widgets.Textarea(
            description="Evidence", layout=WIDE, style=LABEL_STYLE, rows=3
        )
        self.notes = widgets.Textarea(description="Notes", layout=WIDE, style=LABEL_STYLE, rows=2)
        intro = widgets.HTML(render("assessment_action.html.j2", action=action))
        hints = widgets.HTML(render("assessment_evidence_prompts.html.j2", action=action))
        super().__init__(
            [intro, self.level, self.not_applicable, self.reason, hints, self.evidence, self.notes],
            layout=widgets.Layout(
                border_bottom=f"1px solid {GREY}", padding="0 0 1em 0", margin="0 0 1em 0"
            ),
        )

    def show(self, session: Session) -> None:
        """Set the controls from the session without firing the app's handlers."""
        answer = session.assessment.answer(self.action.id)
        self.level.value = NOT_ANSWERED if answer.level is None else answer.level
        self.not_applicable.value = answer.not_applicable is not None
        self.reason.value = answer.not_applicable.reason if answer.not_applicable else ""
        self.evidence.value, self.notes.value = answer.evidence, answer.notes
        self.sync_not_applicable()

    def sync_not_applicable(self) -> None:
        self.reason.layout.display = None if self.not_applicable.value else "none"
        self.level.disabled = self.not_applicable.value


class CouncilPicker(widgets.VBox):
    """Open a saved council, or start a new one with its name and type."""

    def __init__(self, councils: list[str], checklist: Checklist) -> None:
        self.saved = widgets.Dropdown(
            options=[("Choose a council", "")] + [(name, name) for name in councils],
            description="Saved councils",
            style=LABEL_STYLE,
        )
        self.open_saved = widgets.Button(
            description="Open", icon="folder-open", tooltip="Open the chosen council's assessment"
        )
        self.name = widgets.Text(
            description="Council name",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="28em", max_width="100%"),
        )
        self.council_type = widgets.Dropdown(
            options=[("Choose a type", "")] + [(t.name, t.id) for t in checklist.council_types],
            description="Type of council",
            style=LABEL_STYLE,
        )
        self.gss = widgets.Text(
            description="ONS/GSS code (optional)", style=LABEL_STYLE, placeholder="e.g. E06000001"
        )
        self.start_new = widgets.Button(
            description="Start", icon="plus", tooltip="Start an assessment for this council"
        )
        super().__init__(
            [
                widgets.HTML(render("heading.html.j2", level=2, text="Choose your council")),
                styled(widgets.HBox([self.saved, self.open_saved]), "ccin-wrap"),
                widgets.HTML(render("note.html.j2", text="Or start a new council:", bold=False)),
                self.name,
                self.council_type,
                self.gss,
                self.start_new,
            ]
        )


class SelfAssessmentApp(widgets.VBox):
    """Pick a council, rate it, watch the scores, save versions and download reports."""

    def __init__(
        self, store: Store, checklist: Checklist | None = None, book_base: str | None = None
    ) -> None:
        self.store = store
        self.checklist = checklist or default_checklist()
        self.book_base = (book_base or book_url()).rstrip("/") + "/"
        self.session: Session | None = None
        self.status = widgets.HTML()
        self.picker = CouncilPicker(store.councils(), self.checklist)
        self.picker.open_saved.on_click(self.on_open_saved)
        self.picker.start_new.on_click(self.on_start_new)
        self.editors = {a.id: ActionEditor(a, self.checklist) for a in self.checklist.actions}
        self.workspace = widgets.VBox(layout=widgets.Layout(display="none"))
        self.build_workspace()
        title = widgets.HTML(render("assessment_title.html.j2"))
        super().__init__([title, self.status, self.picker, self.workspace])
        self.add_class("ccin-self-assessment")

    @classmethod
    def from_environment(cls) -> SelfAssessmentApp:
        """The app on the kit's configured database ($CCIN_DB_URL or the default file)."""
        return cls(Store())

    # ---- layout --------------------------------------------------------------------------

    def build_workspace(self) -> None:
        """The council's heading and summary bar over two columns: the questions, and the
        scores with Save next to them. The kit's assessment.css makes the score column stick
        in view on a wide screen and the summary bar stick on a phone, where the columns stack;
        the classes added here are what it styles."""
        self.heading = widgets.HTML()
        self.summary = styled(widgets.HTML(), "ccin-summary")
        self.assessed_on = widgets.DatePicker(description="Assessment date", style=LABEL_STYLE)
        self.assessor = widgets.Text(description="Assessed by (optional)", style=LABEL_STYLE)
        self.theme = widgets.ToggleButtons(
            options=[(t.title, t.id) for t in self.checklist.themes],
            description="Theme",
            style={**LABEL_STYLE, "button_width": "auto"},
        )
        self.panes = {
            t.id: widgets.VBox([self.editors[a.id] for a in self.checklist.actions_in(t.id)])
            for t in self.checklist.themes
        }
        self.pane_box = widgets.VBox([self.panes[self.checklist.themes[0].id]])
        self.scores = widgets.HTML()
        self.priorities = widgets.HTML()
        self.charts = widgets.HTML()
        self.save_button = widgets.Button(
            description="Save this version", icon="save", button_style="primary"
        )
        self.versions = widgets.Dropdown(description="Saved versions", style=LABEL_STYLE)
        self.open_version = widgets.Button(description="Open this version", icon="history")
        self.changes = widgets.HTML()
        self.download_button = widgets.Button(description="Prepare downloads", icon="download")
        self.downloads = widgets.HTML()
        self.switch_council = widgets.Button(description="Choose another council", icon="exchange")
        self.wire()
        styled(self.workspace, "ccin-workspace")
        columns = widgets.HBox([self.question_column(), self.score_column()])
        self.workspace.children = [self.heading, self.summary, styled(columns, "ccin-columns")]

    def question_column(self) -> widgets.VBox:
        """The assessment's details, then the chosen theme's actions (first in Tab order)."""
        column = widgets.VBox([self.assessed_on, self.assessor, self.theme, self.pane_box])
        return styled(column, "ccin-questions")

    def score_column(self) -> widgets.VBox:
        """Save sits right under the scores, so both stay in view together."""
        column = widgets.VBox(
            [
                self.scores,
                widgets.HTML(render("heading.html.j2", level=2, text="Save and history")),
                self.save_button,
                styled(widgets.HBox([self.versions, self.open_version]), "ccin-wrap"),
                self.changes,
                self.priorities,
                self.charts,
                widgets.HTML(render("heading.html.j2", level=2, text="Download")),
                self.download_button,
                self.downloads,
                self.switch_council,
            ]
        )
        return styled(column, "ccin-score-column")

    def wire(self) -> None:
        self.theme.observe(self.on_theme, names="value")
        self.assessed_on.observe(self.on_details, names="value")
        self.assessor.observe(self.on_details, names="value")
        self.save_button.on_click(self.on_save)
        self.open_version.on_click(self.on_open_version)
        self.download_button.on_click(self.on_downloads)
        self.switch_council.on_click(self.on_switch_council)
        for action_id, editor in self.editors.items():
            editor.level.observe(functools.partial(self.on_level, action_id), names="value")
            editor.not_applicable.observe(
                functools.partial(self.on_not_applicable, action_id), names="value"
            )
            editor.reason.observe(functools.partial(self.on_reason, action_id), names="value")
            for name in ("evidence", "notes"):
                getattr(editor, name).observe(
                    functools.partial(self.on_text, action_id, name), names="value"
                )

    # ---- messages and refresh -----------------------------------------------------------

    def say(self, text: str, kind: str = "info") -> None:
        self.status.value = message_html(text, kind)

    def show_session(self) -> None:
        """Put the whole session on screen (after opening a council or a version)."""
        session = self.require_session()
        self.loading = True
        try:
            for editor in self.editors.values():
                editor.show(session)
            self.assessed_on.value = session.assessment.assessed_on
            self.assessor.value = session.assessment.assessor or ""
        finally:
            self.loading = False
        self.refresh_heading()
        self.picker.layout.display = "none"
        self.workspace.layout.display = None
        self.refresh_scores()
        self.refresh_history()

    def refresh_scores(self) -> None:
        card = self.require_session().card
        self.refresh_summary()
        self.scores.value = self.scores_html(card)
        self.priorities.value = self.priorities_html(card)
        self.charts.value = self.charts_html(card)
        self.changes.value = self.changes_html()

    save_state = ""

    def refresh_summary(self, save_state: str | None = None) -> None:
        """The bar that keeps the headline score in view on a phone, with what was last saved
        (e.g. "Draft saved at 12:04", "Version 3 saved"); None keeps the last save state."""
        if save_state is not None:
            self.save_state = save_state
        self.summary.value = render(
            "assessment_summary.html.j2",
            card=self.require_session().card,
            save_state=self.save_state,
        )

    def refresh_history(self) -> None:
        session = self.require_session()
        versions = session.history()
        self.versions.options = [
            (f"Version {v.version}, saved {v.saved_at:%d %b %Y %H:%M}", v.version)
            for v in reversed(versions)
        ] or [("No saved version yet", 0)]
        self.open_version.disabled = not versions

    # ---- HTML views ---------------------------------------------------------------------

    def scores_html(self, card: ScoreCard) -> str:
        return render("assessment_scores.html.j2", card=card, percent=percent)

    def priorities_html(self, card: ScoreCard) -> str:
        items = [(p, self.priority_links(p)) for p in card.priorities]
        return render(
            "assessment_priorities.html.j2", items=items, level_name=self.checklist.level_name
        )

    def priority_links(self, priority: Priority) -> list[tuple[str, str]]:
        """Where to learn for a priority: its course pages, then CCIN's resources."""
        course = [
            (f"{self.book_base}{page}.html", f"Course: {page.split('/')[1].replace('-', ' ')}")
            for page in priority.action.course_pages
        ]
        return course + [(r.url, f"CCIN: {r.title}") for r in priority.resources]

    def charts_html(self, card: ScoreCard) -> str:
        actions = [
            BarRow(a.title, card.levels[a.id], self.answer_words(card, a.id))
            for a in self.checklist.actions
        ]
        principles = [
            BarRow(
                f"{p.number}. {p.name}",
                card.principles[p.number],
                "no answered action"
                if card.principles[p.number] is None
                else f"mean level {card.principles[p.number]:.1f} of 4",
            )
            for p in self.checklist.principles
        ]
        return bar_tables(
            BarTable("Level reached on each action (0 to 4)", actions),
            BarTable("CCIN principles: mean level of their actions", principles),
        )

    def answer_words(self, card: ScoreCard, action_id: str) -> str:
        return self.checklist.level_words(card.levels[action_id], action_id in card.not_applicable)

    def changes_html(self) -> str:
        session = self.require_session()
        comparison = session.comparison()
        before = comparison.baseline_card(self.checklist) if comparison.changes else None
        tables = []
        if comparison.baseline is not None and before is not None:
            now = session.card
            rows = [
                BarRow(
                    c.action.title,
                    now.levels[c.action.id],
                    c.after,
                    before=before.levels[c.action.id],
                    before_text=c.before,
                )
                for c in comparison.changes
            ]
            caption = f"Changed actions: version {comparison.baseline.version} and now"
            tables.append(BarTable(caption, rows))
        return render(
            "assessment_changes.html.j2", comparison=comparison, tables=tables, colours=PALETTE
        )

    # ---- handlers -------------------------------------------------------------------------

    loading = False

    def require_session(self) -> Session:
        if self.session is None:
            raise KitError("choose a council first")
        return self.session

    @guarded
    def on_open_saved(self, _button: object = None) -> None:
        if not self.picker.saved.value:
            raise KitError("choose a council from the list, or start a new one")
        self.open_council(self.picker.saved.value)

    @guarded
    def on_start_new(self, _button: object = None) -> None:
        # An existing council opens whatever type is chosen; a new one needs its type.
        self.open_council(
            self.picker.name.value,
            self.picker.council_type.value or None,
            self.picker.gss.value.strip() or None,
        )

    def open_council(
        self, name: str, council_type: str | None = None, gss: str | None = None
    ) -> None:
        self.session = Session.open(self.store, name, council_type, gss)
        self.show_session()
        restored = self.session.restored_draft_at
        if restored is not None:
            self.say(f"Restored your unsaved answers from {restored:%d %B %Y %H:%M}.", "info")
        else:
            self.say(f"Opened {self.session.council}.", "info")

    @guarded
    def on_theme(self, change: dict[str, Any]) -> None:
        self.pane_box.children = [self.panes[change["new"]]]

    @guarded
    def on_level(self, action_id: str, change: dict[str, Any]) -> None:
        if self.loading:
            return
        value = change["new"]
        self.require_session().set_level(action_id, None if value == NOT_ANSWERED else value)
        self.refresh_scores()

    @guarded
    def on_not_applicable(self, action_id: str, change: dict[str, Any]) -> None:
        editor = self.editors[action_id]
        editor.sync_not_applicable()
        if self.loading:
            return
        session = self.require_session()
        if not change["new"]:
            session.set_not_applicable(action_id, None)
            self.refresh_scores()
        elif usable_reason(editor.reason.value):
            self.mark_not_applicable(action_id)
        else:
            self.say(
                "Type why this action does not apply; it counts as not applicable once you have.",
                "info",
            )

    @guarded
    def on_reason(self, action_id: str, _change: dict[str, Any]) -> None:
        editor = self.editors[action_id]
        if self.loading or not editor.not_applicable.value:
            return
        if usable_reason(editor.reason.value):
            self.mark_not_applicable(action_id)

    def mark_not_applicable(self, action_id: str) -> None:
        editor = self.editors[action_id]
        self.require_session().set_not_applicable(action_id, editor.reason.value)
        self.loading = True
        try:
            editor.level.value = NOT_ANSWERED
        finally:
            self.loading = False
        self.refresh_scores()

    @guarded
    def on_text(self, action_id: str, field_name: str, change: dict[str, Any]) -> None:
        if not self.loading:
            self.require_session().update(action_id, **{field_name: change["new"]})

    @guarded
    def on_details(self, _change: dict[str, Any]) -> None:
        if self.loading:
            return
        if self.assessed_on.value is None:
            raise KitError("enter the assessment date")
        self.require_session().set_details(self.assessed_on.value, self.assessor.value)

    @guarded
    def on_save(self, _button: object = None) -> None:
        saved = self.require_session().save_version()
        self.refresh_history()
        self.refresh_scores()
        self.refresh_heading()
        self.say(f"Saved version {saved.version} of {saved.council}.", "ok")

    def refresh_heading(self) -> None:
        session = self.require_session()
        council = session.assessment.council
        type_name = self.checklist.council_type(council.type).name
        self.heading.value = render(
            "assessment_council.html.j2",
            council=council.name,
            type_name=type_name,
            based_on=session.based_on,
        )

    @guarded
    def on_open_version(self, _button: object = None) -> None:
        version = self.versions.value
        self.require_session().load_version(version)
        self.show_session()
        self.say(f"Opened version {version}. Save it to make it the newest version again.")

    @guarded
    def on_downloads(self, _button: object = None) -> None:
        session = self.require_session()
        self.say("Preparing the downloads...")
        files = [
            (f, base64.b64encode(f.data).decode("ascii"))
            for f in downloads(session_report(session))
        ]
        self.downloads.value = render("assessment_downloads.html.j2", files=files)
        self.say("Downloads ready: use the links under Download.", "ok")

    @guarded
    def refresh_councils(self) -> None:
        """Re-read the saved councils (the page may have been prepared before others saved)."""
        self.picker.saved.options = [("Choose a council", "")] + [
            (n, n) for n in self.store.councils()
        ]

    @guarded
    def on_switch_council(self, _button: object = None) -> None:
        self.session = None
        self.refresh_councils()
        self.workspace.layout.display = "none"
        self.picker.layout.display = None
        self.downloads.value = ""
        self.say("")
