"""Reading a PDF back the way a reader (or a screen reader) sees it.

The text per page and the box of every word come from poppler's ``pdftotext`` (fast, and
what many readers use); the outline, fonts with what they embed, link annotations and
metadata from pypdf. Tests check with these that nothing is missing, no base-14 font
sneaks in, and no word runs off the page.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdf
import pytest

BASE14 = {"Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique", "Helvetica",
          "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique", "Symbol",
          "Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic", "ZapfDingbats"}


class Doc:
    def __init__(self, data: bytes):
        self.data = data
        self.reader = pypdf.PdfReader(io.BytesIO(data))
        self._texts: list[str] | None = None

    @property
    def pages(self) -> list[str]:
        if self._texts is None:
            out = _pdftotext(self.data, "-raw")
            self._texts = out.split("\f")[:len(self.reader.pages)]
        return self._texts

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def exact_text(self) -> str:
        """The text with every character as the PDF maps it (pdftotext turns narrow and
        other special spaces into plain ones); slow on long documents."""
        return "\n".join(page.extract_text() for page in self.reader.pages)

    def squeezed(self) -> str:
        """All text without any whitespace: wrapped lines compare equal to the source."""
        return squeeze(self.text)

    def contains(self, value: str) -> bool:
        return squeeze(value) in self.squeezed()

    def missing(self, values: list[str]) -> list[str]:
        text = self.squeezed()
        return [v for v in values if squeeze(v) not in text]

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, page number from 1) for every bookmark, in order."""
        found: list[tuple[int, str, int]] = []

        def walk(items: list[Any], level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append((level, item.title,
                                  self.reader.get_destination_page_number(item) + 1))

        walk(self.reader.outline, 0)
        return found

    def links(self, page: int) -> list[int]:
        """Target pages (from 1) of the internal links on ``page`` (from 1)."""
        targets = []
        for annot in self.reader.pages[page - 1].get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None:
                continue
            if isinstance(dest, (str, pypdf.generic.TextStringObject)):
                dest = self.reader.named_destinations[str(dest)]
                targets.append(self.reader.get_destination_page_number(dest) + 1)
            else:
                targets.append(self.reader.get_page_number(dest[0].get_object()) + 1)
        return targets

    def fonts(self) -> list[dict[str, Any]]:
        """Every font any page or form uses, as its PDF dictionary."""
        seen: dict[int, dict[str, Any]] = {}

        def resources(res: Any) -> Iterator[Any]:
            if res is None:
                return
            res = res.get_object()
            for ref in (res.get("/Font") or {}).values():
                yield ref
            for ref in (res.get("/XObject") or {}).values():
                xobj = ref.get_object()
                if xobj.get("/Subtype") == "/Form":
                    yield from resources(xobj.get("/Resources"))

        for page in self.reader.pages:
            for ref in resources(page.get("/Resources")):
                font = ref.get_object()
                seen[id(font)] = font
        return list(seen.values())

    def glyph_problems(self) -> list[str]:
        """Characters an embedded subset maps to no glyph, or to an empty one."""
        problems = []
        for font in self.fonts():
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                problems.append(f"{font.get('/BaseFont')}: not embedded")
                continue
            data = descriptor.get_object()["/FontFile2"].get_object().get_data()
            glyphs = _cmap(data)
            has_outline = _outlines(data)
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for code, uni in _to_unicode(cmap):
                if uni < 0x20 or 0x7F <= uni < 0xA0:
                    continue  # control codes: reserved slots of the subset, never drawn
                glyph = glyphs.get(code, 0)
                if glyph == 0:
                    problems.append(f"{font['/BaseFont']}: U+{uni:04X} has no glyph")
                elif not chr(uni).isspace() and uni != 0x202F and not has_outline(glyph):
                    problems.append(f"{font['/BaseFont']}: U+{uni:04X} has an empty glyph")
        return problems

    def words(self) -> list[list[Word]]:
        """Every word on every page with its box, in points from the top left corner."""
        html = _pdftotext(self.data, "-bbox")
        pages = []
        for page in re.findall(r"<page [^>]*>(.*?)</page>", html, re.S):
            pages.append([Word(float(x0), float(y0), float(x1), float(y1), text)
                          for x0, y0, x1, y1, text in re.findall(
                              r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                              r'yMax="([\d.]+)">(.*?)</word>', page)])
        return pages

    @property
    def size(self) -> tuple[float, float]:
        box = self.reader.pages[0].mediabox
        return float(box.width), float(box.height)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def _pdftotext(data: bytes, *options: str) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: install poppler-utils (./test.sh does)")
    done = subprocess.run([tool, "-enc", "UTF-8", *options, "-", "-"], input=data,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.decode("utf-8")


def squeeze(value: str) -> str:
    return "".join(value.split())


def _tables(data: bytes) -> dict[bytes, tuple[int, int]]:
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for n in range(count):
        tag, _sum, offset, length = struct.unpack(">4sIII", data[12 + 16 * n:28 + 16 * n])
        tables[tag] = (offset, length)
    return tables


def _cmap(data: bytes) -> dict[int, int]:
    """Code → glyph of a subset's cmap (reportlab writes one format 6 subtable)."""
    offset, _length = _tables(data)[b"cmap"]
    count = struct.unpack(">H", data[offset + 2:offset + 4])[0]
    for n in range(count):
        _pid, _eid, sub = struct.unpack(">HHI", data[offset + 4 + 8 * n:offset + 12 + 8 * n])
        base = offset + sub
        if struct.unpack(">H", data[base:base + 2])[0] == 6:
            first, entries = struct.unpack(">HH", data[base + 6:base + 10])
            ids = struct.unpack(f">{entries}H", data[base + 10:base + 10 + 2 * entries])
            return {first + i: g for i, g in enumerate(ids)}
    raise AssertionError("no format 6 cmap in the embedded font")


def _outlines(data: bytes) -> Any:
    """A test whether a glyph of the subset has outline data (loca entries differ)."""
    tables = _tables(data)
    head, _l = tables[b"head"]
    long_offsets = struct.unpack(">h", data[head + 50:head + 52])[0] == 1
    loca, length = tables[b"loca"]
    if long_offsets:
        offsets = struct.unpack(f">{length // 4}I", data[loca:loca + length])
    else:
        offsets = tuple(2 * o for o in struct.unpack(f">{length // 2}H",
                                                        data[loca:loca + length]))
    return lambda glyph: offsets[glyph + 1] > offsets[glyph]


def _to_unicode(cmap: str) -> list[tuple[int, int]]:
    return [(int(code, 16), int(uni, 16))
            for code, uni in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap)]
