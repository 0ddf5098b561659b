"""The blocks a printed report is made of, which the PDF and the Word file both lay out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ccin_learn.figures import Chart

Size = Literal["title", "lead", "body", "small"]


@dataclass(frozen=True)
class Heading:
    """Level 1 is the report's title, 2 a section, 3 a part of a section."""

    text: str
    level: int


@dataclass(frozen=True)
class Para:
    text: str
    size: Size = "body"
    bold: bool = False
    link: str | None = None  # the whole paragraph links here
    keep_with_next: bool = False  # e.g. an action's title stays with its level


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]  # empty: a table of labels and values, with no heading row
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]  # relative column widths
    caption: str = ""  # what the table holds, for screen readers (the HTML report's caption)


@dataclass(frozen=True)
class Picture:
    chart: Chart


Block = Heading | Para | Table | Picture
