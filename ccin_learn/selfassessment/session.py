"""One officer's working session on one council's self-assessment.

The app's widgets call this and show its state; the rules live here. A
session knows which saved version it started from, keeps every edit as the
officer's own draft in the store (so closing the tab loses nothing) and saves
versions that the store refuses if someone else saved first. A refused save
keeps the officer's work: ``merge_with_latest`` puts it over the colleague's
newer version and lists the actions both changed, for the officer to choose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.assessment import (
    Answer,
    Assessment,
    AssessmentError,
    Council,
    NotApplicable,
    new_assessment,
    stamped,
    validate_assessment,
)
from ccin_learn.selfassessment.checklist import Checklist
from ccin_learn.selfassessment.compare import Change, changes
from ccin_learn.selfassessment.merge import Merge, Side, three_way
from ccin_learn.selfassessment.scoring import ScoreCard, score
from ccin_learn.selfassessment.store import Store, Version


@dataclass
class Session:
    """The assessment being edited, and where it came from."""

    store: Store
    assessment: Assessment
    based_on: int
    restored_draft_at: datetime | None = None
    draft_saved_at: datetime | None = None
    last_saved: Version | None = None

    @property
    def checklist(self) -> Checklist:
        return self.store.checklist

    @property
    def council(self) -> str:
        return self.assessment.council.name

    @property
    def card(self) -> ScoreCard:
        return score(self.assessment, self.checklist)

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        store: Store,
        name: str,
        council_type: str | None = None,
        gss_code: str | None = None,
        today: date | None = None,
    ) -> Session:
        """Open a council: its draft if any, else its latest version, else a new assessment.

        A new council needs a type, from which the not-applicable defaults come.
        """
        name = " ".join(name.split())
        if not name:
            raise KitError("enter the council's name")
        draft = store.draft(name)
        if draft is not None:
            return cls(store, draft.assessment, draft.based_on, restored_draft_at=draft.saved_at)
        latest = store.latest_version_number(name)
        if latest:
            return cls(store, store.load(name, latest).assessment, latest)
        if not council_type:
            raise KitError(f"choose the type of council for {name}")
        try:
            council = Council(name=name, type=council_type, gss_code=gss_code or None)
        except ValueError as err:
            raise AssessmentError(friendly_validation(err)) from err
        blank = new_assessment(council, today or date.today(), store.checklist)
        session = cls(store, blank, based_on=0)
        session.autosave()
        return session

    # ---- editing -------------------------------------------------------------------------

    def update(self, action_id: str, **changes_: object) -> None:
        """Change one action's answer (level, not_applicable reason, evidence, notes)."""
        current = self.assessment.answer(action_id).model_dump()
        current.update(changes_)
        try:
            answer = Answer.model_validate(current)
        except ValueError as err:
            raise AssessmentError(friendly_validation(err)) from err
        self.assessment = self.assessment.with_answer(action_id, answer)
        self.autosave()

    def set_level(self, action_id: str, level: int | None) -> None:
        self.update(action_id, level=level)

    def set_not_applicable(self, action_id: str, reason: str | None) -> None:
        """Mark an action not applicable (a reason is required) or applicable again."""
        if reason is None:
            self.update(action_id, not_applicable=None)
            return
        if not usable_reason(reason):
            raise KitError("say why this action does not apply before marking it not applicable")
        self.update(action_id, not_applicable=NotApplicable(reason=reason).model_dump(), level=None)

    def set_details(self, assessed_on: date | None = None, assessor: str | None = None) -> None:
        update: dict[str, object] = {}
        if assessed_on is not None:
            update["assessed_on"] = assessed_on
        if assessor is not None:
            update["assessor"] = assessor.strip() or None
        # Validated like a file, so the draft never holds what a reopen would refuse.
        data = {**self.assessment.model_dump(), **update}
        self.assessment = validate_assessment(data, self.checklist)
        self.autosave()

    def autosave(self) -> None:
        self.draft_saved_at = self.store.save_draft(self.assessment, self.based_on)

    def save_state(self) -> str:
        """Where the officer's work is kept, in words for the always-visible indicator."""
        if self.last_saved is not None and self.last_saved.assessment == self.assessment:
            return f"Version {self.last_saved.version} saved at {clock(self.last_saved.saved_at)}"
        if self.draft_saved_at is not None:
            return f"Draft saved at {clock(self.draft_saved_at)} (not yet a version)"
        if self.restored_draft_at is not None:
            return (
                f"Draft from {self.restored_draft_at.astimezone():%d %b %H:%M} (not yet a version)"
            )
        return f"Version {self.based_on} open, no changes yet" if self.based_on else ""

    def file_assessment(self) -> Assessment:
        """The working copy as a file, saying which saved version it is based on."""
        return stamped(self.assessment, self.based_on)

    # ---- versions ------------------------------------------------------------------------

    def save_version(self) -> Version:
        """Save the edits as a new version; ConflictError if someone saved first."""
        return self.now_based_on(self.store.save(self.assessment, self.based_on))

    def now_based_on(self, saved: Version) -> Version:
        """The working copy is now ``saved`` (a version just saved, or agreed by the lead)."""
        self.based_on, self.last_saved = saved.version, saved
        self.restored_draft_at = self.draft_saved_at = None
        return saved

    def latest_version(self) -> int:
        return self.store.latest_version_number(self.council)

    def is_behind(self) -> bool:
        """True when a colleague has saved a version since this work started."""
        return self.latest_version() != self.based_on

    def merge_with_latest(self) -> Merge:
        """The officer's work over the newest saved version, with the actions both changed."""
        latest = self.store.load(self.council)
        if self.based_on:
            base = self.store.load(self.council, self.based_on).assessment
        else:  # both started this council from blank: the blank is what they share
            base = new_assessment(
                self.assessment.council, self.assessment.assessed_on, self.checklist
            )
        return three_way(base, self.assessment, latest.assessment, latest.version, self.checklist)

    def accept_merge(self, merge: Merge, choices: Mapping[str, Side]) -> None:
        """Take the merged work as the working copy, based on the newest version, and keep it."""
        self.assessment = merge.resolve(choices)
        self.based_on = merge.latest_version
        self.restored_draft_at = None
        self.autosave()

    def load_version(self, version: int | None = None) -> None:
        """Replace the edits with a saved version (the latest by default)."""
        saved = self.store.load(self.council, version)
        latest = self.store.latest_version_number(self.council)
        self.store.discard_draft(self.council)
        self.assessment, self.based_on = saved.assessment, latest
        self.restored_draft_at = None
        if saved.version != latest:
            self.autosave()  # editing an older version: keep it as a draft over the latest

    def history(self) -> list[Version]:
        return self.store.history(self.council) if self.based_on else []

    def has_unsaved_changes(self) -> bool:
        """True when the working copy differs from the version it started from."""
        if not self.based_on:
            return True
        return self.store.load(self.council, self.based_on).assessment != self.assessment

    def comparison(self) -> Comparison:
        """What the working copy is, and the saved version it is compared with.

        Unsaved changes are compared with the version they change; a working copy
        that is exactly a saved version (say, just after saving it) is compared
        with the version saved before it, never with itself.
        """
        if not self.based_on:
            return Comparison("Not saved yet", None, ())
        base = self.store.load(self.council, self.based_on)
        if base.assessment != self.assessment:
            found = changes(base.assessment, self.assessment, self.checklist)
            return Comparison(f"Unsaved changes to version {base.version}", base, tuple(found))
        return compare_saved(self.store, self.council, base.version)


@dataclass(frozen=True)
class Comparison:
    """A working copy's status in words and what changed since the version it is compared with."""

    status: str
    baseline: Version | None
    changes: tuple[Change, ...]

    @property
    def baseline_label(self) -> str:
        """``version 3 (assessed on 14 October 2026)``, for headings, charts and reports."""
        if self.baseline is None:
            return ""
        assessed = self.baseline.assessment.assessed_on
        return f"version {self.baseline.version} (assessed on {assessed:%d %B %Y})"

    def baseline_card(self, checklist: Checklist) -> ScoreCard | None:
        """The baseline version's scores, to show beside the working copy's."""
        return None if self.baseline is None else score(self.baseline.assessment, checklist)


@dataclass(frozen=True)
class VersionPair:
    """Two saved versions side by side, to look at without touching the working copy."""

    first: Version
    second: Version
    changes: tuple[Change, ...]

    def cards(self, checklist: Checklist) -> tuple[ScoreCard, ScoreCard]:
        return score(self.first.assessment, checklist), score(self.second.assessment, checklist)


def compare_versions(store: Store, council: str, first: int, second: int) -> VersionPair:
    """Version ``first`` and version ``second`` of a council, and what changed between them."""
    if first == second:
        raise KitError(f"choose two different versions to compare (both are version {first})")
    older, newer = store.load(council, first), store.load(council, second)
    found = changes(older.assessment, newer.assessment, store.checklist)
    return VersionPair(older, newer, tuple(found))


def compare_saved(store: Store, council: str, version: int | None = None) -> Comparison:
    """A saved version (default: the latest) compared with the version saved before it."""
    saved = store.load(council, version)
    status = f"Saved version {saved.version}"
    if saved.version == 1:
        return Comparison(status, None, ())
    before = store.load(council, saved.version - 1)
    found = changes(before.assessment, saved.assessment, store.checklist)
    return Comparison(status, before, tuple(found))


def clock(moment: datetime) -> str:
    """A time of day in the server's time zone, as officers read it: ``14:05``."""
    return f"{moment.astimezone():%H:%M}"


def usable_reason(reason: str) -> bool:
    """True when ``reason`` is enough to mark an action not applicable.

    The rule is the ``NotApplicable`` model's (a few characters, once trimmed); this
    asks the model, so the app can wait for a reason without a rule of its own.
    """
    try:
        NotApplicable(reason=reason)
    except ValidationError:
        return False
    return True


def friendly_validation(err: ValueError) -> str:
    """A pydantic error as one plain sentence for the app.

    The models' own checks already say what is wrong in words ("An ONS code looks
    like E06000001..."), so those are shown alone; pydantic's built-in messages keep
    the field's name in front, or they would not say which box is wrong.
    """
    if hasattr(err, "errors"):
        first = err.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "value_error":
            return message
        field_name = ".".join(str(part) for part in first["loc"]) or "value"
        return f"{field_name}: {message}"
    return str(err)
