"""The micro-credentials' learner's pages, as the ``{credential}`` directive writes them.

The figures on the pages come from the data files: the tests compare them with
the catalogue's, and change a pass mark to see the page follow it.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.credentials.catalogue import Credential, load_credentials, pass_marks
from ccin_learn.site.credentials import credential_docname, credential_markdown, list_markdown
from ccin_learn.site.toc import toc_docnames

CREDENTIALS = load_credentials()
BY_ID = {credential.id: credential for credential in CREDENTIALS}


def page_text(credential: Credential, course) -> str:
    return "\n".join(credential_markdown(credential, default_catalogue(), course))


@pytest.mark.parametrize("credential", CREDENTIALS, ids=lambda c: c.id)
def test_page_states_the_catalogues_pass_mark_outcomes_and_workload(credential, course):
    text = page_text(credential, course)
    mark = pass_marks()[credential.id]
    assert f"**Pass mark:** {mark:g}% of the assessment's marks" in text
    assert f"with {mark:g}% or more" in text
    for outcome in credential.outcomes:
        assert outcome in text
    assert f"about {credential.workload_hours:g} hours" in text
    assert text.startswith(f"# Micro-credential: {credential.module_title}\n")


def test_page_follows_a_changed_pass_mark(course):
    changed = dataclasses.replace(BY_ID["finance"], pass_mark=65)
    text = page_text(changed, course)
    assert "**Pass mark:** 65%" in text and "at least 65%" in text
    assert "70%" not in text


def test_prerequisites_are_named_and_linked(course):
    text = page_text(BY_ID["legal-structures"], course)
    prerequisites = text.split("**Prerequisites:**", 1)[1].split("\n", 1)[0]
    assert "{doc}`Micro-credential: The Coop Option </book/credentials/coop-option>`" in (
        prerequisites
    )
    assert "issued only once you hold that one" in prerequisites


def test_a_credential_without_prerequisites_says_so(course):
    text = page_text(BY_ID["community-wealth-building"], course)
    assert "**Prerequisites:** none. You can take this micro-credential first." in text


def test_page_says_how_to_fetch_and_hand_in_on_the_hub_and_a_platform(course):
    text = page_text(BY_ID["coop-option"], course)
    hub = text.split("### On the network's JupyterHub", 1)[1].split("###", 1)[0]
    for step in ("**Assignment List**", "**Fetch**", "**Submit**", "`coop-option.ipynb`"):
        assert step in hub
    assert "nbgrader fetch_assignment coop-option --course COURSE-ID" in hub
    platform = text.split("### Through your trainer's learning platform", 1)[1].split("###")[0]
    assert "Download the notebook `coop-option.ipynb`" in platform
    assert "Upload the completed notebook" in platform
    assert "ccin-learn grade collect coop-option --zip FOLDER" in platform


def test_page_says_what_the_learner_receives_and_how_to_check_it(course):
    text = page_text(BY_ID["finance"], course)
    assert "Open Badges 3.0" in text and "`finance.jwt`" in text
    assert "`finance-certificate.pdf`" in text and "**Feedback**" in text
    assert course.awarding_body.name in text
    assert course.verification in text
    # an employer is never told to run a command: the book's page checks it
    section = text.split("## How anyone can check it", 1)[1].split("\n## ", 1)[0]
    assert "ccin-learn" not in section and "`" + "finance.jwt`" in section
    assert "[Check a credential](verify.md)" in section


def test_the_list_has_one_line_per_credential_with_its_pass_mark():
    lines = [line for line in list_markdown(CREDENTIALS, default_catalogue()) if line]
    assert len(lines) == len(CREDENTIALS)
    for line, credential in zip(lines, CREDENTIALS, strict=True):
        assert f"</{credential_docname(credential.id)}>" in line
        assert f"pass mark {credential.pass_mark:g}%" in line
    assert "needs *The Coop Option* first." in lines[1]


def test_each_credential_has_a_page_of_only_the_directive_and_is_in_the_toc(kit):
    built = toc_docnames(kit.root)
    assert "book/credentials/index" in built
    for credential in CREDENTIALS:
        docname = credential_docname(credential.id)
        source = (kit.root / f"{docname}.md").read_text(encoding="utf-8")
        assert re.fullmatch(r"```\{credential\} " + credential.id + r"\n```\n", source)
        assert docname in built
        assert built.index(docname) > built.index("book/credentials/index")
