"""The course catalogue: the five modules, their study time, prerequisites and outcomes.

One data file (``data/modules.yaml``) says what the course is; the book's
landing pages, the route planner and the micro-credentials all read it, so a
change of study time or outcome is made in one place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from ccin_learn.course.pathway import Course
from ccin_learn.datafile import DATA_DIR, DataModel, load_yaml_model
from ccin_learn.errors import lookup

CATALOGUE_FILE = DATA_DIR / "modules.yaml"

# Verbs a trainer can observe, as the course style asks of every learning outcome.
OBSERVABLE_VERBS = frozenset(
    {
        "explain",
        "compare",
        "choose",
        "calculate",
        "draft",
        "describe",
        "identify",
        "plan",
        "assess",
        "use",
        "map",
        "judge",
        "set",
        "apply",
        "outline",
        "recognise",
    }
)


class Module(DataModel):
    """One module of the course as its landing page and the route planner show it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str = Field(min_length=3)
    kind: Literal["core", "optional", "theme"]
    page: str = Field(pattern=r"^modules/[a-z0-9-]+/index$", description="Sphinx docname")
    hours: float = Field(gt=0, le=40)
    prerequisites: tuple[str, ...] = Field(default=(), strict=False)
    summary: str = Field(min_length=20)
    outcomes: tuple[str, ...] = Field(min_length=4, max_length=6, strict=False)

    @field_validator("outcomes")
    @classmethod
    def _observable(cls, outcomes: tuple[str, ...]) -> tuple[str, ...]:
        for outcome in outcomes:
            verb = outcome.split(maxsplit=1)[0].lower() if outcome.strip() else ""
            if verb not in OBSERVABLE_VERBS:
                raise ValueError(
                    f"outcome {outcome!r} must start with an observable verb "
                    f"({', '.join(sorted(OBSERVABLE_VERBS))})"
                )
        return outcomes


class Catalogue(DataModel):
    """All modules, in the order the course recommends taking them."""

    modules: tuple[Module, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        seen: set[str] = set()
        for module in self.modules:
            if module.id in seen:
                raise ValueError(f"module id {module.id!r} appears twice")
            for prerequisite in module.prerequisites:
                if prerequisite not in seen:
                    raise ValueError(
                        f"module {module.id!r} needs {prerequisite!r}, which must be "
                        "listed before it"
                    )
            seen.add(module.id)
        return self

    def get(self, module_id: str) -> Module:
        return lookup(self.modules, module_id, "module")

    @property
    def total_hours(self) -> float:
        return sum(module.hours for module in self.modules)


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Load and validate a catalogue file; raises DataFileError naming the bad field."""
    return load_yaml_model(path, Catalogue)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the kit, loaded once per process."""
    return load_catalogue()


def route_course(catalogue: Catalogue) -> Course:
    """The route planner's view of a validated catalogue, made from its JSON dump.

    The page builds its ``Course`` from the same dump (``page_data``), so going through
    JSON here too means the Voila app and the page plan on equal objects.
    """
    return Course.from_data(catalogue.model_dump(mode="json"))


@cache
def default_course() -> Course:
    """The route planner's view of the shipped catalogue, for the Voila app and the book."""
    return route_course(default_catalogue())


def page_data() -> dict[str, Any]:
    """The validated shipped catalogue as plain JSON, for the route planner in the page."""
    return default_catalogue().model_dump(mode="json")
