"""Just enough of a PDF reader to test fpdf2's output: the pages, and the text on them, through each font's
ToUnicode map (no PDF library is installed, and the text is glyph ids, not characters)."""

import re
import zlib

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
STREAM = re.compile(rb"/Length (\d+).*?stream\r?\n", re.S)
LITERAL = rb"\((?:\\.|[^\\)])*\)"
SHOW = re.compile(rb"/(F\d+) [\d.]+ Tf|(" + LITERAL + rb") Tj|\[((?:" + LITERAL + rb"|[^\](])*)\] TJ", re.S)
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(number): body for number, body in OBJECT.findall(pdf)}


def _stream(body: bytes) -> bytes:
    found = STREAM.search(body)
    assert found, "an object without a stream"
    raw = body[found.end() : found.end() + int(found.group(1))]
    return zlib.decompress(raw) if b"/FlateDecode" in body else raw


def _unescape(literal: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), literal, flags=re.S)


def _font_maps(objects: dict[int, bytes]) -> dict[bytes, dict[int, str]]:
    maps: dict[bytes, dict[int, str]] = {}
    for resources in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", resources):
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
            assert to_unicode, "a font without a ToUnicode map"
            cmap = _stream(objects[int(to_unicode.group(1))])
            maps[name] = {int(c, 16): bytes.fromhex(u.decode()).decode("utf-16-be") for c, u in BFCHAR.findall(cmap)}
    return maps


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def pdf_text(pdf: bytes) -> str:
    """Every shown string, one per line, in the order the pages draw them."""
    objects = _objects(pdf)
    maps, lines, font = _font_maps(objects), [], b""
    for body in objects.values():
        if b"/Type /Page\n" not in body and not body.rstrip().endswith(b"/Type /Page\n>>"):
            continue
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        assert contents
        for font_name, shown, spaced in SHOW.findall(_stream(objects[int(contents.group(1))])):
            if font_name:
                font = font_name
                continue
            # A justified line is a TJ array of strings between spacing numbers: its strings are the text.
            literals = re.findall(LITERAL, spaced, re.S) if spaced else [shown]
            codes = _unescape(b"".join(literal[1:-1] for literal in literals))
            lines.append("".join(maps[font][int.from_bytes(codes[i : i + 2])] for i in range(0, len(codes), 2)))
    return "\n".join(lines)
