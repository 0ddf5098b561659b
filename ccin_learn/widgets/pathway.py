"""The "Plan your route" tool: tick modules, set your pace, see the route.

The planner is given the course (``Course``) rather than loading it: the Voila app and
the book pass ``ccin_learn.course.catalogue.default_course()``, the page builds it from
its packed JSON, and this module imports no pydantic, so it runs in the browser too.
"""

from __future__ import annotations

import ipywidgets as widgets

from ccin_learn.course.pathway import Course, Route, format_hours, plan_route
from ccin_learn.text import plural
from ccin_learn.widgets.templates import render

KIND_LABELS = {"core": "core module", "optional": "optional module", "theme": "theme"}


def route_html(route: Route, hours_per_week: float, link_base: str) -> str:
    """The route as an ordered list with links, and the total time."""
    return render(
        "route.html.j2",
        steps=route.steps,
        total_hours=route.total_hours,
        weeks=route.weeks(hours_per_week) if route.steps else 0,
        hours_per_week=hours_per_week,
        link_base=link_base,
        kinds=KIND_LABELS,
        format_hours=format_hours,
        plural=plural,
    )


class PathwayPlanner(widgets.VBox):
    """Tick the modules you want; the route adds prerequisites and shows the time."""

    def __init__(self, course: Course, link_base: str = "") -> None:
        self.course = course
        self.link_base = link_base
        self.boxes = {
            module.id: widgets.Checkbox(
                value=module.kind == "core",
                description=f"{module.title} ({format_hours(module.hours)})",
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for module in self.course.modules
        }
        self.pace = widgets.BoundedFloatText(
            value=1.0,
            min=0.5,
            max=20,
            step=0.5,
            description="Hours a week you can give",
            style={"description_width": "initial"},
        )
        self.result = widgets.HTML()
        for control in (*self.boxes.values(), self.pace):
            control.observe(self._update, names="value")
        heading = widgets.HTML(
            render("note.html.j2", text="Which modules do you want to take?", bold=True)
        )
        super().__init__([heading, *self.boxes.values(), self.pace, self.result])
        self._update()

    def chosen(self) -> list[str]:
        return [module_id for module_id, box in self.boxes.items() if box.value]

    def _update(self, _change: object = None) -> None:
        route = plan_route(self.course, self.chosen())
        self.result.value = route_html(route, self.pace.value, self.link_base)
