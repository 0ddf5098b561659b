"""The "Legal form chooser": answer six questions, see the forms that fit and why.

The widget only collects answers and shows HTML; the ranking and its reasons
come from ``ccin_learn.tools.legal_forms``. Every text it shows comes from the
data file or the tool, and is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from ccin_learn.tools.legal_forms import (
    NOT_COVERED,
    QUESTIONS,
    UNSURE,
    Fact,
    FormResult,
    LegalForm,
    LegalForms,
    Ranking,
    Source,
    Verdict,
    comparison_rows,
    default_forms,
    points_text,
    rank_forms,
)

KIND_LABELS = {"form": "legal form", "model": "model that still needs a legal form"}

# Radio buttons at least 28px apart (WCAG 2.2 target size), and a table that reads top down.
STYLE = (
    "<style>"
    ".ccin-legal-form-chooser .widget-radio-box label "
    "{height: auto; min-height: 28px; line-height: 28px;}"
    ".ccin-legal-form-chooser table, .ccin-chooser-table {line-height: 1.4;}"
    ".ccin-chooser-table th, .ccin-chooser-table td {vertical-align: top; padding: .4em;}"
    "</style>"
)

NOT_ADVICE = (
    "<p><em>General information, not legal advice.</em> Before you choose, ask a "
    "cooperative development body or a lawyer, and the Financial Conduct Authority about "
    "registering a society.</p>"
)


def source_link(source: Source) -> str:
    return f'<a href="{escape(source.url, quote=True)}">{escape(source.title)}</a>'


def sources_html(sources: Sequence[Source]) -> str:
    """ " (source: <a>title</a>)" after a fact, or nothing when it has no source."""
    if not sources:
        return ""
    word = "source" if len(sources) == 1 else "sources"
    links = "; ".join(source_link(s) for s in sources)
    return f' <span style="font-size: 0.9em">({word}: {links})</span>'


def fact_html(data: LegalForms, fact: Fact | None) -> str:
    if fact is None:
        return escape(NOT_COVERED)
    flag = " <strong>(uncertain)</strong>" if fact.uncertain else ""
    return f"{escape(fact.text)}{flag}{sources_html(data.sources_of(fact))}"


def form_link(form: LegalForm, link_base: str) -> str:
    href = escape(f"{link_base}{form.page}.html", quote=True)
    return f'<a href="{href}">{escape(form.name)}</a>'


def verdict_html(verdict: Verdict) -> str:
    flag = " <strong>(uncertain)</strong>" if verdict.uncertain else ""
    return (
        f"<li><strong>{escape(verdict.fit.label)}</strong> on {escape(verdict.question.topic)}: "
        f"{escape(verdict.reason)}{flag}{sources_html(verdict.sources)}</li>"
    )


def ranked_item_html(result: FormResult, link_base: str) -> str:
    reasons = "".join(verdict_html(v) for v in result.verdicts)
    return (
        f'<li value="{result.rank}"><strong>{form_link(result.form, link_base)}</strong> '
        f"({KIND_LABELS[result.form.kind]}): {points_text(result.points)}"
        f"<ul>{reasons}</ul></li>"
    )


def set_aside_html(results: Sequence[FormResult], link_base: str) -> str:
    if not results:
        return ""
    items = "".join(
        f"<li><strong>{form_link(r.form, link_base)}</strong>"
        f"<ul>{''.join(verdict_html(v) for v in r.conflicts)}</ul></li>"
        for r in results
    )
    return f"<p><strong>Set aside: these do not fit your answers</strong></p><ul>{items}</ul>"


def ranking_html(ranking: Ranking, link_base: str = "") -> str:
    """The ranked forms with their reasons, the ties explained, and the forms set aside."""
    if ranking.answered == 0:
        return (
            "<p>Answer at least one question to see which forms fit. Until then, the tables "
            "below compare them all.</p>"
        )
    parts = []
    if ranking.ranked:
        items = "".join(ranked_item_html(r, link_base) for r in ranking.ranked)
        parts.append(
            "<p><strong>Forms that fit your answers, best first</strong> (2 points for each "
            "answer a form fits well, 1 for each it could fit, 0 for a poor fit or where "
            "the course's sources are silent)</p>"
            f'<ol class="ccin-ranking">{items}</ol>'
        )
    else:
        parts.append(
            "<p><strong>No form fits all your answers.</strong> Some answers pull in "
            "different directions: read the reasons below, and try setting one to "
            "\u201cNot sure\u201d.</p>"
        )
    parts += [f"<p>{escape(tie.explanation)}</p>" for tie in ranking.ties]
    parts.append(set_aside_html(ranking.set_aside, link_base))
    return "".join(parts)


def comparison_table_html(
    data: LegalForms, forms: Sequence[LegalForm], caption: str, link_base: str = ""
) -> str:
    """Forms side by side: a header row of forms, one row per feature, sources in each cell."""
    head = "".join(f'<th scope="col">{form_link(form, link_base)}</th>' for form in forms)
    body = "".join(
        f'<tr><th scope="row">{escape(heading)}</th>'
        + "".join(f'<td style="min-width: 11em">{fact_html(data, fact)}</td>' for fact in facts)
        + "</tr>"
        for heading, facts in comparison_rows(forms)
    )
    return (
        f'<div class="ccin-table-scroll" role="region" aria-label="{escape(caption, quote=True)}" '
        'tabindex="0" style="overflow-x: auto">'
        f'<table class="ccin-chooser-table"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">Feature</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def tables_html(ranking: Ranking, data: LegalForms, link_base: str = "") -> str:
    """Before any answer, all forms (legal forms, then models); after, those that fit."""
    if ranking.answered == 0:
        legal_forms = [form for form in data.forms if form.kind == "form"]
        models = [form for form in data.forms if form.kind == "model"]
        return comparison_table_html(
            data, legal_forms, "How the legal forms compare", link_base
        ) + comparison_table_html(
            data, models, "How the models compare (each still needs a legal form)", link_base
        )
    fitting = [result.form for result in ranking.ranked]
    if not fitting:
        return ""
    return comparison_table_html(data, fitting, "How the forms that fit compare", link_base)


def result_html(ranking: Ranking, data: LegalForms, link_base: str = "") -> str:
    """The whole result: ranking, then the comparison tables, then the not-advice note."""
    return ranking_html(ranking, link_base) + tables_html(ranking, data, link_base) + NOT_ADVICE


class LegalFormChooser(widgets.VBox):
    """One set of radio buttons per question; the result updates as you answer."""

    def __init__(self, link_base: str = "", forms: LegalForms | None = None) -> None:
        self.forms = forms or default_forms()
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
            STYLE + "<p><strong>Answer what you can. Leave \u201cNot sure\u201d where you "
            "have no view.</strong></p>"
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
