"""The "Which cooperative model?" tool: match three answers to the kinds of cooperative.

The questions, the kinds and the rules that link them live in ``data/coop_models.yaml``
so that trainers can reword a reason or change a rule without touching code. This module
only adds up the points of the rules an answer set meets and ranks the kinds, so the
widget and the book show the same result and the tests can check it by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, first_repeat, load_yaml_model
from ccin_learn.errors import KitError

MODELS_FILE = DATA_DIR / "coop_models.yaml"

ID_PATTERN = r"^[a-z][a-z0-9-]*$"


class Option(DataModel):
    """One answer to a question."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=3)


class Question(DataModel):
    """One question the user answers by picking one option."""

    id: str = Field(pattern=ID_PATTERN)
    prompt: str = Field(min_length=5)
    short: str = Field(min_length=3, description="one word for the rule table, e.g. Members")
    options: tuple[Option, ...] = Field(min_length=2, strict=False)

    @model_validator(mode="after")
    def _unique_options(self) -> Question:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has two options with the same id")
        return self

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


class Rule(DataModel):
    """Points a kind gains (or loses) when the answer to a question is one of ``answers``."""

    question: str
    answers: tuple[str, ...] = Field(min_length=1, strict=False)
    points: int = Field(ge=-5, le=5)
    reason: str = Field(min_length=10)

    @model_validator(mode="after")
    def _not_zero(self) -> Rule:
        if self.points == 0:
            raise ValueError("points must not be 0: a rule with no points changes nothing")
        return self


class Kind(DataModel):
    """A kind of cooperative (or employee ownership), the page on it, and its rules."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=3)
    summary: str = Field(min_length=20)
    fits: str = Field(min_length=20)
    page: str = Field(pattern=r"^modules/[a-z0-9-]+/[a-z0-9-]+$", description="Sphinx docname")
    page_title: str = Field(min_length=3)
    rules: tuple[Rule, ...] = Field(min_length=1, strict=False)


class ModelGuide(DataModel):
    """The whole tool: questions, kinds and the score a kind needs to be shown."""

    min_score: int = Field(ge=1)
    questions: tuple[Question, ...] = Field(min_length=1, strict=False)
    kinds: tuple[Kind, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> ModelGuide:
        if first_repeat(question.id for question in self.questions) is not None:
            raise ValueError("question ids must be unique")
        if first_repeat(kind.id for kind in self.kinds) is not None:
            raise ValueError("kind ids must be unique")
        options = {question.id: question.option_ids() for question in self.questions}
        for kind in self.kinds:
            check_rules(kind, options)
        return self

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KitError(f"no question {question_id!r}")


def check_rules(kind: Kind, options: Mapping[str, tuple[str, ...]]) -> None:
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


@dataclass(frozen=True)
class Match:
    """How well one kind fits a set of answers, and why."""

    kind: Kind
    score: int
    reasons_for: tuple[str, ...]
    reasons_against: tuple[str, ...]
    answers_pointing: int

    @property
    def fit_words(self) -> str:
        """How many answers point to this kind, in words a reader can check."""
        count = self.answers_pointing
        return f"{count} of your answers {'points' if count == 1 else 'point'} to it"


def load_guide(path: Path = MODELS_FILE) -> ModelGuide:
    """Load and validate a guide file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, ModelGuide)


@cache
def default_guide() -> ModelGuide:
    """The guide shipped with the kit, loaded once per process."""
    return load_guide()


def check_answers(guide: ModelGuide, answers: Mapping[str, str]) -> None:
    """Refuse a missing answer, an unknown question or an option the question lacks."""
    unknown = sorted(set(answers) - {question.id for question in guide.questions})
    if unknown:
        raise KitError(f"unknown question(s): {', '.join(unknown)}")
    for question in guide.questions:
        if question.id not in answers:
            raise KitError(f"answer the question {question.prompt!r}")
        if answers[question.id] not in question.option_ids():
            raise KitError(f"{answers[question.id]!r} is not an answer to {question.prompt!r}")


def match_kind(kind: Kind, answers: Mapping[str, str]) -> Match:
    """Add up the points of the kind's rules that the answers meet."""
    met = [rule for rule in kind.rules if answers.get(rule.question) in rule.answers]
    pointing = {rule.question for rule in met if rule.points > 0}
    return Match(
        kind=kind,
        score=sum(rule.points for rule in met),
        reasons_for=tuple(rule.reason for rule in met if rule.points > 0),
        reasons_against=tuple(rule.reason for rule in met if rule.points < 0),
        answers_pointing=len(pointing),
    )


def rank_kinds(guide: ModelGuide, answers: Mapping[str, str]) -> tuple[Match, ...]:
    """Every kind scored against the answers, highest first; equal scores keep file order."""
    check_answers(guide, answers)
    matches = [match_kind(kind, answers) for kind in guide.kinds]
    return tuple(sorted(matches, key=lambda match: -match.score))


def fitting_kinds(guide: ModelGuide, answers: Mapping[str, str]) -> tuple[Match, ...]:
    """The kinds whose score reaches the guide's ``min_score``, best first."""
    return tuple(m for m in rank_kinds(guide, answers) if m.score >= guide.min_score)


def first_answers(guide: ModelGuide) -> dict[str, str]:
    """The first option of each question: the answers the tool starts with."""
    return {question.id: question.options[0].id for question in guide.questions}


def fitting_summary(matches: tuple[Match, ...]) -> str:
    """One line naming the fitting kinds and their scores, for the book page and tests."""
    if not matches:
        return "No kind fits these answers well."
    return "; ".join(f"{m.kind.name} ({m.score} points)" for m in matches)
