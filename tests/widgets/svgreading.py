"""Read an SVG chart as a person sees it: its texts, its lines' points, its name."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(html: str) -> ET.Element:
    """The one ``<svg>`` element in ``html``, parsed as XML (so it must be well formed)."""
    found = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(found) == 1, f"expected one chart, found {len(found)}"
    return ET.fromstring(found[0])


def group(svg: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == name]


def texts(element: ET.Element) -> list[str]:
    """Every piece of text drawn inside ``element``, in order (a title's lines joined)."""
    return [
        " ".join(" ".join(t.itertext()).split())
        for t in element.iter(f"{SVG}text")
        if "".join(t.itertext()).strip()
    ]


def text_of(svg: ET.Element, name: str) -> str:
    """The text of the one ``<text class=name>``."""
    (found,) = [t for t in svg.iter(f"{SVG}text") if t.get("class") == name]
    return " ".join(" ".join(found.itertext()).split())


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    pairs = (pair.split(",") for pair in (polyline.get("points") or "").split())
    return [(float(x), float(y)) for x, y in pairs]


def series_lines(svg: ET.Element) -> list[ET.Element]:
    """Each series' polyline, in the order of the legend."""
    return [g.find(f"{SVG}polyline") for g in group(svg, "series")]  # type: ignore[misc]


def ticks(svg: ET.Element, name: str) -> list[tuple[float, str]]:
    """(position across the axis, label) of each tick: x for "x-ticks", y for "y-ticks"."""
    (axis,) = group(svg, name)
    coordinate = "x" if name == "x-ticks" else "y"
    return [(float(t.get(coordinate) or 0), t.text or "") for t in axis.iter(f"{SVG}text")]
