"""The schema of ``data/coop_models.yaml``, the "Which cooperative model?" tool's rules.

Trainers edit that file, so it is validated strictly (pydantic) and a mistake comes back
as one line naming the field. The tool itself works on the plain dataclasses of
``ccin_learn.tools.model_finder``, which also run in the reader's browser where pydantic
does not: the loader here turns the validated file's JSON dump into them, and the lite
build packs that same dump (``page_data``) for the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, first_repeat, load_yaml_model
from ccin_learn.tools.model_finder import ModelGuide

MODELS_FILE = DATA_DIR / "coop_models.yaml"

ID_PATTERN = r"^[a-z][a-z0-9-]*$"


class OptionEntry(DataModel):
    """One answer to a question."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=3)


class QuestionEntry(DataModel):
    """One question the user answers by picking one option."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = Field(min_length=5)
    short: str = Field(min_length=3, description="one word for the rule table, e.g. Members")
    options: tuple[OptionEntry, ...] = Field(min_length=2, strict=False)

    @model_validator(mode="after")
    def _unique_options(self) -> QuestionEntry:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has two options with the same id")
        return self

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


class RuleEntry(DataModel):
    """Points a kind gains (or loses) when the answer to a question is one of ``answers``."""

    question: str
    answers: tuple[str, ...] = Field(min_length=1, strict=False)
    points: int = Field(ge=-5, le=5)
    reason: str = Field(min_length=10)

    @model_validator(mode="after")
    def _not_zero(self) -> RuleEntry:
        if self.points == 0:
            raise ValueError("points must not be 0: a rule with no points changes nothing")
        return self


class KindEntry(DataModel):
    """A kind of cooperative (or employee ownership), the page on it, and its rules."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=3)
    summary: str = Field(min_length=20)
    fits: str = Field(min_length=20)
    page: str = Field(pattern=r"^modules/[a-z0-9-]+/[a-z0-9-]+$", description="Sphinx docname")
    page_title: str = Field(min_length=3)
    rules: tuple[RuleEntry, ...] = Field(min_length=1, strict=False)


class GuideFile(DataModel):
    """The whole file: questions, kinds and the score a kind needs to be shown."""

    min_score: int = Field(ge=1)
    questions: tuple[QuestionEntry, ...] = Field(min_length=1, strict=False)
    kinds: tuple[KindEntry, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> GuideFile:
        if first_repeat(question.id for question in self.questions) is not None:
            raise ValueError("question ids must be unique")
        if first_repeat(kind.id for kind in self.kinds) is not None:
            raise ValueError("kind ids must be unique")
        options = {question.id: question.option_ids() for question in self.questions}
        for kind in self.kinds:
            check_rules(kind, options)
        return self


def check_rules(kind: KindEntry, options: Mapping[str, tuple[str, ...]]) -> None:
    """Every rule must name a real question and real options, and some rule must add points."""
    for rule in kind.rules:
        if rule.question not in options:
            raise ValueError(f"kind {kind.id!r}: a rule names no question {rule.question!r}")
        unknown = sorted(set(rule.answers) - set(options[rule.question]))
        if unknown:
            raise ValueError(
                f"kind {kind.id!r}: question {rule.question!r} has no option {unknown[0]!r}"
            )
    if not any(rule.points > 0 for rule in kind.rules):
        raise ValueError(f"kind {kind.id!r} has no rule with positive points, so never fits")


def load_guide_file(path: Path = MODELS_FILE) -> GuideFile:
    """Load and validate a guide file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, GuideFile)


def load_guide(path: Path = MODELS_FILE) -> ModelGuide:
    """The tool's guide from a validated file, made from its JSON dump as the page makes it."""
    return ModelGuide.from_data(load_guide_file(path).model_dump(mode="json"))


@cache
def default_guide() -> ModelGuide:
    """The guide shipped with the kit, loaded once per process."""
    return load_guide()


def page_data() -> dict[str, Any]:
    """The validated shipped file as plain JSON, for the tool in the page."""
    return load_guide_file().model_dump(mode="json")
