"""The self-assessment app that councils open in Voila.

The widgets only collect input and show the session's state: the rules (what
is saved, scored and compared, and when a not-applicable reason is enough) live
in ``ccin_learn.selfassessment.session`` and ``ccin_learn.selfassessment.scoring``.
The HTML comes from the ``assessment_*.html.j2`` templates, which escape every
value. Every handler is guarded, so a problem reaches the officer as a plain
message and the traceback goes only to the server log.

Each message appears next to the control that caused it (the picker, an action,
Save, the versions, the downloads), in a region the kit's page script makes
``aria-live`` so screen readers hear it. The open council and theme go into the
page's address (``location``; the page script copies them into the URL), and
``restore_place`` reopens them from the query string Voila hands the kernel,
so reload and Back return the officer to where they were.
"""

from __future__ import annotations

import base64
import functools
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

import ipywidgets as widgets

from ccin_learn.course.names import page_name
from ccin_learn.errors import KitError
from ccin_learn.palette import GREY, PALETTE
from ccin_learn.reports.service import session_downloads
from ccin_learn.selfassessment import benchmark, evidence, plan, respondents
from ccin_learn.selfassessment.access import Directory, Officer, Role
from ccin_learn.selfassessment.checklist import Action, Checklist, default_checklist
from ccin_learn.selfassessment.merge import Merge
from ccin_learn.selfassessment.scoring import Priority, ScoreCard, principle_note
from ccin_learn.selfassessment.session import Session, compare_versions, usable_reason
from ccin_learn.selfassessment.store import ConflictError, Store
from ccin_learn.settings import book_url, signed_in_name
from ccin_learn.text import percent
from ccin_learn.widgets.assessment_network import (
    NEW_STEP,
    BenchmarkPanel,
    EvidenceBox,
    PlanPanel,
    RatingsPanel,
)
from ccin_learn.widgets.assessment_panels import (
    ConflictPanel,
    MembersPanel,
    VersionsPanel,
    message_area,
    show,
)
from ccin_learn.widgets.common import guarded as guarded_by
from ccin_learn.widgets.common import message_html
from ccin_learn.widgets.htmlcharts import BarRow, BarTable, bar_tables
from ccin_learn.widgets.templates import render

log = logging.getLogger("ccin_learn.app")
NOT_ANSWERED = -1
WIDE = {"width": "100%"}  # a dict: each control makes its own Layout from it
LABEL_STYLE = {"description_width": "initial"}
UNEXPECTED = (
    "Something went wrong and that step was not done. Your answers so far are kept. "
    "If it happens again, tell whoever runs this app (the details are in its log)."
)


guarded = guarded_by(UNEXPECTED, log)
Handler = Callable[..., Any]
TOP = "top"  # the message area under the title, for what belongs to no one control


def near(area: str | Callable[..., str]) -> Callable[[Handler], Handler]:
    """A guarded handler whose messages appear in ``area``, next to the control that ran it.

    ``area`` is an area's name, or a function of the handler's first argument (an
    action's handlers put messages under that action).
    """

    def decorate(method: Handler) -> Handler:
        inner = guarded(method)

        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            # Handlers fired by the app's own updates (a level set while a version
            # opens) must not move the message away from the control that was used.
            outer = self.here
            self.here = area(*args[:1]) if callable(area) else area
            try:
                return inner(self, *args, **kwargs)
            finally:
                self.here = outer

        return wrapper

    return decorate


Styled = TypeVar("Styled", bound=widgets.DOMWidget)


def styled(widget: Styled, css_class: str) -> Styled:
    """The widget with a class of the Voila template's assessment.css (layout lives there)."""
    widget.add_class(css_class)
    return widget


def server_root(page_path: str) -> str:
    """The app server's root from the app page's path (Voila gives it as ``SCRIPT_NAME``):
    ``/services/ccin-app/voila/render/self-assessment.ipynb`` gives ``/services/ccin-app/``."""
    root, found, _rest = page_path.partition("voila/render/")
    return root if found and root.endswith("/") else "/"


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
        self.message = message_area()
        # Files and links, filled in when a council opens (``EvidenceBox``).
        self.evidence_slot = widgets.VBox()
        intro = widgets.HTML(render("assessment_action.html.j2", action=action))
        hints = widgets.HTML(render("assessment_evidence_prompts.html.j2", action=action))
        super().__init__(
            [
                intro,
                self.level,
                self.not_applicable,
                self.reason,
                self.message,
                hints,
                self.evidence,
                self.notes,
                self.evidence_slot,
            ],
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
        self.message = message_area()
        # On a hub only the network's administrators start councils (``sign_in`` hides it).
        self.new_council = widgets.VBox(
            [
                widgets.HTML(render("note.html.j2", text="Or start a new council:", bold=False)),
                self.name,
                self.council_type,
                self.gss,
                self.start_new,
            ]
        )
        super().__init__(
            [
                widgets.HTML(render("heading.html.j2", level=2, text="Choose your council")),
                styled(widgets.HBox([self.saved, self.open_saved]), "ccin-wrap"),
                self.new_council,
                self.message,
            ]
        )


class SelfAssessmentApp(widgets.VBox):
    """Pick a council, rate it, watch the scores, save versions and download reports."""

    def __init__(
        self,
        store: Store,
        checklist: Checklist | None = None,
        book_base: str | None = None,
        directory: Directory | None = None,
    ) -> None:
        self.store = store
        # The hub's record of councils' members, when the app runs on a hub; else None.
        self.directory = directory
        self.checklist = checklist or default_checklist()
        self.book_base = (book_base or book_url()).rstrip("/") + "/"
        self.session: Session | None = None
        self.merge: Merge | None = None
        # Where the app's server answers (evidence downloads): "/" on a laptop, the
        # service's prefix on a hub; learnt from the page's address at sign-in.
        self.server_root = "/"
        self.evidence_boxes: dict[str, EvidenceBox] = {}
        self.here = TOP
        self.status = message_area()
        self.location = widgets.HTML(layout=widgets.Layout(display="none"))
        self.picker = CouncilPicker(store.councils(), self.checklist)
        self.picker.open_saved.on_click(self.on_open_saved)
        self.picker.start_new.on_click(self.on_start_new)
        self.editors = {a.id: ActionEditor(a, self.checklist) for a in self.checklist.actions}
        self.workspace = widgets.VBox(layout=widgets.Layout(display="none"))
        self.build_workspace()
        title = widgets.HTML(render("assessment_title.html.j2"))
        self.signed_in = widgets.HTML()  # on a hub: who the app works as, and Sign out
        parts = [title, self.signed_in, self.status, self.location, self.picker, self.workspace]
        super().__init__(parts)
        self.add_class("ccin-self-assessment")

    @classmethod
    def from_environment(cls) -> SelfAssessmentApp:
        """The app on the kit's configured database ($CCIN_DB_URL or the default file).

        Under a hub it opens nothing until ``sign_in`` has learnt who opened the page:
        a preheated kernel starts before anyone has.
        """
        from ccin_learn.selfassessment.hub_directory import HubDirectory  # lazy: hubs only

        directory = HubDirectory.from_environment()
        if directory is None:
            return cls(Store())
        return cls(Store(officer=Officer.nobody()), directory=directory)

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
        self.save_state = widgets.HTML()
        self.save_message = message_area()
        self.conflict = ConflictPanel()
        self.versions_panel = VersionsPanel()
        self.versions_message = message_area()
        self.changes = widgets.HTML()
        self.download_button = widgets.Button(description="Prepare downloads", icon="download")
        self.download_message = message_area()
        self.downloads = widgets.HTML()
        self.switch_council = widgets.Button(description="Choose another council", icon="exchange")
        self.members = MembersPanel()
        self.ratings = RatingsPanel()
        self.benchmark = BenchmarkPanel()
        self.plan = PlanPanel()
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
                self.save_state,
                self.save_button,
                self.save_message,
                self.conflict,
                self.ratings,
                self.versions_panel,
                self.versions_message,
                self.changes,
                self.priorities,
                self.plan,
                self.charts,
                self.benchmark,
                widgets.HTML(render("heading.html.j2", level=2, text="Download")),
                self.download_button,
                self.download_message,
                self.downloads,
                self.members,
                self.switch_council,
            ]
        )
        return styled(column, "ccin-score-column")

    def wire(self) -> None:
        self.theme.observe(self.on_theme, names="value")
        self.assessed_on.observe(self.on_details, names="value")
        self.assessor.observe(self.on_details, names="value")
        self.save_button.on_click(self.on_save)
        self.conflict.save.on_click(self.on_save_merged)
        self.conflict.later.on_click(self.on_merge_later)
        panel = self.versions_panel
        panel.restore.on_click(self.on_restore_asked)
        panel.confirm_yes.on_click(self.on_restore_confirmed)
        panel.confirm_no.on_click(self.on_restore_cancelled)
        panel.compare.on_click(self.on_compare)
        panel.close.on_click(self.on_close_comparison)
        self.download_button.on_click(self.on_downloads)
        self.switch_council.on_click(self.on_switch_council)
        self.members.give.on_click(self.on_give_role)
        self.wire_network()
        self.members.remove.on_click(self.on_remove_member)
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

    def areas(self) -> dict[str, widgets.HTML]:
        """Every message area by name: the top, the picker, each action, save, versions..."""
        named = {
            TOP: self.status,
            "picker": self.picker.message,
            "save": self.save_message,
            "versions": self.versions_message,
            "downloads": self.download_message,
            "members": self.members.message,
            "ratings": self.ratings.message,
            "benchmark": self.benchmark.message,
            "plan": self.plan.message,
        }
        return named | {action_id: e.message for action_id, e in self.editors.items()}

    def say(self, text: str, kind: str = "info") -> None:
        """Show ``text`` next to the control being used, and clear older messages elsewhere."""
        for name, area in self.areas().items():
            if name == self.here:
                area.value = message_html(text, kind, live=False)
            elif area.value:
                area.value = ""

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
        # The page script moves focus to the heading when the workspace appears: the
        # heading and the summary bar's skip link (the next Tab stop) are filled in first.
        self.refresh_scores()
        self.refresh_history()
        self.refresh_location()
        self.refresh_heading()
        self.refresh_rights()
        self.refresh_network()
        self.picker.layout.display = "none"
        self.workspace.layout.display = None

    def refresh_rights(self) -> None:
        """What the officer's role allows, on screen: a viewer's controls are disabled (the
        store refuses their changes anyway), and only a lead sees the members."""
        council = self.require_session().council
        read_only = not self.store.officer.may(council, Role.EDITOR)
        for editor in self.editors.values():
            for control in (editor.not_applicable, editor.reason, editor.evidence, editor.notes):
                control.disabled = read_only
            editor.level.disabled = read_only or editor.not_applicable.value
        for control in (self.assessed_on, self.assessor, self.save_button):
            control.disabled = read_only
        self.versions_panel.restore.disabled = read_only
        leads = self.directory is not None and self.store.officer.may(council, Role.LEAD)
        show(self.members, leads)
        if leads:
            self.refresh_members()

    def refresh_members(self) -> None:
        assert self.directory is not None
        council = self.require_session().council
        members = self.directory.members(council)
        self.members.refresh(council, {name: role.word for name, role in members.items()})

    def refresh_scores(self) -> None:
        card = self.require_session().card
        self.scores.value = self.scores_html(card)
        self.priorities.value = self.priorities_html(card)
        self.charts.value = self.charts_html(card)
        self.changes.value = self.changes_html()
        self.refresh_save_state(card)

    def refresh_save_state(self, card: ScoreCard | None = None) -> None:
        """Where the work is kept, beside Save and in the summary bar that stays in view.

        ``card``: the score card just worked out, if any, so a click scores once.
        """
        session = self.require_session()
        state = session.save_state()
        self.save_state.value = render("assessment_save_state.html.j2", state=state)
        self.summary.value = render(
            "assessment_summary.html.j2", card=card or session.card, state=state
        )

    def refresh_history(self) -> None:
        session = self.require_session()
        self.versions_panel.refresh(session.history(), session.based_on)

    def refresh_location(self) -> None:
        """Put the open council and section where the page script copies them into the URL."""
        council = self.session.council if self.session else ""
        section = self.theme.value if self.session else ""
        self.location.value = render(
            "assessment_location.html.j2", council=council, section=section
        )

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
            (f"{self.book_base}{page}.html", f"Course: {page_name(page)}")
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
                principle_note(card, self.checklist, p.number)
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

    @near("picker")
    def on_open_saved(self, _button: object = None) -> None:
        if not self.picker.saved.value:
            raise KitError("choose a council from the list, or start a new one")
        self.open_council(self.picker.saved.value)

    @near("picker")
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
        self.merge = None
        self.conflict.close()
        self.show_session()
        self.here = TOP
        self.say(self.opening_words(self.session) + self.rights_words(self.session.council))

    def rights_words(self, council: str) -> str:
        """For a viewer, why the controls are greyed out and whom to ask."""
        if self.store.officer.may(council, Role.EDITOR):
            return ""
        return (
            " You are a viewer of this council: you can read its versions and download "
            "them, but not change them. Its lead can make you an editor."
        )

    def opening_words(self, session: Session) -> str:
        """What the officer should know on opening: a restored draft, a colleague's save."""
        restored = session.restored_draft_at
        if restored is None:
            return f"Opened {session.council}."
        words = f"Restored your unsaved answers from {restored.astimezone():%d %B %Y %H:%M}."
        latest = session.latest_version()
        if latest != session.based_on:
            started = f"version {session.based_on}" if session.based_on else "a blank assessment"
            words += (
                f" They started from {started}; version {latest} has been saved since. "
                "When you save, you will see both and choose."
            )
        return words

    @guarded
    def on_theme(self, change: dict[str, Any]) -> None:
        self.pane_box.children = [self.panes[change["new"]]]
        self.refresh_location()

    @near(lambda action_id: action_id)
    def on_level(self, action_id: str, change: dict[str, Any]) -> None:
        if self.loading:
            return
        value = change["new"]
        self.require_session().set_level(action_id, None if value == NOT_ANSWERED else value)
        self.refresh_scores()

    @near(lambda action_id: action_id)
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

    @near(lambda action_id: action_id)
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

    @near(lambda action_id: action_id)
    def on_text(self, action_id: str, field_name: str, change: dict[str, Any]) -> None:
        if not self.loading:
            self.require_session().update(action_id, **{field_name: change["new"]})
            self.refresh_save_state()

    @guarded
    def on_details(self, _change: dict[str, Any]) -> None:
        if self.loading:
            return
        if self.assessed_on.value is None:
            raise KitError("enter the assessment date")
        self.require_session().set_details(self.assessed_on.value, self.assessor.value)
        self.refresh_save_state()

    @near("save")
    def on_save(self, _button: object = None) -> None:
        session = self.require_session()
        try:
            saved = session.save_version()
        except ConflictError as err:
            self.offer_merge(str(err))
            return
        self.after_save(f"Saved version {saved.version} of {saved.council}.")

    def after_save(self, words: str) -> None:
        self.merge = None
        self.conflict.close()
        self.refresh_history()
        self.refresh_scores()
        self.refresh_heading()
        self.refresh_network()
        self.say(words, "ok")

    def offer_merge(self, refusal: str) -> None:
        """A refused save: keep the work, and show it beside the colleague's version."""
        session = self.require_session()
        self.merge = session.merge_with_latest()
        self.conflict.present(self.merge, self.checklist)
        self.say(f"{refusal[0].upper()}{refusal[1:]}: see them beside version "
                 f"{self.merge.latest_version} below.", "error")  # fmt: skip

    @near("save")
    def on_save_merged(self, _button: object = None) -> None:
        session, merge = self.require_session(), self.merge
        if merge is None:
            raise KitError("there is nothing to put together: press Save again")
        session.accept_merge(merge, self.conflict.chosen())
        self.show_session()  # the merged answers on screen before saving them
        try:
            saved = session.save_version()
        except ConflictError as err:  # yet another save meanwhile: merge again
            self.offer_merge(str(err))
            return
        self.after_save(
            f"Saved version {saved.version}: your answers on top of version {merge.latest_version}."
        )

    @near("save")
    def on_merge_later(self, _button: object = None) -> None:
        self.merge = None
        self.conflict.close()
        self.say("Your answers are kept as your draft. Press Save when you are ready.")

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

    @near("versions")
    def on_restore_asked(self, _button: object = None) -> None:
        session, version = self.require_session(), self.versions_panel.versions.value
        unsaved = session.has_unsaved_changes()
        if version == session.based_on and not unsaved:
            self.say(f"Version {version} is already your working copy.")
            return
        self.versions_panel.ask_to_restore(version, unsaved)

    @near("versions")
    def on_restore_confirmed(self, _button: object = None) -> None:
        version = self.versions_panel.versions.value
        self.require_session().load_version(version)
        self.show_session()
        self.say(
            f"Your working copy is now version {version}'s answers. "
            "Save it to make them the newest version."
        )

    @near("versions")
    def on_restore_cancelled(self, _button: object = None) -> None:
        self.versions_panel.hide_confirm()
        self.say("Your working copy was not changed.")

    @near("versions")
    def on_compare(self, _button: object = None) -> None:
        panel = self.versions_panel
        pair = compare_versions(
            self.store, self.require_session().council, panel.first.value, panel.second.value
        )
        panel.show_pair(pair, self.checklist)
        self.say(f"Showing version {pair.first.version} beside version {pair.second.version}.")

    @near("versions")
    def on_close_comparison(self, _button: object = None) -> None:
        self.versions_panel.hide_pair()
        self.say("")

    @near("downloads")
    def on_downloads(self, _button: object = None) -> None:
        session = self.require_session()
        self.say("Preparing the downloads: this takes a few seconds…")
        self.download_button.disabled = True
        try:
            files = [
                (f, base64.b64encode(f.data).decode("ascii")) for f in session_downloads(session)
            ]
        finally:
            self.download_button.disabled = False
        self.downloads.value = render("assessment_downloads.html.j2", files=files)
        self.say(f"Downloads ready for {session.save_state().lower()}: use the links below.", "ok")

    @near(TOP)
    def sign_in(self) -> None:
        """Work as whoever opened the page, and list the councils they may open: on a hub,
        the name the server vouched for and the councils the hub's groups give them; on a
        laptop, the owner of every council."""
        self.server_root = server_root(os.environ.get("SCRIPT_NAME", ""))
        if self.directory is not None:
            self.sign_in_to_hub(self.directory)
        councils = self.show_councils()
        if self.directory is not None and not councils:
            self.say(
                f"Signed in as {self.store.person}. You are not a member of any council yet: "
                "ask your council's lead or the network's administrator to add you, then reload."
            )

    def sign_in_to_hub(self, directory: Directory) -> None:
        name = signed_in_name()
        if not name:
            raise KitError("the app could not tell who you are: reload the page to sign in again")
        officer = directory.officer(name)
        self.store.sign_in(officer)
        hub_base = os.environ.get("JUPYTERHUB_BASE_URL") or "/"
        self.signed_in.value = render(
            "assessment_signed_in.html.j2", person=name, logout=f"{hub_base.rstrip('/')}/hub/logout"
        )
        show(self.picker.new_council, officer.network_admin)

    @near("members")
    def on_give_role(self, _button: object = None) -> None:
        council, person, directory = self.member_change("add")
        role = Role.named(self.members.role.value)
        directory.set_role(council, person, role)
        self.after_member_change(f"{person} is now {role.word} of {council}.")

    @near("members")
    def on_remove_member(self, _button: object = None) -> None:
        council, person, directory = self.member_change("remove")
        directory.remove(council, person)
        self.after_member_change(f"{person} no longer belongs to {council}.")

    def member_change(self, doing: str) -> tuple[str, str, Directory]:
        """The open council, the person typed and the directory, once the officer is
        known to lead the council (the store's rule, asked again: a page may forge a click)."""
        council, person = self.require_session().council, self.members.person.value.strip()
        if not person:
            raise KitError(f"type the hub user name of the person to {doing}")
        if self.directory is None:
            raise KitError("members are managed on a network's hub, not on this computer")
        self.store.officer.require(council, Role.LEAD)
        return council, person, self.directory

    def after_member_change(self, words: str) -> None:
        self.refresh_members()
        self.members.person.value = ""
        self.say(words, "ok")

    @guarded
    def refresh_councils(self) -> None:
        """Re-read the saved councils (the page may have been prepared before others saved)."""
        self.show_councils()

    def show_councils(self) -> list[str]:
        """Put the councils the officer may open in the picker; their names."""
        councils = self.store.councils()
        self.picker.saved.options = [("Choose a council", "")] + [(n, n) for n in councils]
        return councils

    @near(TOP)
    def on_switch_council(self, _button: object = None) -> None:
        self.session = None
        self.merge = None
        self.conflict.close()
        self.versions_panel.hide_pair()
        self.refresh_councils()
        self.workspace.layout.display = "none"
        self.picker.layout.display = None
        self.downloads.value = ""
        self.refresh_location()
        self.say("")

    @near(TOP)
    def restore_place(self, query: str) -> None:
        """Reopen the council and section named in the page's query string (reload, Back).

        Only a council with a saved version or a draft of its own opens; a name that
        matches none is said so, and nothing is created from an address.
        """
        wanted = parse_qs(query or "")
        council = (wanted.get("council") or [""])[0]
        if not council:
            return
        known = {name.casefold(): name for name in self.store.councils()}
        if council.casefold() not in known:
            raise KitError(
                f"the address names {council!r}, which is not among the councils you can open"
            )
        self.open_council(known[council.casefold()])
        section = (wanted.get("section") or [""])[0]
        if section in self.panes:
            self.theme.value = section

    # ---- the network: ratings, agreement, benchmark, plan, evidence ---------------------

    def wire_network(self) -> None:
        self.ratings.share.on_click(self.on_share_rating)
        self.ratings.middle.on_click(self.on_middle_rating)
        self.ratings.agree.on_click(self.on_agree)
        self.benchmark.take_part.observe(self.on_take_part, names="value")
        panel = self.plan
        panel.which.observe(self.on_choose_step, names="value")
        panel.action.observe(self.on_plan_action, names="value")
        panel.add.on_click(self.on_add_step)
        panel.save.on_click(self.on_save_step)
        panel.remove.on_click(self.on_remove_step_asked)
        panel.confirm_yes.on_click(self.on_remove_step)
        panel.confirm_no.on_click(self.on_keep_step)

    def refresh_network(self) -> None:
        """The ratings, benchmark, plan and evidence of the open council, as the role allows."""
        self.refresh_ratings()
        self.refresh_benchmark()
        self.refresh_plan()
        self.refresh_evidence()

    def refresh_ratings(self) -> None:
        council = self.require_session().council
        officer = self.store.officer
        spreads, intro = None, ""
        if officer.may(council, Role.LEAD):
            found = respondents.ratings(self.store, council)
            spreads = respondents.spread(found, self.checklist) if found else []
            agreed = respondents.latest_agreed(self.store, council)
            since = f"since version {agreed} was agreed" if agreed else "so far"
            intro = (
                f"{len(found)} officer{'s have' if len(found) != 1 else ' has'} shared "
                f"{'their ratings' if len(found) != 1 else 'a rating'} {since}. Set the "
                "council's answer in the questions, then agree it."
            )
        self.ratings.refresh(officer.may(council, Role.EDITOR), spreads, intro)

    def refresh_benchmark(self) -> None:
        council = self.require_session().council
        lead = self.store.officer.may(council, Role.LEAD)
        view = benchmark.benchmark_for(self.store, council)
        self.loading = True
        try:
            self.benchmark.take_part.value = view.taking_part
        finally:
            self.loading = False
        self.benchmark.refresh(council, view if view.taking_part else None, lead)

    def refresh_plan(self) -> None:
        session = self.require_session()
        view = plan.plan_view(self.store, session.council)
        can_edit = self.store.officer.may(session.council, Role.EDITOR)
        self.loading = True
        try:
            self.plan.refresh(view, self.checklist, session.card.priorities, can_edit)
            self.plan.pages_for(self.checklist.action(self.plan.action.value))
        finally:
            self.loading = False

    def refresh_evidence(self, only: str | None = None) -> None:
        council = self.require_session().council
        can_add = self.store.officer.may(council, Role.EDITOR)
        found = evidence.items(self.store, council)
        for action_id, editor in self.editors.items():
            if only is not None and action_id != only:
                continue
            box = self.evidence_box(action_id, editor)
            mine = [item for item in found if item.action_id == action_id]
            box.refresh(mine, self.server_root, can_add)

    def evidence_box(self, action_id: str, editor: ActionEditor) -> EvidenceBox:
        """The action's evidence box, made when a council first opens (not before the page
        shows: the picker comes up sooner)."""
        if action_id not in self.evidence_boxes:
            box = EvidenceBox(editor.action)
            box.upload.observe(functools.partial(self.on_upload, action_id), names="value")
            box.add_link.on_click(functools.partial(self.on_add_link, action_id))
            box.remove.on_click(functools.partial(self.on_remove_evidence, action_id))
            self.evidence_boxes[action_id] = box
            editor.evidence_slot.children = [box]
        return self.evidence_boxes[action_id]

    @near("ratings")
    def on_share_rating(self, _button: object = None) -> None:
        session = self.require_session()
        respondents.share_rating(self.store, session.assessment)
        self.refresh_ratings()
        self.say(f"Your rating is shared with the lead of {session.council}.", "ok")

    @near("ratings")
    def on_middle_rating(self, _button: object = None) -> None:
        session = self.require_session()
        found = respondents.ratings(self.store, session.council)
        session.assessment = respondents.middle_ratings(session.assessment, found, self.checklist)
        session.autosave()
        self.show_session()
        self.here = "ratings"
        self.say("Each rated action now has the officers' middle rating. Check each one, then "
                 "agree.")  # fmt: skip

    @near("ratings")
    def on_agree(self, _button: object = None) -> None:
        session = self.require_session()
        try:
            saved, used = respondents.agree(self.store, session.assessment, session.based_on)
        except ConflictError as err:
            self.here = "save"
            self.offer_merge(str(err))
            return
        session.now_based_on(saved)
        self.after_save(
            f"Agreed version {saved.version} as {saved.council}'s answer, from the ratings of "
            f"{used} officer{'s' if used != 1 else ''}."
        )

    @near("benchmark")
    def on_take_part(self, change: dict[str, Any]) -> None:
        if self.loading:
            return
        council = self.require_session().council
        try:
            benchmark.set_taking_part(self.store, council, bool(change["new"]))
        finally:
            self.refresh_benchmark()
        self.say(
            f"{council} takes part in the benchmark." if change["new"]
            else f"{council} no longer takes part in the benchmark.",
            "ok",
        )  # fmt: skip

    @near("plan")
    def on_choose_step(self, change: dict[str, Any]) -> None:
        if self.loading:
            return
        self.plan.fill(self.plan.steps.get(change["new"]))
        self.plan.confirm.layout.display = "none"

    @near("plan")
    def on_plan_action(self, change: dict[str, Any]) -> None:
        self.plan.pages_for(self.checklist.action(change["new"]) if change["new"] else None)

    @near("plan")
    def on_add_step(self, _button: object = None) -> None:
        council = self.require_session().council
        added = plan.add_step(self.store, council, self.plan.typed())
        self.refresh_plan()
        self.plan.fill(None)
        self.say(f"Added to the plan: {added.what}.", "ok")

    @near("plan")
    def on_save_step(self, _button: object = None) -> None:
        council, step = self.require_session().council, self.chosen_step()
        changed = plan.change_step(self.store, council, step.id, step.revision, self.plan.typed())
        self.refresh_plan()
        self.say(f"Saved: {changed.what} ({changed.status}).", "ok")

    def chosen_step(self) -> plan.PlanStep:
        step = self.plan.steps.get(self.plan.which.value)
        if step is None:
            raise KitError("choose the step to change")
        return step

    @near("plan")
    def on_remove_step_asked(self, _button: object = None) -> None:
        self.chosen_step()
        self.plan.confirm.layout.display = None
        self.say("Remove this step from the plan? Earlier versions keep it.")

    @near("plan")
    def on_remove_step(self, _button: object = None) -> None:
        council, step = self.require_session().council, self.chosen_step()
        plan.remove_step(self.store, council, step.id, step.revision)
        self.plan.which.value = NEW_STEP
        self.refresh_plan()
        self.plan.fill(None)
        self.say(f"Removed from the plan: {step.what}.", "ok")

    @near("plan")
    def on_keep_step(self, _button: object = None) -> None:
        self.plan.confirm.layout.display = "none"
        self.say("The step is kept.")

    @near(lambda action_id: action_id)
    def on_upload(self, action_id: str, change: dict[str, Any]) -> None:
        if not change["new"]:
            return
        box = self.evidence_boxes[action_id]
        upload = change["new"][0]
        try:
            added = evidence.attach_file(
                self.store, self.require_session().council, action_id, upload["name"],
                bytes(upload["content"]),
            )  # fmt: skip
        finally:
            box.upload.value = ()  # ready for the next file, whatever happened
        self.refresh_evidence(action_id)
        self.say(f"Attached {added.name} ({added.type_words}, {added.size_words}).", "ok")

    @near(lambda action_id: action_id)
    def on_add_link(self, action_id: str, _button: object = None) -> None:
        box = self.evidence_boxes[action_id]
        council = self.require_session().council
        added = evidence.attach_link(self.store, council, action_id, box.link.value)
        box.link.value = ""
        self.refresh_evidence(action_id)
        self.say(f"Added the link to {added.name}.", "ok")

    @near(lambda action_id: action_id)
    def on_remove_evidence(self, action_id: str, _button: object = None) -> None:
        box = self.evidence_boxes[action_id]
        if not box.remove_choice.value:
            raise KitError("choose the file or link to remove")
        council = self.require_session().council
        removed = evidence.remove(self.store, council, box.remove_choice.value)
        self.refresh_evidence(action_id)
        self.say(f"Removed {removed.name}.", "ok")
