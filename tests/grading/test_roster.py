"""Rosters: ids safe as folder names, clear errors naming the line."""

from __future__ import annotations

import pytest

from ccin_learn.errors import KitError
from ccin_learn.grading.roster import load_roster, parse_roster


def test_reads_ids_and_names_with_a_bom_and_blank_lines():
    learners = parse_roster(
        "\ufeffid,first_name,last_name,email\nada01,Ada,Fictional,a@x.org\n,,,\nbob-2,,,\n"
    )
    assert [lr.id for lr in learners] == ["ada01", "bob-2"]
    assert learners[0].name == "Ada Fictional" and learners[1].name == "bob-2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name\nAda\n", "needs a header row with an 'id' column"),
        ("id\nada01\nada01\n", "line 3: learner id 'ada01' appears twice"),
        ("id\n../etc\n", "line 2: learner id '../etc' must be"),
        ("id\nada lovelace\n", "must be 1 to 64 letters"),
    ],
)
def test_bad_rosters(text, message):
    with pytest.raises(KitError, match=message):
        parse_roster(text, "roster.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("id,first_name\nada01,Ad\u00e9le\n".encode("latin-1"))
    with pytest.raises(KitError, match="not UTF-8"):
        load_roster(path)
