"""The "Which cooperative model?" tool: match three answers to the kinds of cooperative.

The questions, the kinds and the rules that link them live in ``data/coop_models.yaml``
so that trainers can reword a reason or change a rule without touching code. This module
only adds up the points of the rules an answer set meets and ranks the kinds, so the
widget and the book show the same result and the tests can check it by hand.

It works on plain frozen dataclasses built by ``ModelGuide.from_data`` from the file's
validated JSON dump (the schema and loader are in ``ccin_learn.tools.coop_models``): the
tool also runs in the reader's browser, where pydantic cannot be imported, and there it
builds the same objects from the same dump.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ccin_learn.errors import KitError


@dataclass(frozen=True)
class Option:
    """One answer to a question."""

    id: str
    label: str

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Option:
        return cls(id=data["id"], label=data["label"])


@dataclass(frozen=True)
class Question:
    """One question the user answers by picking one option."""

    id: str
    prompt: str
    short: str
    options: tuple[Option, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Question:
        options = tuple(Option.from_data(option) for option in data["options"])
        return cls(id=data["id"], prompt=data["prompt"], short=data["short"], options=options)

    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Rule:
    """Points a kind gains (or loses) when the answer to a question is one of ``answers``."""

    question: str
    answers: tuple[str, ...]
    points: int
    reason: str

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rule:
        return cls(
            question=data["question"],
            answers=tuple(data["answers"]),
            points=data["points"],
            reason=data["reason"],
        )


@dataclass(frozen=True)
class Kind:
    """A kind of cooperative (or employee ownership), the page on it, and its rules."""

    id: str
    name: str
    summary: str
    fits: str
    page: str
    page_title: str
    rules: tuple[Rule, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Kind:
        return cls(
            id=data["id"],
            name=data["name"],
            summary=data["summary"],
            fits=data["fits"],
            page=data["page"],
            page_title=data["page_title"],
            rules=tuple(Rule.from_data(rule) for rule in data["rules"]),
        )


@dataclass(frozen=True)
class ModelGuide:
    """The whole tool: questions, kinds and the score a kind needs to be shown."""

    min_score: int
    questions: tuple[Question, ...]
    kinds: tuple[Kind, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ModelGuide:
        """The guide from the validated file's JSON dump; the data is trusted as checked."""
        return cls(
            min_score=data["min_score"],
            questions=tuple(Question.from_data(question) for question in data["questions"]),
            kinds=tuple(Kind.from_data(kind) for kind in data["kinds"]),
        )

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KitError(f"no question {question_id!r}")


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
