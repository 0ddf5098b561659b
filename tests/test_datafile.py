"""Data files that people edit: every fault comes back as one line naming file and field."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, Field, ValidationError

from ccin_learn.course import catalogue, quiz
from ccin_learn.course.catalogue import CATALOGUE_FILE, load_catalogue
from ccin_learn.course.quiz import load_quiz
from ccin_learn.credentials import catalogue as credentials
from ccin_learn.credentials.catalogue import CREDENTIALS_FILE, load_credentials
from ccin_learn.datafile import (
    MAX_DATA_FILE_BYTES,
    MAX_DEPTH,
    DataFileError,
    DataModel,
    DataSyntaxError,
    IsoDate,
    field_path,
    first_repeat,
    load_yaml_model,
    parse_json,
)
from ccin_learn.selfassessment import assessment, checklist
from ccin_learn.selfassessment.checklist import CHECKLIST_FILE, load_checklist
from ccin_learn.tools import coop_models, legal_forms_schema
from ccin_learn.tools.coop_models import MODELS_FILE, load_guide
from ccin_learn.tools.legal_forms_schema import FORMS_FILE, load_forms


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


# ---- strict types in every data file ------------------------------------------------


class Strict(DataModel):
    count: int
    share: float
    done: bool
    tags: tuple[int, ...] = Field(default=(), strict=False)
    on: IsoDate = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("count", "3"),
        ("count", True),
        ("count", 3.0),
        ("share", "0.5"),
        ("share", True),
        ("done", "yes"),
        ("done", 1),
        ("tags", ["1"]),
        ("tags", [True]),
        ("on", 20260101),
        ("on", "1 January 2026"),
        ("on", "2026-02-30"),
    ],
)
def test_data_models_are_strict(field, value):
    data = {"count": 3, "share": 0.5, "done": True, field: value}
    with pytest.raises(ValidationError):
        Strict.model_validate(data)


def test_strict_models_still_take_what_yaml_and_json_give():
    loaded = Strict.model_validate(
        {"count": 3, "share": 1, "done": False, "tags": [1, 2], "on": "2026-10-14"}
    )
    assert (loaded.share, loaded.tags, loaded.on) == (1.0, (1, 2), date(2026, 10, 14))
    assert Strict.model_validate({"count": 1, "share": 1, "done": True, "on": date(2026, 1, 2)})


def data_models() -> list[type]:
    modules = [
        checklist,
        catalogue,
        quiz,
        legal_forms_schema,
        coop_models,
        credentials,
        assessment,
    ]
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]


def test_every_data_file_model_is_a_strict_data_model():
    models = data_models()
    assert len(models) > 20
    for model in models:
        assert issubclass(model, DataModel), model
        assert model.model_config.get("strict") is True, model


def edited_copy(tmp_path, source, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def at(data, *keys):
    for key in keys:
        data = data[key]
    return data


# A loader, its shipped file, the number or flag to spoil, and the value: "3" for 3, true for 1.
LAX_VALUES = {
    "checklist level as text": (
        load_checklist,
        CHECKLIST_FILE,
        ("levels", 2, "level"),
        "2",
        "levels[2].level",
    ),
    "checklist schema_version true": (
        load_checklist,
        CHECKLIST_FILE,
        ("schema_version",),
        True,
        "schema_version",
    ),
    "checklist principle number as text": (
        load_checklist,
        CHECKLIST_FILE,
        ("actions", 0, "principles", 0),
        "1",
        "actions[0].principles[0]",
    ),
    "module hours as text": (
        load_catalogue,
        CATALOGUE_FILE,
        ("modules", 0, "hours"),
        "2.5",
        "modules[0].hours",
    ),
    "legal forms schema_version true": (
        load_forms,
        FORMS_FILE,
        ("schema_version",),
        True,
        "schema_version",
    ),
    "legal form uncertain as text": (
        load_forms,
        FORMS_FILE,
        ("forms", 0, "what_it_is", "uncertain"),
        "false",
        "forms[0].what_it_is.uncertain",
    ),
    "model finder min_score as text": (
        load_guide,
        MODELS_FILE,
        ("min_score",),
        "3",
        "min_score",
    ),
    "model finder points true": (
        load_guide,
        MODELS_FILE,
        ("kinds", 0, "rules", 0, "points"),
        True,
        "kinds[0].rules[0].points",
    ),
    "credential pass mark as text": (
        load_credentials,
        CREDENTIALS_FILE,
        ("defaults", "pass_mark"),
        "70",
        "defaults.pass_mark",
    ),
}


@pytest.mark.parametrize("case", LAX_VALUES, ids=list(LAX_VALUES))
def test_shipped_data_files_refuse_text_for_numbers_and_true_for_1(tmp_path, case):
    loader, source, keys, value, field = LAX_VALUES[case]
    path = edited_copy(tmp_path, source, lambda d: at(d, *keys[:-1]).__setitem__(keys[-1], value))
    with pytest.raises(DataFileError) as caught:
        loader(path)
    assert str(caught.value).startswith(f"{path}: {field}: Input should be a valid")


def test_a_quiz_still_loads_with_its_lists_as_tuples(kit):
    path = next((kit.root / "modules").glob("*/quiz.yaml"))
    assert isinstance(load_quiz(path).questions, tuple)


# ---- files that must not hang, recurse or grow: one line each ---------------------------


@pytest.fixture
def bad_yaml(tmp_path) -> dict[str, Path]:
    """YAML files the loader must refuse, by what the error must say."""
    files = {
        "duplicate key 'hours' at line 2": b"items:\n  - {name: a, hours: 2, hours: 3}\n",
        "duplicate key 'items' at line 2": b"items: []\nitems: []\n",
        "aliases (*name) are not allowed at line 2": b"one: &x [1]\ntwo: *x\n",
        "nested more than 32 levels deep": b"items: " + b"[" * 100_000 + b"]" * 100_000,
        "nested more than 32 levels deep at line 1": b"items: " + b"[" * 1_000 + b"]" * 1_000,
        "a number has more than 4,300 digits": b"items:\n  - {name: a, hours: 1"
        + b"0" * 5_000
        + b"}\n",
        "a value cannot be read": b"items: 2026-02-30\n",
    }
    paths = {}
    for number, (expected, content) in enumerate(files.items()):
        path = tmp_path / f"bad{number}.yaml"
        path.write_bytes(content)
        paths[expected] = path
    return paths


def test_bad_yaml_is_one_line_naming_file_and_fault(bad_yaml):
    for expected, path in bad_yaml.items():
        with pytest.raises(DataFileError) as caught:
            load_yaml_model(path, Items)
        message = str(caught.value)
        assert message.startswith(f"{path}: {expected}"), message
        assert "\n" not in message


def test_a_billion_laughs_is_refused_at_the_first_alias(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="aliases"):
        load_yaml_model(path, Items)


def test_only_small_regular_files_are_read(tmp_path):
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(MAX_DATA_FILE_BYTES + 1)
    cases = {
        Path("/dev/null"): "is a device, not a regular file",
        tmp_path / "loop.yaml": "symlink loop",
        big: "file is too large",
    }
    for path, expected in cases.items():
        with pytest.raises(DataFileError) as caught:
            load_yaml_model(path, Items)
        assert str(caught.value).startswith(f"{path}: {expected}")


# ---- JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ('{"a": {"b": 1, "b": 1}}', "duplicate key 'b'"),
        ("[" * 100_000 + "]" * 100_000, "nested more than 32 levels deep"),
        ('{"a": ' + "[" * 1_000 + "]" * 1_000 + "}", "nested more than 32 levels deep"),
        ('{"a": 1' + "0" * 5_000 + "}", "a number has more than 4,300 digits"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
    ],
)
def test_parse_json_refuses(text, expected):
    with pytest.raises(DataSyntaxError, match=re.escape(expected)):
        parse_json(text)


def test_parse_json_counts_only_brackets_outside_strings():
    deep_text = '"' + "[{" * 100 + '\\"]"'
    assert parse_json('{"a": [' + deep_text + "]}") == {"a": ["[{" * 100 + '"]']}
    nested = parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    for _ in range(MAX_DEPTH - 1):
        nested = nested[0]
    assert nested == []


@pytest.mark.parametrize(
    ("values", "repeated"),
    [(["a", "b", "c"], None), (["a", "b", "a", "b"], "a"), ([], None)],
)
def test_first_repeat_names_the_first_id_given_twice(values, repeated):
    assert first_repeat(values) == repeated
