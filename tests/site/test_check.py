"""``book check``: figures not from the registry, unknown facts, and honest study times."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccin_learn.course.catalogue import Catalogue
from ccin_learn.course.facts import default_facts
from ccin_learn.site.check import check_book
from ccin_learn.site.toc import chapter_docnames, toc_docnames

TOC = """format: jb-book
root: book/index
parts:
  - caption: A module
    chapters:
      - file: modules/tiny/index
        sections:
          - file: modules/tiny/quiz
"""

QUIZ = "# Quiz\n\n```{activity} Self-check quiz\n:minutes: 27\nAnswer them.\n```\n"


def tiny_catalogue(hours: float) -> Catalogue:
    outcomes = ["explain a", "compare b", "choose c", "identify d"]
    module = {
        "id": "tiny",
        "title": "Tiny",
        "kind": "core",
        "page": "modules/tiny/index",
        "hours": hours,
        "summary": "A module small enough to test with.",
        "outcomes": outcomes,
    }
    return Catalogue.model_validate({"modules": [module]}, strict=False)


@pytest.fixture
def book_root(tmp_path: Path):
    """``book_root(index_text)``: a book of a home page and a two-page module."""

    def make(index_text: str) -> Path:
        (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
        (tmp_path / "_config.yml").write_text("title: Tiny\n", encoding="utf-8")
        for docname, text in {
            "book/index": "# Home\n\nWelcome.\n",
            "modules/tiny/index": index_text,
            "modules/tiny/quiz": QUIZ,
        }.items():
            (tmp_path / f"{docname}.md").parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / f"{docname}.md").write_text(text, encoding="utf-8")
        return tmp_path

    return make


def test_the_toc_lists_pages_and_chapters(book_root):
    root = book_root("# Tiny\n")
    assert toc_docnames(root) == ["book/index", "modules/tiny/index", "modules/tiny/quiz"]
    assert chapter_docnames(root) == {
        "modules/tiny/index": ["modules/tiny/index", "modules/tiny/quiz"]
    }


def test_a_clean_book_with_an_honest_study_time_passes(book_root):
    root = book_root("# Tiny\n\nThe limit is {fact-value}`subsidy-control-mfa`.\n")
    found = check_book(root, tiny_catalogue(0.5), default_facts())
    assert found.problems == []
    assert [page.minutes for page in found.modules[0].pages] == [1, 28]
    assert found.ok


def test_a_claim_more_than_15_percent_off_fails(book_root):
    found = check_book(book_root("# Tiny\n"), tiny_catalogue(1), default_facts())
    assert not found.ok
    assert found.modules[0].line() == (
        "tiny: claims 60 min; pages 29 min (reading 2 + activities 27); -52% OUTSIDE 15%"
    )


def test_stray_figures_unknown_facts_and_missing_sources_are_each_named(book_root):
    index = "# Tiny\n\nIt costs £5m. {fact}`no-such-fact` The sources do not say.\n"
    found = check_book(book_root(index), tiny_catalogue(0.5), default_facts())
    assert found.problems[0].lines() == [
        "modules/tiny/index: unknown fact id 'no-such-fact'",
        "modules/tiny/index: figure not from the registry: '£5m'",
        "modules/tiny/index: says what the sources lack: 'sources do not'",
    ]
    assert not found.ok


def test_the_command_lists_problems_and_fails(book_root, run_cli):
    root = book_root("# Tiny\n\nIt costs £5m.\n")
    result = run_cli(["book", "check", "--root", str(root)], exit_code=1)
    assert "modules/tiny/index: figure not from the registry: '£5m'" in result.out
    assert "The book check found problems" in result.err


def test_a_page_listed_but_missing_is_one_clear_error(book_root, run_cli):
    root = book_root("# Tiny\n")
    (root / "modules/tiny/quiz.md").unlink()
    result = run_cli(["book", "check", "--root", str(root)], exit_code=1)
    assert "the table of contents lists modules/tiny/quiz, but there is no" in result.err
