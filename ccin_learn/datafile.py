"""Load an editable data file and validate it against a strict pydantic model.

People who are not programmers edit the kit's data (the course catalogue, the
checklist, the credentials), and councils email assessment files. A mistake
must come back as one line naming the file and the field, never as a
traceback, a hang or a half-loaded object. So:

- every model derives from ``DataModel``: unknown fields are refused, values
  are immutable, and types are strict: ``"3"`` is not 3 and ``true`` is not 1.
  Only a tuple may be written as a list (``Field(strict=False)`` on that field;
  its items stay strict) and a date as ``YYYY-MM-DD`` text (``IsoDate``);
- a file is read only if it is a regular file of at most ``MAX_DATA_FILE_BYTES``
  (5 MB; assessment files too), so a pipe or ``/dev/zero`` cannot hang a reader;
- JSON and YAML may not nest more than ``MAX_DEPTH`` levels or repeat a key;
  YAML may not use aliases (``*name``), which could make a small file huge.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from ccin_learn.errors import KitError
from ccin_learn.fileio import read_regular_file

# The kit's editable data files ship inside the package, beside its code.
DATA_DIR = Path(__file__).resolve().parent / "data"
# The largest shipped data file is under 40 kB; 5 MB leaves room and bounds the work.
MAX_DATA_FILE_BYTES = 5_000_000
# The kit's files nest at most 6 levels deep.
MAX_DEPTH = 32


class DataModel(BaseModel):
    """The base of every model of a data file: no unknown fields, immutable, strict types."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Model = TypeVar("Model", bound=BaseModel)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def first_repeat(values: Iterable[str]) -> str | None:
    """The first value that appears twice, or None: every data file's ids must be unique,
    and a repeated id would make a lookup by id silently pick the first."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def iso_date(value: object) -> object:
    """``YYYY-MM-DD`` text to a date (JSON has no dates); anything else is left to strict mode."""
    if not isinstance(value, str):
        return value
    if not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise ValueError(f"{value} is not a date ({err})") from err


# A date: a date object, or text written YYYY-MM-DD (never a number).
IsoDate = Annotated[date, BeforeValidator(iso_date)]


class DataFileError(KitError):
    """A data file could not be read or did not match its model."""


class DataSyntaxError(ValueError):
    """Text that parses but breaks a rule of the kit's files (depth, a repeated key...)."""


def field_path(location: tuple[int | str, ...]) -> str:
    """Render pydantic's error location as ``modules[2].hours``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def describe_validation_error(err: ValidationError) -> str:
    """The first problem of a validation error, as ``field: message``."""
    first = err.errors()[0]
    message = first["msg"].removeprefix("Value error, ")
    return f"{field_path(tuple(first['loc']))}: {message}"


def shown_key(key: object) -> str:
    text = repr(key)
    return text if len(text) <= 60 else text[:57] + "..."


def number_problem(err: ValueError) -> str | None:
    """Python refuses to read integers of more than 4,300 digits: say so plainly."""
    if "integer string conversion" in str(err):
        return f"a number has more than {sys.get_int_max_str_digits():,} digits"
    return None


# ---- JSON --------------------------------------------------------------------------------

# A JSON string (with its escapes) or a bracket; everything else is skipped.
JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def check_json_depth(text: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH, before the parser recurses into it."""
    depth = 0
    for match in JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise DataSyntaxError(f"nested more than {MAX_DEPTH} levels deep")
        elif token in ("]", "}"):
            depth -= 1


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise DataSyntaxError(f"duplicate key {shown_key(key)}")
        data[key] = value
    return data


def not_a_number(name: str) -> None:
    raise DataSyntaxError(f"{name} is not a JSON number")


def parse_json(text: str) -> Any:
    """Parse JSON text strictly: bounded depth, no repeated keys, no NaN or Infinity.

    Raises ``json.JSONDecodeError`` for malformed JSON (with its position) and
    ``DataSyntaxError`` for well-formed JSON that breaks one of those rules.
    """
    check_json_depth(text)
    try:
        return json.loads(text, object_pairs_hook=unique_keys, parse_constant=not_a_number)
    except (json.JSONDecodeError, DataSyntaxError):
        raise
    except RecursionError as err:  # not reached after check_json_depth; kept as a guard
        raise DataSyntaxError("nested too deeply") from err
    except ValueError as err:
        problem = number_problem(err)
        if problem is None:
            raise
        raise DataSyntaxError(problem) from err


# ---- YAML --------------------------------------------------------------------------------


class StrictYAMLError(yaml.MarkedYAMLError):
    """YAML that parses but breaks a rule of the kit's data files."""


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases, repeated keys and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise StrictYAMLError(problem="aliases (*name) are not allowed", problem_mark=mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise StrictYAMLError(
                    problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[object] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # <<: {...}, merged as PyYAML does
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: PyYAML itself refuses it below
                continue
            if repeated:
                raise StrictYAMLError(
                    problem=f"duplicate key {shown_key(key)}", problem_mark=key_node.start_mark
                )
        return super().construct_mapping(node, deep)


def yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark is not None else ""
    if isinstance(err, StrictYAMLError):
        return f"{err.problem}{where}"
    return f"not valid YAML{where}"


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text strictly; raise DataFileError naming ``source`` on any fault."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as err:
        raise DataFileError(f"{source}: {yaml_problem(err)}") from err
    except RecursionError as err:  # not reached with the depth limit; kept as a guard
        raise DataFileError(f"{source}: nested too deeply") from err
    except ValueError as err:  # e.g. an integer too long to read, or 2026-02-30
        problem = number_problem(err) or f"a value cannot be read ({err})"
        raise DataFileError(f"{source}: {problem}") from err


def load_yaml_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` as YAML and validate it as ``model``; raise DataFileError on any fault."""
    raw = read_regular_file(path, MAX_DATA_FILE_BYTES, DataFileError)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: not UTF-8 text (byte {err.start})") from err
    data = parse_yaml(text, str(path))
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise DataFileError(f"{path}: {describe_validation_error(err)}") from err
