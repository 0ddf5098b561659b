"""The PDF certificate that goes with each signed credential.

It is read by people, not software: an employer holding the printout must be able to
check it without installing anything. So it carries a QR code and a printed link to the
awarding body's verification page (or to the credential itself, when the body publishes
it), and says in plain words what that page checks. It never prints Markdown or
command lines, and names the cohort's awarding body, never the kit's example one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import segno
from fpdf import FPDF

from ccin_learn.credentials.badge import Award
from ccin_learn.errors import KitError
from ccin_learn.figures import BRAND_RGB, TEXT_RGB
from ccin_learn.grading.course import CourseConfig, kit_example_fields
from ccin_learn.pdfdoc import FONT, TEXT_LINE, a4_document

QR_SIZE = 40.0  # mm: a phone reads it from a printout; modules stay near 0.8 mm
QR_BORDER = 2  # quiet-zone modules drawn white around the code
MARGIN = 20.0
FOOTER_HEIGHT = 60.0  # the QR code and the "how to check" text beside it
MARKDOWN = re.compile(r"`+|\*\*")


@dataclass(frozen=True)
class CertificateLinks:
    """Where a reader of the certificate checks it.

    ``verify_page`` is the awarding body's verification page (the book's
    ``credentials/verify.html`` on its site); ``credential`` is the address where the
    body publishes this credential, or None when it does not (the learner hands the
    file over instead); ``issuer_profile`` is the address of the body's published
    profile with its public key (``<issuer_url>profile.json``), printed when given.
    """

    verify_page: str
    credential: str | None = None
    issuer_profile: str | None = None

    def __post_init__(self) -> None:
        for label, url in (
            ("verification page", self.verify_page),
            ("credential", self.credential),
            ("issuer profile", self.issuer_profile),
        ):
            if url is not None and not is_web_address(url):
                raise KitError(f"the certificate's {label} link is not a web address: {url!r}")

    def target(self, credential_id: str) -> str:
        """Where the QR code and printed link go: the credential, or the page with its id."""
        if self.credential:
            return self.credential
        joiner = "&" if urlsplit(self.verify_page).query else "?"
        return f"{self.verify_page}{joiner}credential={quote(credential_id, safe=':')}"


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return (
        parts.scheme in ("https", "http")
        and bool(parts.netloc)
        and not any(char.isspace() for char in url)
    )


def plain(text: str) -> str:
    """Text with Markdown code and bold marks removed: a certificate is not Markdown."""
    return MARKDOWN.sub("", text)


def certificate_pdf(award: Award, course: CourseConfig, links: CertificateLinks) -> bytes:
    """A one-page A4 certificate: learner, credential, awarding body, outcomes, how to check it.

    Refuses while the course still names the kit's example awarding body: the
    certificate would otherwise say the network awards a credential it never gave.
    """
    if kit_example_fields(course):
        raise KitError(
            "course.yaml still names the kit's example awarding body: put your "
            "organisation's name, web address, email and issuer address there before "
            "making certificates"
        )
    if not award.credential_id:
        raise KitError("the award has no credential id yet: issue the credential first")
    pdf = a4_document(
        (MARGIN, 18, MARGIN), 15, plain(f"{award.credential.title}: {award.learner_name}")
    )
    pdf.add_page()
    body(pdf, award, course)
    footer(pdf, award, course, links)
    return bytes(pdf.output())


def body(pdf: FPDF, award: Award, course: CourseConfig) -> None:
    """Who earned what, from whom, and what it shows they can do."""
    credential = award.credential
    write(pdf, f"Awarded by {course.awarding_body.name}", 12, True, BRAND_RGB, 4)
    write(pdf, "This is to record that", 11, gap=3)
    write(pdf, award.learner_name, 22, True)
    write(pdf, "has earned the micro-credential", 11, gap=2)
    write(pdf, credential.title.removeprefix("Micro-credential: "), 18, True, BRAND_RGB, 4)
    write(
        pdf,
        f"Awarded on {award.issued_at:%d %B %Y} with a score of {award.score:g}% "
        f"(pass mark {credential.pass_mark:g}%).",
        11,
        gap=3,
    )
    write(pdf, "By earning it, the learner showed they can:", 11, True)
    for outcome in credential.outcomes:
        write(pdf, f"\u2022 {outcome}", 10, gap=0.5)
    pdf.ln(3)
    write(
        pdf, f"Notional workload: {credential.workload_hours:g} hours. Level: {credential.level}", 9
    )
    write(pdf, f"Course: {course.course_title}", 9)
    write(pdf, f"Form of participation: {credential.participation}", 9, gap=3)


def footer(pdf: FPDF, award: Award, course: CourseConfig, links: CertificateLinks) -> None:
    """The QR code, the link, the credential id and how to check, at the foot of the page."""
    top = pdf.h - 15 - FOOTER_HEIGHT
    if pdf.get_y() > top:
        raise KitError(
            f"the certificate for {award.credential.id} does not fit on one page: "
            "shorten its learning outcomes"
        )
    target = links.target(award.credential_id)
    draw_qr(pdf, target, MARGIN, top)
    pdf.link(MARGIN, top, QR_SIZE, QR_SIZE, target)
    pdf.set_left_margin(MARGIN + QR_SIZE + 6)
    pdf.set_xy(MARGIN + QR_SIZE + 6, top)
    write(pdf, "How to check this certificate", 10, True, BRAND_RGB, 1)
    write(pdf, "Scan the code or open this address:", 8.5, gap=0.5)
    write(pdf, target, 8, colour=BRAND_RGB, gap=1, link=target)
    for text in how_to_check(award, course, links):
        write(pdf, text, 8.5, gap=1)
    write(pdf, f"Credential id: {award.credential_id}", 8, True, gap=0)
    pdf.set_left_margin(MARGIN)
    if pdf.page != 1 or pdf.get_y() > pdf.h - 10:
        raise KitError(f"the certificate for {award.credential.id} does not fit on one page")


def how_to_check(award: Award, course: CourseConfig, links: CertificateLinks) -> list[str]:
    """The plain words beside the QR code; no command line, nothing to install."""
    body = course.awarding_body
    if links.credential:
        steps = [
            "It shows the credential this certificate records. To check that credential, "
            f"open {links.verify_page} and drop it in."
        ]
    else:
        steps = [
            f"Then drop in the credential file the learner gives you ({award.credential.id}.jwt)."
        ]
    key = f"at {links.issuer_profile}" if links.issuer_profile else f"on {body.url}"
    steps.append(
        f"The page checks {body.name}'s signature against the public key {body.name} "
        f"publishes {key}, that the credential has not been revoked, and its dates. "
        "It runs in your web browser; nothing needs installing."
    )
    return steps


def draw_qr(pdf: FPDF, data: str, x: float, y: float) -> None:
    """A QR code drawn as filled squares (sharp at any zoom and in print), quiet zone included."""
    code = segno.make(data, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=QR_BORDER)]
    module = QR_SIZE / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        start = None
        for c, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, "F")
                start = None


def write(
    pdf: FPDF,
    text: str,
    size: float,
    bold: bool = False,
    colour: tuple[int, int, int] = TEXT_RGB,
    gap: float = 1.5,
    link: str = "",
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, plain(text), link=link, **TEXT_LINE)
    pdf.ln(gap)
