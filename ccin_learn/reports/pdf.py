"""The PDF report, made with fpdf2 (pure Python, from PyPI alone).

A cover page with the council, date, completeness and scores; then the
charts, the priorities, and each action with its level and evidence. Text is
set in DejaVu Sans, which ships with matplotlib, so any character a council
types prints.
"""

from __future__ import annotations

from fpdf import FPDF

from ccin_learn.figures import BRAND_RGB, TEXT_RGB
from ccin_learn.pdfdoc import FONT, NEXT_LINE, add_fonts, setup
from ccin_learn.reports.model import ReportInput, report_charts
from ccin_learn.text import percent


class ReportPDF(FPDF):
    """A4 pages with the council's name and page numbers in the footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        add_fonts(self)
        setup(self, (18, 18, 18), bottom=18, title="")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, f"{self.footer_text} | page {self.page_no()}", align="C")

    def heading(self, text: str, size: int = 15) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*BRAND_RGB)
        self.multi_cell(0, size * 0.55, text, **NEXT_LINE)
        self.set_text_color(*TEXT_RGB)
        self.ln(2)

    def para(self, text: str, size: float = 10, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, **NEXT_LINE)
        self.ln(1.5)


def cover(pdf: ReportPDF, report: ReportInput) -> None:
    a, card = report.assessment, report.card
    pdf.add_page()
    pdf.ln(20)
    pdf.heading("Cooperative council self-assessment", 22)
    pdf.para(a.council.name, 16, bold=True)
    if a.example_note:
        pdf.para(f"Fictional example. {a.example_note}", 10, bold=True)
    details = [
        ("Type of council", report.council_type_name),
        ("ONS/GSS code", a.council.gss_code or ""),
        ("Assessment date", f"{a.assessed_on:%d %B %Y}"),
        ("Assessed by", a.assessor or ""),
        ("Version", report.status),
        ("Completeness", card.completeness),
    ]
    pdf.ln(4)
    for label, value in details:
        if value:
            pdf.para(f"{label}: {value}", 11)
    pdf.ln(4)
    pdf.heading("Scores", 14)
    pdf.para(f"Overall: {percent(card.overall)} ({card.completeness})", 12, bold=True)
    for theme in card.themes:
        pdf.para(
            f"{theme.title}: {percent(theme.percent)} ({theme.answered} of {theme.total} answered)",
            11,
        )
    if not card.complete:
        pdf.para("This assessment is incomplete: scores count only the answered actions.", 10)


def changes_section(pdf: ReportPDF, report: ReportInput) -> None:
    """What changed since the version compared with, in words (the chart shows it too)."""
    if not report.previous_label:
        return
    pdf.ln(2)
    pdf.heading(f"Changes since {report.previous_label}", 13)
    if not report.changes:
        pdf.para("No action's level or applicability has changed.", 10)
    for change in report.changes:
        pdf.para(f"{change.action.title}: {change.before} \u2192 {change.after}", 10)


def charts_page(pdf: ReportPDF, report: ReportInput) -> None:
    for chart in report_charts(report):
        pdf.add_page()
        pdf.heading(chart.title, 13)
        pdf.image(chart.png(dpi=150), w=pdf.epw, alt_text=chart.alt)
        pdf.ln(2)
        pdf.para(chart.alt, 9)


def priorities_page(pdf: ReportPDF, report: ReportInput) -> None:
    pdf.add_page()
    pdf.heading("Priorities and next steps")
    if not report.card.priorities:
        pdf.para("No priorities yet: answer at least one action below Embedded.")
    for number, p in enumerate(report.card.priorities, start=1):
        name = report.checklist.level_name
        pdf.para(f"{number}. {p.action.title}", 11, bold=True)
        pdf.para(
            f"Now: {p.level} {name(p.level)}. Next step, to reach "
            f"{p.next_level} {name(p.next_level)}: {p.next_step}"
        )
        pages = ", ".join(report.page_url(page) for page in p.action.course_pages)
        if pages:
            pdf.para(f"Course pages: {pages}", 9)
        for resource in p.resources:
            pdf.para(f"CCIN resource: {resource.title} ({resource.url})", 9)


def actions_pages(pdf: ReportPDF, report: ReportInput) -> None:
    checklist, a = report.checklist, report.assessment
    pdf.add_page()
    pdf.heading("Each action, with its evidence")
    for theme in checklist.themes:
        pdf.heading(theme.title, 12)
        for action in checklist.actions_in(theme.id):
            answer = a.answer(action.id)
            level = checklist.level_words(answer.level, answer.not_applicable is not None)
            if answer.not_applicable:
                level = f"{level}: {answer.not_applicable.reason}"
            pdf.para(action.title, 10, bold=True)
            pdf.para(f"Level: {level}", 9.5)
            if answer.evidence:
                pdf.para(f"Evidence: {answer.evidence}", 9.5)
            if answer.notes:
                pdf.para(f"Notes: {answer.notes}", 9.5)
            pdf.ln(1)


def render_pdf(report: ReportInput) -> bytes:
    a = report.assessment
    pdf = ReportPDF(f"{a.council.name}: self-assessment of {a.assessed_on:%d %B %Y}")
    pdf.set_title(f"Cooperative council self-assessment: {a.council.name}")
    pdf.set_author(a.assessor or a.council.name)
    cover(pdf, report)
    changes_section(pdf, report)
    charts_page(pdf, report)
    priorities_page(pdf, report)
    actions_pages(pdf, report)
    return bytes(pdf.output())
