"""Plan a learner's route through the course from the modules they choose.

Learners pick what they want; the route adds what those modules need first
(Finance and Legal structures need the core module), keeps the course's
recommended order, and says how many weeks it takes at the learner's pace.

The planner works on its own small view of the catalogue (``Course``), built from
plain data by ``Course.from_data``: the tool also runs in the reader's browser,
where the pydantic ``Catalogue`` cannot be imported. The kit builds that data from
the validated catalogue (``ccin_learn.course.catalogue.page_data``), so the page,
the Voila app and the tests plan on the same objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ccin_learn.errors import KitError, lookup


@dataclass(frozen=True)
class RouteModule:
    """What the planner needs of one module: its time, prerequisites and where it is."""

    id: str
    title: str
    kind: str
    page: str
    hours: float
    prerequisites: tuple[str, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RouteModule:
        """One module from the catalogue's JSON (extra fields, such as outcomes, ignored)."""
        return cls(
            id=data["id"],
            title=data["title"],
            kind=data["kind"],
            page=data["page"],
            hours=data["hours"],
            prerequisites=tuple(data["prerequisites"]),
        )


@dataclass(frozen=True)
class Course:
    """The modules in the order the course recommends taking them."""

    modules: tuple[RouteModule, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Course:
        """The course from the validated catalogue's JSON dump (``{"modules": [...]}``)."""
        return cls(tuple(RouteModule.from_data(module) for module in data["modules"]))

    def get(self, module_id: str) -> RouteModule:
        return lookup(self.modules, module_id, "module")

    @property
    def total_hours(self) -> float:
        return sum(module.hours for module in self.modules)


@dataclass(frozen=True)
class RouteStep:
    """A module on the route and why it is there."""

    module: RouteModule
    reason: str


@dataclass(frozen=True)
class Route:
    """The modules to take, in order, with their total study time."""

    steps: tuple[RouteStep, ...]

    @property
    def total_hours(self) -> float:
        return sum(step.module.hours for step in self.steps)

    def weeks(self, hours_per_week: float) -> int:
        """Whole weeks needed at ``hours_per_week`` (0 for an empty route)."""
        if not hours_per_week > 0:
            raise KitError("hours a week must be more than 0")
        return math.ceil(self.total_hours / hours_per_week)


def required_by(course: Course, chosen: set[str]) -> dict[str, str]:
    """Map each module id on the route to the reason it is there."""
    reasons = {module_id: "you chose it" for module_id in chosen}
    pending = list(chosen)
    while pending:
        module = course.get(pending.pop())
        for prerequisite in module.prerequisites:
            if prerequisite not in reasons:
                reasons[prerequisite] = f"needed before {module.title}"
                pending.append(prerequisite)
    return reasons


def plan_route(course: Course, chosen: Iterable[str]) -> Route:
    """The route for the chosen module ids, in course order, prerequisites added."""
    chosen_ids = set(chosen)
    known = {module.id for module in course.modules}
    unknown = sorted(chosen_ids - known)
    if unknown:
        raise KitError(f"unknown module id(s): {', '.join(unknown)}")
    reasons = required_by(course, chosen_ids)
    steps = tuple(
        RouteStep(module, reasons[module.id]) for module in course.modules if module.id in reasons
    )
    return Route(steps)


def format_hours(hours: float) -> str:
    """Hours as people say them: ``3 hours``, ``2.5 hours``, ``1 hour``."""
    number = f"{hours:g}"
    return f"{number} hour" if number == "1" else f"{number} hours"


def whole_course_summary(course: Course) -> str:
    """One sentence with the size of the whole course, for the book's planning page."""
    count = len(course.modules)
    hours = format_hours(course.total_hours)
    return f"The whole course is {count} modules and {hours} of study."
