"""Building the book: progress, the execution cache, strict mode, and what the site holds."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.errors import KitError
from ccin_learn.site.build import (
    PACKAGE_STAMP,
    build_book,
    jupyter_book_command,
    progress_from_line,
)
from ccin_learn.site.paths import KitPaths
from ccin_learn.site.toc import toc_docnames

EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|source|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.IGNORECASE
)


def test_sphinx_progress_lines_become_percentages():
    assert progress_from_line("reading sources... [ 40%] book/values") == ("Reading sources", 40)
    assert progress_from_line("writing output... [100%] modules/finance/index") == (
        "Writing output",
        100,
    )
    assert progress_from_line("build succeeded.") is None


def test_strict_adds_warnings_as_errors(kit):
    assert "--warningiserror" in jupyter_book_command(kit, strict=True)
    assert "--warningiserror" not in jupyter_book_command(kit, strict=False)


def tiny_book(tmp_path: Path, kit: KitPaths, page: str) -> KitPaths:
    """A one-page book sharing the kit's pinned npm packages."""
    (tmp_path / "_config.yml").write_text(
        "title: Tiny\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: cache\n",
        encoding="utf-8",
    )
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\n", encoding="utf-8")
    (tmp_path / "index.md").write_text(page, encoding="utf-8")
    shutil.copy(kit.root / "package-lock.json", tmp_path)
    (tmp_path / "node_modules").symlink_to(kit.node_modules)
    return KitPaths(tmp_path)


@pytest.mark.slow
def test_strict_build_fails_on_a_broken_reference(tmp_path, kit, built_site):
    paths = tiny_book(tmp_path, kit, "# Tiny\n\nSee {ref}`a-label-that-does-not-exist`.\n")
    result = build_book(paths, strict=False)
    assert any("undefined label" in problem for problem in result.problems)
    assert not (paths.html_dir / "lite").exists(), "no page runs a tool: no JupyterLite site"
    with pytest.raises(KitError, match=r"the book build failed .*undefined label"):
        build_book(paths, strict=True)


@pytest.mark.slow
def test_every_toc_page_is_built_and_nothing_else(built_site, kit):
    built = {
        p.relative_to(built_site).with_suffix("").as_posix()
        for p in built_site.rglob("*.html")
        if "_static" not in p.parts and "lite" not in p.parts  # lite/: the in-page tools' app
    }
    # index.html only redirects to the home page; genindex and search are Sphinx's own.
    assert built - {"index", "genindex", "search"} == set(toc_docnames(kit.root))
    assert "url=book/index.html" in (built_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        found = EXTERNAL_ASSET.search(page.read_text(encoding="utf-8"))
        assert found is None, f"{page.name} loads {found.group(0)}"
    assert (built_site / "_static" / "vendor" / "require.js").is_file()
    assert (built_site / "lite" / "repl" / "index.html").is_file(), "the course's tools run"
    assert (built_site / "_static" / "vendor" / "html-manager" / "embed-amd.js").is_file()


@pytest.mark.slow
def test_landing_pages_show_the_catalogue(built_site):
    for module in default_catalogue().modules:
        page = (built_site / f"{module.page}.html").read_text(encoding="utf-8")
        text = html.unescape(page).replace("\u2019", "'")  # Sphinx curls apostrophes
        assert module.title in text
        for outcome in module.outcomes:
            assert outcome in text


@pytest.mark.slow
def test_rebuild_uses_the_execution_cache(kit, built_site, tmp_path):
    """A strict rebuild re-runs no notebook; built into its own folder from a copy of the
    cache, so the pages the browser tests are reading stay in place."""
    rebuild = KitPaths(kit.root, output=tmp_path)
    rebuild.build_dir.mkdir()
    shutil.copytree(kit.build_dir / ".jupyter_cache", rebuild.build_dir / ".jupyter_cache")
    shutil.copy(kit.build_dir / PACKAGE_STAMP, rebuild.build_dir / PACKAGE_STAMP)
    build_book(rebuild, strict=True)
    assert (rebuild.html_dir / "book" / "index.html").is_file()
    log = rebuild.build_log.read_text(encoding="utf-8")
    assert "plan-your-route.ipynb: Using cached notebook" in log
    assert "Executing notebook" not in log


def test_a_package_change_drops_the_cached_notebook_outputs(tmp_path):
    from ccin_learn.site.build import PACKAGE_STAMP, package_digest, refresh_execution_cache

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "tool.py").write_text("RATE = 1\n")
    before = package_digest(package)
    (package / "tool.py").write_text("RATE = 2\n")
    assert package_digest(package) != before

    paths = KitPaths(tmp_path)
    cache = paths.build_dir / ".jupyter_cache"
    cache.mkdir(parents=True)
    (cache / "global.db").write_text("old outputs")
    assert refresh_execution_cache(paths) is True
    assert not cache.exists()
    assert (paths.build_dir / PACKAGE_STAMP).is_file()
    cache.mkdir()
    assert refresh_execution_cache(paths) is False, "unchanged package keeps the cache"
    assert cache.exists()


@pytest.mark.slow
def test_a_quiz_page_carries_its_questions_and_the_marking_script(tmp_path, kit, built_site):
    quiz = {
        "questions": [
            {
                "id": f"q{n}",
                "prompt": f"Question {n}: pick the right one",
                "options": {"a": f"Right {n}", "b": f"Wrong {n}"},
                "answer": "a",
                "feedback": {"a": "Because it is right.", "b": "Because it is wrong."},
            }
            for n in range(1, 7)
        ]
    }
    (tmp_path / "quiz.yaml").write_text(yaml.safe_dump(quiz), encoding="utf-8")
    paths = tiny_book(tmp_path, kit, "# Tiny\n\n```{quiz} quiz.yaml\n```\n")
    config = tmp_path / "_config.yml"
    config.write_text(
        config.read_text() + "sphinx:\n  extra_extensions: [ccin_learn.site.sphinxext]\n",
        encoding="utf-8",
    )
    build_book(paths, strict=True)
    page = (paths.html_dir / "index.html").read_text(encoding="utf-8")
    assert page.count('class="ccin-quiz-question"') == 6
    assert "_static/quiz.js" in page and "_static/quiz.css" in page
    assert (paths.html_dir / "_static" / "quiz.js").is_file()


def test_only_a_book_with_a_tool_in_the_page_needs_jupyterlite(tmp_path):
    from ccin_learn.site.build import opens_a_tool_in_the_page

    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "index.html").write_text("<p>Reading only</p>")
    (tmp_path / "lite" / "repl").mkdir(parents=True)
    (tmp_path / "lite" / "repl" / "index.html").write_text('<a href="../lite/repl/x">')
    assert not opens_a_tool_in_the_page(tmp_path), "JupyterLite's own pages do not count"
    (tmp_path / "book" / "tool.html").write_text('<iframe src="../lite/repl/index.html?k=1">')
    assert opens_a_tool_in_the_page(tmp_path)
