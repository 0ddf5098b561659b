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

from ccin_learn.palette import (  # noqa: F401  re-exported: callers import colours from here
    ACCENT,
    BRAND,
    BRAND_RGB,
    ERROR,
    GREY,
    GRID,
    HEADER_TINT,
    MUTED,
    OK,
    PALETTE,
    PREVIOUS,
    TEXT,
    TEXT_RGB,
    WARNING,
    WARNING_TINT,
    WHITE,
)


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
