"""Facts in the book: the {fact} role, "Facts checked", and the "Facts and figures" page."""

from __future__ import annotations

import html
import re

import pytest

from ccin_learn.course.facts import default_facts
from ccin_learn.errors import KitError
from ccin_learn.site.build import build_book
from ccin_learn.site.paths import KitPaths
from tests.site.test_build import tiny_book

WITH_EXTENSION = "sphinx:\n  extra_extensions:\n    - ccin_learn.site.sphinxext\n"


@pytest.fixture
def fact_book(tmp_path, kit):
    """``fact_book(page)``: a one-page book with the kit's Sphinx extension."""

    def make(page: str) -> KitPaths:
        paths = tiny_book(tmp_path, kit, page)
        config = paths.root / "_config.yml"
        config.write_text(config.read_text(encoding="utf-8") + WITH_EXTENSION, encoding="utf-8")
        return paths

    return make


@pytest.mark.slow
def test_a_known_fact_renders_with_the_month_it_was_checked(fact_book):
    paths = fact_book("# Tiny\n\nThe limit: {fact}`eis-company-limit`\n")
    build_book(paths, strict=True)
    page = html.unescape((paths.html_dir / "index.html").read_text(encoding="utf-8"))
    assert default_facts().get("eis-company-limit").statement in page
    assert "Facts checked: December 2026" in page


@pytest.mark.slow
def test_an_unknown_fact_fails_the_strict_build_naming_it(fact_book):
    paths = fact_book("# Tiny\n\nThe limit: {fact}`no-such-fact`\n")
    with pytest.raises(KitError, match=r"unknown fact id 'no-such-fact' on page index"):
        build_book(paths, strict=True)


@pytest.mark.slow
def test_the_facts_page_lists_every_fact(built_site):
    page = html.unescape((built_site / "book/facts.html").read_text(encoding="utf-8"))
    for fact in default_facts().facts:
        assert f">{fact.id}<" in page
    assert re.search(r"<th\b[^>]*>\s*<p>Fact</p>", page)


@pytest.mark.slow
def test_a_page_quoting_facts_says_when_they_were_checked(built_site):
    page = (built_site / "modules/finance/tax-reliefs.html").read_text(encoding="utf-8")
    assert "Facts checked: December 2026" in page
    assert "£5m" not in page


LEARNER_PAGE = """# Tiny

The limit is {fact-value}`subsidy-control-mfa` for each enterprise.

:::{worked-example} A parish council leases its pavilion
Illustrative figures: a rent of £12,000 a year.
:::

```{activity} Apply it to your council
:minutes: 20
Write down one asset your council could lease.
```
"""


@pytest.mark.slow
def test_a_page_shows_reading_time_examples_activities_and_its_facts_sources(fact_book):
    paths = fact_book(LEARNER_PAGE)
    build_book(paths, strict=True)
    page = html.unescape((paths.html_dir / "index.html").read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Reading time: about 1 minute, plus activities of about 20 minutes." in text
    assert "The limit is £315,000 over three years for each enterprise." in text
    assert "Worked example: A parish council leases its pavilion" in text
    assert "Activity, about 20 minutes: Apply it to your council" in text
    assert "Facts on this page" in text
    assert "(applies in UK; checked December 2026). Source: Subsidy Control Act 2022" in text
    assert 'href="https://www.legislation.gov.uk/ukpga/2022/23"' in page
    assert text.index("Reading time") < text.index("The limit is")


@pytest.mark.slow
def test_a_fact_without_a_short_form_fails_fact_value(fact_book):
    paths = fact_book("# Tiny\n\nThe rates: {fact-value}`eis-vct-relief-rates`\n")
    with pytest.raises(KitError, match=r"fact 'eis-vct-relief-rates' has no value"):
        build_book(paths, strict=True)


@pytest.mark.slow
def test_an_activity_without_minutes_fails_the_build(fact_book):
    paths = fact_book("# Tiny\n\n```{activity} Quiz\nAnswer them.\n```\n")
    with pytest.raises(KitError, match=r"an activity needs :minutes:"):
        build_book(paths, strict=True)


@pytest.mark.slow
def test_a_site_named_in_a_sentence_is_not_turned_into_an_http_link(built_site):
    """ "GOV.UK" in prose once became a link to http://GOV.UK (linkify's fuzzy links)."""
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        assert 'href="http://gov.uk"' not in text, page
        assert 'href="http://legislation.gov.uk"' not in text, page
