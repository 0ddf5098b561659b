"""Load an editable YAML data file and validate it against a pydantic model.

People who are not programmers edit the kit's data (the course catalogue, the
checklist, the credentials). A mistake must come back as one line naming the
file and the field, never as a traceback or a half-loaded object.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ccin_learn.errors import KitError

# The kit's editable data files ship inside the package, beside its code.
DATA_DIR = Path(__file__).resolve().parent / "data"
Model = TypeVar("Model", bound=BaseModel)


class DataFileError(KitError):
    """A data file could not be read or did not match its model."""


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


def load_yaml_model(path: Path, model: type[Model]) -> Model:
    """Read ``path`` as YAML and validate it as ``model``; raise DataFileError on any fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataFileError(f"{path}: file not found") from err
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: not UTF-8 text (byte {err.start})") from err
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{path}: not valid YAML{where}") from err
    try:
        return model.model_validate(raw)
    except ValidationError as err:
        raise DataFileError(f"{path}: {describe_validation_error(err)}") from err
