"""The "Which cooperative model?" tool: three questions, then the kinds that fit and why."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from ccin_learn.tools.model_finder import (
    Match,
    ModelGuide,
    default_guide,
    first_answers,
    fitting_kinds,
)


def reasons_html(match: Match) -> str:
    """The reasons for and against, each labelled in words, not by colour."""
    items = [f"<li><strong>Fits:</strong> {escape(r)}</li>" for r in match.reasons_for]
    items += [f"<li><strong>Be careful:</strong> {escape(r)}</li>" for r in match.reasons_against]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def match_html(match: Match, link_base: str) -> str:
    """One fitting kind: its name, how many answers point to it, reasons and a link."""
    kind = match.kind
    href = escape(f"{link_base}{kind.page}.html", quote=True)
    return (
        f"<li><p><strong>{escape(kind.name)}</strong> ({escape(match.fit_words)}). "
        f"{escape(kind.summary)}</p>"
        f"<p>What it suits: {escape(kind.fits)}</p>{reasons_html(match)}"
        f'<p><a href="{href}">Read more: {escape(kind.page_title)}</a></p></li>'
    )


def finding_html(matches: tuple[Match, ...], link_base: str, guide: ModelGuide) -> str:
    """The kinds that fit, best first, or where to read when none does."""
    if not matches:
        first = guide.kinds[0]
        href = escape(f"{link_base}{first.page}.html", quote=True)
        return (
            "<p>No kind fits these answers well. Check that your answers agree with each "
            "other (for example, that the members are among the people who benefit), or "
            f'start from the page <a href="{href}">{escape(first.page_title)}</a>.</p>'
        )
    items = "".join(match_html(match, link_base) for match in matches)
    word = "kind fits your answers" if len(matches) == 1 else "kinds fit your answers, best first"
    return f"<p><strong>{len(matches)} {word}:</strong></p><ol>{items}</ol>"


class ModelFinder(widgets.VBox):
    """Pick who the members are, who benefits and how control works; see the kinds that fit."""

    def __init__(self, link_base: str = "", guide: ModelGuide | None = None) -> None:
        self.guide = guide or default_guide()
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
