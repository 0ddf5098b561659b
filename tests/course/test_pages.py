"""Reading a page as a learner does: prose, reading time, activities and stray figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccin_learn.course.facts import default_facts
from ccin_learn.course.pages import (
    activity_minutes,
    fact_ids,
    page_markdown,
    reading_minutes,
    sources_lack,
    stray_figures,
    word_count,
)

QUIZ_PAGE = """# Quiz

Read the questions and choose.

````{activity} Self-check quiz
:minutes: 15
Choose an answer to each question.

```{quiz} quiz.yaml
```
````
"""

EXAMPLE_PAGE = """# Leasing

The council may lease at less than best value.

:::{worked-example} A parish council leases its pavilion
Illustrative figures: a rent of £12,000 a year, 20% below the market.
:::

## Sources

- Local Government Act 1972, s.123.
"""


@pytest.fixture
def registry():
    return default_facts()


def test_words_are_counted_without_code_or_addresses(registry):
    page = "# Title\n\nOne two [three](https://example.org/x).\n\n```python\nx = 1\ny = 2\n```\n"
    assert word_count(page, registry) == 4


def test_a_fact_role_counts_as_its_statement(registry):
    statement = registry.get("eis-company-limit").statement
    assert word_count("{fact}`eis-company-limit`", registry) == len(statement.split())


def test_reading_time_is_200_words_a_minute_rounded_up(registry):
    assert reading_minutes("word " * 200, registry) == 1
    assert reading_minutes("word " * 201, registry) == 2
    assert reading_minutes("", registry) == 1


def test_activity_minutes_add_up_and_a_quiz_is_not_prose(registry):
    assert activity_minutes(QUIZ_PAGE) == 15
    assert activity_minutes(QUIZ_PAGE + "\n```{activity} Apply\n:minutes: 30\n```\n") == 45
    assert word_count(QUIZ_PAGE, registry) == 14


def test_figures_in_a_worked_example_or_the_sources_are_not_stray():
    assert stray_figures(EXAMPLE_PAGE) == []


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("The cap is £100,000 a member.", "£100,000"),
        ("It can raise £5m a year.", "£5m"),
        ("Relief is 30% of the amount.", "30%"),
        ("Relief is 30 per cent of it.", "30 per cent"),
        ("Under s.123 the council must.", "s.123"),
        ("Under section 33 of the Act.", "section 33"),
    ],
)
def test_a_figure_written_in_prose_is_stray(sentence, figure):
    assert stray_figures(f"# Page\n\n{sentence}\n") == [figure]


def test_a_figure_from_the_registry_is_not_stray():
    page = "# Page\n\nThe limit is {fact-value}`eis-company-limit`. {fact}`eis-gross-assets`\n"
    assert stray_figures(page) == []
    assert fact_ids(page) == ["eis-company-limit", "eis-gross-assets"]


def test_saying_what_the_sources_lack_is_found():
    page = "# Page\n\nThe sources do not say which nations. This course's sources include no"
    assert sources_lack(page) == ["sources do not", "course's sources"]


def test_a_notebook_is_read_from_its_markdown_cells(tmp_path: Path):
    cells = [
        {"cell_type": "markdown", "source": ["# Tool\n", "Costs £5m.\n"], "metadata": {}},
        {"cell_type": "code", "source": ["cap = '£100,000'\n"], "metadata": {}, "outputs": []},
    ]
    notebook = tmp_path / "tool.ipynb"
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert stray_figures(page_markdown(notebook)) == ["£5m"]


def test_the_facts_page_reads_as_long_as_the_facts_it_lists(registry):
    page = "# Facts and figures\n\n```{fact-table}\n```\n"
    assert word_count(page, registry) > 20 * len(registry.facts)
