"""Tool worksheets: every tool of the roadmap as a form to fill in by hand.

Fields get room to write in, choices get boxes, scales get circles. A tool of kind
``canvas`` whose sections make a grid (the data ethics canvas: three rows of four boxes and
a column of three) prints as one landscape page in the layout of the ODI's canvas, on A3
unless another paper is asked for, with its licence credit.

With a project that has filled the tool, the worksheet is filled in: from the latest saved
version, or from the current answers when no version has been saved (the sheet says which,
with its date and author), with the verdict of the tool's rule and the reasons for it
(``results``). Questions left open keep their room to write, so the sheet can be completed
by hand. A project that has not filled the tool gets the blank sheet, headed with its name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from d4a_desktop.core import assessments as answers_mod
from d4a_desktop.core.content import Field, Scale, Section, Standard, Tool
from d4a_desktop.i18n import _
from d4a_desktop.services.printing import fonts, markup, results
from d4a_desktop.services.printing.common import (
    Outline,
    date_text,
    long_text,
    paragraphs,
    project_line,
    spec,
)
from d4a_desktop.services.printing.document import Spec, fit, keep_room
from d4a_desktop.services.printing.flowables import BASE, FillLine, Lines, Options, Stack
from d4a_desktop.services.printing.source import FilledTool, ProjectSnapshot
from d4a_desktop.services.printing.styles import ACCENT, INK, MUTED, RULE, Styles, styles

#: Group colours of the data ethics canvas, after the ODI's: know, explore, plan, integrate.
CANVAS_COLOURS = (colors.HexColor("#f6d3e1"), colors.HexColor("#fbefb4"),
                  colors.HexColor("#d3ecd5"), colors.HexColor("#d2e5f5"))


#: A filled choice with more options than this prints only the chosen ones.
LONG_LIST = 6


def is_canvas_grid(tool: Tool) -> bool:
    """Whether the tool's sections make the canvas grid: rows of equal length plus a
    last section with one box per row."""
    if tool.kind != "canvas" or len(tool.sections) < 2:
        return False
    *rows, column = tool.sections
    width = len(rows[0].fields)
    return all(len(r.fields) == width for r in rows) and len(column.fields) == len(rows)


def worksheet(tool: Tool, project: ProjectSnapshot | None, today: dt.date, paper: str,
              author: str, standards: Iterable[Standard] = ()) -> tuple[list[Flowable], Spec]:
    title = _("Worksheet: {tool}").format(tool=tool.title)
    if project is not None:
        title = f"{title} — {markup.cut(project.meta.title, 240)}"
    filled = project.tool(tool.id) if project is not None else None
    if is_canvas_grid(tool):
        doc = spec(title=title, subject=tool.description, kind=_("Worksheet"), project=project,
                   today=today, paper=paper or "a3", author=author, landscape=True,
                   margins=(10 * mm, 14 * mm, 13 * mm))
        return [CanvasGrid(tool, project, today, paper or "a3", filled)], doc
    doc = spec(title=title, subject=tool.description, kind=_("Worksheet"), project=project,
               today=today, paper=paper or "a4", author=author)
    width = doc.pagesize[0] - 2 * doc.margins[0]
    sheet = _Sheet(tool, project, today, styles(10.5 if paper == "a3" else 9.5), filled,
                   tuple(standards), width)
    return sheet.story(), doc


class _Sheet:
    def __init__(self, tool: Tool, project: ProjectSnapshot | None, today: dt.date,
                 st: Styles, filled: FilledTool | None = None,
                 standards: tuple[Standard, ...] = (), width: float = 170 * mm):
        self.tool = tool
        self.project = project
        self.today = today
        self.st = st
        self.outline = Outline(st)
        self.scales = {s.id: s for s in tool.scales}
        self.filled = filled
        self.answers: Mapping[str, Any] = answers_mod.current(tool, filled.answers) \
            if filled else {}
        self.standards = standards
        self.width = width
        self.outcome = results.outcome_of(tool, filled.answers, today, standards) \
            if filled else None
        #: The answers that led to the verdict, marked in the form.
        self.decisive = frozenset(self.outcome.paths) if self.outcome else frozenset()

    def story(self) -> list[Flowable]:
        st, tool = self.st, self.tool
        out: list[Flowable] = [Paragraph(markup.text(_("Worksheet")), st.subtitle)]
        out += self.outline.heading(tool.title, f"tool:{tool.id}", 0, "title")[1:]
        out.append(Paragraph(markup.inline(tool.description), st.body))
        filled = self.filled
        if self.project is not None:
            out.append(Paragraph("<b>{}</b> {}".format(
                markup.text(_("Project:")), markup.text(project_line(self.project))), st.body))
            if filled is None:
                out.append(Paragraph(markup.text(_(
                    "The project has not filled in this tool yet.")), st.muted))
                out.append(FillLine([(_("Filled in by:"), 2.2), (_("Date:"), 1)], st))
        else:
            out.append(FillLine([(_("Project:"), 2.2), (_("Date:"), 1)], st))
            out.append(FillLine([(_("Filled in by:"), 1)], st))
        if filled is not None:
            out += self._filled_facts(filled)
        out.append(Spacer(1, 3 * mm))
        if filled is not None and self.outcome is not None:
            out += self.outline.heading(_("Result"), f"tool:{tool.id}:outcome", 1)
            out += results.outcome_story(tool, filled, self.outcome, st, self.width)
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

    def _filled_facts(self, filled: FilledTool) -> list[Flowable]:
        st = self.st
        facts = [] if filled.register_count is not None else [
            _("Status: {status}").format(status=results.status_text(filled.status))]
        facts.append(results.answered_count(self.tool, filled.answers))
        if filled.next_review is not None:
            facts.append(_("Next review: {date}").format(date=date_text(filled.next_review)))
        out: list[Flowable] = [Paragraph(markup.text(" · ".join(facts)), st.body)]
        lines = results.source_lines(filled)
        out.append(Paragraph(markup.text(lines[0]), st.body))
        if filled.version is not None and filled.version.note.strip():
            out.append(Paragraph(f"<i>{long_text(filled.version.note)}</i>", st.muted))
        out += [Paragraph(markup.text(line), st.muted) for line in lines[1:]]
        return out

    def _asked(self, path: str) -> bool:
        """A filled worksheet leaves out a question that follows a yes not given; a blank
        one, for a workshop, has every question."""
        return not self.filled or answers_mod.applies(self.tool, path, self.answers)

    def _section(self, section: Section) -> list[Flowable]:
        st = self.st
        out = self.outline.heading(section.title, f"tool:{self.tool.id}:{section.id}", 1)
        if section.help:
            out += paragraphs(section.help, st, "muted")
            out.append(Spacer(1, 2 * mm))
        if not section.repeating:
            out += [self._field(f, f"{section.id}/{f.id}") for f in section.fields
                    if self._asked(f"{section.id}/{f.id}")]
            return out
        keys = answers_mod.entries(self.tool, section.id, self.answers) if self.filled else ()
        if keys:
            for key in keys:
                title = answers_mod.entry_title(self.tool, section.id, key, self.answers, keys)
                out += [keep_room(30 * mm), Paragraph(markup.text(title), st.h3),
                        self._entry(section, key)]
            return out
        out.append(Paragraph("<i>{}</i>".format(markup.text(
            _("Repeat for each: {thing}").format(thing=section.entry))), st.body))
        copies = 2 if len(section.fields) <= 10 else 1
        for n in range(1, copies + 1):
            out.append(Paragraph(markup.text(f"{section.entry} {n}"), st.h3))
            out += [self._field(f, "") for f in section.fields]
        return out

    def _entry(self, section: Section, key: str) -> Flowable:
        """One entry of a filled repeating section (a dataset, an option) as a table of
        questions and answers: the help is given once above, open questions get a dash,
        and the answers that led to the result are in bold."""
        st = self.st
        rows = []
        for fld in section.fields:
            path = f"{section.id}/{key}/{fld.id}"
            if not self._asked(path):
                continue
            value = self.answers.get(path)
            text = answers_mod.display(self.tool, path, value) if value is not None else "–"
            body = long_text(text).replace("\n", "<br/>")
            if path in self.decisive:
                body = f"<b>{body}</b>"
            rows.append([Paragraph(markup.inline(fld.label), st.cell_head),
                         Paragraph(body, st.cell)])
        table = Table(rows, colWidths=[self.width * 0.42, self.width * 0.58], hAlign="LEFT",
                      splitInRow=24)
        table.setStyle(TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def _field(self, fld: Field, path: str, compact: bool = False) -> Flowable:
        """A question with its answer, or with room to write one. ``compact``: leave out
        the help and mark an open question with a dash."""
        st = self.st
        label = markup.inline(fld.label)
        if path in self.decisive:
            # Translators: after a question of a filled worksheet whose answer led to the
            # tool's result (the verdict printed at the top).
            label += ' <font name="{}" color="{}" size="{}">● {}</font>'.format(
                fonts.REGULAR, ACCENT.hexval(), st.small.fontSize,
                markup.text(_("counts for the result")))
        parts: list[Flowable] = [Paragraph(label, st.label)]
        if fld.help and not compact:
            parts.append(Paragraph(markup.inline(fld.help), st.muted))
        value = self.answers.get(path) if path else None
        if value is not None:
            parts.append(self._answer(fld, path, value))
        elif compact:
            parts.append(Paragraph("–", st.muted))
            return Stack(parts, gap=0.5 * mm, space_after=2 * mm)
        elif fld.type == "longtext":
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

    def _answer(self, fld: Field, path: str, value: Any) -> Flowable:
        """A given answer: text as written, choices and scales with the chosen ones marked
        among the others."""
        st = self.st
        if fld.type == "yesno":
            return Options([_("Yes"), _("No")], fonts.BOX, st, [0 if value else 1],
                           fonts.TICKED)
        if fld.type in ("choice", "multichoice"):
            chosen = value if fld.type == "multichoice" else (value,)
            ids = [o.id for o in fld.options]
            if len(ids) > LONG_LIST:  # only what was chosen, not a long list of boxes
                labels = [o.label for o in fld.options if o.id in chosen]
                return Paragraph(" ".join(f"{fonts.TICKED}&nbsp;<b>{markup.text(x)}</b>"
                                          for x in labels), st.body)
            return Options([o.label for o in fld.options], fonts.BOX, st,
                           [ids.index(v) for v in chosen if v in ids], fonts.TICKED)
        if fld.type == "scale" and fld.scale in self.scales:
            levels = self.scales[fld.scale].levels
            return Options([f"{lv.value} {lv.label}" for lv in levels], fonts.CIRCLE, st,
                           [n for n, lv in enumerate(levels) if lv.value == value], fonts.DOT)
        if isinstance(value, str):
            return Paragraph(long_text(value).replace("\n", "<br/>"), st.body)
        return Paragraph(markup.text(answers_mod.display(self.tool, path, value)), st.body)


class CanvasGrid(Flowable):
    """The data ethics canvas on one landscape page: rows of boxes per group, the last group
    as a column on the right, each box with its title, its question and room to write."""

    def __init__(self, tool: Tool, project: ProjectSnapshot | None, today: dt.date,
                 paper: str, filled: FilledTool | None = None):
        super().__init__()
        self.tool = tool
        self.project = project
        self.today = today
        self.size = 8.5 if paper == "a3" else 6.6
        self.st = styles(self.size)
        self.filled = filled
        self.answers: Mapping[str, Any] = answers_mod.current(tool, filled.answers) \
            if filled else {}

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
            label = _("Project:")
            proj = f"<b>{markup.text(label)}</b> {markup.text(project_line(self.project))}"
            if self.filled is None:
                para = Paragraph(proj, st.body)
                _w, ph = para.wrap(width * 0.3, th)
                para.drawOn(canv, left, height - ph)
                left += width * 0.31
            else:  # what it was filled from, instead of lines to write on
                source = " ".join(results.source_lines(self.filled))
                para = Paragraph(f"{proj}<br/><font color=\"{MUTED.hexval()}\">"
                                 f"{markup.text(source)}</font>", st.body)
                _w, ph = para.wrap(width - left, height)
                para.drawOn(canv, left, height - ph)
                th = max(th, ph)
        if self.filled is None:
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
        hh = 0.0
        if fld.help:
            help_para = Paragraph(markup.inline(fld.help), st.muted)
            _w, hh = help_para.wrap(w - 2 * pad, h)
            help_para.drawOn(canv, x + pad, y + h - band - pad * 0.7 - lh - 1 - hh)
        value = self.answers.get(f"{section.id}/{fld.id}")
        if value is not None:
            room = h - band - pad * 0.7 - lh - 1 - hh - 1.5 * mm - pad * 0.6
            text = value if isinstance(value, str) else answers_mod.display(
                self.tool, f"{section.id}/{fld.id}", value)
            para = _fitted(text, st, size, w - 2 * pad, room)
            _w, ah = para.wrap(w - 2 * pad, room)
            para.drawOn(canv, x + pad, y + h - band - pad * 0.7 - lh - 1 - hh - 1.5 * mm - ah)


def _fitted(text: str, st: Styles, size: float, width: float, room: float) -> Paragraph:
    """An answer in a canvas box: as large as the box allows, from a little above the
    help's size down to two thirds of it; cut with an ellipsis (and said so) if even that
    does not fit."""
    from reportlab.lib.styles import ParagraphStyle

    body = markup.text(text.strip()).replace("\n", "<br/>")
    for step in range(9):
        font = size * (1.1 - step * 0.055)
        style = ParagraphStyle(f"canvas-answer-{font:.2f}", parent=st.body, fontSize=font,
                               leading=font * 1.22, spaceAfter=0, textColor=INK)
        para = Paragraph(body, style)
        if para.wrap(width, room)[1] <= room:
            return para
    words = text.split()
    while len(words) > 1:
        words = words[:max(1, int(len(words) * 0.9))]
        para = Paragraph(markup.text(" ".join(words)) + " … <i>{}</i>".format(
            markup.text(_("(cut short; the project holds the whole text)"))), style)
        if para.wrap(width, room)[1] <= room:
            return para
    return para


def _title_style(st: Styles, size: float) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"canvas-title-{size}", parent=st.label, fontSize=size,
                          leading=size * 1.2, textColor=INK)

