"""The self-assessment app's panels for the network: ratings, the benchmark, the plan, evidence.

They hold controls and show what ``ccin_learn.selfassessment`` decided (the
spread of ratings, the benchmark view, the plan, the evidence list); the app
wires their buttons to the store's rules. No rule lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ccin_learn.course.names import page_name
from ccin_learn.selfassessment.benchmark import MIN_COUNCILS, BenchmarkView, number
from ccin_learn.selfassessment.checklist import Action, Checklist
from ccin_learn.selfassessment.evidence import ACCEPT, EvidenceItem
from ccin_learn.selfassessment.plan import STATUSES, PlanStep, PlanView, step_cells
from ccin_learn.selfassessment.respondents import ActionSpread
from ccin_learn.selfassessment.scoring import Priority
from ccin_learn.widgets.assessment_panels import LABEL_STYLE, hidden_box, message_area, show
from ccin_learn.widgets.templates import render

NEW_STEP = ""


def auto() -> widgets.Layout:
    """A layout of its own: panels here show and hide single controls, and a layout
    shared by several widgets would show or hide them all at once."""
    return widgets.Layout(width="auto", max_width="100%")


def wide() -> widgets.Layout:
    return widgets.Layout(width="100%")


def row_of_buttons(*buttons: widgets.Widget) -> widgets.HBox:
    return widgets.HBox(list(buttons), layout=widgets.Layout(flex_flow="row wrap"))


class RatingsPanel(widgets.VBox):
    """Share my rating (editors); the officers' ratings and agreeing (the council's lead)."""

    def __init__(self) -> None:
        self.share = widgets.Button(
            description="Share my rating with the lead", icon="share", layout=auto()
        )
        self.table = widgets.HTML()
        self.middle = widgets.Button(description="Start from the middle rating", layout=auto())
        self.agree = widgets.Button(
            description="Agree as the council's answer", icon="check", button_style="success",
            layout=auto(),
        )  # fmt: skip
        self.lead_box = hidden_box([self.table, row_of_buttons(self.middle, self.agree)])
        self.message = message_area()
        super().__init__([self.share, self.lead_box, self.message])

    def refresh(self, can_share: bool, spreads: Sequence[ActionSpread] | None, intro: str) -> None:
        """``spreads``: the open ratings per action for a lead, None for anyone else."""
        show(self.share, can_share)
        show(self.lead_box, spreads is not None)
        if spreads is not None:
            rated = [s for s in spreads if s.answers]
            self.table.value = render("assessment_ratings.html.j2", spreads=rated, intro=intro)
            self.agree.disabled = self.middle.disabled = not rated


class BenchmarkPanel(widgets.VBox):
    """Where the council stands among councils of its type; its lead opts in or out."""

    def __init__(self) -> None:
        self.view = widgets.HTML()
        self.take_part = widgets.Checkbox(
            description="Take part in the benchmark among councils of our type",
            indent=False, layout=wide(),
        )  # fmt: skip
        self.message = message_area()
        super().__init__([self.view, self.take_part, self.message])

    def refresh(self, council: str, view: BenchmarkView | None, is_lead: bool) -> None:
        """``view``: what the council may see, or None when it does not take part."""
        withheld = len(view.figures) - len(view.shown) if view else 0
        self.view.value = render(
            "assessment_benchmark.html.j2", council=council, view=view, lead=is_lead,
            minimum=MIN_COUNCILS, number=number, withheld=withheld,
        )  # fmt: skip
        show(self.take_part, is_lead)


class PlanPanel(widgets.VBox):
    """The council's action plan, and the form to add or change a step (editors)."""

    def __init__(self) -> None:
        self.table = widgets.HTML()
        self.which = widgets.Dropdown(
            description="Step to change", style=LABEL_STYLE, layout=wide()
        )
        self.action = widgets.Dropdown(
            description="Checklist action", style=LABEL_STYLE, layout=wide()
        )
        self.what = widgets.Text(description="Step", style=LABEL_STYLE, layout=wide())
        self.owner = widgets.Text(description="Owner", style=LABEL_STYLE, layout=wide())
        self.due = widgets.DatePicker(description="Due date", style=LABEL_STYLE)
        self.status = widgets.Dropdown(
            options=[(s.capitalize(), s) for s in STATUSES], description="Status",
            style=LABEL_STYLE, layout=auto(),
        )  # fmt: skip
        self.page = widgets.Dropdown(description="Course page", style=LABEL_STYLE, layout=wide())
        self.add = widgets.Button(description="Add this step", icon="plus", layout=auto())
        self.save = widgets.Button(description="Save this step", icon="save", layout=auto())
        self.remove = widgets.Button(description="Remove this step", icon="trash", layout=auto())
        self.confirm_yes = widgets.Button(
            description="Yes, remove it", button_style="warning", layout=auto()
        )
        self.confirm_no = widgets.Button(description="Keep it", layout=auto())
        self.confirm = hidden_box([row_of_buttons(self.confirm_yes, self.confirm_no)])
        self.message = message_area()
        fields = [self.which, self.action, self.what, self.owner, self.due, self.status, self.page]
        self.form = widgets.VBox(
            [*fields, row_of_buttons(self.add, self.save, self.remove), self.confirm]
        )
        self.steps: dict[str, PlanStep] = {}
        super().__init__([self.table, self.form, self.message])

    def refresh(
        self, plan: PlanView, checklist: Checklist, priorities: Sequence[Priority], can_edit: bool
    ) -> None:
        """Show the plan; offer priorities first in the action list, then every action."""
        self.table.value = render(
            "assessment_plan.html.j2", plan=plan, can_edit=can_edit,
            rows=[step_cells(s, checklist) for s in plan.steps],
        )  # fmt: skip
        self.steps = {s.id: s for s in plan.steps}
        first = [(f"Priority {n}: {p.action.title}", p.action.id)
                 for n, p in enumerate(priorities, start=1)]  # fmt: skip
        chosen = self.action.value
        self.action.options = first + [(a.title, a.id) for a in checklist.actions]
        self.action.value = chosen if chosen in {a.id for a in checklist.actions} else (
            self.action.options[0][1])  # fmt: skip
        keep = self.which.value if self.which.value in self.steps else NEW_STEP
        self.which.options = [("A new step", NEW_STEP)] + [(s.what[:80], s.id) for s in plan.steps]
        self.which.value = keep
        show(self.form, can_edit)
        show(self.confirm, False)
        self.sync_buttons()

    def pages_for(self, action: Action | None) -> None:
        pages = action.course_pages if action else ()
        kept = self.page.value if self.page.value in pages else ""
        self.page.options = [("None", "")] + [(page_name(p), p) for p in pages]
        self.page.value = kept

    def sync_buttons(self) -> None:
        new = self.which.value == NEW_STEP
        show(self.add, new)
        show(self.save, not new)
        show(self.remove, not new)

    def fill(self, step: PlanStep | None) -> None:
        """Put a step's values in the boxes (or clear them for a new step)."""
        if step is None:
            self.what.value = self.owner.value = ""
            self.due.value, self.status.value = None, STATUSES[0]
        else:
            self.action.value = step.action_id
            self.what.value, self.owner.value = step.what, step.owner
            self.due.value, self.status.value = step.due, step.status
            self.page.value = step.course_page or ""
        self.sync_buttons()

    def typed(self) -> dict[str, object]:
        """The boxes as a step, for the plan's rules to check."""
        return {
            "action_id": self.action.value,
            "what": self.what.value,
            "owner": self.owner.value,
            "due": self.due.value,
            "status": self.status.value,
            "course_page": self.page.value or None,
        }


class EvidenceBox(widgets.VBox):
    """One action's evidence: the list (every member) and the way to add some (editors)."""

    def __init__(self, action: Action) -> None:
        self.action = action
        self.list = widgets.HTML()
        self.upload = widgets.FileUpload(
            description="Attach a file", accept=ACCEPT, multiple=False, layout=auto()
        )
        self.link = widgets.Text(
            description="Evidence link", placeholder="https://", style=LABEL_STYLE, layout=wide()
        )
        self.add_link = widgets.Button(description="Add link", icon="link", layout=auto())
        self.remove_choice = widgets.Dropdown(
            description="Evidence to remove", style=LABEL_STYLE, layout=wide()
        )
        self.remove = widgets.Button(description="Remove", icon="trash", layout=auto())
        self.removing = widgets.VBox([self.remove_choice, self.remove])
        # One Tab stop per action until the officer asks for the controls; then they stay.
        self.opener = widgets.Button(
            description="Add or remove evidence files and links", icon="paperclip",
            layout=auto(),
        )  # fmt: skip
        self.adding = hidden_box([self.upload, self.link, self.add_link, self.removing])
        self.opener.on_click(self.on_open)
        super().__init__([self.list, self.opener, self.adding])

    def on_open(self, _button: object = None) -> None:
        show(self.opener, False)
        show(self.adding)

    def refresh(self, found: list[EvidenceItem], root: str, can_add: bool) -> None:
        self.list.value = render(
            "assessment_evidence.html.j2", items=found, root=root, title=self.action.title
        )
        self.remove_choice.options = [(item.name, item.id) for item in found]
        opened = self.adding.layout.display != "none"
        show(self.opener, can_add and not opened)
        show(self.adding, can_add and opened)
        show(self.removing, bool(found))
