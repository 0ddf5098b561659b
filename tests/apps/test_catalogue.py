"""The live tools' data: one entry per app notebook, each leading to a page the book builds."""

from __future__ import annotations

import pytest
import yaml

from ccin_learn.apps import APPS_DIR
from ccin_learn.apps.catalogue import TOOLS_FILE, default_tools, load_tools, template_resources
from ccin_learn.apps.server import index_html, not_found_html
from ccin_learn.datafile import DataFileError
from ccin_learn.site.toc import toc_docnames


def test_every_app_notebook_has_exactly_one_entry():
    assert sorted(tool.app for tool in default_tools().tools) == sorted(
        path.stem for path in APPS_DIR.glob("*.ipynb")
    )


def test_every_tool_page_is_a_page_the_book_builds(kit):
    built = set(toc_docnames(kit.root))
    for tool in default_tools().tools:
        assert tool.page in built, tool.app


def test_templates_get_each_tools_name_and_page():
    resources = template_resources(default_tools(), "http://book.example/")
    assert resources["book_url"] == "http://book.example/"
    assert resources["tools"]["lm3-calculator"] == {
        "name": "LM3 calculator",
        "page_url": "http://book.example/modules/community-wealth-building/lm3-calculator.html",
        "fit": True,  # the kit's widget rules fit it to a phone
    }
    assert resources["tools"]["self-assessment"]["fit"] is False  # it lays itself out


def test_index_escapes_the_data_and_lists_every_tool():
    tools = default_tools()
    html = index_html(tools, "http://book.example/?a=1&b=2", "/")
    assert html.count('<li><a class="ccin-tool-name"') == len(tools.tools)
    assert "?a=1&amp;b=2" in html and "?a=1&b=2" not in html
    assert '<html lang="en">' in html
    assert "https://" not in html, "nothing from outside the machine"


def test_not_found_page_names_no_file():
    html = not_found_html(default_tools(), "http://book.example/", "/")
    assert "Page not found" in html
    assert ".ipynb" not in html


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda data: data["tools"].append(dict(data["tools"][0])), "listed twice"),
        (lambda data: data["tools"][0].pop("does"), "does"),
        (lambda data: data["tools"][0].update(page="Book/Plan"), "page"),
    ],
)
def test_a_bad_edit_is_refused_with_its_field(tmp_path, change, problem):
    data = yaml.safe_load(TOOLS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "tools.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_tools(path)
