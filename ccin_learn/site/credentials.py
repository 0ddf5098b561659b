"""The learner's pages on the micro-credentials, written from the data, never by hand.

- ``{credential} ID`` is the whole page of one micro-credential: what it
  assesses (the module's outcomes), its pass mark, workload and prerequisites;
  how to fetch the assessment notebook and hand it in, on the network's
  JupyterHub or through a trainer's learning platform; what the learner
  receives; and how anyone can check it.
- ``{credential-list}`` lists every micro-credential, one line each.

Pass marks and workloads come from ``data/credentials.yaml`` through
``ccin_learn.credentials.catalogue``, outcomes and study time from
``data/modules.yaml``, and the awarding body from ``assessments/course.yaml``,
so a figure is written once and the pages, the badges and the certificates agree.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from ccin_learn.course.catalogue import Catalogue, default_catalogue
from ccin_learn.course.pathway import format_hours
from ccin_learn.credentials.catalogue import CREDENTIALS_FILE, Credential, load_credentials
from ccin_learn.datafile import DataFileError
from ccin_learn.grading.course import COURSE_NAME, CourseConfig, load_course

# Where a credential's learner's page is in the book, and the trainer guide it points to.
PAGES_FOLDER = "book/credentials"
TRAINER_GUIDE = "book/trainer-guide"
# Marks the generated text so the page's reading time counts it (sphinxext.add_reading_time).
GENERATED_CLASS = "ccin-generated"


def credential_docname(credential_id: str) -> str:
    return f"{PAGES_FOLDER}/{credential_id}"


def doc_link(title: str, docname: str) -> str:
    """A MyST link to a page by its docname, whichever page it sits in."""
    return f"{{doc}}`{title} </{docname}>`"


def percent(value: float) -> str:
    return f"{value:g}%"


def prerequisites_text(credential: Credential, catalogue: Catalogue) -> str:
    """The prerequisite credentials by name, linked to their pages, or that there are none."""
    if not credential.prerequisites:
        return "none. You can take this micro-credential first."
    names = [
        doc_link(f"Micro-credential: {catalogue.get(p).title}", credential_docname(p))
        for p in credential.prerequisites
    ]
    return (
        " and ".join(names) + ". You can take the assessment at any time, but this "
        "micro-credential is issued only once you hold that one."
    )


def assesses_lines(credential: Credential, catalogue: Catalogue) -> list[str]:
    module = catalogue.get(credential.id)
    lines = [
        "## What it assesses",
        "",
        f"The assessment covers the module {doc_link(module.title, module.page)}. It checks "
        "that by the end you can:",
        "",
        *(f"- {outcome};" for outcome in credential.outcomes[:-1]),
        f"- {credential.outcomes[-1]}.",
        "",
        f"**Type of assessment:** {credential.assessment}",
        "",
        f"**Pass mark:** {percent(credential.pass_mark)} of the assessment's marks. Your "
        "result counts once every written answer has been marked.",
        "",
        f"**Workload:** about {format_hours(credential.workload_hours)}: "
        f"{format_hours(credential.study_hours)} of study in the module and "
        f"{format_hours(credential.assessment_hours)} for the assessment.",
        "",
        f"**Prerequisites:** {prerequisites_text(credential, catalogue)}",
        "",
        f"**Level:** {credential.level}",
        "",
    ]
    return lines


def hub_lines(notebook: str, assignment: str) -> list[str]:
    return [
        "### On the network's JupyterHub",
        "",
        "1. Sign in to the hub your trainer gives you, and open JupyterLab.",
        "2. In the menu, open **Nbgrader**, then **Assignment List**. Under *Released "
        f"assignments*, choose your cohort's course (your trainer tells you its id), find "
        f"`{assignment}` and press **Fetch**.",
        f"3. Open the `{assignment}` folder and the notebook `{notebook}`. Answer in the cells "
        "left for your answers; the other cells are locked, and the marking always uses the "
        "original of them. Save as you go.",
        f"4. Back in the Assignment List, under *Downloaded assignments*, press **Submit** "
        f"beside `{assignment}`. You can submit again until your trainer collects the "
        "submissions; your latest one is marked.",
        "",
        "If you prefer a terminal, give the course id your trainer gave you (each cohort "
        f"has its own): `nbgrader fetch_assignment {assignment} --course COURSE-ID`, then "
        f"`nbgrader submit {assignment} --course COURSE-ID`.",
        "",
    ]


def platform_lines(notebook: str, assignment: str) -> list[str]:
    return [
        "### Through your trainer's learning platform",
        "",
        f"1. Download the notebook `{notebook}` from the assessment activity on the platform.",
        "2. Open it in JupyterLab (on the hub, or on your own computer) and answer in the "
        "cells left for your answers. Save it.",
        f"3. Upload the completed notebook to the same activity, still named `{notebook}`: the "
        "notebook file itself, not a PDF or a copy. If your trainer asks for a zip file, "
        "name it with your learner id, such as `ada01.zip`.",
        "",
        "Your trainer downloads everyone's files from the platform and gives them to the kit "
        f"with `ccin-learn grade collect {assignment} --zip FOLDER`.",
        "",
    ]


def hand_in_lines(credential: Credential) -> list[str]:
    notebook, assignment = f"{credential.id}.ipynb", credential.id
    return [
        "## Get the assessment and hand it in",
        "",
        f"The assessment is one Jupyter notebook, `{notebook}`. Your trainer releases it to "
        "your group and tells you which of these two ways you use.",
        "",
        *hub_lines(notebook, assignment),
        *platform_lines(notebook, assignment),
        "### Then",
        "",
        f"The kit marks the automatic questions (`ccin-learn grade autograde {assignment}`). "
        "Your trainer marks the written answers against the rubric in each question, then "
        f"sends the feedback (`ccin-learn grade feedback {assignment}`). The "
        f"{doc_link('trainer guide', TRAINER_GUIDE)} describes each step.",
        "",
    ]


def receive_lines(credential: Credential, course: CourseConfig) -> list[str]:
    body = course.awarding_body.name
    return [
        "## What you receive",
        "",
        "- **Feedback** on your notebook: your marks for each question and your trainer's "
        "comments. On the hub, the Assignment List fetches it; on a learning platform, your "
        "trainer sends it.",
        f"- **If you pass**, that is, you score at least {percent(credential.pass_mark)}, "
        "every written answer is marked and you hold any prerequisite, the awarding body "
        f"({body}, unless your trainer's organisation awards it) issues you:",
        f"  - a **digital badge**: an Open Badges 3.0 credential, the file "
        f"`{credential.id}.jwt`, signed by the awarding body. It states the learning "
        "outcomes, workload, level, type of assessment, form of participation, quality "
        "assurance, prerequisites and pass mark, with your name, score and date. Keep it, "
        "or add it to a wallet or profile that takes Open Badges;",
        f"  - a **PDF certificate**, `{credential.id}-certificate.pdf`, with the same facts, "
        "the credential's id and how to check it.",
        "",
        "The credential is issued once: marking more work later never issues it twice.",
        "",
    ]


def check_lines(credential: Credential, course: CourseConfig) -> list[str]:
    return [
        "## How anyone can check it",
        "",
        "An employer, or anyone you show it to, can check that the badge is genuine, "
        "unchanged and not withdrawn, with nothing to install: on the "
        "[Check a credential](verify.md) page they drop in your "
        f"`{credential.id}.jwt` file, and their own browser checks the awarding body's "
        "signature against the key it publishes on its website, its list of withdrawn "
        "credentials, and the dates. Your certificate carries a QR code and a link to "
        f"that page. {course.verification}",
        "",
    ]


def credential_markdown(
    credential: Credential, catalogue: Catalogue, course: CourseConfig
) -> list[str]:
    """The learner's page of one micro-credential, as MyST Markdown lines."""
    return [
        f"# {credential.title}",
        "",
        f"A trainer marks this micro-credential's assessment. Pass it, with "
        f"{percent(credential.pass_mark)} or more, and you receive a signed digital badge "
        "and a PDF certificate that anyone can check.",
        "",
        *assesses_lines(credential, catalogue),
        *hand_in_lines(credential),
        *receive_lines(credential, course),
        *check_lines(credential, course),
    ]


def list_markdown(credentials: tuple[Credential, ...], catalogue: Catalogue) -> list[str]:
    """One line per micro-credential, linked to its page (a list: it fits a phone)."""
    lines = []
    for credential in credentials:
        needs = " and ".join(catalogue.get(p).title for p in credential.prerequisites)
        lines.append(
            f"- {doc_link(credential.module_title, credential_docname(credential.id))}: "
            f"pass mark {percent(credential.pass_mark)}; about "
            f"{format_hours(credential.workload_hours)} with the module's study; "
            + (f"needs *{needs}* first." if needs else "no prerequisite.")
        )
    return [*lines, ""]


class CredentialDirective(SphinxDirective):
    """The learner's page of one micro-credential, from the data files."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        credentials = self.credentials()
        found = [c for c in credentials if c.id == self.arguments[0]]
        if not found:
            known = ", ".join(c.id for c in credentials)
            raise self.error(f"no micro-credential {self.arguments[0]!r} (known: {known})")
        markdown = credential_markdown(found[0], default_catalogue(), self.course())
        return self.parse(markdown)

    def credentials(self) -> tuple[Credential, ...]:
        self.env.note_dependency(str(CREDENTIALS_FILE))
        try:
            return load_credentials()
        except DataFileError as err:
            raise self.error(str(err)) from err

    def course(self) -> CourseConfig:
        path = Path(self.env.srcdir) / "assessments" / COURSE_NAME
        self.env.note_dependency(str(path))
        try:
            return load_course(path)
        except DataFileError as err:
            raise self.error(str(err)) from err

    def parse(self, markdown: list[str]) -> list[nodes.Node]:
        """Parse the lines in place, marking what they make as generated text.

        A ``#`` heading becomes a section of the page itself (docutils attaches it to
        the document, not to the container), so new sections are marked too.
        """
        document = self.state.document
        before = {id(section) for section in document.findall(nodes.section)}
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(markdown), container)
        new = [s for s in document.findall(nodes.section) if id(s) not in before]
        made = [*container.children, *(s for s in new if id(s.parent) not in map(id, new))]
        for node in made:
            if isinstance(node, nodes.Element):
                node["classes"].append(GENERATED_CLASS)
        return list(container.children)


class CredentialList(CredentialDirective):
    """Every micro-credential, one line each, linked to its page."""

    required_arguments = 0

    def run(self) -> list[nodes.Node]:
        return self.parse(list_markdown(self.credentials(), default_catalogue()))


def setup(app: Sphinx) -> None:
    """Register the directives (called from ``sphinxext.setup``)."""
    app.add_directive("credential", CredentialDirective)
    app.add_directive("credential-list", CredentialList)
