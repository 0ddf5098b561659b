"""The kit's colours and the value every chart is: a drawn figure with its title and alt text.

Charts have one home for what they share: the brand colours (checked for
contrast on white), the ``Chart`` value that reports and tools embed as PNG or
SVG, and the rule for shortening a long label. Which charts a report shows is
decided by the report; how a score card is drawn lives with the self-assessment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

BRAND = "#1d5d90"  # CCIN blue, 7.4:1 on white: bars, headings, links, focus rings
BRAND_RGB = (29, 93, 144)  # the same blue for fpdf2, which takes RGB
OK = "#1e6b34"  # 6.6:1 on white
ERROR = "#a4262c"  # 7.0:1 on white
GREY = "#6b6b6b"  # 5.3:1 on white: borders, hatched "before" bars
PREVIOUS = "#8a8a8a"  # the hatched "before" bars of comparison charts
TEXT = "#1a1a1a"
TEXT_RGB = (26, 26, 26)
MUTED = "#3d3d3d"  # 10.9:1 on white: captions and footers
WARNING = "#8a4b00"  # 6.5:1 on white: "incomplete" and "fictional example" notes
WARNING_TINT = "#fff4e5"
HEADER_TINT = "#e8eef4"  # table header cells
WHITE = "#fff"
ACCENT = "#9a4a00"  # 6.1:1 on white: a chart's second series, beside BRAND
GRID = "#dddddd"  # chart grid lines, behind the data
# Every colour the kit's pages, reports and tools use; tests hold the CSS files to it.
PALETTE = {
    "brand": BRAND,
    "ok": OK,
    "error": ERROR,
    "grey": GREY,
    "previous": PREVIOUS,
    "text": TEXT,
    "muted": MUTED,
    "warning": WARNING,
    "warning_tint": WARNING_TINT,
    "header_tint": HEADER_TINT,
    "white": WHITE,
    "accent": ACCENT,
    "grid": GRID,
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart and the sentence that says what it shows."""

    figure: Figure
    title: str
    alt: str

    def png(self, dpi: int = 110) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()

    def svg(self) -> str:
        buffer = io.StringIO()
        self.figure.savefig(buffer, format="svg", bbox_inches="tight")
        text = buffer.getvalue()
        return text[text.index("<svg") :]


def short(text: str, limit: int = 48) -> str:
    """A label cut to ``limit`` characters with an ellipsis, so axes stay readable."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
