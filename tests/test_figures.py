"""The kit's colours live in figures.PALETTE; CSS files that cannot import Python match it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccin_learn.figures import PALETTE

PACKAGE = Path(__file__).resolve().parents[1] / "ccin_learn"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
VARIABLE = re.compile(r"--ccin-([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\b")
STYLED = sorted(p for suffix in ("*.css", "*.j2", "*.js") for p in PACKAGE.rglob(suffix))


@pytest.mark.parametrize("path", STYLED, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_styles_use_only_the_kits_colours(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    strange = sorted({c.lower() for c in HEX.findall(text)} - set(PALETTE.values()))
    assert not strange, f"colours outside figures.PALETTE: {strange}"


@pytest.mark.parametrize("path", STYLED, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_css_variables_equal_the_palette(path: Path) -> None:
    for name, value in VARIABLE.findall(path.read_text(encoding="utf-8")):
        assert PALETTE[name.replace("-", "_")] == value.lower()


def test_each_hex_colour_is_written_once_per_css_file() -> None:
    quiz = (PACKAGE / "site" / "static" / "quiz.css").read_text(encoding="utf-8")
    colours = HEX.findall(quiz)
    assert len(colours) == len(set(colours))
