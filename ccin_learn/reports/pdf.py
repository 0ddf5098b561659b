"""The PDF report, laid out with fpdf2 from the report's outline.

Page 1 is a cover an officer can put in front of a cabinet: the council, the
date, the versions compared, completeness, the headline and the priorities.
Then the changes, the charts, the next steps and each action with its
evidence. Text is left-aligned (justified lines leave gaps), and a heading or
an action's title never ends a page: the room left is checked before drawing
it. Fonts come from ``ccin_learn.pdfdoc``, so any script prints.
"""

from __future__ import annotations

import math
import struct

from fpdf.fonts import FontFace

from ccin_learn.figures import BRAND_RGB, HEADER_TINT, TEXT_RGB
from ccin_learn.pdfdoc import FONT, TEXT_LINE, KitPDF, setup
from ccin_learn.reports.model import CHART_DPI, ReportInput
from ccin_learn.reports.outline import (
    TITLE,
    Block,
    Heading,
    Para,
    Picture,
    Table,
    outline,
    running_footer,
)

HEADING_SIZES = {1: 22.0, 2: 15.0, 3: 12.0}
PARA_SIZES = {"title": 18.0, "lead": 13.0, "body": 10.0, "small": 8.5}
LINE = 0.5  # line height in mm per point of font size
SHRINK = 0.8  # the smallest a chart is drawn, as a share of the page's width
WORD_WRAP_SLACK = 1.12  # lines break at spaces, so they hold a little less than the page's width


class ReportPDF(KitPDF):
    """A4 pages with the council's name and page numbers in the footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        setup(self, (18, 18, 18), bottom=18, title="")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, f"{self.footer_text} | page {self.page_no()}", align="C")

    def room_left(self) -> float:
        return self.page_break_trigger - self.get_y()


def text_height(pdf: ReportPDF, text: str, size: float, bold: bool) -> float:
    """About the height ``text`` takes across the page, a little over rather than under.

    Estimated from its width, as a dry run of fpdf2's line breaking for every
    heading's neighbour would double the time the report takes.
    """
    pdf.set_font(FONT, "B" if bold else "", size)
    width = pdf.epw / WORD_WRAP_SLACK
    lines = sum(max(1, math.ceil(pdf.get_string_width(part) / width)) for part in text.split("\n"))
    return lines * size * LINE


def picture_size(pdf: ReportPDF, chart_png: bytes) -> tuple[float, float]:
    """Width and height in mm: the page's width, or less if the chart would overflow a page."""
    width_px, height_px = struct.unpack(">II", chart_png[16:24])  # the PNG header
    width = pdf.epw
    height = width * height_px / width_px
    most = pdf.eph - 20
    return (width * most / height, most) if height > most else (width, height)


def block_height(pdf: ReportPDF, block: Block) -> float:
    if isinstance(block, Heading):
        return text_height(pdf, block.text, HEADING_SIZES[block.level], True) + 5
    if isinstance(block, Para):
        height = text_height(pdf, block.text, PARA_SIZES[block.size], block.bold)
        # A long paragraph may break across pages: what must stay with a heading is its start.
        return min(height, 3 * PARA_SIZES[block.size] * LINE) + 1.5
    if isinstance(block, Picture):  # the least it needs: it may shrink to share a page
        return SHRINK * picture_size(pdf, block.chart.png(dpi=CHART_DPI))[1] + 2
    if isinstance(block, Table):
        return 2 * 7.0  # its heading row and first row: fpdf2 repeats the heading on a new page
    return 0.0


def kept_height(pdf: ReportPDF, blocks: list[Block], index: int) -> float:
    """Room a block needs on its page: a heading or kept title, with what follows it."""
    block = blocks[index]
    height = block_height(pdf, block)
    if keeps_together(block) and index + 1 < len(blocks):
        height += kept_height(pdf, blocks, index + 1)
    return height


def draw_heading(pdf: ReportPDF, block: Heading) -> None:
    size = HEADING_SIZES[block.level]
    if pdf.get_y() > pdf.t_margin + 1:
        pdf.ln(2)  # a little air above a heading, except at the top of a page
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*BRAND_RGB)
    pdf.start_section(block.text, level=block.level - 1)
    pdf.multi_cell(0, size * 0.55, block.text, **TEXT_LINE)
    pdf.set_text_color(*TEXT_RGB)
    pdf.ln(2)


def draw_para(pdf: ReportPDF, block: Para) -> None:
    size = PARA_SIZES[block.size]
    pdf.set_font(FONT, "B" if block.bold else "", size)
    pdf.multi_cell(0, size * LINE, block.text, link=block.link or "", **TEXT_LINE)
    pdf.ln(1.5)


def draw_table(pdf: ReportPDF, block: Table) -> None:
    pdf.set_font(FONT, "", 9.5)
    headings = FontFace(emphasis="BOLD", fill_color=HEADER_TINT)
    with pdf.table(
        col_widths=block.widths,
        text_align="LEFT",
        headings_style=headings,
        line_height=9.5 * LINE + 1,
        padding=1.2,
        first_row_as_headings=bool(block.header),
    ) as table:
        for row in (block.header, *block.rows) if block.header else block.rows:
            table.row(row)
    pdf.ln(3)


def draw_picture(pdf: ReportPDF, block: Picture, caption: float) -> None:
    """The chart at the page's width, or up to ``SHRINK`` smaller to share a page with what
    precedes it rather than leave most of that page empty."""
    png = block.chart.png(dpi=CHART_DPI)
    width, height = picture_size(pdf, png)
    room = pdf.room_left() - caption - 2
    if room < height:
        scale = max(room / height, SHRINK)
        width, height = width * scale, height * scale
    pdf.image(png, w=width, h=height, alt_text=block.chart.alt)
    pdf.ln(2)


def keeps_together(block: Block) -> bool:
    """Blocks that must not end a page: a heading, an action's title, a chart (its caption)."""
    return isinstance(block, Heading | Picture) or (
        isinstance(block, Para) and block.keep_with_next
    )


def draw(pdf: ReportPDF, blocks: list[Block]) -> None:
    for index, block in enumerate(blocks):
        if keeps_together(block) and kept_height(pdf, blocks, index) > pdf.room_left():
            pdf.add_page()
        if isinstance(block, Heading):
            draw_heading(pdf, block)
        elif isinstance(block, Para):
            draw_para(pdf, block)
        elif isinstance(block, Table):
            draw_table(pdf, block)
        elif isinstance(block, Picture):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            caption = block_height(pdf, following) if isinstance(following, Para) else 0.0
            draw_picture(pdf, block, caption)


def render_pdf(report: ReportInput) -> bytes:
    a = report.assessment
    return pdf_bytes(
        outline(report), f"{TITLE}: {a.council.name}", a.assessor or a.council.name,
        running_footer(report),
    )  # fmt: skip


def pdf_bytes(blocks: list[Block], title: str, author: str, footer: str) -> bytes:
    """Blocks as a PDF (the report, or the action plan on its own)."""
    pdf = ReportPDF(footer)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.add_page()
    draw(pdf, blocks)
    return bytes(pdf.output())
