"""The fact registry: the shipped file loads, and bad edits come back as one line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from ccin_learn.course.facts import FACTS_FILE, default_facts, load_facts
from ccin_learn.datafile import DataFileError


def a_fact(fact_id: str = "a-fact", **changes: object) -> dict[str, object]:
    fact: dict[str, object] = {
        "id": fact_id,
        "topic": "Testing",
        "statement": "A statement long enough to pass the check.",
        "nations": ["England", "Wales"],
        "as_of": "2026-01-01",
        "sources": [{"title": "A source", "publisher": "A publisher"}],
        "review_by": "2027-01-01",
    }
    fact.update(changes)
    return fact


@pytest.fixture
def facts_file(tmp_path: Path):
    """``facts_file(*facts)``: a facts file holding those facts, as a path."""

    def write(*facts: dict[str, object]) -> Path:
        path = tmp_path / "facts.yaml"
        path.write_text(yaml.safe_dump({"facts": list(facts)}), encoding="utf-8")
        return path

    return write


def test_the_shipped_registry_loads_with_unique_dated_sourced_facts():
    registry = default_facts()
    assert registry.get("eis-company-limit").nations == ("UK",)
    assert all(fact.review_by > fact.as_of and fact.sources for fact in registry.facts)
    assert load_facts(FACTS_FILE) == registry


def test_dates_may_be_text_or_yaml_dates(facts_file):
    text = load_facts(facts_file(a_fact()))
    real = load_facts(facts_file(a_fact(as_of=date(2026, 1, 1), review_by=date(2027, 1, 1))))
    assert text.facts[0].as_of == real.facts[0].as_of == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ((a_fact(), a_fact()), "fact id 'a-fact' appears twice"),
        ((a_fact(review_by="2025-12-31"),), r"facts\[0\]: .*review_by 2025-12-31 must be after"),
        ((a_fact(nations=["Cornwall"]),), r"facts\[0\]\.nations\[0\]"),
        ((a_fact(colour="red"),), r"facts\[0\]\.colour: Extra inputs are not permitted"),
        ((a_fact(as_of=20260101),), r"facts\[0\]\.as_of"),
        ((a_fact("Not_Kebab"),), r"facts\[0\]\.id"),
        ((a_fact(nations=["UK", "Wales"]),), '"UK" stands alone'),
    ],
)
def test_a_bad_file_is_refused_in_one_line_naming_the_field(facts_file, facts, message):
    with pytest.raises(DataFileError, match=message) as raised:
        load_facts(facts_file(*facts))
    assert "\n" not in str(raised.value)


def test_facts_past_review_are_due():
    registry = default_facts()
    assert registry.due(date(2026, 12, 2)) == []
    assert registry.due(date(2030, 1, 1)) == list(registry.facts)


def test_an_unknown_id_is_named():
    with pytest.raises(KeyError, match="no fact 'nope'"):
        default_facts().get("nope")
