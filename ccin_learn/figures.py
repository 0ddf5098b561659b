"""The kit's colours and the value every chart is: a drawn figure with its title and alt text.

Charts have one home for what they share: the brand colours (checked for
contrast on white), the ``Chart`` value that reports and tools embed as PNG or
SVG, and the rule for shortening a long label. Which charts a report shows is
decided by the report; how a score card is drawn lives with the self-assessment.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field

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
    """A drawn chart and the sentence that says what it shows.

    Each image is rendered once and kept: a report's PDF, Word and HTML files
    embed the same pictures, and rendering is the slow part of making them. A
    figure whose margins already fit its labels (``fitted``) is saved as it is;
    any other is cropped to what it drew ("tight"), which costs a second drawing.
    """

    figure: Figure
    title: str
    alt: str
    fitted: bool = False
    _images: dict[str, bytes | str] = field(default_factory=dict, compare=False, repr=False)

    def png(self, dpi: int = 110) -> bytes:
        key = f"png{dpi}"
        if key not in self._images:
            buffer = io.BytesIO()
            self.figure.savefig(
                buffer, format="png", dpi=dpi, bbox_inches=self.crop,
                pil_kwargs={"compress_level": 1},  # 10% faster than the default, 3% larger
            )  # fmt: skip
            self._images[key] = buffer.getvalue()
        image = self._images[key]
        assert isinstance(image, bytes)
        return image

    @property
    def crop(self) -> str | None:
        return None if self.fitted or self.figure.get_layout_engine() else "tight"

    def svg(self) -> str:
        if "svg" not in self._images:
            buffer = io.StringIO()
            self.figure.savefig(buffer, format="svg", bbox_inches=self.crop)
            text = buffer.getvalue()
            self._images["svg"] = text[text.index("<svg") :]
        image = self._images["svg"]
        assert isinstance(image, str)
        return image


def wrapped(text: str, width: int = 38, lines: int = 2) -> str:
    """A label on at most ``lines`` lines of ``width`` characters, so no axis cuts it off."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def short(text: str, limit: int = 48) -> str:
    """A label cut to ``limit`` characters with an ellipsis, so axes stay readable."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
