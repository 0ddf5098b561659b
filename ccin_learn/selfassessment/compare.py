"""What changed between two assessments of the same council."""

from __future__ import annotations

from dataclasses import dataclass

from ccin_learn.selfassessment.assessment import Answer, Assessment
from ccin_learn.selfassessment.checklist import Action, Checklist, default_checklist


@dataclass(frozen=True)
class Change:
    """One action whose answer differs, described in words."""

    action: Action
    before: str
    after: str
    moved_up: bool


def describe(answer: Answer, checklist: Checklist) -> str:
    return checklist.level_words(answer.level, answer.not_applicable is not None)


def changes(
    previous: Assessment, current: Assessment, checklist: Checklist | None = None
) -> list[Change]:
    """Actions whose level or applicability changed, in checklist order."""
    checklist = checklist or default_checklist()
    found = []
    for action in checklist.actions:
        old, new = previous.answer(action.id), current.answer(action.id)
        before, after = describe(old, checklist), describe(new, checklist)
        if before != after:
            moved_up = (new.level or 0) > (old.level or 0)
            found.append(Change(action, before, after, moved_up))
    return found
