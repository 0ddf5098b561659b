"""PDF set-up that the report and the certificate share (fpdf2).

Text is set in DejaVu Sans, which ships with matplotlib, so any Latin, Greek or
Cyrillic character a council or learner types prints without a download.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
# Keyword arguments that end a multi_cell at the left margin of the next line.
NEXT_LINE: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def a4_document(margins: tuple[float, float, float], bottom: float, title: str = "") -> FPDF:
    """An A4 fpdf2 document with the kit's fonts, margins and British English metadata."""
    pdf = FPDF(format="A4")
    add_fonts(pdf)
    setup(pdf, margins, bottom, title)
    return pdf


def add_fonts(pdf: FPDF) -> None:
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")


def setup(pdf: FPDF, margins: tuple[float, float, float], bottom: float, title: str) -> None:
    pdf.set_margins(*margins)
    pdf.set_auto_page_break(auto=True, margin=bottom)
    pdf.set_lang("en-GB")
    if title:
        pdf.set_title(title)
