"""The badge image and baking the credential into it, as Open Badges 3.0 says (section 5.3,
"Baked Badge"): read back with the standard's own rules and with independent readers
(Pillow for PNG text chunks, ElementTree for SVG namespaces)."""

from __future__ import annotations

import io
import json
import struct
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image

from ccin_learn.credentials.image import badge_png, badge_svg, bake, baked_badge, unbake
from ccin_learn.errors import KitError

OB = "https://purl.imsglobal.org/ob/v3p0"
SVG = "http://www.w3.org/2000/svg"
TITLE = "Micro-credential: Community Wealth Building & <more>"
# A compact JWS's shape (three base64url parts); baking does not check signatures.
TOKEN = "eyJhbGciOiJSUzI1NiIsInR5cCI6InZjK2p3dCJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl"
JSON_CREDENTIAL = json.dumps({"id": "urn:uuid:1", "name": "Zoë's ]]> badge", "proof": {}})


def png_itxt_chunks(data: bytes) -> list[bytes]:
    """Every iTXt chunk's data, walking the PNG chunk by chunk."""
    found, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"iTXt":
            found.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    return found


def test_the_svg_badge_is_accessible_and_names_the_achievement():
    root = ElementTree.fromstring(badge_svg(TITLE))
    assert root.tag == f"{{{SVG}}}svg" and root.get("role") == "img"
    labelled = [root.find(f".//*[@id='{ref}']") for ref in root.get("aria-labelledby").split()]
    assert [element.tag for element in labelled] == [f"{{{SVG}}}title", f"{{{SVG}}}desc"]
    assert labelled[0].text == TITLE
    assert "Community Wealth Building" in labelled[1].text
    assert " the the " not in labelled[1].text.lower()
    face = " ".join(t.text for t in root.iter(f"{{{SVG}}}tspan"))
    assert "Community Wealth" in face and "MICRO-CREDENTIAL" in face


def test_a_jwt_baked_into_an_svg_is_an_openbadges_credential_element_first_in_the_svg():
    baked = baked_badge(TITLE, TOKEN)
    root = ElementTree.fromstring(baked)
    first = root[0]
    assert first.tag == f"{{{OB}}}credential", "directly after the <svg> tag"
    assert first.get("verify") == TOKEN
    assert len(root.findall(f".//{{{OB}}}credential")) == 1
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert root.find(f"{{{SVG}}}title").text == TITLE, "the image is otherwise unchanged"
    assert unbake(baked) == TOKEN


def test_a_json_credential_baked_into_an_svg_is_cdata_and_round_trips():
    baked = bake(badge_svg(TITLE), JSON_CREDENTIAL)
    assert b"<![CDATA[" in baked and b"verify=" not in baked
    assert unbake(baked) == JSON_CREDENTIAL
    assert json.loads(unbake(baked))["name"] == "Zoë's ]]> badge"


@pytest.mark.parametrize("token", [TOKEN, JSON_CREDENTIAL])
def test_a_credential_baked_into_a_png_is_one_uncompressed_itxt_chunk(token):
    baked = baked_badge(TITLE, token, "png")
    ours = [c for c in png_itxt_chunks(baked) if c.startswith(b"openbadgecredential\0")]
    assert ours == [b"openbadgecredential\0" + b"\0\0" + b"\0\0" + token.encode("utf-8")]
    image = Image.open(io.BytesIO(baked))
    image.load()  # Pillow checks every chunk's CRC: the image is still a valid PNG
    assert image.size == (512, 512)
    assert image.text["openbadgecredential"] == token
    assert image.text["Title"] == TITLE
    assert unbake(baked) == token


def test_a_baked_image_is_not_baked_again():
    for image in (baked_badge(TITLE, TOKEN), baked_badge(TITLE, TOKEN, "png")):
        with pytest.raises(KitError, match="already holds a credential"):
            bake(image, TOKEN)


def test_an_image_without_a_credential_or_a_bad_one_is_refused():
    with pytest.raises(KitError, match="holds no Open Badges credential"):
        unbake(badge_svg(TITLE))
    with pytest.raises(KitError, match="holds no Open Badges credential"):
        unbake(badge_png(TITLE))
    with pytest.raises(KitError, match="neither a PNG nor"):
        unbake(b"GIF89a not a badge")
    with pytest.raises(KitError, match="only a signed credential"):
        bake(badge_svg(TITLE), "not a credential")
    latin1 = '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"><title>Zoë</title></svg>'
    with pytest.raises(KitError, match="not UTF-8"):
        bake(latin1.encode("latin-1"), TOKEN)
    damaged = bytearray(baked_badge(TITLE, TOKEN, "png"))
    damaged[60] ^= 0xFF  # inside the credential's chunk
    with pytest.raises(KitError, match="damaged"):
        unbake(bytes(damaged))


def test_a_compressed_credential_chunk_is_refused():
    """Open Badges forbids compression; a reader must not take such a chunk as the credential."""
    data = b"openbadgecredential\0\x01\0\0\0" + zlib.compress(TOKEN.encode())
    chunk = (
        struct.pack(">I", len(data))
        + b"iTXt"
        + data
        + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    )
    png = badge_png(TITLE)
    with pytest.raises(KitError, match="compressed"):
        unbake(png[:33] + chunk + png[33:])


def test_any_svg_can_be_baked_even_with_a_comment_and_a_prefix_before_it():
    svg = (
        b'<?xml version="1.0"?>\n<!-- <svg> in a comment -->\n'
        b'<s:svg xmlns:s="http://www.w3.org/2000/svg" viewBox="0 0 10 10" data-x="a>b">'
        b'<s:rect width="10" height="10"/></s:svg>'
    )
    baked = bake(svg, TOKEN)
    root = ElementTree.fromstring(baked)
    assert root[0].tag == f"{{{OB}}}credential" and root.get("data-x") == "a>b"
    assert baked.startswith(b'<?xml version="1.0"?>\n<!-- <svg> in a comment -->')
    assert unbake(baked) == TOKEN
