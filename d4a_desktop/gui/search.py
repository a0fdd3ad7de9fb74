"""Search as you type: the list of results that takes the navigator's place (the field
above it is in ``gui/searchfield.py``: a start shows the field, not the results).

Results are rows of a small model painted by a delegate: building a rich-text QLabel per
hit cost about 1 ms each and made typing stutter (``benchmarks/search.py`` measures it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from d4a_desktop.core.content import Roadmap
from d4a_desktop.gui.models import plain_tooltip
from d4a_desktop.gui.searchfield import SearchField, term_pattern  # noqa: F401
from d4a_desktop.i18n import _
from d4a_desktop.services.search import MARK_END, MARK_START, Hit

HitRole = Qt.ItemDataRole.UserRole
KindRole = Qt.ItemDataRole.UserRole + 1
SnippetRole = Qt.ItemDataRole.UserRole + 2
#: Everything the delegate paints, in one call: (title, kind, snippet text, bold spans).
RowRole = Qt.ItemDataRole.UserRole + 3
_Index = QModelIndex | QPersistentModelIndex
#: Lines of snippet under a hit's title.
SNIPPET_LINES = 2
_PAD = 6
KIND_COLOUR = QColor("#6b7680")

def _kind_label(kind: str) -> str:
    return {
        "title": _("Activity"),
        "purpose": _("Purpose"),
        "guidance": _("Guidance"),
        "question": _("Guiding question"),
        "item": _("Checklist item"),
        "owner": _("Owner"),
        "note": _("Your note"),
    }.get(kind, kind)


def split_marks(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """The snippet without its match marks, and the (start, length) of each marked word."""
    parts = snippet.split(MARK_START)
    text = [parts[0].replace(MARK_END, "")]
    pos = len(text[0])
    spans = []
    for part in parts[1:]:
        marked, _sep, rest = part.partition(MARK_END)
        if marked:
            spans.append((pos, len(marked)))
        rest = rest.replace(MARK_END, "")
        text += [marked, rest]
        pos += len(marked) + len(rest)
    return "".join(text), spans


class HitModel(QAbstractListModel):
    """Search hits; with no hits one disabled row says that nothing was found.

    A row's texts are worked out when it is first shown: of 60 hits a list shows about a
    dozen, and typing replaces them at every keystroke.
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._roadmap: Roadmap | None = None
        self._hits: list[Hit] = []
        self._rows: list[tuple[str, str, str, list[tuple[int, int]]] | None] = []
        self._searched = False

    def set_hits(self, roadmap: Roadmap, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._roadmap = roadmap
        self._hits = list(hits)
        self._rows = [None] * len(self._hits)
        self._searched = True
        self.endResetModel()

    def _row(self, row: int) -> tuple[str, str, str, list[tuple[int, int]]]:
        cached = self._rows[row]
        if cached is None:
            hit = self._hits[row]
            assert self._roadmap is not None
            act = self._roadmap.activity(hit.activity_id)
            comp = self._roadmap.component(act.component_id)
            text, spans = split_marks(hit.snippet)
            cached = self._rows[row] = (f"{comp.number}.{act.number} {act.title}",
                                        _kind_label(hit.kind), text, spans)
        return cached

    def clear(self) -> None:
        self.beginResetModel()
        self._hits, self._rows = [], []
        self._searched = False
        self.endResetModel()

    def hit_count(self) -> int:
        return len(self._hits)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._hits) or (1 if self._searched else 0)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not self._hits:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        if not self._hits:
            return _("Nothing found.") if role == Qt.ItemDataRole.DisplayRole else None
        if role == HitRole:
            return self._hits[index.row()]
        title, kind, text, spans = self._row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == KindRole:
            return kind
        if role == RowRole:
            return title, kind, text, spans
        if role == SnippetRole:
            return text, spans
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(text)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}, {kind}: {text}"
        return None


class HitDelegate(QStyledItemDelegate):
    """Paints a hit as its activity in bold, what matched in grey, and the snippet with
    the matched words in bold in at most two lines ("…" when it goes on).

    Every hit has the same height, so the list asks for one size hint instead of laying
    out each snippet; only the rows on screen are ever laid out.
    """

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._fonts: dict[str, tuple[QFont, QFontMetrics, QFontMetrics, int]] = {}
        self._wrap = QTextOption()
        self._wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._bold = QTextCharFormat()
        self._bold.setFontWeight(QFont.Weight.Bold)

    def _metrics(self, font: QFont) -> tuple[QFont, QFontMetrics, QFontMetrics, int]:
        """Bold font, plain and bold metrics and the width of " …", once per font."""
        key = font.key()
        if key not in self._fonts:
            bold = QFont(font)
            bold.setBold(True)
            fm = QFontMetrics(font)
            self._fonts[key] = (bold, fm, QFontMetrics(bold), fm.horizontalAdvance(" …"))
        return self._fonts[key]

    def _snippet_layout(self, text: str, spans: list[tuple[int, int]], font: QFont,
                        width: int) -> tuple[QTextLayout, bool]:
        """The snippet in up to SNIPPET_LINES lines; True when text was left out."""
        layout = QTextLayout(text, font)
        layout.setTextOption(self._wrap)
        ranges = []
        for start, length in spans:
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, length, self._bold
            ranges.append(r)
        layout.setFormats(ranges)
        ellipsis = self._metrics(font)[3]
        layout.beginLayout()
        y = 0.0
        end = 0
        for number in range(SNIPPET_LINES):
            line = layout.createLine()
            if not line.isValid():
                break
            last = number == SNIPPET_LINES - 1
            line.setLineWidth(max(width - (ellipsis if last else 0), 10))
            line.setPosition(QPointF(0, y))
            y += line.height()
            end = line.textStart() + line.textLength()
        layout.endLayout()
        return layout, end < len(text.rstrip())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        row = index.data(RowRole)
        if row is None:  # "Nothing found."
            super().paint(painter, option, index)
            return
        # The row's background (selection, hover) through the style; its text painted
        # here. (No initStyleOption: it asks the model for a dozen roles per row.)
        from PySide6.QtWidgets import QStyle  # a costly type: not at start, when no result shows

        style = option.widget.style() if option.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                          option.widget)
        title, kind, text, spans = row
        rect = option.rect.adjusted(_PAD, _PAD // 2, -_PAD, -_PAD // 2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                           else QPalette.ColorRole.Text)
        painter.save()
        bold, fm, fm_bold, _ellipsis = self._metrics(option.font)
        kind = " · " + kind
        kind_width = min(fm.horizontalAdvance(kind), rect.width() // 2)
        title = fm_bold.elidedText(title, Qt.TextElideMode.ElideRight,
                                   rect.width() - kind_width)
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), fm_bold.height()),
                         int(Qt.AlignmentFlag.AlignLeft), title)
        painter.setFont(option.font)
        painter.setPen(text_colour if selected else KIND_COLOUR)
        painter.drawText(QRect(rect.left() + fm_bold.horizontalAdvance(title), rect.top(),
                               kind_width, fm_bold.height()), int(Qt.AlignmentFlag.AlignLeft),
                         fm.elidedText(kind, Qt.TextElideMode.ElideRight, kind_width))
        painter.setPen(text_colour)
        layout, cut = self._snippet_layout(text, spans, option.font, rect.width())
        origin = QPointF(rect.left(), rect.top() + fm_bold.height() + 1)
        layout.draw(painter, origin)
        if cut and layout.lineCount():
            last = layout.lineAt(layout.lineCount() - 1)
            painter.drawText(QPointF(origin.x() + last.naturalTextWidth(),
                                     origin.y() + last.y() + last.ascent()), " …")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        if index.data(RowRole) is None:
            return super().sizeHint(option, index)
        _bold, fm, fm_bold, _ellipsis = self._metrics(option.font)
        height = fm_bold.height() + 1 + SNIPPET_LINES * fm.lineSpacing() + _PAD
        return QSize(max(option.rect.width(), 100), height)


class SearchResults(QListView):
    hitChosen = Signal(object)  # Hit

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.hits = HitModel(self)
        self.delegate = HitDelegate(self)
        self.setModel(self.hits)
        self.setItemDelegate(self.delegate)
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def show_hits(self, roadmap: Roadmap, hits: list[Hit]) -> None:
        self.hits.set_hits(roadmap, hits)
        self.doItemsLayout()  # now, not in a later pass that would paint the list twice
        self.scrollToTop()

    def clear(self) -> None:
        self.hits.clear()

    def count(self) -> int:
        """The number of hits shown (0 when nothing was found)."""
        return self.hits.hit_count()

    def hit(self, row: int) -> Hit | None:
        value = self.hits.index(row, 0).data(HitRole)
        return value if isinstance(value, Hit) else None

    def setCurrentRow(self, row: int) -> None:
        self.setCurrentIndex(self.hits.index(row, 0))

    def _chosen(self, index: QModelIndex) -> None:
        hit = index.data(HitRole)
        if isinstance(hit, Hit):
            self.hitChosen.emit(hit)
