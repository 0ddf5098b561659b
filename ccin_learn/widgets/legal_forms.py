"""The "Legal form chooser": answer six questions, see the forms that fit and why.

The widget only collects answers and shows HTML; the ranking and its reasons
come from ``ccin_learn.tools.legal_forms``, over the forms it is given. Every text
it shows comes from the data file or the tool, and ``templates/legal_forms.html.j2``
escapes it. It imports no pydantic, so it runs in the reader's browser too.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets

from ccin_learn.tools.legal_forms import (
    QUESTIONS,
    UNSURE,
    LegalForm,
    LegalForms,
    Ranking,
    comparison_rows,
    points_text,
    rank_forms,
)
from ccin_learn.widgets.templates import render

KIND_LABELS = {"form": "legal form", "model": "model that still needs a legal form"}
Table = tuple[str, Sequence[LegalForm]]  # a comparison table's caption and its forms


def chooser_html(
    link_base: str = "",
    ranking: Ranking | None = None,
    tables: Sequence[Table] = (),
    data: LegalForms | None = None,
    note: bool = False,
) -> str:
    """Any parts of the result: the ranking, comparison tables (their facts' sources come
    from ``data``), the not-advice note."""
    return render(
        "legal_forms.html.j2",
        data=data,
        link_base=link_base,
        ranking=ranking,
        tables=tables,
        note=note,
        kinds=KIND_LABELS,
        points_text=points_text,
        comparison_rows=comparison_rows,
    )


def ranking_html(ranking: Ranking, link_base: str = "") -> str:
    """The ranked forms with their reasons, the ties explained, and the forms set aside."""
    return chooser_html(link_base, ranking=ranking)


def comparison_table_html(
    data: LegalForms, forms: Sequence[LegalForm], caption: str, link_base: str = ""
) -> str:
    """Forms side by side: a header row of forms, one row per feature, sources in each cell."""
    return chooser_html(link_base, tables=[(caption, forms)], data=data)


def comparison_tables(ranking: Ranking, data: LegalForms) -> list[Table]:
    """Before any answer, all forms (legal forms, then models); after, those that fit."""
    if ranking.answered == 0:
        return [
            ("How the legal forms compare", [f for f in data.forms if f.kind == "form"]),
            (
                "How the models compare (each still needs a legal form)",
                [f for f in data.forms if f.kind == "model"],
            ),
        ]
    fitting = [result.form for result in ranking.ranked]
    return [("How the forms that fit compare", fitting)] if fitting else []


def result_html(ranking: Ranking, data: LegalForms, link_base: str = "") -> str:
    """The whole result: ranking, then the comparison tables, then the not-advice note."""
    tables = comparison_tables(ranking, data)
    return chooser_html(link_base, ranking=ranking, tables=tables, data=data, note=True)


class LegalFormChooser(widgets.VBox):
    """One set of radio buttons per question; the result updates as you answer.

    ``forms``: the Voila app and the book pass ``legal_forms_schema.default_forms()``; the
    page passes ``from_data(pagedata.load("legal_forms"))``, the same forms.
    """

    def __init__(self, forms: LegalForms, link_base: str = "") -> None:
        self.forms = forms
        self.link_base = link_base
        self.questions = {
            question.id: widgets.RadioButtons(
                options=[(option.label, option.id) for option in question.options],
                value=UNSURE,
                description=question.prompt,
                tooltip=question.prompt,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            for question in QUESTIONS
        }
        self.result = widgets.HTML()
        for control in self.questions.values():
            control.observe(self._update, names="value")
        heading = widgets.HTML(
            render(
                "legal_forms_heading.html.j2",
                text="Answer what you can. Leave \u201cNot sure\u201d where you have no view.",
                bold=True,
            )
        )
        super().__init__([heading, *self.questions.values(), self.result])
        self.add_class("ccin-legal-form-chooser")
        self._update()

    def answers(self) -> dict[str, str]:
        return {question_id: control.value for question_id, control in self.questions.items()}

    def ranking(self) -> Ranking:
        return rank_forms(self.forms, self.answers())

    def _update(self, _change: object = None) -> None:
        self.result.value = result_html(self.ranking(), self.forms, self.link_base)


def sources_markdown(data: LegalForms) -> str:
    """The chooser's sources as a Markdown list, for the book page's Sources section."""
    return "\n".join(f"- [{source.title}]({source.url})" for source in data.cited())
