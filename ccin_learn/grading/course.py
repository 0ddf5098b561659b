"""A cohort's course configuration: its nbgrader course id, its awarding body, how to verify.

Each cohort folder holds a ``course.yaml``; ``grade init`` copies it from the
assessments it is given. Grading and the credentials both read it, so it lives
with grading, which the credentials build on.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ccin_learn.datafile import DataModel, load_yaml_model

COURSE_NAME = "course.yaml"
# An nbgrader course id: also a hub service's and groups' name (ccin_learn.hub.cohorts).
COURSE_ID = r"^[a-z0-9][a-z0-9-]*$"


class AwardingBody(DataModel):
    name: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 country code")


class CourseConfig(DataModel):
    """A cohort's course: who awards its credentials and how to verify them."""

    course_id: str = Field(pattern=COURSE_ID)
    course_title: str = Field(min_length=3)
    awarding_body: AwardingBody
    verification: str = Field(min_length=20)


def load_course(path: Path) -> CourseConfig:
    """A course configuration; DataFileError names the bad field."""
    return load_yaml_model(path, CourseConfig)
