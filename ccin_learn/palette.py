"""The kit's colours, checked for contrast on white: one home with no imports.

Kept apart from ``ccin_learn.figures`` (which draws with matplotlib) so that code
running in the reader's browser under Pyodide, where matplotlib has no build,
can use the same colours as the reports and the site's CSS.
"""

from __future__ import annotations

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
