"""The legal form chooser's data file, ``data/legal_forms.yaml``, and how it is checked.

The file is validated here with pydantic, as strictly as every data file of the kit
(``ccin_learn.datafile``), and then turned into the plain dataclasses of
``ccin_learn.tools.legal_forms`` with ``from_data``: the Voila app, the book and the
tests use those, and so does the reader's browser, which has no pydantic and gets the
same validated data as JSON (``page_data``, ``ccin_learn.site.lite.PAGE_DATA``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ccin_learn.datafile import DATA_DIR, DataModel, load_yaml_model
from ccin_learn.tools import legal_forms
from ccin_learn.tools.legal_forms import (
    ROWS,
    AssetLockCode,
    CapitalCode,
    ControlCode,
    MemberKind,
    ProfitsCode,
    PurposeCode,
)

FORMS_FILE = DATA_DIR / "legal_forms.yaml"

SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Source(DataModel):
    """A published source the facts cite: its title is the link text people see."""

    id: SourceId
    title: str = Field(min_length=5)
    url: str

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")) or " " in url:
            raise ValueError(f"{url!r} must be a web address (http:// or https://)")
        return url


class Fact(DataModel):
    """One row of the comparison for one form: what the sources say, and which sources."""

    text: str = Field(min_length=5)
    sources: tuple[SourceId, ...] = Field(min_length=1, strict=False)
    uncertain: bool = False

    @model_validator(mode="after")
    def _dated_if_uncertain(self) -> Fact:
        if self.uncertain and "as of" not in self.text.lower():
            raise ValueError("an uncertain fact must say 'as of' and the year")
        return self


class MembersFact(Fact):
    codes: tuple[MemberKind, ...] = Field(min_length=1, strict=False)


class ControlFact(Fact):
    code: ControlCode


class ProfitsFact(Fact):
    code: ProfitsCode


class AssetLockFact(Fact):
    code: AssetLockCode


class CapitalFact(Fact):
    code: CapitalCode


class PurposeFact(Fact):
    code: PurposeCode


class LegalForm(DataModel):
    """A legal form (or a model that still needs one) and a sourced fact for every row.

    Every row is required: a form with a row left out would score nothing on that
    point without anyone noticing, and its table cell would be empty.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str = Field(min_length=3)
    kind: Literal["form", "model"]
    page: str = Field(pattern=r"^modules/legal-structures/[a-z0-9-]+$")
    what_it_is: Fact
    law_and_regulator: Fact
    members: MembersFact
    control: ControlFact
    profits: ProfitsFact
    asset_lock: AssetLockFact
    capital: CapitalFact
    purpose: PurposeFact
    setting_up: Fact

    @model_validator(mode="before")
    @classmethod
    def _every_row(cls, data: Any) -> Any:
        """Name the missing rows in one line, rather than pydantic's error per field."""
        if isinstance(data, dict):
            missing = [attr for attr, _heading in ROWS if data.get(attr) is None]
            if missing:
                raise ValueError(
                    f"{data.get('id', 'this form')} has no {', '.join(missing)}: "
                    "every form needs a sourced fact for every row"
                )
        return data


class LegalForms(DataModel):
    """The sources, and all forms in the order the comparison table shows them."""

    schema_version: int = Field(ge=1, le=1)  # not Literal[1], which takes true as 1
    sources: tuple[Source, ...] = Field(min_length=1, strict=False)
    forms: tuple[LegalForm, ...] = Field(min_length=2, strict=False)

    @model_validator(mode="after")
    def _consistent(self) -> LegalForms:
        for what, ids in (
            ("form", [form.id for form in self.forms]),
            ("source", [source.id for source in self.sources]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{what} ids must be unique")
        known = {source.id for source in self.sources}
        for form in self.forms:
            for attr, _heading in ROWS:
                for source_id in getattr(form, attr).sources:
                    if source_id not in known:
                        raise ValueError(
                            f"{form.id}.{attr} cites {source_id!r}, which is not in sources"
                        )
        return self


def validated(path: Path = FORMS_FILE) -> LegalForms:
    """The forms file, checked; DataFileError names the bad field."""
    return load_yaml_model(path, LegalForms)


def load_forms(path: Path = FORMS_FILE) -> legal_forms.LegalForms:
    """Load and check the forms file; DataFileError names the bad field."""
    return legal_forms.from_data(validated(path).model_dump(mode="json"))


@cache
def default_forms() -> legal_forms.LegalForms:
    """The forms shipped with the kit, loaded once per process."""
    return load_forms()


def page_data() -> dict[str, Any]:
    """The shipped forms, checked, as plain JSON for the page (``from_data`` reads it)."""
    return validated().model_dump(mode="json")
