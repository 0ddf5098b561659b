"""Putting two officers' work together after a refused save: a three-way merge per action.

When a save is refused because a colleague saved first, nothing the officer
typed is thrown away. Each action is compared in three copies: the version the
officer started from (the base), the officer's working copy (mine) and the
colleague's newer version (theirs). An action only one of them changed takes
that change; an action both changed to different answers is a conflict, shown
side by side for the officer to choose. The result is based on the newest
version, so the officer's next save goes on top of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.assessment import Answer, Assessment
from ccin_learn.selfassessment.checklist import Action, Checklist


class Side(StrEnum):
    """Whose answer to keep for a conflicting action."""

    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class Conflict:
    """One action both officers changed, to different answers."""

    action: Action
    mine: Answer
    theirs: Answer


@dataclass(frozen=True)
class Merge:
    """The officer's work over a colleague's newer version, and what is left to choose.

    ``merged`` already holds every change only one of them made; ``conflicts`` are
    the actions where the officer must choose. ``kept_mine`` and ``took_theirs``
    name the actions settled without asking, so the app can say what it did.
    """

    latest_version: int
    merged: Assessment
    conflicts: tuple[Conflict, ...]
    kept_mine: tuple[Action, ...]
    took_theirs: tuple[Action, ...]

    def resolve(self, choices: Mapping[str, Side]) -> Assessment:
        """The merged assessment with a choice made for every conflict."""
        missing = [c.action.title for c in self.conflicts if c.action.id not in choices]
        if missing:
            raise KitError(f"choose whose answer to keep for: {'; '.join(missing)}")
        result = self.merged  # holds the colleague's answer wherever there is a conflict
        for conflict in self.conflicts:
            if choices[conflict.action.id] is Side.MINE:
                result = result.with_answer(conflict.action.id, conflict.mine)
        return result


def three_way(
    base: Assessment, mine: Assessment, theirs: Assessment, latest: int, checklist: Checklist
) -> Merge:
    """Merge ``mine`` and ``theirs``, which both started from ``base``, action by action.

    ``merged`` starts as the colleague's version, so an action nobody changed, or only
    they changed, is exactly as they saved it.
    """
    merged = merge_details(base, mine, theirs)
    conflicts: list[Conflict] = []
    kept_mine: list[Action] = []
    took_theirs: list[Action] = []
    for action in checklist.actions:
        was, my, their = base.answer(action.id), mine.answer(action.id), theirs.answer(action.id)
        if my in (their, was):
            took_theirs.extend([action] if their != was else [])
        elif their == was:
            kept_mine.append(action)
            merged = merged.with_answer(action.id, my)
        else:
            conflicts.append(Conflict(action, my, their))
    return Merge(latest, merged, tuple(conflicts), tuple(kept_mine), tuple(took_theirs))


def merge_details(base: Assessment, mine: Assessment, theirs: Assessment) -> Assessment:
    """The colleague's version with the officer's own changes to the date and assessor.

    Details are not asked about: the officer's change wins, as they are the one saving.
    """
    update = {
        name: getattr(mine, name)
        for name in ("assessed_on", "assessor")
        if getattr(mine, name) != getattr(base, name)
    }
    return theirs.model_copy(update=update)
