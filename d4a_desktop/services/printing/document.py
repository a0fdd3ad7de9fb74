"""The frame every printed document shares, laid out in one pass.

A document is a story of flowables built by :func:`build_pdf`. What can only be known once
the last page is laid out (the page count in "page 3 of 12", the page numbers of a table of
contents) is drawn when the PDF is saved: :class:`_DeferredCanvas` keeps each finished page
and decorates it with its running header, footer and contents numbers at the end. reportlab's
own ``multiBuild`` would lay the whole document out twice for the same result.

Headings (:class:`Heading`) register a named destination, an outline entry (bookmark) and
their page; :class:`Contents` lists them with links. Every text is set in the embedded
DejaVu family, so no base-14 font ever enters the file.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A3, A4, LETTER, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.flowables import CondPageBreak

from d4a_desktop import __version__
from d4a_desktop.i18n import _
from d4a_desktop.services.printing import fonts
from d4a_desktop.services.printing.styles import MUTED, RULE, Styles

PAPERS: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER, "a3": A3}

# Compressed streams stay binary: ASCII85 makes every file a quarter larger, and without
# reportlab's optional C accelerator encoding it is the slowest step of saving.
rl_config.useA85 = 0
APP = "D4A Roadmap Desktop"


class Cancelled(Exception):
    """Raised by a progress callback to stop building a document."""


#: Called with the share of the story laid out so far (0 to 1); may raise Cancelled.
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Pdf:
    """A finished PDF in memory with its page count: the caller decides where the bytes go, and
    ``d4a`` tells the user how many pages it wrote."""

    data: bytes
    pages: int


@dataclass(frozen=True)
class Spec:
    """What a document says about itself: metadata, running header and paper."""

    title: str
    subject: str
    language: str
    #: Left of the running header: the project, or the roadmap for blank documents.
    header: str
    #: Right of the running header: the kind of document.
    kind: str
    date_text: str
    paper: str = "a4"
    landscape: bool = False
    author: str = ""
    keywords: tuple[str, ...] = ()
    #: Margins in points: left/right, top (below the header), bottom (above the footer).
    margins: tuple[float, float, float] = (18 * mm, 20 * mm, 18 * mm)

    @property
    def pagesize(self) -> tuple[float, float]:
        size = PAPERS[self.paper]
        return landscape(size) if self.landscape else portrait(size)


@dataclass
class _Slot:
    """One line of a table of contents, waiting for its page number."""

    page: int
    key: str
    rect: tuple[float, float, float, float]
    right: float
    baseline: float
    text_end: float
    style_font: str
    style_size: float


@dataclass
class Layout:
    """What the pages collect while they are laid out, for the deferred drawing."""

    spec: Spec
    pages: dict[str, int] = field(default_factory=dict)
    slots: list[_Slot] = field(default_factory=list)
    plain: set[int] = field(default_factory=set)
    outline_levels: list[int] = field(default_factory=list)
    total: int = 0

    def decorate(self, canv: Canvas, page: int, total: int) -> None:
        from d4a_desktop.services.printing.flowables import reuse

        width, height = canv._pagesize
        side, _top, bottom = self.spec.margins
        canv.saveState()
        if page not in self.plain:
            reuse(canv, ("page", width, height), 0, 0,
                  lambda c: self._static(c, width, height))
            text = canv.beginText(width - side, bottom - 9 * mm)
            words = _("Page {page} of {pages}").format(page=page, pages=total)
            text.setFont(fonts.REGULAR, 7.5)
            text.setFillColor(MUTED)
            text.moveCursor(-stringWidth(words, fonts.REGULAR, 7.5), 0)
            text.textOut(words)
            canv.drawText(text)
        slots = [slot for slot in self.slots if slot.page == page]
        if slots:
            self._numbers(canv, slots)
        canv.restoreState()

    def _static(self, canv: Canvas, width: float, height: float) -> None:
        """What every page shows but its number: running header, rule, date, program."""
        side, top, bottom = self.spec.margins
        size = 7.5
        y = height - top + 7 * mm
        room = width - 2 * side
        right = fit(self.spec.kind, fonts.REGULAR, size, room * 0.4)
        right_w = stringWidth(right, fonts.REGULAR, size)
        left = fit(self.spec.header, fonts.BOLD, size, room - right_w - 6 * mm)
        canv.setFillColor(MUTED)
        canv.setFont(fonts.BOLD, size)
        canv.drawString(side, y, left)
        canv.setFont(fonts.REGULAR, size)
        canv.drawRightString(width - side, y, right)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(side, y - 2.2 * mm, width - side, y - 2.2 * mm)
        foot = bottom - 9 * mm
        canv.drawString(side, foot, self.spec.date_text)
        canv.drawCentredString(width / 2, foot, APP)

    def _numbers(self, canv: Canvas, slots: list[_Slot]) -> None:
        """The page numbers of contents lines, with dotted leaders and links."""
        text = canv.beginText()
        text.setFillColor(MUTED)
        leaders = []
        for slot in slots:
            number = str(self.pages.get(slot.key, ""))
            number_w = stringWidth(number, slot.style_font, slot.style_size)
            text.setFont(slot.style_font, slot.style_size)
            text.setTextOrigin(slot.right - number_w, slot.baseline)
            text.textOut(number)
            start, end = slot.text_end + 1.5 * mm, slot.right - number_w - 1.5 * mm
            if end - start > 4 * mm:  # a dotted leader between the title and its page
                leaders.append((start, slot.baseline + 1, end, slot.baseline + 1))
            canv.linkAbsolute("", slot.key, slot.rect, thickness=0)
        canv.drawText(text)
        if leaders:
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.6)
            canv.setDash(0.6, 2.4)
            canv.lines(leaders)
            canv.setDash()


class _DeferredCanvas(Canvas):
    """A canvas that keeps finished pages and decorates them once the page count is known."""

    def __init__(self, *args: Any, layout: Layout, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.d4a_layout = layout
        #: Forms drawn once and referenced on every page that shows them.
        self.d4a_forms: dict[tuple[Any, ...], str] = {}
        self._kept: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._kept.append(dict(self.__dict__))
        # Destinations made on the next page must name it, although it is not added yet.
        self._doc.pageCounter += 1
        self._startPage()

    def save(self) -> None:
        total = len(self._kept)
        self._doc.pageCounter = 1
        for number, state in enumerate(self._kept, 1):
            self.__dict__.update(state)
            self.d4a_layout.decorate(self, number, total)
            Canvas.showPage(self)
        self.d4a_layout.total = total
        Canvas.save(self)


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line of ``width``, cut with an ellipsis when it is longer."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def layout_of(canv: Canvas) -> Layout:
    return canv.d4a_layout


class Heading(Paragraph):
    """A heading that is a named destination, an outline entry and a contents line."""

    def __init__(self, text: str, style: Any, *args: Any, key: str = "", level: int = 0,
                 outline: str = "", **kwargs: Any):
        super().__init__(text, style, *args, **kwargs)
        self.key = key
        self.level = level
        self.outline = outline

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # a heading moves to the next frame whole

    def draw(self) -> None:
        if self.key:
            canv = self.canv
            layout = layout_of(canv)
            if self.key not in layout.pages:
                layout.pages[self.key] = canv.getPageNumber()
                canv.bookmarkHorizontal(self.key, 0, self.height)
                levels = layout.outline_levels
                # The outline may only go one level deeper at a time.
                level = min(self.level, (levels[-1] + 1) if levels else 0)
                levels.append(level)
                canv.addOutlineEntry(self.outline, self.key, level, closed=level > 0)
        super().draw()


@dataclass(frozen=True)
class Entry:
    """One heading of a document for its table of contents: ``key`` is the bookmark the heading sets
    when it is drawn, by which its page number and link are filled in."""

    key: str
    level: int
    text: str


class Contents(Flowable):
    """A table of contents whose page numbers and links are filled in when the PDF is saved."""

    def __init__(self, entries: list[Entry], styles: Styles):
        super().__init__()
        #: Shared with the builder, which adds the headings after placing the contents.
        self.entries = entries
        self.styles = styles
        self._paras: list[tuple[Entry, Paragraph, float]] = []

    def _style(self, level: int) -> Any:
        return self.styles.toc0 if level == 0 else self.styles.toc1

    def _space(self, n: int, entry: Entry) -> float:
        """Room above an entry: a little more before each top-level entry but the first."""
        return self.styles.toc0.fontSize * 0.5 if entry.level == 0 and n else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        number_room = stringWidth("0000", fonts.REGULAR, self.styles.toc0.fontSize) + 3 * mm
        self._paras = []
        total = 0.0
        for n, entry in enumerate(self.entries):
            indent = entry.level * 6 * mm
            para = Paragraph(entry.text, self._style(entry.level))
            _w, h = para.wrap(availWidth - indent - number_room, availHeight)
            self._paras.append((entry, para, indent))
            total += h + self._space(n, entry)
        self.width = availWidth
        self.height = total
        return availWidth, total

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used, count = 0.0, 0
        for n, (entry, para, _indent) in enumerate(self._paras):
            if used + para.height + self._space(n, entry) > availHeight:
                break
            used += para.height + self._space(n, entry)
            count += 1
        if count == 0:
            return []
        return [Contents(list(self.entries[:count]), self.styles),
                Contents(list(self.entries[count:]), self.styles)]

    def draw(self) -> None:
        canv = self.canv
        layout = layout_of(canv)
        page = canv.getPageNumber()
        y = self.height
        for n, (entry, para, indent) in enumerate(self._paras):
            style = self._style(entry.level)
            y -= para.height + self._space(n, entry)
            para.drawOn(canv, indent, y)
            last_width = _last_line_width(para)
            x0, y0 = canv.absolutePosition(indent, y)
            x1, y1 = canv.absolutePosition(self.width, y + para.height)
            baseline = y0 + style.leading - style.fontSize  # the last line's baseline
            layout.slots.append(_Slot(page, entry.key, (x0, y0, x1, y1), x1, baseline,
                                      x0 + last_width, style.fontName, style.fontSize))


def _last_line_width(para: Paragraph) -> float:
    lines = getattr(para, "blPara", None)
    if lines is None or not lines.lines:
        return 0.0
    last = lines.lines[-1]
    width = getattr(para, "width", 0.0)
    extra = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0.0)
    return max(0.0, width - extra)


class PlainPage(Flowable):
    """Marks the page it stands on as having no running header and footer (a cover)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        layout_of(self.canv).plain.add(self.canv.getPageNumber())


def keep_room(height: float) -> CondPageBreak:
    """Start a new page unless ``height`` points are left (before a heading)."""
    return CondPageBreak(height)


class _Template(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, spec: Spec, progress: Progress | None):
        side, top, bottom = spec.margins
        super().__init__(
            buffer, pagesize=spec.pagesize, leftMargin=side, rightMargin=side,
            topMargin=top, bottomMargin=bottom, title=spec.title, author=spec.author or APP,
            subject=spec.subject, creator=f"{APP} {__version__}", keywords=list(spec.keywords),
            lang=spec.language.replace("_", "-"), displayDocTitle=1,
            initialFontName=fonts.REGULAR, initialFontSize=10, initialLeading=12)
        width, height = spec.pagesize
        frame = Frame(side, bottom, width - 2 * side, height - top - bottom, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=spec.pagesize)])
        self._progress = progress
        self._size = 1
        if progress is not None:
            self.setProgressCallBack(self._on_progress)

    def _on_progress(self, kind: str, value: int) -> None:
        assert self._progress is not None
        if kind == "SIZE_EST":
            self._size = max(1, value)
        elif kind == "PROGRESS":
            self._progress(min(1.0, value / self._size) * 0.95)


def build_pdf(story: list[Flowable], spec: Spec, progress: Progress | None = None) -> Pdf:
    """Lay out ``story`` and return the finished PDF; ``progress`` may raise Cancelled."""
    fonts.register()
    buffer = io.BytesIO()
    layout = Layout(spec)
    template = _Template(buffer, spec, progress)

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return _DeferredCanvas(*args, layout=layout, **kwargs)

    if progress is not None:
        progress(0.0)
    template.build(list(story), canvasmaker=canvasmaker)
    if progress is not None:
        progress(1.0)
    return Pdf(buffer.getvalue(), layout.total)
