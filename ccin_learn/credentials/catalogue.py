"""What each micro-credential is, from the catalogue, the course catalogue and the course config.

A credential says what the EU Council Recommendation on micro-credentials (2022)
asks: title, awarding body, learning outcomes, notional workload, level, type of
assessment, form of participation, quality assurance, prerequisites and pass
mark. Outcomes, study time and prerequisites come from ``modules.yaml`` so the
book and the credential can never disagree; the awarding body comes from the
cohort's ``course.yaml``, never from code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from ccin_learn.course.catalogue import Catalogue, default_catalogue
from ccin_learn.datafile import DATA_DIR, DataFileError, DataModel, first_repeat, load_yaml_model

CREDENTIALS_FILE = DATA_DIR / "credentials.yaml"


class Defaults(DataModel):
    level: str = Field(min_length=10)
    assessment: str = Field(min_length=10)
    participation: str = Field(min_length=5)
    quality_assurance: str = Field(min_length=20)
    pass_mark: float = Field(gt=0, le=100)
    assessment_hours: float = Field(gt=0, le=20)


class Entry(DataModel):
    module: str
    level: str | None = None
    assessment: str | None = None
    participation: str | None = None
    quality_assurance: str | None = None
    pass_mark: float | None = Field(default=None, gt=0, le=100)
    assessment_hours: float | None = Field(default=None, gt=0, le=20)


class CatalogueFile(DataModel):
    defaults: Defaults
    credentials: tuple[Entry, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _one_per_module(self) -> CatalogueFile:
        if first_repeat(entry.module for entry in self.credentials) is not None:
            raise ValueError("a module has more than one credential")
        return self


@dataclass(frozen=True)
class Credential:
    """One micro-credential, with everything a badge or certificate states."""

    id: str
    title: str
    module_title: str
    outcomes: tuple[str, ...]
    study_hours: float
    assessment_hours: float
    level: str
    assessment: str
    participation: str
    quality_assurance: str
    prerequisites: tuple[str, ...]
    pass_mark: float

    @property
    def workload_hours(self) -> float:
        return self.study_hours + self.assessment_hours

    @property
    def the_module(self) -> str:
        """The module's title after "the" ("The Coop Option" already has one)."""
        title = self.module_title
        return title if title.lower().startswith("the ") else f"the {title}"

    def criteria(self) -> str:
        """The criteria narrative, in Markdown, as Open Badges carries it."""
        outcomes = "\n".join(f"- {outcome}" for outcome in self.outcomes)
        needs = (
            "None."
            if not self.prerequisites
            else "Holding the micro-credential(s): " + ", ".join(self.prerequisites) + "."
        )
        return (
            f"Score at least {self.pass_mark:g}% on {self.the_module} assessment, with "
            "every written answer marked by a trainer.\n\n"
            f"Learning outcomes (by the end you can):\n{outcomes}\n\n"
            f"Notional workload: {self.workload_hours:g} hours ({self.study_hours:g} hours of "
            f"study and {self.assessment_hours:g} of assessment).\n\n"
            f"Level: {self.level}\n\nType of assessment: {self.assessment}\n\n"
            f"Form of participation: {self.participation}\n\n"
            f"Quality assurance: {self.quality_assurance}\n\nPrerequisites: {needs}"
        )


def build(entry: Entry, defaults: Defaults, catalogue: Catalogue) -> Credential:
    try:
        module = catalogue.get(entry.module)
    except KeyError as err:
        raise DataFileError(f"credentials: {err.args[0]}") from err
    pick = lambda name: getattr(entry, name) or getattr(defaults, name)  # noqa: E731
    return Credential(
        id=module.id,
        title=f"Micro-credential: {module.title}",
        module_title=module.title,
        outcomes=module.outcomes,
        study_hours=module.hours,
        assessment_hours=pick("assessment_hours"),
        level=pick("level"),
        assessment=pick("assessment"),
        participation=pick("participation"),
        quality_assurance=pick("quality_assurance"),
        prerequisites=module.prerequisites,
        pass_mark=pick("pass_mark"),
    )


def load_credentials(
    path: Path = CREDENTIALS_FILE, catalogue: Catalogue | None = None
) -> tuple[Credential, ...]:
    """All credentials, in course order; every module must have exactly one."""
    catalogue = catalogue or default_catalogue()
    data = load_yaml_model(path, CatalogueFile)
    credentials = tuple(build(entry, data.defaults, catalogue) for entry in data.credentials)
    missing = {m.id for m in catalogue.modules} - {c.id for c in credentials}
    if missing:
        raise DataFileError(f"{path}: no credential for module(s) {', '.join(sorted(missing))}")
    order = [m.id for m in catalogue.modules]
    return tuple(sorted(credentials, key=lambda c: order.index(c.id)))


def pass_marks(credentials: tuple[Credential, ...] | None = None) -> dict[str, float]:
    """Each assignment's pass mark, from the credential it earns."""
    return {c.id: c.pass_mark for c in (credentials or load_credentials())}
