"""Data files that people edit: every fault comes back as one line naming file and field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from ccin_learn.datafile import DataFileError, field_path, load_yaml_model


class Item(BaseModel):
    name: str
    hours: float


class Items(BaseModel):
    items: list[Item]


def test_field_path_reads_like_the_yaml():
    assert field_path(("items", 2, "hours")) == "items[2].hours"
    assert field_path(()) == "(top level)"


def test_valid_file_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("items:\n  - {name: a, hours: 2}\n", encoding="utf-8")
    assert load_yaml_model(path, Items).items[0].hours == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"items:\n  - {name: a, hours: lots}\n", "items[0].hours"),
        (b"items:\n  - {hours: 2}\n", "items[0].name: Field required"),
        (b"items: [\n", "not valid YAML at line"),
        (b"items:\n  - {name: \xff\xfe, hours: 1}\n", "not UTF-8"),
        (b"", "(top level)"),
    ],
)
def test_bad_file_gives_one_line_naming_the_fault(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as caught:
        load_yaml_model(path, Items)
    message = str(caught.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match="file not found"):
        load_yaml_model(tmp_path / "nope.yaml", Items)
