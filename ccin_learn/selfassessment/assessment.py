"""A council's self-assessment: the JSON file format, validated against the checklist.

The file is what a council keeps, emails and imports next year, so it has a
``schema_version`` and a published JSON Schema (``data/assessment.schema.json``).
A bad file is refused with one line naming the field; nothing is half-loaded.
Types are strict (``"level": true`` is not level 1), the JSON may not repeat a
key or nest deeply, and names may not hide invisible characters.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from ccin_learn.datafile import (
    DATA_DIR,
    MAX_DATA_FILE_BYTES,
    DataModel,
    DataSyntaxError,
    IsoDate,
    describe_validation_error,
    parse_json,
)
from ccin_learn.errors import KitError
from ccin_learn.fileio import read_regular_file
from ccin_learn.selfassessment.checklist import Checklist, default_checklist

SCHEMA_VERSION = 1
# Every text of every answer at its limit, in 4-byte characters, is under 2 MB; real
# files are a few kB. The cap is the one for all the kit's data files: 5 MB.
MAX_FILE_BYTES = MAX_DATA_FILE_BYTES
SCHEMA_FILE = DATA_DIR / "assessment.schema.json"
EXAMPLES_DIR = DATA_DIR / "examples"
TEXT_LIMIT = 10_000
NAME_LIMIT = 150
# Unicode categories no name may contain: format characters (zero-width spaces,
# bidirectional overrides, byte order marks), controls, private use, unassigned,
# surrogates, and line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs", "Zl", "Zp"})
UNNAMED = {"Cc": "a control character", "Co": "a private-use character", "Cs": "a surrogate"}
GSS_PATTERN = r"^[EWSN]\d{8}$"
GSS_MESSAGE = "An ONS code looks like E06000001: a letter (E, W, S or N) and 8 digits"


class AssessmentError(KitError):
    """An assessment file or record that cannot be used, with the reason."""


class Frozen(DataModel):
    """The data models, with surrounding spaces taken off every text."""

    model_config = ConfigDict(str_strip_whitespace=True)


def council_key(name: str) -> str:
    """Councils are the same whatever the case or spacing of their name (the store's key)."""
    return " ".join(name.split()).casefold()


def plain_words(
    value: object, handler: ValidatorFunctionWrapHandler, what: str, pattern_message: str = ""
) -> object:
    """Validate ``value`` with pydantic's checks, saying a failed length or pattern in plain
    words: officers see these messages, and pydantic's quote limits and regular expressions."""
    try:
        return handler(value)
    except ValidationError as err:
        kind = err.errors()[0]["type"]
        limit = err.errors()[0].get("ctx", {})
        if kind == "string_pattern_mismatch" and pattern_message:
            raise ValueError(pattern_message) from None
        if kind == "string_too_short" and limit.get("min_length") == 1:
            raise ValueError(f"enter the {what}") from None
        if kind == "string_too_short":
            raise ValueError(
                f"the {what} is too short: write at least {limit['min_length']} characters"
            ) from None
        if kind == "string_too_long":
            raise ValueError(
                f"the {what} is too long: at most {limit['max_length']:,} characters "
                f"(this one has {len(str(value).strip()):,})"
            ) from None
        raise


def refuse_invisible(text: str, what: str) -> str:
    """Refuse a name with characters that do not show, or show something else."""
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category in INVISIBLE_CATEGORIES:
            label = unicodedata.name(char, UNNAMED.get(category, "an unassigned character"))
            raise ValueError(
                f"{what} must not contain invisible or control characters "
                f"(U+{ord(char):04X} {label} at character {position})"
            )
    return text


class Council(Frozen):
    """Who is assessed."""

    name: str = Field(min_length=1, max_length=NAME_LIMIT)
    type: str = Field(description="a council type id from the checklist, e.g. unitary")
    gss_code: str | None = Field(
        default=None, pattern=GSS_PATTERN, description="ONS/GSS code, e.g. E06000001"
    )

    @field_validator("name", mode="wrap")
    @classmethod
    def _plain_name(cls, name: object, handler: ValidatorFunctionWrapHandler) -> object:
        return plain_words(name, handler, "council's name")

    @field_validator("gss_code", mode="wrap")
    @classmethod
    def _plain_gss_code(cls, code: object, handler: ValidatorFunctionWrapHandler) -> object:
        return plain_words(code, handler, "ONS code", GSS_MESSAGE)

    @field_validator("name")
    @classmethod
    def _usable_name(cls, name: str) -> str:
        refuse_invisible(name, "council name")
        key = council_key(name)
        if len(key) > NAME_LIMIT:
            raise ValueError(
                f"council name is too long: {len(key)} characters when case is ignored "
                f"(letters such as ß count as the two they match, ss); at most {NAME_LIMIT}"
            )
        return name


class NotApplicable(Frozen):
    """Why an action does not apply to this council."""

    reason: str = Field(min_length=3, max_length=TEXT_LIMIT)

    @field_validator("reason", mode="wrap")
    @classmethod
    def _plain_reason(cls, reason: object, handler: ValidatorFunctionWrapHandler) -> object:
        return plain_words(reason, handler, "reason it does not apply")


class Answer(Frozen):
    """The council's answer for one action. No level and not N/A means unanswered."""

    level: int | None = Field(default=None, ge=0, le=4)
    not_applicable: NotApplicable | None = None
    evidence: str = Field(default="", max_length=TEXT_LIMIT)
    notes: str = Field(default="", max_length=TEXT_LIMIT)

    @field_validator("evidence", "notes", mode="wrap")
    @classmethod
    def _plain_text(
        cls, text: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> object:
        return plain_words(text, handler, str(info.field_name))

    @model_validator(mode="after")
    def _level_or_not_applicable(self) -> Answer:
        if self.level is not None and self.not_applicable is not None:
            raise ValueError("an action marked not applicable cannot also have a level")
        return self

    @property
    def answered(self) -> bool:
        return self.level is not None or self.not_applicable is not None

    @property
    def applicable(self) -> bool:
        return self.not_applicable is None


UNANSWERED = Answer()


class Assessment(Frozen):
    """One self-assessment of one council on one date."""

    schema_version: int = Field(ge=SCHEMA_VERSION, le=SCHEMA_VERSION)
    council: Council
    assessed_on: IsoDate
    assessor: str | None = Field(default=None, max_length=NAME_LIMIT)
    example_note: str | None = Field(
        default=None, description="set on the kit's fictional example files, which say so"
    )
    answers: dict[str, Answer] = Field(default_factory=dict)
    based_on_version: int | None = Field(
        default=None,
        ge=1,
        description=(
            "the saved version this file was exported from or edited on; an import of a "
            "file based on an older version than the latest is refused"
        ),
    )

    @field_validator("assessor", mode="wrap")
    @classmethod
    def _plain_assessor(cls, name: object, handler: ValidatorFunctionWrapHandler) -> object:
        return plain_words(name, handler, "assessor's name")

    @field_validator("assessor")
    @classmethod
    def _visible_assessor(cls, assessor: str | None) -> str | None:
        return None if assessor is None else refuse_invisible(assessor, "assessor")

    @model_validator(mode="after")
    def _matches_checklist(self, info: ValidationInfo) -> Assessment:
        checklist = checklist_from(info)
        known_types = [t.id for t in checklist.council_types]
        if self.council.type not in known_types:
            raise ValueError(
                f"council.type {self.council.type!r} is not one of {', '.join(known_types)}"
            )
        known_actions = {action.id for action in checklist.actions}
        unknown = sorted(set(self.answers) - known_actions)
        if unknown:
            raise ValueError(f"unknown action id(s) in answers: {', '.join(unknown)}")
        return self

    def answer(self, action_id: str) -> Answer:
        return self.answers.get(action_id, UNANSWERED)

    def with_answer(self, action_id: str, answer: Answer) -> Assessment:
        """A copy with one answer replaced (assessments are immutable values)."""
        return self.model_copy(update={"answers": {**self.answers, action_id: answer}})


def stamped(assessment: Assessment, version: int) -> Assessment:
    """The assessment as a file based on saved ``version`` (0: none), for export."""
    return assessment.model_copy(update={"based_on_version": version or None})


def unstamped(assessment: Assessment) -> Assessment:
    """The assessment itself, without the version its file was based on (as stored)."""
    return stamped(assessment, 0)


def checklist_from(info: ValidationInfo | None) -> Checklist:
    context = info.context if info is not None and info.context else {}
    return context.get("checklist") or default_checklist()


def new_assessment(
    council: Council, on: date, checklist: Checklist | None = None, assessor: str | None = None
) -> Assessment:
    """A blank assessment, with the council type's not-applicable defaults filled in."""
    checklist = checklist or default_checklist()
    council_type = checklist.council_type(council.type)
    answers = {
        default.action: Answer(not_applicable=NotApplicable(reason=default.reason))
        for default in council_type.not_applicable
    }
    return validate_assessment(
        {
            "schema_version": SCHEMA_VERSION,
            "council": council.model_dump(),
            "assessed_on": on.isoformat(),
            "assessor": assessor,
            "answers": {k: v.model_dump() for k, v in answers.items()},
        },
        checklist,
    )


def validate_assessment(
    data: Any, checklist: Checklist | None = None, source: str = ""
) -> Assessment:
    """Validate parsed JSON as an assessment; one-line AssessmentError on any fault."""
    prefix = f"{source}: " if source else ""
    if not isinstance(data, dict):
        raise AssessmentError(f"{prefix}an assessment must be a JSON object")
    try:
        return Assessment.model_validate(data, context={"checklist": checklist})
    except ValidationError as err:
        raise AssessmentError(f"{prefix}{describe_validation_error(err)}") from err
    except ValueError as err:
        raise AssessmentError(f"{prefix}{err}") from err


def json_problem(err: json.JSONDecodeError, text: str) -> str:
    """Say whether the JSON is cut short (a failed upload) or malformed, and where."""
    cut_short = err.msg.startswith("Unterminated") or err.pos >= len(text.rstrip())
    what = "ends too early (truncated?)" if cut_short else "is not valid JSON"
    return f"{what} at line {err.lineno}, column {err.colno}"


def refuse_if_too_large(size: int, prefix: str) -> None:
    """Refuse files far larger than any real assessment before reading them."""
    if size > MAX_FILE_BYTES:
        raise AssessmentError(
            f"{prefix}file is too large ({size:,} bytes; an assessment is at most "
            f"{MAX_FILE_BYTES:,})"
        )


def parse_assessment(
    raw: bytes, source: str = "", checklist: Checklist | None = None
) -> Assessment:
    """Bytes of an assessment file to an Assessment, refusing anything malformed."""
    prefix = f"{source}: " if source else ""
    refuse_if_too_large(len(raw), prefix)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise AssessmentError(f"{prefix}not UTF-8 text (byte {err.start})") from err
    try:
        data = parse_json(text)
    except json.JSONDecodeError as err:
        raise AssessmentError(f"{prefix}{json_problem(err, text)}") from err
    except DataSyntaxError as err:
        raise AssessmentError(f"{prefix}{err}") from err
    return validate_assessment(data, checklist, source)


def load_assessment(path: Path, checklist: Checklist | None = None) -> Assessment:
    """Read and validate an assessment file (a regular file of at most MAX_FILE_BYTES)."""
    raw = read_regular_file(path, MAX_FILE_BYTES, AssessmentError)
    return parse_assessment(raw, str(path), checklist)


def to_json(assessment: Assessment) -> str:
    """The assessment as the published file format (stable key order, UTF-8)."""
    data = assessment.model_dump(mode="json", exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_schema(checklist: Checklist | None = None) -> dict[str, Any]:
    """The published JSON Schema, with the checklist's action ids and council types."""
    checklist = checklist or default_checklist()
    schema = Assessment.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "CCIN council self-assessment"
    schema["properties"]["answers"]["propertyNames"] = {
        "enum": [action.id for action in checklist.actions]
    }
    schema["$defs"]["Council"]["properties"]["type"]["enum"] = [
        t.id for t in checklist.council_types
    ]
    return schema
