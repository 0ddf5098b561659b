"""The "Which cooperative model?" tool: three questions, then the kinds that fit and why.

The finder is given the guide (``ModelGuide``) rather than loading it: the Voila app and
the book pass ``ccin_learn.tools.coop_models.default_guide()``, the page builds it from
its packed JSON, and this module imports no pydantic, so it runs in the browser too.
"""

from __future__ import annotations

import ipywidgets as widgets

from ccin_learn.text import plural
from ccin_learn.tools.model_finder import (
    Match,
    ModelGuide,
    first_answers,
    fitting_kinds,
)
from ccin_learn.widgets.templates import render


def finding_html(matches: tuple[Match, ...], link_base: str, guide: ModelGuide) -> str:
    """The kinds that fit, best first, or where to read when none does."""
    return render(
        "model_finder.html.j2",
        matches=matches,
        first=guide.kinds[0],
        link_base=link_base,
        plural=plural,
    )


class ModelFinder(widgets.VBox):
    """Pick who the members are, who benefits and how control works; see the kinds that fit."""

    def __init__(self, guide: ModelGuide, link_base: str = "") -> None:
        self.guide = guide
        self.link_base = link_base
        start = first_answers(self.guide)
        # Drop-down lists rather than radio buttons: ipywidgets' radio buttons are smaller
        # than the 24px touch target that WCAG 2.2 AA asks for.
        self.choices = {
            question.id: widgets.Dropdown(
                options=[(option.label, option.id) for option in question.options],
                value=start[question.id],
                description=question.prompt,
                style={"description_width": "13rem"},
                layout=widgets.Layout(width="100%", max_width="48rem"),
            )
            for question in self.guide.questions
        }
        self.result = widgets.HTML()
        for control in self.choices.values():
            control.observe(self._update, names="value")
        super().__init__([*self.choices.values(), self.result])
        self._update()

    def answers(self) -> dict[str, str]:
        return {question_id: control.value for question_id, control in self.choices.items()}

    def _update(self, _change: object = None) -> None:
        matches = fitting_kinds(self.guide, self.answers())
        self.result.value = finding_html(matches, self.link_base, self.guide)


def rule_text(guide: ModelGuide, question_id: str, answers: tuple[str, ...], points: int) -> str:
    """One rule in words: the answers it names and the points they add or take away."""
    question = guide.question(question_id)
    labels = {option.id: option.label for option in question.options}
    named = " or ".join(f'"{labels[answer]}"' for answer in answers)
    unit = "point" if abs(points) == 1 else "points"
    return f"{question.short}: {named} ({points:+d} {unit})".replace("|", "\\|")


def rules_markdown(guide: ModelGuide) -> str:
    """The whole rule table as Markdown, so readers can check how the tool decides."""
    rows = []
    for kind in guide.kinds:
        cells = []
        for positive in (True, False):
            texts = [
                rule_text(guide, rule.question, rule.answers, rule.points)
                for rule in kind.rules
                if (rule.points > 0) == positive
            ]
            cells.append("; ".join(texts) or "none")
        rows.append(f"| {kind.name} | {cells[0]} | {cells[1]} |")
    header = "| Kind | Answers that count for it | Answers that count against it |"
    return "\n".join([header, "| --- | --- | --- |", *rows])
