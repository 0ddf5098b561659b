"""The Word report (.docx), made with python-docx from the same outline as the PDF.

Cabinet reports are drafted in Word, so the file uses Word's own structure:
Heading 1/2/3 styles (the navigation pane and a table of contents find them),
real tables, and charts as pictures with alt text. User text goes in as plain
runs, never markup; runs in a right-to-left script are marked right-to-left
so Word sets Arabic or Hebrew in reading order, and East Asian runs name an
East Asian font.
"""

from __future__ import annotations

import io
import itertools
import unicodedata
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from ccin_learn.figures import BRAND_RGB
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

HEADING_SIZES = {1: 20.0, 2: 15.0, 3: 12.0}
PARA_SIZES = {"title": 18.0, "lead": 13.0, "body": 10.5, "small": 9.0}
EAST_ASIAN_FONT = "Noto Sans CJK SC"
EMOJI_FONT = "Symbola"
TEXT_WIDTH = Cm(16)  # A4 less 2.5 cm margins


def render_docx(report: ReportInput) -> bytes:
    """The report as a Word document, in bytes."""
    a = report.assessment
    return docx_bytes(
        outline(report),
        f"{TITLE}: {a.council.name}",
        a.assessor or a.council.name,
        running_footer(report),
    )


def docx_bytes(blocks: list[Block], title: str, author: str, footer: str) -> bytes:
    """Blocks as a Word document (the report, or the action plan on its own)."""
    document = Document()
    set_up(document, title, author, footer)
    for block in blocks:
        add_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def set_up(document: DocumentObject, title: str, author: str, footer: str) -> None:
    """A4 pages, the footer line on every page, and the file's title and author."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.footer.paragraphs[0].text = footer
    core = document.core_properties
    core.title, core.author = title, author
    core.language = "en-GB"
    for level, size in HEADING_SIZES.items():
        style = document.styles[f"Heading {level}"]
        style.font.color.rgb, style.font.size = RGBColor(*BRAND_RGB), Pt(size)
        complex_script(style.element.get_or_add_rPr(), size, bold=True)


def add_block(document: DocumentObject, block: Block) -> None:
    if isinstance(block, Heading):
        add_runs(document.add_heading(level=block.level), block.text)
    elif isinstance(block, Para):
        add_para(document, block)
    elif isinstance(block, Table):
        add_table(document, block)
    elif isinstance(block, Picture):
        add_picture(document, block)


def add_para(document: DocumentObject, block: Para) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = block.keep_with_next
    if block.link:
        add_hyperlink(paragraph, block.text, block.link)
    else:
        add_runs(paragraph, block.text, PARA_SIZES[block.size], block.bold)


def add_table(document: DocumentObject, block: Table) -> None:
    rows = (block.header, *block.rows) if block.header else block.rows
    table = document.add_table(rows=len(rows), cols=len(block.widths))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for number, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
        for cell, text in zip(row.cells, cells, strict=True):
            add_runs(cell.paragraphs[0], text, 10, bold=number == 0 and bool(block.header))
    if block.header:
        mark_header_row(table)
    set_widths(table, block.widths)
    document.add_paragraph()


def mark_header_row(table: DocxTable) -> None:
    """The first row repeats on each page and is read out as the column headings."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_widths(table: DocxTable, widths: tuple[int, ...]) -> None:
    """Column widths in the grid (LibreOffice reads) and in each cell (Word reads)."""
    table.autofit = False
    sizes = [int(TEXT_WIDTH * share / sum(widths)) for share in widths]
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size
    for row in table.rows:
        for cell, size in zip(row.cells, sizes, strict=True):
            cell.width = size


def add_picture(document: DocumentObject, block: Picture) -> None:
    """The chart's PNG at the text's width, with its alt text where Word and readers look."""
    png = block.chart.png(dpi=CHART_DPI)
    document.add_picture(io.BytesIO(png), width=TEXT_WIDTH)
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", block.chart.alt)
    inline.docPr.set("title", block.chart.title)


def add_runs(
    paragraph: Paragraph, text: str, size: float | None = None, bold: bool = False
) -> None:
    """``text`` as runs of one script each, so each run gets what its script needs.

    Right-to-left runs are marked so; Word sizes and emboldens them by their
    "complex script" properties, so those are set too (or Arabic prints small
    and light). East Asian runs name an East Asian font. Emoji runs name
    Symbola, a font with every emoji that LibreOffice can print (it cannot
    print colour emoji into a PDF); Word draws its own emoji font instead.
    """
    for (rtl, emoji), part in script_runs(text):
        run = paragraph.add_run(part)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if rtl:
            run.font.rtl = True
            complex_script(run._r.get_or_add_rPr(), size, bold)
        fonts = run._r.get_or_add_rPr().get_or_add_rFonts
        if emoji:
            for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts().set(qn(slot), EMOJI_FONT)
        elif any(is_east_asian(ch) for ch in part):
            fonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def complex_script(properties: BaseOxmlElement, size: float | None, bold: bool) -> None:
    """Right-to-left text's own size (``w:szCs``) and weight (``w:bCs``)."""
    if bold:
        properties.append(OxmlElement("w:bCs"))
    if size:
        half_points = OxmlElement("w:szCs")
        half_points.set(qn("w:val"), str(round(size * 2)))
        properties.append(half_points)


def script_runs(text: str) -> Iterator[tuple[tuple[bool, bool], str]]:
    """Split ``text`` where its direction changes or emoji start or end.

    Neutral characters (spaces, digits, punctuation, joiners) stay in the run
    they are in, as a word processor's bidi algorithm would place them.
    """
    rtl = emoji = False
    tagged = []
    for char in text:
        kind = unicodedata.bidirectional(char)
        if is_emoji(char):
            emoji = True
        elif kind in ("R", "AL", "L"):
            rtl, emoji = kind != "L", False
        elif char.isspace():
            emoji = False
        tagged.append(((rtl, emoji), char))
    for key, chars in itertools.groupby(tagged, key=lambda pair: pair[0]):
        yield key, "".join(char for _, char in chars)


def is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So" and ord(char) >= 0x2600


def is_east_asian(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) == "Lo"


def add_hyperlink(paragraph: Paragraph, text: str, url: str) -> None:
    """A clickable link (python-docx has no API for one: this is the documented XML)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(PARA_SIZES["small"] * 2)))
    props.extend([style, size])
    run.append(props)
    content = OxmlElement("w:t")
    content.text = text
    content.set(qn("xml:space"), "preserve")
    run.append(content)
    link.append(run)
    paragraph._p.append(link)
