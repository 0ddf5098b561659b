"""PDF set-up that the report and the certificate share (fpdf2).

Text is set in DejaVu Sans, which ships with matplotlib and covers Latin, Greek,
Cyrillic, Arabic and many symbols. A council or learner may type anything, so a
character DejaVu lacks is drawn from a fallback font that Debian packages
install (Chinese, Japanese and Korean from fonts-noto-cjk, other scripts from
fonts-noto-core, emoji from fonts-noto-color-emoji or fonts-symbola). Fallback
fonts are loaded only when the text needs them: the CJK collection alone takes
a second to parse. A character that no font on the machine has is printed as
``REPLACEMENT`` and logged, never dropped silently. Text shaping (uharfbuzz)
joins Arabic letters, sets right-to-left runs in reading order and places
combining marks; it is switched on when the text first needs it, as it makes
laying out a report three times slower.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

LOGGER = logging.getLogger(__name__)

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
# Keyword arguments that end a multi_cell at the left margin of the next line.
NEXT_LINE: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
# Left-aligned (fpdf2 justifies by default, which leaves wide gaps in short lines).
TEXT_LINE: dict[str, Any] = {**NEXT_LINE, "align": "L"}
# Printed instead of a character that no installed font has (DejaVu has this one).
REPLACEMENT = "\u25a1"

NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")


@dataclass(frozen=True)
class FallbackFont:
    """A font file that Debian installs, to draw what DejaVu Sans cannot."""

    name: str
    regular: Path
    bold: Path | None = None
    index: int = 0  # the face in a .ttc collection

    def file(self, bold: bool) -> Path:
        return self.bold if bold and self.bold and self.bold.exists() else self.regular


# In order of preference; face 2 of the CJK collection is Simplified Chinese.
FALLBACKS: tuple[FallbackFont, ...] = (
    FallbackFont(
        "NotoSansCJK", NOTO_CJK / "NotoSansCJK-Regular.ttc", NOTO_CJK / "NotoSansCJK-Bold.ttc", 2
    ),
    FallbackFont(
        "NotoSansArabic", NOTO / "NotoSansArabic-Regular.ttf", NOTO / "NotoSansArabic-Bold.ttf"
    ),
    FallbackFont("NotoColorEmoji", NOTO / "NotoColorEmoji.ttf"),
    FallbackFont("Symbola", SYMBOLA),
)


@functools.cache
def charset(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a font file has glyphs for (read once per process)."""
    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, KeyError):
        return frozenset()


@functools.cache
def other_noto_fonts() -> tuple[FallbackFont, ...]:
    """Every other Noto Sans font installed (Devanagari, Hebrew, Thai...), for rarer scripts."""
    listed = {font.regular for font in FALLBACKS}
    found = sorted(NOTO.glob("NotoSans*-Regular.ttf")) if NOTO.is_dir() else []
    return tuple(
        FallbackFont(path.stem.removesuffix("-Regular"), path, path.with_name(
            path.name.replace("-Regular", "-Bold")))
        for path in found
        if path not in listed
    )  # fmt: skip


def fallback_for(code: int) -> FallbackFont | None:
    """The first installed fallback font that has a glyph for ``code``, if any."""
    for font in (*FALLBACKS, *other_noto_fonts()):
        if font.regular.exists() and code in charset(font.regular, font.index):
            return font
    return None


def needs_no_glyph(char: str) -> bool:
    """Line breaks, joiners and variation selectors: they shape text but draw nothing."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or 0xFE00 <= ord(char) <= 0xFE0F


def needs_shaping(char: str) -> bool:
    """Right-to-left letters and combining marks (Indic, Thai...) need a shaping engine."""
    right_to_left = unicodedata.bidirectional(char) in ("R", "AL", "AN")
    return right_to_left or unicodedata.category(char) in ("Mn", "Mc", "Me")


class KitPDF(FPDF):
    """An fpdf2 document that prints any script: fallback fonts on demand, shaping on."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self._loaded: dict[str, str] = {}  # fallback font key -> its name
        self._unprintable: set[str] = set()

    def normalize_text(self, text: str) -> str:
        if self.text_shaping is None and any(map(needs_shaping, text)):
            self.set_text_shaping(True)
        return super().normalize_text("".join(self._printable(text)))

    def _printable(self, text: str) -> Iterator[str]:
        """Each character, or ``REPLACEMENT`` for one no installed font can draw."""
        primary = charset(FONT_DIR / "DejaVuSans.ttf")
        for char in text:
            if ord(char) in primary or needs_no_glyph(char) or self._use_fallback(char):
                yield char
            else:
                self._warn_unprintable(char)
                yield REPLACEMENT

    def _use_fallback(self, char: str) -> bool:
        font = fallback_for(ord(char))
        if font is None:
            return False
        bold = "B" in self.font_style
        style = "B" if bold and font.file(bold) != font.regular else ""
        key = f"{font.name}{style}".lower()
        if key not in self._loaded:
            self.add_font(font.name, style, font.file(bold), collection_font_number=font.index)
            self._loaded[key] = font.name
            names = set(self._loaded.values())
            preferred = [f.name for f in (*FALLBACKS, *other_noto_fonts()) if f.name in names]
            self.set_fallback_fonts(preferred, exact_match=False)
        return True

    def _warn_unprintable(self, char: str) -> None:
        if char in self._unprintable:
            return
        self._unprintable.add(char)
        name = unicodedata.name(char, "unnamed character")
        LOGGER.warning(
            "PDF: no installed font has U+%04X (%s); it prints as %s. Install Debian's "
            "fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji (./kit start does).",
            ord(char),
            name,
            REPLACEMENT,
        )


def a4_document(margins: tuple[float, float, float], bottom: float, title: str = "") -> KitPDF:
    """An A4 document with the kit's fonts, margins and British English metadata."""
    pdf = KitPDF(format="A4")
    setup(pdf, margins, bottom, title)
    return pdf


def setup(pdf: FPDF, margins: tuple[float, float, float], bottom: float, title: str) -> None:
    pdf.set_margins(*margins)
    pdf.set_auto_page_break(auto=True, margin=bottom)
    pdf.set_lang("en-GB")
    if title:
        pdf.set_title(title)
