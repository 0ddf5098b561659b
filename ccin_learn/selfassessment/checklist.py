"""CCIN's checklist for "Being a Cooperative Council", as an editable, validated data file.

The 15 actions (8 Community Wealth Building, 7 Cooperative Placemaking) come
from CCIN's Members' Pack 2025, with a maturity descriptor for each level, the
CCIN principles each serves, the course pages that help and the CCIN policy
labs to read. Councils and trainers may edit ``data/checklist.yaml``; it is
checked on load and a fault names the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, load_yaml_model
from ccin_learn.text import level_words

CHECKLIST_FILE = DATA_DIR / "checklist.yaml"
LEVELS = (0, 1, 2, 3, 4)
Slug = Field(pattern=r"^[a-z][a-z0-9-]*$")


class Level(DataModel):
    """One step of the maturity scale, e.g. 2 Committed."""

    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=3)
    meaning: str = Field(min_length=10)


class Principle(DataModel):
    """One of CCIN's ten principles."""

    number: int = Field(ge=1, le=10)
    name: str = Field(min_length=3)


class Theme(DataModel):
    id: str = Slug
    title: str = Field(min_length=3)


class Resource(DataModel):
    """A CCIN policy lab or publication named in the Members' Pack."""

    id: str = Slug
    title: str = Field(min_length=3)
    led_by: str = Field(min_length=3)
    year: int | None = Field(default=None, ge=2012, le=2030)
    url: str = Field(pattern=r"^https://")
    summary: str = Field(min_length=20)


class Action(DataModel):
    """One checklist action and what each maturity level looks like for it."""

    id: str = Slug
    theme: str
    title: str = Field(min_length=10, description="verbatim from the Members' Pack")
    what_good_looks_like: str = Field(min_length=40)
    levels: dict[int, str]
    evidence_prompts: tuple[str, ...] = Field(min_length=2, strict=False)
    principles: tuple[int, ...] = Field(min_length=1, strict=False)
    course_pages: tuple[str, ...] = Field(default=(), strict=False)
    resources: tuple[str, ...] = Field(default=(), strict=False)

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, levels: dict[int, str]) -> dict[int, str]:
        if tuple(sorted(levels)) != LEVELS:
            raise ValueError(f"needs a descriptor for each level 0 to 4, got {sorted(levels)}")
        for level, text in levels.items():
            if len(text.strip()) < 15:
                raise ValueError(f"level {level} descriptor is too short to guide anyone")
        return levels

    @field_validator("principles")
    @classmethod
    def _principles(cls, numbers: tuple[int, ...]) -> tuple[int, ...]:
        if any(n < 1 or n > 10 for n in numbers) or len(set(numbers)) != len(numbers):
            raise ValueError("principles must be distinct numbers from 1 to 10")
        return numbers

    @field_validator("course_pages")
    @classmethod
    def _pages(cls, pages: tuple[str, ...]) -> tuple[str, ...]:
        for page in pages:
            if not page.startswith("modules/") or page.endswith((".md", ".ipynb", ".html")):
                raise ValueError(f"course page {page!r} must be a book page such as modules/x/y")
        return pages


class NotApplicableDefault(DataModel):
    """An action a type of council cannot take, and why."""

    action: str
    reason: str = Field(min_length=20)


class CouncilType(DataModel):
    id: str = Slug
    name: str = Field(min_length=3)
    not_applicable: tuple[NotApplicableDefault, ...] = Field(default=(), strict=False)


class Checklist(DataModel):
    """The whole checklist: scale, principles, themes, resources, council types, actions."""

    schema_version: int = Field(ge=1, le=1)
    levels: tuple[Level, ...] = Field(strict=False)
    principles: tuple[Principle, ...] = Field(strict=False)
    themes: tuple[Theme, ...] = Field(min_length=1, strict=False)
    resources: tuple[Resource, ...] = Field(default=(), strict=False)
    council_types: tuple[CouncilType, ...] = Field(min_length=1, strict=False)
    actions: tuple[Action, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> Checklist:
        if tuple(level.level for level in self.levels) != LEVELS:
            raise ValueError("levels must be 0, 1, 2, 3, 4 in order")
        if tuple(p.number for p in self.principles) != tuple(range(1, 11)):
            raise ValueError("principles must be numbered 1 to 10 in order")
        themes = {theme.id for theme in self.themes}
        resources = {resource.id for resource in self.resources}
        action_ids = unique_ids("action", [a.id for a in self.actions])
        unique_ids("resource", [r.id for r in self.resources])
        unique_ids("council type", [t.id for t in self.council_types])
        for action in self.actions:
            if action.theme not in themes:
                raise ValueError(f"action {action.id!r} has unknown theme {action.theme!r}")
            for resource in action.resources:
                if resource not in resources:
                    raise ValueError(f"action {action.id!r} names unknown resource {resource!r}")
        for council_type in self.council_types:
            for default in council_type.not_applicable:
                if default.action not in action_ids:
                    raise ValueError(
                        f"council type {council_type.id!r} names unknown action {default.action!r}"
                    )
        return self

    def action(self, action_id: str) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    def actions_in(self, theme_id: str) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.theme == theme_id)

    def council_type(self, type_id: str) -> CouncilType:
        for council_type in self.council_types:
            if council_type.id == type_id:
                return council_type
        raise KeyError(type_id)

    def resource(self, resource_id: str) -> Resource:
        for resource in self.resources:
            if resource.id == resource_id:
                return resource
        raise KeyError(resource_id)

    def level_name(self, level: int) -> str:
        return self.levels[level].name

    def level_words(self, level: int | None, not_applicable: bool = False) -> str:
        """An answer in words, the same on every screen and in every report."""
        name = None if level is None else self.level_name(level)
        return level_words(level, name, not_applicable)

    def principle_name(self, number: int) -> str:
        return self.principles[number - 1].name


def unique_ids(kind: str, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{kind} id {item!r} appears twice")
        seen.add(item)
    return seen


def load_checklist(path: Path = CHECKLIST_FILE) -> Checklist:
    """Load and validate a checklist file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, Checklist)


@cache
def default_checklist() -> Checklist:
    """The checklist shipped with the kit, loaded once per process."""
    return load_checklist()
