"""Paragraph styles and colours shared by every printed document."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from d4a_desktop.services.printing import fonts

INK = colors.HexColor("#1d1d1b")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#9aa0a6")
LIGHT = colors.HexColor("#e8eaed")
ACCENT = colors.HexColor("#1f5f8b")
LATE = colors.HexColor("#b3261e")
DONE = colors.HexColor("#2e7d32")
#: Bar colours of the three dimensions, in the order of ``Dimension``.
DIMENSION_COLOURS = (colors.HexColor("#1f5f8b"), colors.HexColor("#c77c02"),
                     colors.HexColor("#7b3f98"))


@dataclass(frozen=True)
class Styles:
    """Every paragraph style a printout uses, made together from one body size (``styles``), so that
    headings, tables and contents keep their proportions at any size."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    label: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head_right: ParagraphStyle
    toc0: ParagraphStyle
    toc1: ParagraphStyle
    cover_title: ParagraphStyle
    cover_line: ParagraphStyle
    centre: ParagraphStyle


@functools.cache
def styles(size: float = 9.5) -> Styles:
    """The styles for body text of ``size`` points; everything else scales with it."""
    fonts.register()
    regular, bold = fonts.REGULAR, fonts.BOLD

    def style(name: str, **kw: object) -> ParagraphStyle:
        base = {"fontName": regular, "fontSize": size, "leading": size * 1.3,
                "textColor": INK, "splitLongWords": 1}
        base.update(kw)
        return ParagraphStyle(f"d4a-{name}-{size}", **base)

    return Styles(
        body=style("body", spaceAfter=size * 0.4),
        small=style("small", fontSize=size * 0.85, leading=size * 1.1),
        muted=style("muted", fontSize=size * 0.85, leading=size * 1.1, textColor=MUTED),
        bullet=style("bullet", leftIndent=size * 1.4, bulletIndent=size * 0.3,
                     bulletFontName=regular, spaceAfter=size * 0.15),
        title=style("title", fontName=bold, fontSize=size * 2, leading=size * 2.4,
                    spaceAfter=size * 0.5, textColor=ACCENT),
        subtitle=style("subtitle", fontSize=size * 1.1, leading=size * 1.45, textColor=MUTED,
                       spaceAfter=size),
        h1=style("h1", fontName=bold, fontSize=size * 1.6, leading=size * 2,
                 spaceBefore=size * 0.6, spaceAfter=size * 0.5, textColor=ACCENT),
        h2=style("h2", fontName=bold, fontSize=size * 1.3, leading=size * 1.65,
                 spaceBefore=size * 1.2, spaceAfter=size * 0.35),
        h3=style("h3", fontName=bold, fontSize=size * 1.05, leading=size * 1.35,
                 spaceBefore=size * 0.8, spaceAfter=size * 0.25),
        label=style("label", fontName=bold, fontSize=size, leading=size * 1.3),
        item=style("item", spaceAfter=0),
        cell=style("cell", fontSize=size * 0.9, leading=size * 1.15),
        cell_head=style("cell-head", fontName=bold, fontSize=size * 0.9, leading=size * 1.15),
        cell_right=style("cell-right", fontSize=size * 0.9, leading=size * 1.15,
                         alignment=TA_RIGHT),
        cell_head_right=style("cell-head-right", fontName=bold, fontSize=size * 0.9,
                              leading=size * 1.15, alignment=TA_RIGHT),
        toc0=style("toc0", fontName=bold, leading=size * 1.5),
        toc1=style("toc1", leading=size * 1.35),
        cover_title=style("cover-title", fontName=bold, fontSize=size * 2.8,
                          leading=size * 3.3, textColor=ACCENT, spaceAfter=size * 1.5),
        cover_line=style("cover-line", fontSize=size * 1.3, leading=size * 1.8),
        centre=style("centre", alignment=TA_CENTER),
    )


def italic(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "-i", parent=style, fontName=fonts.ITALIC)

