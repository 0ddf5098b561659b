"""The live tools as the kit's Voila server presents them: names, what each does, its page.

One data file (``data/tools.yaml``) lists the tools; the server's home page
lists them from it, and each tool's page takes its tab title and its way back
to the book from it, so nothing about a tool is written in HTML.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, first_repeat, load_yaml_model
from ccin_learn.errors import lookup

TOOLS_FILE = DATA_DIR / "tools.yaml"


class Tool(DataModel):
    """One live tool: a notebook in ``ccin_learn/apps``."""

    app: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="notebook name without .ipynb")
    name: str = Field(min_length=3)
    does: str = Field(min_length=20, description="one sentence: what the tool does")
    page: str = Field(pattern=r"^[a-z0-9][a-z0-9/-]*$", description="Sphinx docname")
    layout: Literal["fit", "own"] = Field(
        "fit", description="fit: the kit's widget rules fit it to a phone; own: it lays itself out"
    )

    def page_url(self, book_url: str) -> str:
        """The tool's page in the book served at ``book_url``."""
        return f"{book_url.rstrip('/')}/{self.page}.html"


class ToolsFile(DataModel):
    """Every live tool, in the order the index lists them."""

    course: str = Field(min_length=3)
    tools: tuple[Tool, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _one_entry_per_app(self) -> ToolsFile:
        if first_repeat(tool.app for tool in self.tools) is not None:
            raise ValueError("a tool is listed twice")
        return self

    def get(self, app: str) -> Tool:
        return lookup(self.tools, app, f"tool in {TOOLS_FILE.name}", attribute="app")


def load_tools(path: Path = TOOLS_FILE) -> ToolsFile:
    """Load and validate a tools file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, ToolsFile)


@cache
def default_tools() -> ToolsFile:
    """The tools shipped with the kit, loaded once per process."""
    return load_tools()


def template_resources(tools: ToolsFile, book_url: str) -> dict[str, Any]:
    """What the Voila templates need to give each tool its title and header.

    Voila hands these to every page's template as ``resources.ccin``: plain
    values only, since its configuration must survive a round trip through JSON.
    """
    return {
        "course": tools.course,
        "book_url": book_url,
        "tools": {
            tool.app: {
                "name": tool.name,
                "page_url": tool.page_url(book_url),
                "fit": tool.layout == "fit",
            }
            for tool in tools.tools
        },
    }
