"""The kit's one lookup-by-id helper: what a "not found" says."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ccin_learn.errors import MAX_LISTED, lookup


@dataclass(frozen=True)
class Item:
    id: str
    app: str = ""


def test_lookup_finds_by_id_or_by_another_attribute():
    items = [Item("a", app="x"), Item("b", app="y")]
    assert lookup(items, "b", "item") is items[1]
    assert lookup(items, "x", "tool", attribute="app") is items[0]


def test_a_missing_id_names_what_was_asked_and_what_exists():
    with pytest.raises(KeyError, match=r"no module 'astrology' \(known: a, b\)"):
        lookup([Item("a"), Item("b")], "astrology", "module")


def test_a_long_list_is_not_read_out():
    items = [Item(f"id{n}") for n in range(MAX_LISTED + 1)]
    with pytest.raises(KeyError) as raised:
        lookup(items, "nope", "fact")
    assert raised.value.args[0] == "no fact 'nope'"
