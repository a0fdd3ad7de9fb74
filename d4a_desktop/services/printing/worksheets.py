"""Tool worksheets: every tool of the roadmap as a form to fill in by hand.

Fields get room to write in, choices get boxes, scales get circles. A tool of kind
``canvas`` whose sections make a grid (the data ethics canvas: three rows of four boxes and
a column of three) prints as one landscape page in the layout of the ODI's canvas, on A3
unless another paper is asked for, with its licence credit.

Worksheets filled from a project need the project's tool answers, which the project file
does not hold yet; with a project, the blank worksheet is headed with the project's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from d4a_desktop.core.content import Field, Scale, Section, Tool
from d4a_desktop.i18n import _
from d4a_desktop.services.printing import fonts, markup
from d4a_desktop.services.printing.common import (
    Outline,
    paragraphs,
    project_line,
    spec,
)
from d4a_desktop.services.printing.document import Spec, fit
from d4a_desktop.services.printing.flowables import FillLine, Lines, Options, Stack
from d4a_desktop.services.printing.source import ProjectSnapshot
from d4a_desktop.services.printing.styles import INK, MUTED, RULE, Styles, styles

#: Group colours of the data ethics canvas, after the ODI's: know, explore, plan, integrate.
CANVAS_COLOURS = (colors.HexColor("#f6d3e1"), colors.HexColor("#fbefb4"),
                  colors.HexColor("#d3ecd5"), colors.HexColor("#d2e5f5"))


def is_canvas_grid(tool: Tool) -> bool:
    """Whether the tool's sections make the canvas grid: rows of equal length plus a
    last section with one box per row."""
    if tool.kind != "canvas" or len(tool.sections) < 2:
        return False
    *rows, column = tool.sections
    width = len(rows[0].fields)
    return all(len(r.fields) == width for r in rows) and len(column.fields) == len(rows)


def worksheet(tool: Tool, project: ProjectSnapshot | None, today: dt.date, paper: str,
              author: str) -> tuple[list[Flowable], Spec]:
    title = _("Worksheet: {tool}").format(tool=tool.title)
    if project is not None:
        title = f"{title} — {markup.cut(project.meta.title, 240)}"
    if is_canvas_grid(tool):
        doc = spec(title=title, subject=tool.description, kind=_("Worksheet"), project=project,
                   today=today, paper=paper or "a3", author=author, landscape=True,
                   margins=(10 * mm, 14 * mm, 13 * mm))
        return [CanvasGrid(tool, project, today, paper or "a3")], doc
    doc = spec(title=title, subject=tool.description, kind=_("Worksheet"), project=project,
               today=today, paper=paper or "a4", author=author)
    return _Sheet(tool, project, today, styles(10.5 if paper == "a3" else 9.5)).story(), doc


class _Sheet:
    def __init__(self, tool: Tool, project: ProjectSnapshot | None, today: dt.date,
                 st: Styles):
        self.tool = tool
        self.project = project
        self.today = today
        self.st = st
        self.outline = Outline(st)
        self.scales = {s.id: s for s in tool.scales}

    def story(self) -> list[Flowable]:
        st, tool = self.st, self.tool
        out: list[Flowable] = [Paragraph(markup.text(_("Worksheet")), st.subtitle)]
        out += self.outline.heading(tool.title, f"tool:{tool.id}", 0, "title")[1:]
        out.append(Paragraph(markup.inline(tool.description), st.body))
        if self.project is not None:
            out.append(Paragraph("<b>{}</b> {}".format(
                markup.text(_("Project:")), markup.text(project_line(self.project))), st.body))
            out.append(FillLine([(_("Filled in by:"), 2.2), (_("Date:"), 1)], st))
        else:
            out.append(FillLine([(_("Project:"), 2.2), (_("Date:"), 1)], st))
            out.append(FillLine([(_("Filled in by:"), 1)], st))
        out.append(Spacer(1, 3 * mm))
        for scale in tool.scales:
            out += self._scale(scale)
        for section in tool.sections:
            out += self._section(section)
        if tool.interpretation:
            out += self.outline.heading(_("How to read the result"), f"tool:{tool.id}:result",
                                        1)
            text = tool.interpretation
            first, _sep, rest = text.strip().partition("\n")
            if first.startswith("**") and first.endswith("**"):
                text = rest  # the heading above says it already
            out += paragraphs(text, st)
        if tool.credit:
            out += [Spacer(1, 4 * mm), Paragraph(markup.inline(tool.credit), st.muted)]
        for url in tool.sources:
            out.append(Paragraph(markup.text(url), st.muted))
        return out

    def _scale(self, scale: Scale) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(_("Scale"), f"tool:{self.tool.id}:scale:{scale.id}", 1)
        for level in scale.levels:
            text = f"<b>{level.value} {markup.text(level.label)}</b>"
            if level.description:
                text += " — " + markup.inline(level.description)
            out.append(Paragraph(text, st.bullet, bulletText=fonts.CIRCLE))
        return out

    def _section(self, section: Section) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(section.title, f"tool:{self.tool.id}:{section.id}", 1)
        if section.help:
            out += paragraphs(section.help, st, "muted")
            out.append(Spacer(1, 2 * mm))
        if not section.repeating:
            out += [self._field(f) for f in section.fields]
            return out
        out.append(Paragraph("<i>{}</i>".format(markup.text(
            _("Repeat for each: {thing}").format(thing=section.entry))), st.body))
        copies = 2 if len(section.fields) <= 10 else 1
        for n in range(1, copies + 1):
            out.append(Paragraph(markup.text(f"{section.entry} {n}"), st.h3))
            out += [self._field(f) for f in section.fields]
        return out

    def _field(self, fld: Field) -> Flowable:
        st = self.st
        parts: list[Flowable] = [Paragraph(markup.inline(fld.label), st.label)]
        if fld.help:
            parts.append(Paragraph(markup.inline(fld.help), st.muted))
        if fld.type == "longtext":
            parts.append(Lines(4, 7.5 * mm))
        elif fld.type in ("text", "url"):
            parts.append(Lines(1, 7.5 * mm))
        elif fld.type in ("number", "date"):
            parts.append(FillLine([("", 1), ("", 1.5)], st, height=7.5 * mm, only=1))
        elif fld.type == "yesno":
            parts.append(Options([_("Yes"), _("No")], fonts.BOX, st))
        elif fld.type in ("choice", "multichoice"):
            hint = _("tick one") if fld.type == "choice" else _("tick all that apply")
            parts.append(Paragraph(f"<i>{markup.text(hint)}</i>", st.muted))
            parts.append(Options([o.label for o in fld.options], fonts.BOX, st))
        elif fld.type == "scale" and fld.scale in self.scales:
            levels = self.scales[fld.scale].levels
            parts.append(Options([f"{lv.value} {lv.label}" for lv in levels], fonts.CIRCLE, st))
        return Stack(parts, gap=0.8 * mm, space_after=3 * mm)


class CanvasGrid(Flowable):
    """The data ethics canvas on one landscape page: rows of boxes per group, the last group
    as a column on the right, each box with its title, its question and room to write."""

    def __init__(self, tool: Tool, project: ProjectSnapshot | None, today: dt.date,
                 paper: str):
        super().__init__()
        self.tool = tool
        self.project = project
        self.today = today
        self.size = 8.5 if paper == "a3" else 6.6
        self.st = styles(self.size)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, availHeight
        return availWidth, availHeight

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv = self.canv
        st, size = self.st, self.size
        width, height = self.width, self.height
        # Title line, with the project and writing lines for date and team.
        title = Paragraph(f"<b>{markup.text(self.tool.title)}</b>",
                          _title_style(st, size * 2.1))
        _w, th = title.wrap(width * 0.45, height)
        title.drawOn(canv, 0, height - th)
        canv.bookmarkHorizontal(f"tool:{self.tool.id}", 0, height)
        canv.addOutlineEntry(self.tool.title, f"tool:{self.tool.id}", 0)
        top_lines = ([(_("Project:"), 2.2)] if self.project is None else []) + \
            [(_("Date:"), 1), (_("Team:"), 2.2)]
        fill = FillLine(top_lines, st, height=size * 2.2)
        left = width * 0.47
        if self.project is not None:
            proj = f"<b>{markup.text(_('Project:'))}</b> " \
                f"{markup.text(project_line(self.project))}"
            para = Paragraph(proj, st.body)
            _w, ph = para.wrap(width * 0.3, th)
            para.drawOn(canv, left, height - ph)
            left += width * 0.31
        fill.wrap(width - left, size * 2.2)
        fill.drawOn(canv, left, height - th + 1)
        # The grid.
        credit = Paragraph(markup.inline(self.tool.credit), st.muted) if self.tool.credit \
            else None
        credit_h = credit.wrap(width, height)[1] if credit else 0
        top = height - th - 3 * mm
        bottom = credit_h + 2.5 * mm
        *rows, column = self.tool.sections
        columns = len(rows[0].fields) + 1
        gap = 2.2 * mm
        box_w = (width - gap * (columns - 1)) / columns
        band = size * 1.7
        row_h = (top - bottom - gap * (len(rows) - 1)) / len(rows)
        for r, section in enumerate(rows):
            y = top - (r + 1) * row_h - r * gap
            for c, fld in enumerate(section.fields):
                x = c * (box_w + gap)
                self._box(x, y, box_w, row_h, section, fld, CANVAS_COLOURS[r % 4], band)
        x = (columns - 1) * (box_w + gap)
        for r, fld in enumerate(column.fields):
            y = top - (r + 1) * row_h - r * gap
            self._box(x, y, box_w, row_h, column, fld, CANVAS_COLOURS[len(rows) % 4], band)
        if credit:
            credit.drawOn(canv, 0, 0)

    def _box(self, x: float, y: float, w: float, h: float, section: Section, fld: Field,
             colour: Any, band: float) -> None:
        canv = self.canv
        st, size = self.st, self.size
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.setFillColor(colors.white)
        canv.roundRect(x, y, w, h, 2 * mm, stroke=1, fill=1)
        # The group's band along the top, with the group's name.
        path = canv.beginPath()
        r = 2 * mm
        path.moveTo(x, y + h - band)
        path.lineTo(x, y + h - r)
        path.arcTo(x, y + h - 2 * r, x + 2 * r, y + h, startAng=180, extent=-90)
        path.lineTo(x + w - r, y + h)
        path.arcTo(x + w - 2 * r, y + h - 2 * r, x + w, y + h, startAng=90, extent=-90)
        path.lineTo(x + w, y + h - band)
        path.close()
        canv.setFillColor(colour)
        canv.drawPath(path, stroke=0, fill=1)
        canv.setFillColor(MUTED)
        canv.setFont(fonts.BOLD, size * 0.85)
        pad = 2.2 * mm
        canv.drawString(x + pad, y + h - band + band * 0.32,
                        fit(section.title.upper(), fonts.BOLD, size * 0.85, w - 2 * pad))
        canv.restoreState()
        label = Paragraph(f"<b>{markup.text(fld.label)}</b>", _title_style(st, size * 1.25))
        _w, lh = label.wrap(w - 2 * pad, h)
        label.drawOn(canv, x + pad, y + h - band - pad * 0.7 - lh)
        if fld.help:
            help_para = Paragraph(markup.inline(fld.help), st.muted)
            _w, hh = help_para.wrap(w - 2 * pad, h)
            help_para.drawOn(canv, x + pad, y + h - band - pad * 0.7 - lh - 1 - hh)


def _title_style(st: Styles, size: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"canvas-title-{size}", parent=st.label, fontSize=size,
                          leading=size * 1.2, textColor=INK)

