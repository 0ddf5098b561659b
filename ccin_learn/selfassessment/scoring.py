"""Scores, principle profile and priorities from one assessment: pure functions.

The rules are CCIN's self-assessment rules as the kit states them to councils:

- a theme score is the sum of levels / (4 x answered applicable actions) x 100,
  rounded to a whole percent (halves round up); the overall score is the same
  over both themes;
- each CCIN principle gets the mean level of its answered, applicable actions;
- unanswered actions are left out, and every score says "n of 15 answered";
- the overall score is headlined only once at least half the actions are answered
  (``HEADLINE_SHARE``): below that it describes the few answered actions rather
  than the council, so the headline says it is too early instead;
- priorities are the 3 answered applicable actions with the lowest level below
  Embedded, ties broken by the number of principles served (more first), then
  by checklist order. An action already Embedded has no next step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ccin_learn.selfassessment.assessment import Assessment
from ccin_learn.selfassessment.checklist import Action, Checklist, Resource, default_checklist
from ccin_learn.text import percent as percent_text

PRIORITY_COUNT = 3
TOP_LEVEL = 4
# Share of the checklist that must be answered before the overall score is headlined.
# With half the actions answered, each theme has answers in it; below that one strong
# or weak action can swing the overall score by 10 points or more.
HEADLINE_SHARE = 0.5


@dataclass(frozen=True)
class ThemeScore:
    theme_id: str
    title: str
    percent: int | None
    answered: int
    total: int


@dataclass(frozen=True)
class Priority:
    """An action to work on next, with the next level's descriptor as the next step."""

    action: Action
    level: int
    next_level: int
    next_step: str
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class ScoreCard:
    """Everything the score panel, reports and CLI show for one assessment."""

    themes: tuple[ThemeScore, ...]
    overall: int | None
    answered: int
    total: int
    principles: dict[int, float | None]
    levels: dict[str, int | None]
    not_applicable: frozenset[str]
    priorities: tuple[Priority, ...]

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def completeness(self) -> str:
        """E.g. "12 of 15 answered (incomplete)"; shown wherever a score is."""
        text = f"{self.answered} of {self.total} answered"
        return text if self.complete else f"{text} (incomplete)"

    @property
    def headline_ready(self) -> bool:
        """True once enough actions are answered for the overall score to describe the council."""
        return self.overall is not None and self.answered >= HEADLINE_SHARE * self.total

    @property
    def headline(self) -> str:
        """The overall score with its completeness, or why it is not given yet.

        E.g. "Overall: 62% (12 of 15 answered)" or "1 of 15 answered: too early for an
        overall score (answer at least 8)".
        """
        if not self.headline_ready:
            needed = math.ceil(HEADLINE_SHARE * self.total)
            return (
                f"{self.answered} of {self.total} answered: too early for an overall score "
                f"(answer at least {needed})"
            )
        return f"Overall: {percent_text(self.overall)} ({self.completeness})"

    def theme(self, theme_id: str) -> ThemeScore:
        return next(t for t in self.themes if t.theme_id == theme_id)


def percent(levels: Sequence[int]) -> int | None:
    """Sum of levels over the maximum possible, as a whole percent; None with no levels."""
    if not levels:
        return None
    exact = Decimal(sum(levels) * 100) / Decimal(TOP_LEVEL * len(levels))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def scored_levels(assessment: Assessment, actions: Iterable[Action]) -> list[int]:
    """The levels of the answered, applicable actions among ``actions``."""
    levels = []
    for action in actions:
        answer = assessment.answer(action.id)
        if answer.applicable and answer.level is not None:
            levels.append(answer.level)
    return levels


def theme_scores(assessment: Assessment, checklist: Checklist) -> tuple[ThemeScore, ...]:
    scores = []
    for theme in checklist.themes:
        actions = checklist.actions_in(theme.id)
        answered = sum(assessment.answer(a.id).answered for a in actions)
        scores.append(
            ThemeScore(
                theme.id,
                theme.title,
                percent(scored_levels(assessment, actions)),
                answered,
                len(actions),
            )
        )
    return tuple(scores)


def principle_profile(assessment: Assessment, checklist: Checklist) -> dict[int, float | None]:
    """Mean level (0-4) of each principle's answered applicable actions, or None."""
    profile: dict[int, float | None] = {}
    for principle in checklist.principles:
        linked = [a for a in checklist.actions if principle.number in a.principles]
        levels = scored_levels(assessment, linked)
        profile[principle.number] = sum(levels) / len(levels) if levels else None
    return profile


def priorities(assessment: Assessment, checklist: Checklist) -> tuple[Priority, ...]:
    """The lowest-level answered applicable actions, ordered by CCIN's tie-break rules."""
    candidates = []
    for order, action in enumerate(checklist.actions):
        answer = assessment.answer(action.id)
        if answer.applicable and answer.level is not None and answer.level < TOP_LEVEL:
            candidates.append((answer.level, -len(action.principles), order, action))
    candidates.sort(key=lambda item: item[:3])
    return tuple(
        Priority(
            action=action,
            level=level,
            next_level=level + 1,
            next_step=action.levels[level + 1],
            resources=tuple(checklist.resource(r) for r in action.resources),
        )
        for level, _principles, _order, action in candidates[:PRIORITY_COUNT]
    )


def principle_note(card: ScoreCard, checklist: Checklist, number: int) -> str:
    """Why a principle has no mean level, in the true words for this assessment."""
    serving = [a.id for a in checklist.actions if number in a.principles]
    if not serving:
        return "no checklist action serves this principle"
    if all(action_id in card.not_applicable for action_id in serving):
        return "its actions are not applicable"
    return "no answered action yet"


def score(assessment: Assessment, checklist: Checklist | None = None) -> ScoreCard:
    """The score card of one assessment."""
    checklist = checklist or default_checklist()
    answered = sum(assessment.answer(a.id).answered for a in checklist.actions)
    return ScoreCard(
        themes=theme_scores(assessment, checklist),
        overall=percent(scored_levels(assessment, checklist.actions)),
        answered=answered,
        total=len(checklist.actions),
        principles=principle_profile(assessment, checklist),
        levels={a.id: assessment.answer(a.id).level for a in checklist.actions},
        not_applicable=frozenset(
            a.id for a in checklist.actions if not assessment.answer(a.id).applicable
        ),
        priorities=priorities(assessment, checklist),
    )


def scores_frame(assessments: Iterable[Assessment], checklist: Checklist | None = None):
    """One row per assessment: council, date, scores, completeness and principle means.

    For comparing councils, or one council over the years, in pandas.
    """
    import pandas as pd  # lazy: only the many-assessment view needs pandas (start-up speed)

    checklist = checklist or default_checklist()
    theme_ids = [theme.id for theme in checklist.themes]
    principle_cols = [f"principle_{p.number}" for p in checklist.principles]
    rows = []
    for assessment in assessments:
        card = score(assessment, checklist)
        rows.append(
            {
                "council": assessment.council.name,
                "council_type": assessment.council.type,
                "assessed_on": assessment.assessed_on,
                "overall": card.overall,
                **{theme.theme_id: theme.percent for theme in card.themes},
                "answered": card.answered,
                "complete": card.complete,
                **{f"principle_{n}": mean for n, mean in card.principles.items()},
            }
        )
    columns = [
        "council",
        "council_type",
        "assessed_on",
        "overall",
        *theme_ids,
        "answered",
        "complete",
        *principle_cols,
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ["overall", *theme_ids]:
        frame[column] = frame[column].astype("Int64")
    return frame
