"""The one font family every printed document uses, embedded as subsets.

reportlab's built-in Helvetica has no glyphs for ☐ ☑, the Dutch ĳ or the narrow no-break
space that babel puts into French numbers, and it draws them as black squares without an
error. DejaVu Sans covers all seven languages and every symbol the documents print, so it
is registered once per process from ``resources/fonts`` and used for every text, including
the labels of charts.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from d4a_desktop import paths

REGULAR = "D4ASans"
BOLD = "D4ASans-Bold"
ITALIC = "D4ASans-Oblique"
BOLD_ITALIC = "D4ASans-BoldOblique"

FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

#: Symbols the documents draw; a test checks the font has a glyph for each.
BOX = "☐"
TICKED = "☑"
CROSSED = "☒"
CIRCLE = "○"
DOT = "●"
SYMBOLS = BOX + TICKED + CROSSED + CIRCLE + DOT + "…–—·•→✓"

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the family with reportlab (once; safe from a worker thread)."""
    global _registered
    with _lock:
        if _registered:
            return
        _keep_narrow_spaces()
        folder = paths.resources_dir() / "fonts"
        for name, file in FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        # <b> and <i> in paragraphs pick the right face of the family.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD_ITALIC)
        _registered = True


#: Stands in for U+202F while reportlab splits a paragraph into words (a private-use code).
_STAND_IN = "\ue202"


def _keep_narrow_spaces() -> None:
    """Make reportlab's paragraphs keep U+202F NARROW NO-BREAK SPACE as it is.

    babel writes French, and other, numbers and percentages with it ("12\u202f345",
    "45\u202f%"). reportlab's paragraphs take every Unicode space as a place to break a
    line and print it as a plain space, so "45" and "%" could end up on two lines. Its word
    splitter is wrapped here so that the character stays inside the word, and is drawn
    with DejaVu's own narrow glyph.
    """
    from reportlab.platypus import paragraph

    original = paragraph.split
    if getattr(original, "d4a_keeps_narrow_spaces", False):
        return

    def split(text: str | bytes, delim: str | None = None) -> list[str]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if "\u202f" not in text:
            return original(text, delim)
        words = original(text.replace("\u202f", _STAND_IN), delim)
        return [word.replace(_STAND_IN, "\u202f") for word in words]

    split.d4a_keeps_narrow_spaces = True  # type: ignore[attr-defined]
    paragraph.split = split


def missing_glyphs(text: str, font: str = REGULAR) -> set[str]:
    """The characters of ``text`` (other than line breaks) the font cannot draw."""
    register()
    face = pdfmetrics.getFont(font).face
    return {ch for ch in set(text) if ch not in "\n\r\t" and ord(ch) not in face.charToGlyph}
