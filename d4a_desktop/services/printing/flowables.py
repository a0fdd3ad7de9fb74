"""Building blocks of the printed documents: items to tick, lines to write on, tables, bars.

Each is a reportlab flowable (or a function returning one) that knows nothing of projects or
the roadmap; the document modules feed them plain text. A block never runs off the page: it
wraps, moves to the next page whole, or, when it is taller than an empty page (a note of
many thousand characters), splits between its paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from d4a_desktop.services.printing import fonts, markup
from d4a_desktop.services.printing.styles import INK, LATE, LIGHT, MUTED, RULE, Styles

#: Longest text of a table cell; a longer one is cut with an ellipsis.
MAX_CELL = 1500

#: Every table sets its cells' font: reportlab's default is Helvetica, which would end up
#: in the file (unused, but not embedded) even when every cell holds a paragraph.
BASE: list[tuple[Any, ...]] = [("FONT", (0, 0), (-1, -1), fonts.REGULAR, 9)]


class Stack(Flowable):
    """Flowables drawn one below the other, with a mark (☐, ☑ …) beside the first and,
    optionally, rows of labelled lines to write on below them.

    It moves to the next page whole; only when it does not fit on an empty page does it
    split, between its parts or inside a paragraph. The mark and the writing lines are drawn
    in one text object and one path, which keeps a long workshop checklist as quick to lay
    out as its bare text.
    """

    def __init__(self, parts: Sequence[Flowable], *, mark: str = "", mark_size: float = 12,
                 mark_colour: Any = INK, indent: float = 0, gap: float = 0,
                 space_after: float = 0,
                 rows: Sequence[Sequence[tuple[str, float]]] = (), row_height: float = 0,
                 label_size: float = 8):
        super().__init__()
        self.parts = list(parts)
        self.mark = mark
        self.mark_size = mark_size
        self.mark_colour = mark_colour
        self.indent = indent
        self.gap = gap
        self.spaceAfter = space_after
        self.rows = rows if isinstance(rows, tuple) else tuple(tuple(r) for r in rows)
        self.label_size = label_size
        self.row_height = row_height or label_size * 2.6
        self._sizes: list[float] = []
        self._inner = 0.0
        # What identifies the drawings reused across items; made once, compared often.
        self._mark_key = ("mark", mark, mark_size, mark_colour)
        self._rows_key = ("rows", self.rows, indent, self.row_height, label_size)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - self.indent
        # A block that moves to the next page keeps its width: its parts need no new layout.
        if not self._sizes or self._inner != inner:
            self._sizes = [part.wrap(inner, availHeight)[1] for part in self.parts]
            self._inner = inner
        self.width = availWidth
        self.height = (sum(self._sizes) + self.gap * max(0, len(self.parts) - 1)
                       + self.row_height * len(self.rows))
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is not None and not getattr(frame, "_atTop", 0):
            return []  # keep the block whole: it starts on the next page
        self.wrap(availWidth, availHeight)
        inner = availWidth - self.indent
        used = 0.0
        for n, (part, size) in enumerate(zip(self.parts, self._sizes, strict=True)):
            if used + size <= availHeight:
                used += size + self.gap
                continue
            pieces = part.split(inner, availHeight - used)
            head = self.parts[:n] + pieces[:1] if pieces else self.parts[:n]
            tail = pieces[1:] + self.parts[n + 1:] if pieces else self.parts[n:]
            if not head:
                return []
            return [self._copy(head, self.mark, ()), self._copy(tail, "", self.rows)]
        return [self._copy(self.parts, self.mark, ()), self._copy([], "", self.rows)]

    def _copy(self, parts: list[Flowable], mark: str,
              rows: Sequence[Sequence[tuple[str, float]]]) -> Stack:
        return Stack(parts, mark=mark, mark_size=self.mark_size, mark_colour=self.mark_colour,
                     indent=self.indent, gap=self.gap, space_after=self.spaceAfter, rows=rows,
                     row_height=self.row_height, label_size=self.label_size)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Drawn at page coordinates, without a transformation of its own: a checklist has
        # hundreds of these blocks.
        self.canv = canvas
        top = y + self.height
        for part, size in zip(self.parts, self._sizes, strict=True):
            top -= size
            part.drawOn(canvas, x + self.indent, top)
            top -= self.gap
        if self.mark:
            first = self.parts[0] if self.parts else None
            size = getattr(getattr(first, "style", None), "fontSize", self.mark_size)
            reuse(canvas, self._mark_key, x,
                  y + self.height - size - (self.mark_size - size) * 0.3, self._draw_mark)
        if self.rows:
            bottom = (top + self.gap if self.parts else top) - self.row_height * len(self.rows)
            reuse(canvas, (*self._rows_key, self.width), x, bottom, self._draw_rows)

    def draw(self) -> None:  # pragma: no cover - drawOn does the work
        self.drawOn(self.canv, 0, 0)

    def _draw_mark(self, canvas: Any) -> None:
        canvas.setFont(fonts.REGULAR, self.mark_size)
        canvas.setFillColor(self.mark_colour)
        canvas.drawString(0, 0, self.mark)

    def _draw_rows(self, canvas: Any) -> None:
        """The writing rows, with their lower left corner at the origin (drawn once per
        document into a form, so plain drawing calls are fine here)."""
        font, size = fonts.REGULAR, self.label_size
        canvas.setFont(font, size)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        width = self.width - self.indent
        gap = 4 * mm
        for n, row in enumerate(self.rows):
            base = (len(self.rows) - n - 1) * self.row_height + 2.0
            total = sum(weight for _label, weight in row)
            room = width - gap * (len(row) - 1)
            x = self.indent
            for label, weight in row:
                span = room * weight / total
                start = x
                if label:
                    canvas.drawString(x, base + 1.5, label)
                    start = x + stringWidth(label, font, size) + 1.5 * mm
                canvas.line(start, base, x + span, base)
                x += span + gap


def reuse(canvas: Any, key: tuple[Any, ...], x: float, y: float,
          draw: Callable[[Any], None]) -> None:
    """Draw what ``draw`` draws at (x, y), defining it once per document as a form that
    every further use only references: the same box and writing lines beside hundreds of
    items cost one definition."""
    forms: dict[tuple[Any, ...], str] | None = getattr(canvas, "d4a_forms", None)
    if forms is None:  # a plain canvas: draw it each time
        canvas.saveState()
        canvas.translate(x, y)
        draw(canvas)
        canvas.restoreState()
        return
    name = forms.get(key)
    if name is None:
        name = forms[key] = f"D4AForm{len(forms) + 1}"
        canvas.beginForm(name)
        draw(canvas)
        canvas.endForm()
    # What saveState, translate, doForm and restoreState write, in one line with two
    # numbers instead of twelve: the canvas's own calls format every number in pure Python
    # and keep a matrix that nothing reads afterwards.
    canvas._code.append(f"q 1 0 0 1 {fp_str(x, y)} cm /{canvas._doc.getXObjectName(name)} Do Q")
    canvas._formsinuse.append(name)


class FillLine(Flowable):
    """A row of labelled lines to write on: ``Owner ______  Date ______``."""

    def __init__(self, fields: Sequence[tuple[str, float]], styles: Styles, *,
                 height: float = 0, only: int = 0):
        super().__init__()
        #: Labels end in their colon, as each language writes it (French: "Date :").
        self.fields = list(fields)
        #: Draw only the first ``only`` fields (a short line for a date or a number).
        self.only = only or len(self.fields)
        self.size = styles.small.fontSize
        self.height = height or self.size * 2.6

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        total = sum(weight for _label, weight in self.fields)
        gap = 4 * mm
        room = self.width - gap * (len(self.fields) - 1)
        x = 0.0
        base = 2.0
        canv.setLineWidth(0.5)
        for label, weight in self.fields[:self.only]:
            width = room * weight / total
            text = label
            canv.setFont(fonts.REGULAR, self.size)
            canv.setFillColor(MUTED)
            canv.drawString(x, base + 1.5, text)
            start = x + (stringWidth(text, fonts.REGULAR, self.size) + 1.5 * mm if text else 0)
            canv.setStrokeColor(RULE)
            canv.line(start, base, x + width, base)
            x += width + gap


class Lines(Flowable):
    """Empty ruled lines for writing by hand."""

    def __init__(self, count: int, spacing: float = 7 * mm):
        super().__init__()
        self.count = count
        self.spacing = spacing

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.count * self.spacing
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        fit = int(availHeight // self.spacing)
        if fit < 1 or fit >= self.count:
            return []
        return [Lines(fit, self.spacing), Lines(self.count - fit, self.spacing)]

    def draw(self) -> None:
        canv = self.canv
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        for n in range(self.count):
            y = self.height - (n + 1) * self.spacing + 1.5
            canv.line(0, y, self.width, y)


class Box(Flowable):
    """An empty framed area to write in."""

    def __init__(self, height: float):
        super().__init__()
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.5)
        self.canv.roundRect(0, 0, self.width, self.height, 1.5 * mm, stroke=1, fill=0)


class Options(Flowable):
    """Options to tick, each with its box or circle: on one line when they fit, else in as
    many columns as the longest option allows."""

    def __init__(self, labels: Sequence[str], mark: str, styles: Styles,
                 chosen: Sequence[int] = (), chosen_mark: str = ""):
        super().__init__()
        self.labels = list(labels)
        self.mark = mark
        self.st = styles
        #: Indexes of the options chosen in a filled form: marked with ``chosen_mark``, bold.
        self.chosen = frozenset(chosen)
        self.chosen_mark = chosen_mark or mark
        self._inner: Flowable | None = None

    def _mark(self, n: int) -> str:
        return self.chosen_mark if n in self.chosen else self.mark

    def _label(self, n: int, label: str) -> str:
        return f"<b>{markup.text(label)}</b>" if n in self.chosen else markup.text(label)

    def _build(self, width: float) -> Flowable:
        style = self.st.bullet
        font, size = style.fontName, style.fontSize
        gap = 6 * mm
        mark_w = stringWidth(self.mark + " ", font, size)
        widths = [mark_w + stringWidth(label, font, size) for label in self.labels]
        if self.chosen:  # bold labels are wider
            widths = [w * 1.12 for w in widths]
        if sum(widths) + gap * (len(widths) - 1) <= width:
            cells = [Paragraph(f"{self._mark(n)}&nbsp;{self._label(n, label)}", self.st.body)
                     for n, label in enumerate(self.labels)]
            col_widths: list[float] = [w + gap for w in widths]
            col_widths[-1] = width - sum(col_widths[:-1])
            rows = [cells]
        else:
            columns = max(1, min(4, int((width + gap) // (max(widths) + style.leftIndent + gap))))
            cells = [Paragraph(self._label(n, label), style, bulletText=self._mark(n))
                     for n, label in enumerate(self.labels)]
            rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
            if len(rows[-1]) < columns:
                rows[-1] = rows[-1] + [Paragraph("", style)] * (columns - len(rows[-1]))
            col_widths = [width / columns] * columns
        table = Table(rows, colWidths=col_widths, hAlign="LEFT")
        table.setStyle(TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._inner = self._build(availWidth)
        self.width, self.height = self._inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        inner = self._build(availWidth)
        return inner.split(availWidth, availHeight)

    def draw(self) -> None:
        assert self._inner is not None
        self._inner.drawOn(self.canv, 0, 0)


# --- tables of records ------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A column of a printed record table: its label, and its width as a share of the table's,
    so the same table fits any paper size and orientation."""

    label: str
    #: Share of the table's width, relative to the other columns.
    weight: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class Row:
    """One row of a printed record table, as text already formatted for the reader's language."""

    cells: tuple[str, ...]
    #: Printed in the colour of late work (an overdue item, a high risk).
    highlight: bool = False


@dataclass(frozen=True)
class RecordTable:
    """Records of one kind as a report prints them: column labels and rows of text.

    Any register a service can hand over (team, decisions, datasets, risks …) fits; the
    report prints the table under ``title`` with an outline entry ``key``.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    intro: str = ""
    note: str = ""


def column_widths(records: RecordTable, styles: Styles, width: float) -> list[float]:
    return _widths(records, styles, width)[0]


def _widths(records: RecordTable, styles: Styles, width: float) -> tuple[list[float], bool]:
    """Widths in proportion to the columns' weights, but each at least as wide as its
    longest word (a name, "technologique"), so that words break only when the page is too
    narrow for all of them; headings get the same where there is room."""
    pad = 6.0  # the cells' left and right padding
    size, cap = styles.cell.fontSize, width * 0.4

    def longest(words: Any, font: str) -> float:
        return min(cap, max((stringWidth(w, font, size) for w in words), default=0) + pad)

    cells = [longest((w for row in records.rows for w in
                      _words(markup.cut(row.cells[n], MAX_CELL))), fonts.REGULAR)
             for n in range(len(records.columns))]
    heads = [longest(_words(c.label), fonts.BOLD) for c in records.columns]
    wanted = [max(a, b) for a, b in zip(cells, heads, strict=True)]
    crowded = sum(wanted) > width
    least = _capped(wanted, width)
    if max(least) < 12 * mm <= max(wanted):  # whole headings crowd out the cells
        least = _capped(cells, width)
    weights = [c.weight for c in records.columns]
    fixed: dict[int, float] = {}
    while True:
        free = [n for n in range(len(weights)) if n not in fixed]
        room = width - sum(fixed.values())
        total = sum(weights[n] for n in free) or 1
        widths = {n: room * weights[n] / total for n in free}
        short = {n: least[n] for n in free if widths[n] < least[n]}
        if not short:
            break
        fixed.update(short)
    return [fixed.get(n, widths.get(n, 0.0)) for n in range(len(weights))], crowded


#: Where a line may break: any space but the no-break ones ("19\u00a0janv.\u00a02026").
_BREAKS = re.compile(r"[^\S\u00a0\u202f]+")


def _words(text: str) -> list[str]:
    return _BREAKS.split(text.strip())


def _capped(widths: list[float], room: float) -> list[float]:
    """The widths, the largest cut down to one cap so that they fit in ``room``: an e-mail
    address or a URL breaks, a name next to it does not."""
    if sum(widths) <= room:
        return widths
    low, high = 0.0, max(widths)
    for _step in range(30):
        cap = (low + high) / 2
        if sum(min(w, cap) for w in widths) > room:
            high = cap
        else:
            low = cap
    return [min(w, low) for w in widths]


def table_of(records: RecordTable, styles: Styles, width: float) -> Table:
    """A records table that repeats its header on every page and splits rows if it must."""
    widths, crowded = _widths(records, styles, width)
    if crowded:  # a wide table (many columns, long words): a size smaller, words kept whole
        from d4a_desktop.services.printing.styles import styles as sized

        styles = sized(round(styles.body.fontSize * 0.88, 2))
        widths = _widths(records, styles, width)[0]
    head = [Paragraph(markup.text(c.label), styles.cell_head_right if c.align == "right"
                      else styles.cell_head) for c in records.columns]
    data: list[list[Any]] = [head]
    late_rows = []
    for n, row in enumerate(records.rows, 1):
        cells = []
        for column, value in zip(records.columns, row.cells, strict=True):
            style = styles.cell_right if column.align == "right" else styles.cell
            text = markup.text(markup.cut(value, MAX_CELL))
            if row.highlight:
                text = f'<font color="{LATE.hexval()}">{text}</font>'
            cells.append(Paragraph(text, style))
        data.append(cells)
        if row.highlight:
            late_rows.append(n)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=24)
    commands: list[tuple[Any, ...]] = [
        *BASE,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#fdecea")) for n in late_rows]
    table.setStyle(TableStyle(commands))
    return table


# --- progress bars -----------------------------------------------------------------------

def bar(fraction: float, width: float, height: float, colour: Any) -> Drawing:
    """A horizontal bar filled to ``fraction``, as vector graphics."""
    drawing = Drawing(width, height)
    # The renderer starts every drawing in Helvetica unless told otherwise.
    drawing.initialFontName = fonts.REGULAR
    drawing.add(Rect(0, 0, width, height, fillColor=LIGHT, strokeColor=None))
    filled = max(0.0, min(1.0, fraction)) * width
    if filled > 0:
        drawing.add(Rect(0, 0, filled, height, fillColor=colour, strokeColor=None))
    return drawing


@dataclass(frozen=True)
class BarRow:
    """One labelled bar of a printed bar chart, with the figure printed beside it (such as "12 of
    40"), so the chart reads without the colours."""

    label: str
    fraction: float
    figure: str
    colour: Any


def bar_chart(rows: Sequence[BarRow], styles: Styles, width: float) -> Table:
    """Labelled progress bars, one per row, with the figure beside each bar."""
    label_w, figure_w = width * 0.42, width * 0.2
    bar_w = width - label_w - figure_w
    height = styles.body.fontSize * 1.1
    data = [[Paragraph(markup.text(r.label), styles.cell),
             bar(r.fraction, bar_w - 4 * mm, height, r.colour),
             Paragraph(markup.text(r.figure), styles.cell_right)] for r in rows]
    table = Table(data, colWidths=[label_w, bar_w, figure_w], hAlign="LEFT")
    table.setStyle(TableStyle([*BASE, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("LEFTPADDING", (1, 0), (1, -1), 2 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    return table
