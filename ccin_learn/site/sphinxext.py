"""The book's own Sphinx additions.

- ``{quiz} quiz.yaml`` shows a module's self-check quiz from its data file,
  marked in the reader's browser by ``static/quiz.js``.
- ``{module-summary} ID`` prints a module's study time, prerequisites and
  learning outcomes from ``data/modules.yaml``, so the landing page and the
  micro-credential can never disagree.
- ``{fact}`ID``` quotes a fact from ``data/facts.yaml`` (an unknown id fails a
  strict build), and a page that quotes facts ends with "Facts checked: Month
  YEAR", the oldest ``as_of`` among them. ``{fact-table}`` lists every fact, by
  topic, on the "Facts and figures" page.
- ``{credential} ID`` and ``{credential-list}`` (``site/credentials.py``) write the
  micro-credentials' learner's pages from the data files; a page's reading time counts
  the text they write.
- ``{progress-panel}`` and each page's progress config: see ``progress.py``.
- Each page loads each script once, and none that fetches from a CDN: Jupyter
  Book 1 on Sphinx 7.4 lists some scripts twice (ipywidgets then renders every
  widget twice), and sphinx-thebe's loader points at unpkg.com although the
  book never starts Thebe.
- Pages stay light: the widget manager (require.js and embed-amd.js, 3.6 MB) is
  loaded only on a page with saved widgets, and Font Awesome's 1.5 MB script is
  not loaded at all (the theme's style sheet already draws the few icons the book
  uses from its webfont; see ``templates/static/webpack-macros.html``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import nested_parse_with_titles

from ccin_learn.course.catalogue import Catalogue, Module, default_catalogue
from ccin_learn.course.facts import (
    FACTS_FILE,
    Fact,
    FactRegistry,
    default_facts,
    month_year,
    nations_text,
)
from ccin_learn.course.pages import activity_minutes, page_markdown, reading_minutes
from ccin_learn.course.pathway import format_hours
from ccin_learn.course.quiz import load_quiz, quiz_html
from ccin_learn.datafile import DataFileError
from ccin_learn.site.credentials import GENERATED_CLASS
from ccin_learn.site.credentials import setup as setup_credentials
from ccin_learn.site.livetool import setup_live_tools
from ccin_learn.site.progress import setup_progress
from ccin_learn.text import plural

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# Widget styles and the radio-group naming script, shared with the Voila apps' template.
WIDGET_STATIC_DIR = Path(__file__).resolve().parents[1] / "apps/jupyter/voila/templates/ccin/static"


def prerequisite_text(module: Module, catalogue: Catalogue) -> str:
    if not module.prerequisites:
        return "none; you can start here."
    names = [f"*{catalogue.get(p).title}*" for p in module.prerequisites]
    return " and ".join(names) + ". Take it first."


def summary_markdown(module: Module, catalogue: Catalogue) -> list[str]:
    """The landing page's facts as MyST Markdown lines."""
    lines = [
        f"**Study time:** about {format_hours(module.hours)}.",
        "",
        f"**Prerequisites:** {prerequisite_text(module, catalogue)}",
        "",
        "**Learning outcomes.** By the end you can:",
        "",
    ]
    lines += [f"- {outcome};" for outcome in module.outcomes[:-1]]
    lines.append(f"- {module.outcomes[-1]}.")
    return lines


class ModuleSummary(SphinxDirective):
    """Render one module's catalogue entry."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        catalogue = default_catalogue()
        try:
            module = catalogue.get(self.arguments[0])
        except KeyError as err:
            raise self.error(str(err)) from err
        container = nodes.container(classes=["ccin-module-summary"])
        self.state.nested_parse(
            StringList(summary_markdown(module, catalogue)), self.content_offset, container
        )
        return [container]


def asset_key(asset: object) -> tuple[str, str]:
    """Identify a script or style sheet by its file name, or its body when inline."""
    attributes = getattr(asset, "attributes", {}) or {}
    return str(getattr(asset, "filename", asset) or ""), str(attributes.get("body", ""))


def loads_from_cdn(asset: object) -> bool:
    filename, body = asset_key(asset)
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


WIDGET_MANAGER_FILES = ("require.js", "embed-amd.js")
WIDGET_MIME_TYPES = (
    "application/vnd.jupyter.widget-state+json",
    "application/vnd.jupyter.widget-view+json",
)


def is_widget_manager(asset: object) -> bool:
    return asset_key(asset)[0].endswith(WIDGET_MANAGER_FILES)


def page_has_widgets(body: str, scripts: list[Any]) -> bool:
    """Whether a page shows ipywidgets: its body holds a widget view, or it carries saved state.

    Jupyter Book lists the widget manager on every page; only these pages need it.
    """
    if any(mime in body for mime in WIDGET_MIME_TYPES):
        return True
    for asset in scripts:
        attributes = getattr(asset, "attributes", {}) or {}
        if attributes.get("type") in WIDGET_MIME_TYPES:
            return True
    return False


def clean_page_assets(
    _app: Sphinx, _page: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Drop duplicate scripts and style sheets, and thebe's CDN loader, from a page.

    The widget manager goes too when the page has no widget to draw.
    """
    scripts = context.get("script_files") or []
    if scripts and not page_has_widgets(str(context.get("body", "")), scripts):
        scripts[:] = [asset for asset in scripts if not is_widget_manager(asset)]
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen: set[tuple[str, str]] = set()
        kept = []
        for asset in assets:
            if asset_key(asset) in seen or loads_from_cdn(asset):
                continue
            seen.add(asset_key(asset))
            kept.append(asset)
        assets[:] = kept


class QuizDirective(SphinxDirective):
    """Render a quiz data file (path relative to the page) as a browser-marked quiz."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        relative, absolute = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            quiz = load_quiz(Path(absolute))
        except DataFileError as err:
            raise self.error(str(err)) from err
        return [nodes.raw("", quiz_html(quiz, Path(relative).stem), format="html")]


# The facts each page quotes, by docname: env.ccin_facts[docname] = {fact ids}.
FACTS_ATTRIBUTE = "ccin_facts"


def page_facts(env: BuildEnvironment) -> dict[str, set[str]]:
    if not hasattr(env, FACTS_ATTRIBUTE):
        setattr(env, FACTS_ATTRIBUTE, {})
    found: dict[str, set[str]] = getattr(env, FACTS_ATTRIBUTE)
    return found


class FactRole(SphinxRole):
    """``{fact}`eis-company-limit```: the fact's statement, noted as used on this page.

    With ``short=True`` (the ``{fact-value}`` role) it is the fact's short form
    instead, for a figure inside a sentence; a fact with no short form fails
    the build like an unknown id.
    """

    def __init__(self, short: bool = False) -> None:
        super().__init__()
        self.short = short

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        fact_id = self.text.strip()
        try:
            fact = default_facts().get(fact_id)
        except KeyError:
            return self.refuse(f"unknown fact id {fact_id!r}")
        text = fact.value if self.short else fact.statement
        if text is None:
            return self.refuse(f"fact {fact_id!r} has no value for {{fact-value}}")
        page_facts(self.env).setdefault(self.env.docname, set()).add(fact.id)
        return [nodes.inline(self.rawtext, text, classes=["ccin-fact"])], []

    def refuse(self, problem: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        message = self.inliner.reporter.error(
            f"{problem} on page {self.env.docname} (see ccin_learn/data/facts.yaml)",
            line=self.lineno,
        )
        return [nodes.problematic(self.rawtext, self.rawtext)], [message]


def purge_page_facts(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    page_facts(env).pop(docname, None)


def merge_page_facts(
    _app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    theirs = page_facts(other)
    for docname in docnames:
        if docname in theirs:
            page_facts(env)[docname] = theirs[docname]


def facts_checked_text(fact_ids: set[str], registry: FactRegistry) -> str:
    oldest = min(registry.get(fact_id).as_of for fact_id in fact_ids)
    return f"Facts checked: {month_year(oldest)}"


def add_facts_checked(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """End a page that quotes facts with the month its oldest fact was checked, and
    each fact's nations and sources, so a reader can check any of them from the page."""
    fact_ids = page_facts(app.env).get(docname)
    if not fact_ids:
        return
    registry = default_facts()
    section = doctree.next_node(nodes.section)
    target = section if section is not None else doctree
    target.append(nodes.rubric("", "Facts on this page", classes=["ccin-facts-heading"]))
    target.append(
        nodes.paragraph("", facts_checked_text(fact_ids, registry), classes=["ccin-facts-checked"])
    )
    ordered = [fact for fact in registry.facts if fact.id in fact_ids]
    target.append(nodes.bullet_list("", *(fact_item(fact) for fact in ordered)))


def fact_item(fact: Fact) -> nodes.list_item:
    """One fact's line: its opening words, nations, check date and sources."""
    paragraph = nodes.paragraph("", "", classes=["ccin-fact-source"])
    paragraph += nodes.strong("", fact_label(fact))
    paragraph += nodes.Text(
        f" (applies in {nations_text(fact)}; checked {month_year(fact.as_of)}). Source: "
    )
    for number, source in enumerate(fact.sources):
        if number:
            paragraph += nodes.Text("; ")
        title = nodes.Text(source.title)
        if source.url:
            paragraph += nodes.reference("", "", title, refuri=source.url)
        else:
            paragraph += nodes.emphasis("", "", title)
        paragraph += nodes.Text(f", {source.publisher}")
        if source.date is not None:
            paragraph += nodes.Text(f", {source.date.day} {month_year(source.date)}")
    paragraph += nodes.Text(".")
    return nodes.list_item("", paragraph)


FACT_LABEL_WORDS = 8


def fact_label(fact: Fact) -> str:
    """The fact's opening words, enough to find it on the page."""
    words = fact.statement.split()
    if len(words) <= FACT_LABEL_WORDS:
        return fact.statement
    return " ".join(words[:FACT_LABEL_WORDS]) + "…"


def markdown_text(text: str) -> str:
    """Text that MyST shows as written: its markup characters escaped."""
    return "".join(f"\\{char}" if char in "\\`*_[]<>|{}#$~" else char for char in text)


def source_markdown(fact: Fact) -> str:
    parts = []
    for source in fact.sources:
        title = markdown_text(source.title)
        text = f"[{title}]({source.url})" if source.url else f"*{title}*"
        text += f", {markdown_text(source.publisher)}"
        if source.date is not None:
            text += f", {source.date.day} {month_year(source.date)}"
        parts.append(text)
    return "; ".join(parts)


def fact_table_markdown(registry: FactRegistry) -> list[str]:
    """The "Facts and figures" tables as MyST Markdown lines: one section per topic."""
    lines: list[str] = []
    for topic, facts in registry.topics().items():
        lines += [f"## {markdown_text(topic)}", "", "```{list-table}", ":header-rows: 1"]
        lines += [":class: ccin-fact-table", ""]
        lines += ["* - Fact", "  - Applies in", "  - Checked", "  - Sources"]
        for fact in facts:
            lines += [
                f"* - {markdown_text(fact.statement)} (`{fact.id}`)",
                f"  - {nations_text(fact)}",
                f"  - {month_year(fact.as_of)}",
                f"  - {source_markdown(fact)}",
            ]
        lines += ["```", ""]
    return lines


class FactTable(SphinxDirective):
    """List every fact of the registry, grouped by topic, with nations, date and sources."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(FACTS_FILE))
        container = nodes.container(classes=["ccin-fact-table"])
        nested_parse_with_titles(
            self.state, StringList(fact_table_markdown(default_facts())), container
        )
        return container.children


class WorkedExample(SphinxDirective):
    """A passage marked as a worked example: its figures are illustrative, not facts.

    Rendered as a titled box so the reader can tell an example from a rule.
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.admonition(classes=["ccin-worked-example"])
        title_text = f"Worked example: {self.arguments[0]}"
        textnodes, _ = self.state.inline_text(title_text, self.lineno)
        box += nodes.title(title_text, "", *textnodes)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


class Activity(SphinxDirective):
    """Something the learner does, with its stated time: a quiz, a tool, a set reading.

    The minutes count towards the module's study time (see course.pages).
    """

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"minutes": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        if "minutes" not in self.options:
            raise self.error("an activity needs :minutes:")
        box = nodes.admonition(classes=["ccin-activity"])
        title_text = (
            f"Activity, about {plural(self.options['minutes'], 'minute')}: {self.arguments[0]}"
        )
        textnodes, _ = self.state.inline_text(title_text, self.lineno)
        box += nodes.title(title_text, "", *textnodes)
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def generated_text(doctree: nodes.document) -> str:
    """The text that directives such as ``{credential}`` wrote from the data files: a
    reader reads it too, though the page's source does not hold it."""
    parts = [
        node.astext()
        for node in doctree.findall(nodes.Element)
        if GENERATED_CLASS in node.get("classes", ())
    ]
    return "\n\n" + "\n\n".join(parts) if parts else ""


def reading_time_text(reading: int, activities: int) -> str:
    text = f"Reading time: about {plural(reading, 'minute')}"
    if activities:
        text += f", plus activities of about {plural(activities, 'minute')}"
    return text + "."


def add_reading_time(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the page's reading time (and its activities' time) under its title."""
    markdown = page_markdown(Path(app.env.doc2path(docname))) + generated_text(doctree)
    registry = default_facts()
    note = nodes.paragraph(
        "",
        reading_time_text(reading_minutes(markdown, registry), activity_minutes(markdown)),
        classes=["ccin-reading-time"],
    )
    section = doctree.next_node(nodes.section)
    title = section.next_node(nodes.title) if section is not None else None
    if title is None:
        doctree.insert(0, note)
        return
    title.parent.insert(title.parent.index(title) + 1, note)


def add_static_files(app: Sphinx) -> None:
    app.config.html_static_path.extend([str(STATIC_DIR), str(WIDGET_STATIC_DIR)])


def add_templates(_app: Sphinx, config: Any) -> None:
    """Put the kit's template overrides ahead of the theme's (before the builder reads them)."""
    config.templates_path.insert(0, str(TEMPLATES_DIR))


NAV_TOGGLE_LABEL = '<summary aria-label="Show or hide the pages in this section">'


def label_nav_toggles(
    _app: Sphinx, _page: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Give the sidebar's expand/collapse toggles an accessible name (WCAG 4.1.2).

    pydata-sphinx-theme renders each toggle as an empty ``<summary>``, which
    screen readers announce as nothing and axe reports as ``summary-name``.
    """
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def labelled(*args: Any, **kwargs: Any) -> Any:
        html = generate(*args, **kwargs)
        return type(html)(str(html).replace("<summary>", NAV_TOGGLE_LABEL))

    context["generate_toctree_html"] = labelled


def setup(app: Sphinx) -> dict[str, Any]:
    setup_credentials(app)
    app.add_directive("module-summary", ModuleSummary)
    app.add_directive("quiz", QuizDirective)
    app.add_directive("fact-table", FactTable)
    app.add_role("fact", FactRole())
    app.add_role("fact-value", FactRole(short=True))
    app.add_directive("worked-example", WorkedExample)
    app.add_directive("activity", Activity)
    app.connect("doctree-resolved", add_reading_time)
    app.connect("env-purge-doc", purge_page_facts)
    app.connect("env-merge-info", merge_page_facts)
    app.connect("doctree-resolved", add_facts_checked)
    app.connect("builder-inited", add_static_files)
    app.connect("config-inited", add_templates)
    app.add_js_file("quiz.js", loading_method="defer")
    app.add_js_file("widgets-a11y.js", loading_method="defer")
    app.add_css_file("quiz.css")
    app.add_css_file("widgets.css")
    app.add_js_file("layout.js", loading_method="defer")
    app.add_css_file("layout.css")
    app.add_css_file("widget-fit.css")
    # The tab icon: without one, browsers ask the server for /favicon.ico and log a 404.
    app.add_css_file("favicon.svg", rel="icon", type="image/svg+xml")
    app.connect("html-page-context", clean_page_assets, priority=900)
    app.connect("html-page-context", label_nav_toggles, priority=900)
    setup_progress(app)
    setup_live_tools(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
