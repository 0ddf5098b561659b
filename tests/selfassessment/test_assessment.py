"""The assessment file format: round trip, published schema, and every kind of bad file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from ccin_learn.selfassessment.assessment import (
    EXAMPLES_DIR,
    MAX_FILE_BYTES,
    SCHEMA_FILE,
    Answer,
    AssessmentError,
    Council,
    NotApplicable,
    json_schema,
    load_assessment,
    new_assessment,
    parse_assessment,
    to_json,
)
from ccin_learn.selfassessment.session import friendly_validation

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.json"))


def good() -> dict:
    return json.loads((EXAMPLES_DIR / "example-unitary.json").read_text(encoding="utf-8"))


def test_ships_at_least_two_fictional_examples_that_say_so():
    assert len(EXAMPLES) >= 2
    for path in EXAMPLES:
        example = load_assessment(path)
        assert "fictional" in example.council.name.lower()
        assert "fictional example" in (example.example_note or "")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_round_trip_is_lossless(path):
    first = load_assessment(path)
    again = parse_assessment(to_json(first).encode("utf-8"))
    assert again == first
    assert to_json(again) == to_json(first)


def test_published_schema_is_current_and_accepts_the_examples():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    refresh = "ccin-learn assess schema -o ccin_learn/data/assessment.schema.json"
    assert schema == json_schema(), f"the published schema is out of date: run {refresh}"
    for path in EXAMPLES:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    bad = good()
    bad["answers"]["made-up-action"] = {"level": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_new_assessment_fills_the_council_types_not_applicable_defaults():
    county = new_assessment(Council(name="Anyshire (fictional)", type="county"), date(2026, 1, 5))
    answer = county.answer("cwb-living-wage-rate-rebates")
    assert answer.not_applicable is not None
    assert "billing authorities" in answer.not_applicable.reason
    unitary = new_assessment(Council(name="Any (fictional)", type="unitary"), date(2026, 1, 5))
    assert unitary.answers == {}


def mutate(change) -> bytes:
    data = good()
    change(data)
    return json.dumps(data).encode("utf-8")


BAD_FILES = {
    "not JSON": (b"council: Anytown", "is not valid JSON at line 1"),
    "truncated": (json.dumps(good()).encode()[:-40], "ends too early (truncated?)"),
    "wrong type": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level="two")),
        "answers.cwb-insourcing.level",
    ),
    "unknown action": (
        mutate(lambda d: d["answers"].update({"cwb-free-beer": {"level": 1}})),
        "unknown action id(s) in answers: cwb-free-beer",
    ),
    "level too high": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level=5)),
        "less than or equal to 4",
    ),
    "negative level": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level=-1)),
        "greater than or equal to 0",
    ),
    "missing council": (mutate(lambda d: d.pop("council")), "council: Field required"),
    "unknown council type": (
        mutate(lambda d: d["council"].update(type="empire")),
        "council.type 'empire' is not one of",
    ),
    "bad GSS code": (mutate(lambda d: d["council"].update(gss_code="X123")), "gss_code"),
    "level and not applicable": (
        mutate(
            lambda d: d["answers"]["cwb-insourcing"].update(
                not_applicable={"reason": "We never outsourced."}
            )
        ),
        "cannot also have a level",
    ),
    "not applicable without reason": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level=None, not_applicable={})),
        "not_applicable.reason: Field required",
    ),
    "future schema": (mutate(lambda d: d.update(schema_version=2)), "schema_version"),
    "not an object": (b"[1, 2, 3]", "an assessment must be a JSON object"),
    "non-UTF-8": ('{"council": "Ynys M\u00f4n"}'.encode("latin-1"), "not UTF-8 text"),
    "huge": (b" " * (MAX_FILE_BYTES + 1), "file is too large"),
    # strict types: no "3" for 3, no true for 1, no number for a date
    "level true": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level=True)),
        "answers.cwb-insourcing.level: Input should be a valid integer",
    ),
    "level as text": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level="3")),
        "answers.cwb-insourcing.level: Input should be a valid integer",
    ),
    "level 3.0": (
        mutate(lambda d: d["answers"]["cwb-insourcing"].update(level=3.0)),
        "answers.cwb-insourcing.level: Input should be a valid integer",
    ),
    "schema_version true": (
        mutate(lambda d: d.update(schema_version=True)),
        "schema_version: Input should be a valid integer",
    ),
    "date as a number": (
        mutate(lambda d: d.update(assessed_on=20261014)),
        "assessed_on: Input should be a valid date",
    ),
    "date not YYYY-MM-DD": (
        mutate(lambda d: d.update(assessed_on="14/10/2026")),
        "assessed_on: must be a date written YYYY-MM-DD",
    ),
    "no such date": (
        mutate(lambda d: d.update(assessed_on="2026-02-30")),
        "assessed_on: 2026-02-30 is not a date",
    ),
    # JSON that would recurse, overflow or hide a second value
    "100,000 nested arrays": (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels"),
    "1,000 nested arrays": (
        mutate(lambda d: d["answers"].update(x=json.loads("[" * 900 + "]" * 900))),
        "nested more than 32 levels deep",
    ),
    "5,000-digit integer": (
        json.dumps(good()).replace('"level": 3', '"level": 3' + "0" * 5_000, 1).encode(),
        "a number has more than 4,300 digits",
    ),
    "duplicate key": (
        json.dumps(good()).replace('"level": 3', '"level": 3, "level": 1', 1).encode(),
        "duplicate key 'level'",
    ),
    "NaN": (
        json.dumps(good()).replace('"level": 3', '"level": NaN', 1).encode(),
        "NaN is not a JSON number",
    ),
    # names: no longer than the store's column once case-folded, nothing invisible
    "name too long once case-folded": (
        mutate(lambda d: d["council"].update(name="\u00df" * 150)),
        "council.name: council name is too long: 300 characters when case is ignored",
    ),
    "zero-width space in name": (
        mutate(lambda d: d["council"].update(name="Any\u200btown Council")),
        "council.name: council name must not contain invisible or control characters "
        "(U+200B ZERO WIDTH SPACE at character 4)",
    ),
    "right-to-left override in name": (
        mutate(lambda d: d["council"].update(name="Anytown \u202elicnuoC")),
        "(U+202E RIGHT-TO-LEFT OVERRIDE at character 9)",
    ),
    "left-to-right isolate in name": (
        mutate(lambda d: d["council"].update(name="Anytown\u2066 Council")),
        "(U+2066 LEFT-TO-RIGHT ISOLATE at character 8)",
    ),
    "byte order mark in name": (
        mutate(lambda d: d["council"].update(name="\ufeffAnytown Council")),
        "(U+FEFF ZERO WIDTH NO-BREAK SPACE at character 1)",
    ),
    "line separator in name": (
        mutate(lambda d: d["council"].update(name="Any\u2028town")),
        "(U+2028 LINE SEPARATOR at character 4)",
    ),
    "private use character in name": (
        mutate(lambda d: d["council"].update(name="Anytown \ue000")),
        "(U+E000 a private-use character at character 9)",
    ),
    "tab in name": (
        mutate(lambda d: d["council"].update(name="Any\ttown")),
        "council name must not contain invisible or control characters "
        "(U+0009 a control character at character 4)",
    ),
    "zero-width joiner in assessor": (
        mutate(lambda d: d.update(assessor="Policy\u200dteam")),
        "assessor: assessor must not contain invisible or control characters (U+200D",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_file_is_refused_with_one_line(case):
    raw, expected = BAD_FILES[case]
    with pytest.raises(AssessmentError) as caught:
        parse_assessment(raw, "upload.json")
    message = str(caught.value)
    assert message.startswith("upload.json: ")
    assert expected in message
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(AssessmentError, match="file not found"):
        load_assessment(tmp_path / "nope.json")
    with pytest.raises(AssessmentError, match="is a folder"):
        load_assessment(tmp_path)


def test_huge_file_on_disk_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES * 50)
    with pytest.raises(AssessmentError, match="file is too large"):
        load_assessment(big)


def test_answers_are_values_not_shared_state():
    first = load_assessment(EXAMPLES[0])
    changed = first.with_answer("cwb-insourcing", Answer(level=4))
    assert first.answer("cwb-insourcing").level != 4
    assert changed.answer("cwb-insourcing").level == 4


def test_ordinary_accented_and_cjk_names_are_allowed():
    for name in ("Ynys M\u00f4n Council", "Conseil de l'\u00c9cole", "\u6771\u4eac\u90fd\u5e81"):
        data = good()
        data["council"]["name"] = name
        data["assessor"] = f"{name} policy team"
        loaded = parse_assessment(json.dumps(data, ensure_ascii=False).encode("utf-8"))
        assert loaded.council.name == name


def test_a_name_at_the_limit_once_case_folded_is_allowed():
    assert Council(name="\u00df" * 75, type="unitary").name == "\u00df" * 75
    with pytest.raises(ValueError, match="too long: 152 characters"):
        Council(name="\u00df" * 76, type="unitary")


def test_dates_are_read_from_json_text_and_dates_alike():
    assert load_assessment(EXAMPLES[0]).assessed_on.year >= 2026
    made = new_assessment(Council(name="Any (fictional)", type="unitary"), date(2026, 1, 5))
    assert made.assessed_on == date(2026, 1, 5)


@pytest.fixture
def special_files(tmp_path) -> dict[str, Path]:
    """Paths that are not regular files, by what the error must say (pipes and /dev/zero:
    tests/cli/test_bad_input.py, in a process of their own)."""
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    return {
        "is a device, not a regular file": Path("/dev/null"),
        "symlink loop": tmp_path / "loop.json",
    }


def test_only_regular_files_are_read(special_files):
    for expected, path in special_files.items():
        with pytest.raises(AssessmentError) as caught:
            load_assessment(path)
        assert str(caught.value) == f"{path}: {expected}"


PLAIN_MESSAGES = {
    "wrong ONS code": (
        lambda: Council(name="Newtown", type="unitary", gss_code="E0600001"),
        "An ONS code looks like E06000001: a letter (E, W, S or N) and 8 digits",
    ),
    "blank name": (lambda: Council(name="   ", type="unitary"), "enter the council's name"),
    "long name": (
        lambda: Council(name="N" * 151, type="unitary"),
        "the council's name is too long: at most 150 characters (this one has 151)",
    ),
    "long evidence": (
        lambda: Answer(evidence="e" * 10_001),
        "the evidence is too long: at most 10,000 characters (this one has 10,001)",
    ),
    "short reason": (
        lambda: NotApplicable(reason="no"),
        "the reason it does not apply is too short: write at least 3 characters",
    ),
}


@pytest.mark.parametrize("case", PLAIN_MESSAGES.values(), ids=list(PLAIN_MESSAGES))
def test_what_officers_type_wrong_is_explained_in_plain_words(case):
    """The app shows these messages: no regular expression, no "String should have"."""
    make, expected = case
    with pytest.raises(ValueError) as refused:
        make()
    assert friendly_validation(refused.value) == expected


def test_a_bad_ons_code_in_a_file_names_the_field_and_says_what_it_should_be():
    data = good()
    data["council"]["gss_code"] = "X123"
    with pytest.raises(AssessmentError, match=r"^council\.gss_code: An ONS code looks like E06"):
        parse_assessment(json.dumps(data).encode("utf-8"))
