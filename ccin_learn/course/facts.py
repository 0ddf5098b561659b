"""The course's fact registry: every figure, date, threshold and legal rule, written once.

One data file (``data/facts.yaml``) holds each fact the course states, with the
nations it covers, the date it was checked, its sources and the date it must be
checked again. Pages quote a fact by its id (the ``{fact}`` role of the book's
Sphinx extension), the "Facts and figures" page lists them all, and
``ccin-learn book facts --due`` says which are past their review date.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, IsoDate, first_repeat, load_yaml_model
from ccin_learn.errors import lookup

FACTS_FILE = DATA_DIR / "facts.yaml"

Nation = Literal["England", "Wales", "Scotland", "Northern Ireland", "UK"]


class Source(DataModel):
    """Where a fact was checked."""

    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    url: str | None = Field(default=None, pattern=r"^https://\S+$")
    date: IsoDate | None = None


class Fact(DataModel):
    """One checked statement of the course, dated and sourced."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    topic: str = Field(min_length=3)
    statement: str = Field(min_length=20)
    # The fact's short form for a sentence of prose ("£100,000"), quoted by {fact-value}.
    value: str | None = Field(default=None, min_length=1)
    nations: tuple[Nation, ...] = Field(min_length=1, strict=False)
    as_of: IsoDate
    sources: tuple[Source, ...] = Field(min_length=1, strict=False)
    review_by: IsoDate

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.review_by <= self.as_of:
            raise ValueError(f"review_by {self.review_by} must be after as_of {self.as_of}")
        if "UK" in self.nations and len(self.nations) > 1:
            raise ValueError('nations: "UK" stands alone, not beside a nation')
        if len(set(self.nations)) != len(self.nations):
            raise ValueError("nations: a nation is listed twice")
        return self

    def due(self, on: date) -> bool:
        """True when the fact is past its review date on ``on``."""
        return self.review_by < on


class FactRegistry(DataModel):
    """Every fact, in the order the "Facts and figures" page lists its topics."""

    facts: tuple[Fact, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _unique(self) -> FactRegistry:
        repeated = first_repeat(fact.id for fact in self.facts)
        if repeated is not None:
            raise ValueError(f"fact id {repeated!r} appears twice")
        return self

    def get(self, fact_id: str) -> Fact:
        return lookup(self.facts, fact_id, "fact")

    def topics(self) -> dict[str, list[Fact]]:
        """The facts grouped by topic, topics in order of first appearance."""
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.topic, []).append(fact)
        return grouped

    def due(self, on: date) -> list[Fact]:
        return [fact for fact in self.facts if fact.due(on)]


def nations_text(fact: Fact) -> str:
    return ", ".join(fact.nations)


def month_year(day: date) -> str:
    """``December 2026``."""
    return day.strftime("%B %Y")


def load_facts(path: Path = FACTS_FILE) -> FactRegistry:
    """Load and validate a facts file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, FactRegistry)


@cache
def default_facts() -> FactRegistry:
    """The registry shipped with the kit, loaded once per process."""
    return load_facts()
