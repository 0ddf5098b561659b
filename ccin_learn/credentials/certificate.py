"""The PDF certificate that goes with each signed credential."""

from __future__ import annotations

from fpdf import FPDF

from ccin_learn.credentials.badge import Award
from ccin_learn.figures import BRAND_RGB, TEXT_RGB
from ccin_learn.grading.course import CourseConfig
from ccin_learn.pdfdoc import FONT, NEXT_LINE, a4_document


def certificate_pdf(award: Award, course: CourseConfig, issuer_did: str) -> bytes:
    """A one-page A4 certificate: learner, credential, date, outcomes, id, how to verify."""
    pdf = a4_document((20, 18, 20), 15, f"{award.credential.title}: {award.learner_name}")
    pdf.add_page()
    line = lambda text, size=11, bold=False, colour=TEXT_RGB, gap=1.5: write(  # noqa: E731
        pdf, text, size, bold, colour, gap
    )
    line(course.awarding_body.name, 12, True, BRAND_RGB)
    line("certifies that", 11, gap=3)
    line(award.learner_name, 22, True)
    line("has earned the micro-credential", 11, gap=2)
    line(award.credential.title.removeprefix("Micro-credential: "), 18, True, BRAND_RGB, gap=4)
    line(
        f"Awarded on {award.issued_at:%d %B %Y} with a score of {award.score:g}% "
        f"(pass mark {award.credential.pass_mark:g}%).",
        11,
        gap=3,
    )
    line("By earning it, the learner showed they can:", 11, True)
    for outcome in award.credential.outcomes:
        line(f"\u2022 {outcome}", 10, gap=0.5)
    pdf.ln(3)
    line(
        f"Notional workload: {award.credential.workload_hours:g} hours. Level: "
        f"{award.credential.level}",
        9,
    )
    line(
        f"Course: {course.course_title}. Form of participation: {award.credential.participation}",
        9,
        gap=3,
    )
    line(f"Credential id: {award.credential_id}", 9, True)
    line(f"Issuer: {issuer_did}", 8)
    line(f"How to verify: {course.verification}", 9)
    return bytes(pdf.output())


def write(
    pdf: FPDF, text: str, size: float, bold: bool, colour: tuple[int, int, int], gap: float
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, **NEXT_LINE)
    pdf.ln(gap)
