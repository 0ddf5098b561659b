"""The course's own pages keep the promises of the fact registry and of honest study time.

These read the book's sources (fast): every figure in the prose comes from the
registry, no page says what "the sources" lack, quiz keys state only figures
the registry holds, each legal page has substance and a worked example, and each
module's claimed study time matches what its pages take.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.course.facts import default_facts
from ccin_learn.course.pages import (
    EXAMPLE_DIRECTIVE,
    STRAY_FIGURE,
    page_file,
    page_markdown,
    word_count,
)
from ccin_learn.site.check import check_page, module_times
from ccin_learn.site.toc import chapter_docnames, toc_docnames

ROOT = Path(__file__).resolve().parents[2]
PAGES = toc_docnames(ROOT)
LEGAL_CHAPTER = "modules/legal-structures/index"
# Legal pages are those of the legal structures module that teach law, not its tools or tasks.
NOT_LEGAL_TEACHING = {"index", "quiz", "apply", "legal-form-chooser"}
LEGAL_PAGES = [
    docname
    for docname in chapter_docnames(ROOT)[LEGAL_CHAPTER]
    if docname.rsplit("/", 1)[1] not in NOT_LEGAL_TEACHING
]
MIN_LEGAL_WORDS = 500
QUIZZES = sorted(ROOT.glob("modules/*/quiz.yaml"))


@pytest.mark.parametrize("docname", PAGES)
def test_every_figure_in_a_page_comes_from_the_registry(docname):
    assert check_page(ROOT, docname, default_facts()).lines() == []


@pytest.mark.parametrize("module", default_catalogue().modules, ids=lambda module: module.id)
def test_a_modules_study_time_is_what_its_pages_take(module):
    times = {
        found.module_id: found for found in module_times(ROOT, default_catalogue(), default_facts())
    }
    assert times[module.id].honest, times[module.id].line()


@pytest.mark.parametrize("docname", LEGAL_PAGES)
def test_a_legal_page_has_substance_and_a_worked_example(docname):
    markdown = page_markdown(page_file(ROOT, docname))
    assert word_count(markdown, default_facts()) >= MIN_LEGAL_WORDS
    assert re.search(rf"^[`:]{{3,}}\{{{EXAMPLE_DIRECTIVE}\}}", markdown, re.MULTILINE)


def registry_text() -> str:
    registry = default_facts()
    return " ".join(f"{fact.statement} {fact.value or ''}" for fact in registry.facts)


def quiz_strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in quiz_strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in quiz_strings(value)]
    return []


@pytest.mark.parametrize("quiz", QUIZZES, ids=lambda path: path.parent.name)
def test_a_quiz_states_only_figures_the_registry_holds(quiz):
    known = registry_text()
    texts = quiz_strings(yaml.safe_load(quiz.read_text(encoding="utf-8")))
    figures = {match.group(0) for text in texts for match in STRAY_FIGURE.finditer(text)}
    assert [figure for figure in sorted(figures) if figure not in known] == []
