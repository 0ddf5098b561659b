"""A cohort's gradebook, in SQLite or in PostgreSQL by URL: roster, assignments, errors.

The ``cohort`` fixture is built on ``gradebook_url`` (conftest.py), so each test of
the gradebook runs on both backends; a gradebook that cannot be opened is a one-line
error that never shows the database password (issue 13, item 8).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ccin_learn.errors import KitError
from ccin_learn.grading.cohort import Cohort, add_learners, init_cohort
from ccin_learn.grading.export import grades_csv
from ccin_learn.grading.roster import Learner

SECRET = "not-the-password-4f1c"


@pytest.mark.slow  # init_cohort takes seconds
def test_init_puts_the_roster_and_the_assignments_in_the_gradebook(cohort: Cohort) -> None:
    with cohort.gradebook() as gradebook:
        assert sorted(s.id for s in gradebook.students) == ["ada01", "bea02"]
        assert [a.name for a in gradebook.assignments] == ["ps1"]
    add_learners(cohort, [Learner("cal03", first_name="Cal", email="cal@example.org")])
    add_learners(cohort, [Learner("cal03", first_name="Cal", email="cal@example.org")])
    with cohort.gradebook() as gradebook:
        assert sorted(s.id for s in gradebook.students) == ["ada01", "bea02", "cal03"]
        assert gradebook.find_student("cal03").email == "cal@example.org"


@pytest.mark.slow
def test_export_lists_no_assessment_before_it_is_released(cohort: Cohort) -> None:
    """Unreleased, every learner would read 'not submitted' against a maximum of 0.

    test_accounted.py shows a released assessment's rows, a learner who did not hand in
    among them.
    """
    text = grades_csv(cohort, {"ps1": 70.0})
    assert list(csv.DictReader(io.StringIO(text))) == []
    assert text.startswith("learner,assignment,submitted,score,max_score,percent,")


def refused(tmp_path: Path, source: Path, url: str) -> str:
    """init_cohort's error for ``url``; it must leave no half-made cohort behind."""
    with pytest.raises(KitError) as caught:
        init_cohort(tmp_path / "cohort", [Learner("ada01")], source=source, db_url=url)
    assert not any((tmp_path / "cohort").iterdir()), "a failed init leaves nothing to trip on"
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    return message


def test_a_wrong_password_is_one_line_without_the_password(
    tmp_path: Path, course_source: Path, postgresql_database
) -> None:
    url = make_url(postgresql_database()).set(password=SECRET)
    message = refused(tmp_path, course_source, url.render_as_string(hide_password=False))
    assert "cannot open the gradebook postgresql+psycopg://ccin_test:***@" in message
    assert "password authentication failed" in message


def test_an_unreachable_server_is_one_line_without_the_password(
    tmp_path: Path, course_source: Path
) -> None:
    url = f"postgresql+psycopg://trainer:{SECRET}@127.0.0.1:1/gradebook"
    message = refused(tmp_path, course_source, url)
    assert "postgresql+psycopg://trainer:***@127.0.0.1:1/gradebook" in message
    assert "Connection refused" in message and "sqlalche.me" not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"postgresql+psycopg2://trainer:{SECRET}@db/gradebook", "postgresql+psycopg://"),
        (f"nosuchdb://trainer:{SECRET}@db.example.org/gradebook", "cannot use the gradebook"),
    ],
    ids=["psycopg2-driver", "unknown-kind"],
)
def test_a_url_the_kit_cannot_use_says_why(
    tmp_path: Path, course_source: Path, url: str, expected: str
) -> None:
    assert expected in refused(tmp_path, course_source, url)
