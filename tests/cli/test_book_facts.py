"""``ccin-learn book facts --due``: the facts past their review date, and the exit code."""

from __future__ import annotations

from ccin_learn.course.facts import default_facts


def test_no_fact_is_due_the_day_after_the_check(run_cli):
    result = run_cli(["book", "facts", "--due", "--on", "2026-12-02"], exit_code=0)
    assert "No facts are due for review on 2026-12-02" in result.out


def test_facts_past_review_are_listed_and_fail(run_cli):
    result = run_cli(["book", "facts", "--due", "--on", "2030-01-01"], exit_code=1)
    lines = result.out.splitlines()
    assert len(lines) == len(default_facts().facts)
    assert lines[0].startswith("eis-company-limit  2027-06-01  From 6 April 2026")


def test_a_bad_date_is_a_usage_error(run_cli):
    result = run_cli(["book", "facts", "--due", "--on", "1 January"], exit_code=2)
    assert "--on" in result.err
