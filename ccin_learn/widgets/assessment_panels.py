"""The self-assessment app's panels for versions and for a refused save.

They hold controls and show what ``ccin_learn.selfassessment`` decided: the
versions to list or compare, and the merge of two officers' work. The app
wires their buttons to the session; no rule lives here.
"""

from __future__ import annotations

import ipywidgets as widgets

from ccin_learn.palette import PALETTE, WARNING
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.merge import Merge, Side
from ccin_learn.selfassessment.session import VersionPair
from ccin_learn.selfassessment.store import Version
from ccin_learn.widgets.templates import render

LABEL_STYLE = {"description_width": "initial"}
AUTO = {"width": "auto", "max_width": "100%"}  # a dict: each control makes its own Layout
HIDDEN = "none"


def message_area() -> widgets.HTML:
    """An empty message region; the page script makes ``.ccin-live`` regions aria-live."""
    area = widgets.HTML()
    area.add_class("ccin-live")
    return area


def hidden_box(children: list[widgets.Widget] | None = None) -> widgets.VBox:
    return widgets.VBox(children or [], layout=widgets.Layout(display=HIDDEN))


def show(widget: widgets.Widget, visible: bool = True) -> None:
    widget.layout.display = None if visible else HIDDEN


def version_label(version: Version, current: int) -> str:
    """``Version 3, saved 4 Dec 2026 11:05 by sam (working from this)``: what tells
    versions apart first, as a closed list shows only what fits."""
    mark = " (working from this)" if version.version == current else ""
    saved = version.saved_at.astimezone()
    when = f"{saved.day} {saved:%b %Y %H:%M}"
    return f"Version {version.version}, saved {when}{version.by_whom}{mark}"


class VersionsPanel(widgets.VBox):
    """Saved versions: which one the work is based on, compare two, or restore one (asked first)."""

    def __init__(self) -> None:
        # The whole row: a version's label ("Version 2 (working from this), saved ... by
        # jane.officer@...") is long, and a closed list shows only what fits.
        self.versions = widgets.Dropdown(
            description="Saved versions", style=LABEL_STYLE, layout=widgets.Layout(width="100%")
        )
        self.restore = widgets.Button(
            description="Make this version the working copy…", icon="history", layout=AUTO
        )
        self.confirm_text = widgets.HTML()
        self.confirm_yes = widgets.Button(
            description="Yes, replace my working copy", button_style="warning", layout=AUTO
        )
        self.confirm_no = widgets.Button(description="Cancel", layout=AUTO)
        self.confirm = hidden_box(
            [self.confirm_text, widgets.HBox([self.confirm_yes, self.confirm_no])]
        )
        self.first = widgets.Dropdown(description="Compare version", style=LABEL_STYLE, layout=AUTO)
        self.second = widgets.Dropdown(description="with version", style=LABEL_STYLE, layout=AUTO)
        self.compare = widgets.Button(description="Compare", icon="columns", layout=AUTO)
        self.comparison = widgets.HTML()
        self.close = widgets.Button(description="Close the comparison", layout=AUTO)
        self.compare_view = hidden_box([self.comparison, self.close])
        self.compare_row = widgets.HBox(
            [self.first, self.second, self.compare], layout=widgets.Layout(flex_flow="row wrap")
        )
        super().__init__(
            [
                widgets.HBox(
                    [self.versions, self.restore], layout=widgets.Layout(flex_flow="row wrap")
                ),
                self.confirm,
                self.compare_row,
                self.compare_view,
            ]
        )

    def refresh(self, history: list[Version], current: int) -> None:
        """List the versions, newest first, with the one the work is based on chosen."""
        options = [(version_label(v, current), v.version) for v in reversed(history)]
        self.versions.options = options or [("No saved version yet", 0)]
        self.versions.value = current if current else options[0][1] if options else 0
        numbers = [(f"{v.version}", v.version) for v in history]
        self.first.options = self.second.options = numbers
        if len(history) >= 2:
            self.first.value, self.second.value = history[-2].version, history[-1].version
        self.restore.disabled = not history
        show(self.compare_row, len(history) >= 2)
        self.hide_confirm()

    def ask_to_restore(self, version: int, unsaved: bool) -> None:
        self.confirm_text.value = render(
            "assessment_restore_confirm.html.j2", version=version, unsaved=unsaved
        )
        show(self.confirm)

    def hide_confirm(self) -> None:
        show(self.confirm, False)

    def show_pair(self, pair: VersionPair, checklist: Checklist) -> None:
        first_card, second_card = pair.cards(checklist)
        changed = {change.action.id: change for change in pair.changes}
        rows = [
            (
                action,
                checklist.level_words(
                    first_card.levels[action.id], action.id in first_card.not_applicable
                ),
                checklist.level_words(
                    second_card.levels[action.id], action.id in second_card.not_applicable
                ),
                action.id in changed,
            )
            for action in checklist.actions
        ]
        self.comparison.value = render(
            "assessment_version_pair.html.j2",
            pair=pair,
            cards=(first_card, second_card),
            rows=rows,
            colours=PALETTE,
        )
        show(self.compare_view)

    def hide_pair(self) -> None:
        show(self.compare_view, False)
        self.comparison.value = ""


class ConflictPanel(widgets.VBox):
    """After a refused save: the officer's and the colleague's answers side by side."""

    def __init__(self) -> None:
        self.summary = widgets.HTML()
        self.choices: dict[str, widgets.RadioButtons] = {}
        self.items = widgets.VBox()
        self.save = widgets.Button(
            description="Save with these choices", icon="save", button_style="primary", layout=AUTO
        )
        self.later = widgets.Button(description="Not now, keep working", layout=AUTO)
        super().__init__(
            [self.summary, self.items, widgets.HBox([self.save, self.later])],
            layout=widgets.Layout(display=HIDDEN, border=f"2px solid {WARNING}", padding="0 .8em"),
        )

    def present(self, merge: Merge, checklist: Checklist) -> None:
        """Show what is settled, and one choice per action both officers changed."""
        self.summary.value = render("assessment_merge.html.j2", merge=merge)
        self.choices = {}
        children: list[widgets.Widget] = []
        for conflict in merge.conflicts:
            children.append(
                widgets.HTML(
                    render(
                        "assessment_conflict.html.j2",
                        conflict=conflict,
                        latest=merge.latest_version,
                        words=checklist.level_words,
                        colours=PALETTE,
                    )
                )
            )
            choice = widgets.RadioButtons(
                options=[
                    ("Keep my answer", Side.MINE.value),
                    (f"Keep version {merge.latest_version}'s answer", Side.THEIRS.value),
                ],
                value=None,
                description=f"For “{conflict.action.title}”",
                style=LABEL_STYLE,
                layout=widgets.Layout(width="100%"),
            )
            self.choices[conflict.action.id] = choice
            children.append(choice)
        self.items.children = children
        self.save.description = (
            "Save with these choices"
            if merge.conflicts
            else f"Save on top of version {merge.latest_version}"
        )
        show(self)

    def chosen(self) -> dict[str, Side]:
        """The choices made so far (a conflict left unchosen is missing)."""
        return {
            action_id: Side(radio.value)
            for action_id, radio in self.choices.items()
            if radio.value is not None
        }

    def close(self) -> None:
        show(self, False)
        self.items.children = []
        self.choices = {}


MEMBER_ROLES = (
    ("Viewer: reads and downloads", "viewer"),
    ("Editor: also rates, edits and saves", "editor"),
    ("Lead: also manages members", "lead"),
)


class MembersPanel(widgets.VBox):
    """A council's members, for its lead: give someone a role, or take them out.

    Shown only to those whose role allows it; the hub's groups hold the members
    (``ccin_learn.selfassessment.hub_directory``) and the app asks them, so no rule lives here.
    """

    def __init__(self) -> None:
        self.table = widgets.HTML()
        self.person = widgets.Text(
            description="Hub user name", style=LABEL_STYLE, layout=widgets.Layout(width="100%")
        )
        self.role = widgets.Dropdown(
            options=MEMBER_ROLES, value="editor", description="Role", style=LABEL_STYLE, layout=AUTO
        )
        self.give = widgets.Button(description="Give this role", icon="user-plus", layout=AUTO)
        self.remove = widgets.Button(
            description="Remove from this council", icon="user-times", layout=AUTO
        )
        self.message = message_area()
        super().__init__(
            [
                widgets.HTML(render("heading.html.j2", level=2, text="Members")),
                self.table,
                self.person,
                self.role,
                widgets.HBox([self.give, self.remove], layout=widgets.Layout(flex_flow="row wrap")),
                self.message,
            ],
            layout=widgets.Layout(display=HIDDEN),
        )

    def refresh(self, council: str, members: dict[str, str]) -> None:
        self.table.value = render(
            "assessment_members.html.j2", council=council, members=sorted(members.items())
        )
