"""Small, hand-checkable data for the self-assessment tests."""

from __future__ import annotations

from datetime import date

from ccin_learn.selfassessment.assessment import (
    Answer,
    Assessment,
    Council,
    NotApplicable,
    validate_assessment,
)
from ccin_learn.selfassessment.checklist import Checklist

LEVELS = {n: f"level {n} for this action, in words" for n in range(5)}


def action(action_id: str, theme: str, principles: list[int], **extra: object) -> dict:
    return {
        "id": action_id,
        "theme": theme,
        "title": f"Action {action_id} title",
        "what_good_looks_like": "A council that does this well does it routinely and openly.",
        "levels": {n: f"{action_id}: {text}" for n, text in LEVELS.items()},
        "evidence_prompts": ["Which report agreed it?", "Who checks it?"],
        "principles": principles,
        **extra,
    }


def tiny_checklist() -> Checklist:
    """Two themes, five actions; principle counts chosen to exercise the tie-breaks."""
    return Checklist.model_validate(
        {
            "schema_version": 1,
            "levels": [
                {"level": n, "name": name, "meaning": f"{name}: what it means here."}
                for n, name in enumerate(
                    ["Not started", "Exploring", "Committed", "Delivering", "Embedded"]
                )
            ],
            "principles": [{"number": n, "name": f"Principle {n}"} for n in range(1, 11)],
            "themes": [
                {"id": "cwb", "title": "Community Wealth Building"},
                {"id": "placemaking", "title": "Cooperative Placemaking"},
            ],
            "resources": [
                {
                    "id": "lab",
                    "title": "A policy lab",
                    "led_by": "A council",
                    "url": "https://bit.ly/x",
                    "summary": "What the lab found and made.",
                }
            ],
            "council_types": [
                {"id": "unitary", "name": "Unitary council"},
                {
                    "id": "county",
                    "name": "County council",
                    "not_applicable": [
                        {"action": "c3", "reason": "A county council cannot do this."}
                    ],
                },
            ],
            "actions": [
                action(
                    "c1",
                    "cwb",
                    [1, 2],
                    resources=["lab"],
                    course_pages=["modules/community-wealth-building/index"],
                ),
                action("c2", "cwb", [1, 2, 3]),
                action("c3", "cwb", [4]),
                action("p1", "placemaking", [1, 2]),
                action("p2", "placemaking", [5]),
            ],
        }
    )


def assessment(
    checklist: Checklist,
    answers: dict[str, object],
    council_type: str = "unitary",
    name: str = "Testborough Council",
) -> Assessment:
    """An assessment whose answers are levels (int), "na" or Answer objects."""
    built = {}
    for action_id, value in answers.items():
        if value == "na":
            built[action_id] = Answer(not_applicable=NotApplicable(reason="Not for us, because."))
        elif isinstance(value, Answer):
            built[action_id] = value
        else:
            built[action_id] = Answer(level=value)
    return validate_assessment(
        {
            "schema_version": 1,
            "council": Council(name=name, type=council_type).model_dump(),
            "assessed_on": date(2026, 11, 1).isoformat(),
            "answers": {k: v.model_dump() for k, v in built.items()},
        },
        checklist,
    )
