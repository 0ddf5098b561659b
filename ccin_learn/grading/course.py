"""A cohort's course configuration: its nbgrader course id, its awarding body, how to verify.

Each cohort folder holds a ``course.yaml``; ``grade init`` copies it from the
assessments it is given. Grading and the credentials both read it, so it lives
with grading, which the credentials build on.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pydantic import Field

from ccin_learn.datafile import DataModel, load_yaml_model
from ccin_learn.errors import KitError

COURSE_NAME = "course.yaml"
# An nbgrader course id: also a hub service's and groups' name (ccin_learn.hub.cohorts).
COURSE_ID = r"^[a-z0-9][a-z0-9-]*$"
# The course.yaml the kit ships, with its example awarding body (the network itself).
# Found next to this package in the kit checkout it was installed from; not in a wheel.
ISSUER_URL = r"^(https://[^/\s?#]+|http://(127\.0\.0\.1|localhost)(:\d+)?)(/[^\s?#]*)?/$"
KIT_COURSE = Path(__file__).resolve().parents[2] / "assessments" / COURSE_NAME


class AwardingBody(DataModel):
    name: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://")
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 country code")
    # Where the body publishes its issuer profile and status list (``credentials publish``):
    # HTTPS, ending in '/'; http on 127.0.0.1 or localhost only for local trials and tests.
    issuer_url: str = Field(pattern=ISSUER_URL)


class CourseConfig(DataModel):
    """A cohort's course: who awards its credentials and how to verify them."""

    course_id: str = Field(pattern=COURSE_ID)
    course_title: str = Field(min_length=3)
    awarding_body: AwardingBody
    verification: str = Field(min_length=20)


def load_course(path: Path) -> CourseConfig:
    """A course configuration; DataFileError names the bad field."""
    return load_yaml_model(path, CourseConfig)


def course_id_from_folder(folder: Path) -> str:
    """A course id made from a cohort folder's name: ``~/cohorts/Spring 2027`` gives
    ``spring-2027``.

    nbgrader keeps each course's releases and submissions in the exchange under its
    course id, so two cohorts with one id on a shared exchange collect each other's
    learners. The folder's name is one the trainer chose and sees every day, differs
    between a trainer's cohorts, and is easy to tell learners; course.yaml's id is the
    same for every cohort. Accents are dropped, letters lower-cased and anything else
    becomes '-'; a name with no letter or digit left is refused.
    """
    ascii_name = unicodedata.normalize("NFKD", folder.name).encode("ascii", "ignore").decode()
    course_id = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not re.fullmatch(COURSE_ID, course_id):
        raise KitError(
            f"cannot make a course id from the folder name {folder.name!r}: give one with "
            "--course-id (lower-case letters, digits and '-')"
        )
    return course_id


def kit_example_fields(course: CourseConfig, kit_course: Path = KIT_COURSE) -> list[str]:
    """The awarding body's fields still as the kit ships them (name, web address, email,
    issuer address).

    A credential names its awarding body; issued from the shipped course.yaml it would
    say the network certifies the learner. Compared with the kit's own file, not a copy,
    so the check follows any change to it; outside a kit checkout there is nothing to
    compare with and nothing is found. The country is not compared: most trainers share it.
    """
    if not kit_course.is_file():
        return []
    shipped = load_course(kit_course).awarding_body
    mine = course.awarding_body
    return [
        field
        for field in ("name", "url", "email", "issuer_url")
        if getattr(mine, field) is not None and getattr(mine, field) == getattr(shipped, field)
    ]
