"""Plan a learner's route through the course from the modules they choose.

Learners pick what they want; the route adds what those modules need first
(Finance and Legal structures need the core module), keeps the course's
recommended order, and says how many weeks it takes at the learner's pace.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ccin_learn.course.catalogue import Catalogue, Module
from ccin_learn.errors import KitError


@dataclass(frozen=True)
class RouteStep:
    """A module on the route and why it is there."""

    module: Module
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


def required_by(catalogue: Catalogue, chosen: set[str]) -> dict[str, str]:
    """Map each module id on the route to the reason it is there."""
    reasons = {module_id: "you chose it" for module_id in chosen}
    pending = list(chosen)
    while pending:
        module = catalogue.get(pending.pop())
        for prerequisite in module.prerequisites:
            if prerequisite not in reasons:
                reasons[prerequisite] = f"needed before {module.title}"
                pending.append(prerequisite)
    return reasons


def plan_route(catalogue: Catalogue, chosen: Iterable[str]) -> Route:
    """The route for the chosen module ids, in catalogue order, prerequisites added."""
    chosen_ids = set(chosen)
    known = {module.id for module in catalogue.modules}
    unknown = sorted(chosen_ids - known)
    if unknown:
        raise KitError(f"unknown module id(s): {', '.join(unknown)}")
    reasons = required_by(catalogue, chosen_ids)
    steps = tuple(
        RouteStep(module, reasons[module.id])
        for module in catalogue.modules
        if module.id in reasons
    )
    return Route(steps)


def format_hours(hours: float) -> str:
    """Hours as people say them: ``3 hours``, ``2.5 hours``, ``1 hour``."""
    number = f"{hours:g}"
    return f"{number} hour" if number == "1" else f"{number} hours"


def whole_course_summary(catalogue: Catalogue) -> str:
    """One sentence with the size of the whole course, for the book's planning page."""
    count = len(catalogue.modules)
    hours = format_hours(catalogue.total_hours)
    return f"The whole course is {count} modules and {hours} of study."
