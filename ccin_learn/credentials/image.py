"""The badge image of a micro-credential, and baking the signed credential into it.

A learner shows a badge where they show pictures: a profile, an email signature, a
web page. Open Badges 3.0 ("Baked Badge", section 5.3 of the specification, 1EdTech
``ob_v3p0/docformat.md``) lets the image carry the credential itself, so software
that reads badges can check it from the picture alone:

- PNG: one ``iTXt`` chunk with keyword ``openbadgecredential``, uncompressed, whose
  text is the compact JWS (VC-JWT) or the credential's JSON (embedded proof);
- SVG: an ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` declaration on the
  ``<svg>`` tag and, directly after it, an ``<openbadges:credential>`` element with the
  JWS in its ``verify`` attribute, or the JSON in its body as CDATA.

There must be only one credential in an image; baking one that already holds a
credential is refused (the specification leaves refusing or overwriting to us), so a
badge never silently changes hands.
"""

from __future__ import annotations

import io
import re
import struct
import textwrap
import zlib
from collections.abc import Iterator
from typing import Literal
from xml.etree import ElementTree
from xml.parsers import expat

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from ccin_learn.errors import KitError
from ccin_learn.palette import BRAND, BRAND_RGB
from ccin_learn.pdfdoc import FONT_DIR

OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
PNG_KEYWORD = b"openbadgecredential"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
# The root start tag: attribute values are quoted and may themselves hold ">".
START_TAG = re.compile(r"""<(?:[\w.-]+:)?svg\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
SIZE = 512
PREFIX = "Micro-credential: "
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
TITLE_WIDTH = 340  # pixels: the widest line stays inside the white ring

ImageFormat = Literal["svg", "png"]


def baked_badge(award_title: str, token: str, image_format: ImageFormat = "svg") -> bytes:
    """The badge image of ``award_title`` with the signed credential ``token`` baked in."""
    image = badge_svg(award_title) if image_format == "svg" else badge_png(award_title)
    return bake(image, token)


def title_lines(award_title: str) -> list[str]:
    """The achievement's name in lines short enough for the badge's face (four at most)."""
    name = award_title.removeprefix(PREFIX).strip()
    lines = textwrap.wrap(name, 16) or [name]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), 16, placeholder="\u2026")]
    return lines


def title_size(lines: list[str]) -> int:
    """The largest font size, up to 40, at which every line fits inside the ring."""
    font = ImageFont.truetype(str(BOLD), 40)
    widest = max(font.getlength(line) for line in lines)
    return max(16, min(40, int(40 * TITLE_WIDTH / widest))) if widest else 40


def description(award_title: str) -> str:
    return (
        f"Badge of the micro-credential {award_title.removeprefix(PREFIX).strip()}. The signed "
        "credential is baked into this image (Open Badges 3.0): a badge reader or the awarding "
        "body's verification page can check it."
    )


def badge_svg(award_title: str) -> bytes:
    """A plain, accessible SVG badge: a blue disc, the achievement's name, title and desc."""
    svg = ElementTree.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "viewBox": f"0 0 {SIZE} {SIZE}",
            "width": str(SIZE),
            "height": str(SIZE),
            "role": "img",
            "aria-labelledby": "badge-title badge-desc",
        },
    )
    add(svg, "title", {"id": "badge-title"}, award_title)
    add(svg, "desc", {"id": "badge-desc"}, description(award_title))
    middle = str(SIZE // 2)
    add(svg, "circle", {"cx": middle, "cy": middle, "r": "248", "fill": BRAND})
    ring = {"fill": "none", "stroke": "#ffffff", "stroke-width": "6"}
    add(svg, "circle", {"cx": middle, "cy": middle, "r": "220", **ring})
    font = "DejaVu Sans, Verdana, Arial, sans-serif"
    text = add(svg, "text", {"x": middle, "fill": "#ffffff", "text-anchor": "middle",
                             "font-family": font, "font-weight": "bold"})  # fmt: skip
    lines = title_lines(award_title)
    size = title_size(lines)
    for y, line in lines_at(lines, size + 6):
        add(text, "tspan", {"x": middle, "y": str(y), "font-size": str(size)}, line)
    add(text, "tspan", {"x": middle, "y": "392", "font-size": "24"}, "MICRO-CREDENTIAL")
    body = ElementTree.tostring(svg, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def add(
    parent: ElementTree.Element, tag: str, attributes: dict[str, str], text: str | None = None
) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    element.text = text
    return element


def lines_at(lines: list[str], height: int) -> Iterator[tuple[int, str]]:
    """Each line with its baseline, the block centred a little above the middle."""
    top = SIZE // 2 - 20 - (len(lines) - 1) * height // 2
    for number, line in enumerate(lines):
        yield top + number * height, line


def badge_png(award_title: str) -> bytes:
    """The same badge as a PNG, with its title and description as PNG text chunks."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=(*BRAND_RGB, 255))
    draw.ellipse((36, 36, SIZE - 36, SIZE - 36), outline=(255, 255, 255, 255), width=6)
    lines = title_lines(award_title)
    size = title_size(lines)
    big, small = ImageFont.truetype(str(BOLD), size), ImageFont.truetype(str(BOLD), 24)
    for y, line in lines_at(lines, size + 6):
        draw.text((SIZE // 2, y), line, font=big, fill="white", anchor="ms")
    draw.text((SIZE // 2, 392), "MICRO-CREDENTIAL", font=small, fill="white", anchor="ms")
    info = PngInfo()
    info.add_itxt("Title", award_title)
    info.add_itxt("Description", description(award_title))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def bake(image: bytes, token: str) -> bytes:
    """``image`` (PNG or SVG) with the credential baked in as Open Badges 3.0 says."""
    check_token(token)
    if image.startswith(PNG_SIGNATURE):
        return bake_png(image, token)
    return bake_svg(image, token)


def unbake(image: bytes) -> str:
    """The credential baked into a PNG or SVG badge: a compact JWS or the credential's JSON."""
    if image.startswith(PNG_SIGNATURE):
        return unbake_png(image)
    return unbake_svg(image)


def check_token(token: str) -> None:
    """A compact JWS (VC-JWT) or a JSON credential: nothing else belongs in a badge."""
    if not (COMPACT_JWS.match(token) or token.lstrip().startswith("{")):
        raise KitError("only a signed credential (a VC-JWT or a credential's JSON) can be baked")


# PNG ------------------------------------------------------------------------------------


def png_chunks(image: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """Each chunk as (type, data, the whole chunk's bytes), its CRC checked."""
    position = len(PNG_SIGNATURE)
    while position < len(image):
        if position + 12 > len(image):
            raise KitError("the PNG image is cut short")
        (length,) = struct.unpack(">I", image[position : position + 4])
        end = position + 12 + length
        kind, data = image[position + 4 : position + 8], image[position + 8 : end - 4]
        if (
            end > len(image)
            or zlib.crc32(kind + data) != struct.unpack(">I", image[end - 4 : end])[0]
        ):
            raise KitError("the PNG image is damaged (a chunk fails its checksum)")
        yield kind, data, image[position:end]
        position = end
        if kind == b"IEND":
            return
    raise KitError("the PNG image has no end chunk")


def itxt(keyword: bytes, text: str) -> bytes:
    """An uncompressed iTXt chunk: keyword, no compression, empty language and translation."""
    data = keyword + b"\0" + b"\0\0" + b"\0" + b"\0" + text.encode("utf-8")
    return (
        struct.pack(">I", len(data))
        + b"iTXt"
        + data
        + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    )


def badge_itxt(data: bytes) -> str | None:
    """The text of an iTXt chunk if its keyword is ``openbadgecredential``."""
    keyword, _, rest = data.partition(b"\0")
    if keyword != PNG_KEYWORD or len(rest) < 2:
        return None
    compressed, _method, rest = rest[0], rest[1], rest[2:]
    _language, _, rest = rest.partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    if compressed:
        raise KitError("the badge's credential is compressed, which Open Badges forbids")
    return text.decode("utf-8")


def bake_png(image: bytes, token: str) -> bytes:
    chunks = list(png_chunks(image))
    if any(kind == b"iTXt" and badge_itxt(data) is not None for kind, data, _ in chunks):
        raise KitError("the image already holds a credential: bake a clean copy of the badge")
    # After IHDR, so a reader that stops at the first iTXt finds it early.
    whole = [raw for _, _, raw in chunks]
    return PNG_SIGNATURE + whole[0] + itxt(PNG_KEYWORD, token) + b"".join(whole[1:])


def unbake_png(image: bytes) -> str:
    for kind, data, _ in png_chunks(image):
        if kind == b"iTXt" and (text := badge_itxt(data)) is not None:
            return text
    raise KitError("the PNG image holds no Open Badges credential")


# SVG ------------------------------------------------------------------------------------


def svg_root(image: bytes) -> ElementTree.Element:
    try:
        root = ElementTree.fromstring(image)
    except (ElementTree.ParseError, ValueError) as err:
        raise KitError(f"the image is neither a PNG nor a well-formed SVG ({err})") from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise KitError("the image is neither a PNG nor an SVG")
    return root


def root_start_tag(text: str) -> re.Match[str]:
    """Where the root ``<svg ...>`` tag is, as the XML parser found it (not in a comment)."""
    parser = expat.ParserCreate()
    found: list[int] = []
    parser.StartElementHandler = lambda *_: found.append(parser.CurrentByteIndex)
    parser.Parse(text.encode("utf-8"), True)
    start = len(text.encode("utf-8")[: found[0]].decode("utf-8"))
    match = START_TAG.match(text, start)
    if match is None or match.group().endswith("/>"):
        raise KitError("the SVG image has no content to bake a credential into")
    return match


def bake_svg(image: bytes, token: str) -> bytes:
    root = svg_root(image)
    if root.find(f".//{{{OB_NAMESPACE}}}credential") is not None:
        raise KitError("the image already holds a credential: bake a clean copy of the badge")
    try:
        text = image.decode("utf-8")
    except UnicodeDecodeError:
        raise KitError("the SVG image is not UTF-8: save it as UTF-8 and bake again") from None
    tag = root_start_tag(text)
    opening = tag.group()
    declared = re.search(r"""\sxmlns:openbadges\s*=\s*["']([^"']*)["']""", opening)
    if declared and declared.group(1) != OB_NAMESPACE:
        raise KitError("the SVG uses the prefix openbadges for something else")
    if not declared:
        opening = f'{opening[:-1]} xmlns:openbadges="{OB_NAMESPACE}">'
    baked = opening + "\n" + credential_element(token)
    return (text[: tag.start()] + baked + text[tag.end() :]).encode("utf-8")


def credential_element(token: str) -> str:
    """The ``openbadges:credential`` element: the JWS as ``verify``, or the JSON as CDATA."""
    if COMPACT_JWS.match(token):
        return f'<openbadges:credential verify="{token}"></openbadges:credential>'
    cdata = token.replace("]]>", "]]]]><![CDATA[>")
    return f"<openbadges:credential><![CDATA[{cdata}]]></openbadges:credential>"


def unbake_svg(image: bytes) -> str:
    element = svg_root(image).find(f".//{{{OB_NAMESPACE}}}credential")
    if element is None:
        raise KitError("the SVG image holds no Open Badges credential")
    token = element.get("verify") or (element.text or "").strip()
    if not token:
        raise KitError("the SVG image's credential element is empty")
    return token
