"""Search as you type: a field above the navigator and a list of results in its place.

Results are rows of a small model painted by a delegate: building a rich-text QLabel per
hit cost about 1 ms each and made typing stutter (``benchmarks/search.py`` measures it).
"""

from __future__ import annotations

import re
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
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from d4a_desktop.core.content import Roadmap
from d4a_desktop.gui.models import plain_tooltip
from d4a_desktop.i18n import _
from d4a_desktop.services.search import MARK_END, MARK_START, Hit

HitRole = Qt.ItemDataRole.UserRole
KindRole = Qt.ItemDataRole.UserRole + 1
SnippetRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex
#: Lines of snippet under a hit's title.
SNIPPET_LINES = 3
_PAD = 6

_ACCENTS = {
    "a": "aàáâäåæã", "e": "eèéêëę", "i": "iìíîï", "o": "oòóôöøõœ", "u": "uùúûü",
    "c": "cç", "n": "nñ", "y": "yÿý", "s": "sß",
}


def term_pattern(terms: tuple[str, ...]) -> str:
    """A regular expression finding the words a query matched, accents or not."""
    parts = []
    for term in terms:
        chars = []
        for ch in term.lower():
            variants = _ACCENTS.get(ch)
            chars.append(f"[{variants}]" if variants else re.escape(ch))
        parts.append(r"\b" + "".join(chars) + r"\w*")
    return "|".join(parts)


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


class SearchField(QLineEdit):
    """Esc clears the search; Down moves into the results."""

    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
        elif event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
        else:
            super().keyPressEvent(event)


def split_marks(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """The snippet without its match marks, and the (start, length) of each marked word."""
    text, spans, bold_from = [], [], None
    pos = 0
    for ch in snippet:
        if ch == MARK_START:
            bold_from = pos
        elif ch == MARK_END:
            if bold_from is not None and pos > bold_from:
                spans.append((bold_from, pos - bold_from))
            bold_from = None
        else:
            text.append(ch)
            pos += 1
    return "".join(text), spans


class HitModel(QAbstractListModel):
    """Search hits; with no hits one disabled row says that nothing was found."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[tuple[Hit, str, str, str, list[tuple[int, int]]]] = []
        self._searched = False

    def set_hits(self, roadmap: Roadmap, hits: list[Hit]) -> None:
        self.beginResetModel()
        self._rows = []
        for hit in hits:
            act = roadmap.activity(hit.activity_id)
            comp = roadmap.component(act.component_id)
            text, spans = split_marks(hit.snippet)
            self._rows.append((hit, f"{comp.number}.{act.number} {act.title}",
                               _kind_label(hit.kind), text, spans))
        self._searched = True
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._searched = False
        self.endResetModel()

    def hit_count(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        if parent.isValid():
            return 0
        return len(self._rows) or (1 if self._searched else 0)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not self._rows:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        if not self._rows:
            return _("Nothing found.") if role == Qt.ItemDataRole.DisplayRole else None
        hit, title, kind, text, spans = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == HitRole:
            return hit
        if role == KindRole:
            return kind
        if role == SnippetRole:
            return text, spans
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(text)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}, {kind}: {text}"
        return None


class HitDelegate(QStyledItemDelegate):
    """Paints a hit as its activity in bold, what matched in grey, and the snippet with
    the matched words in bold, wrapped to a few lines."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._heights: dict[tuple[int, int], int] = {}

    def forget(self) -> None:
        self._heights.clear()

    def _snippet_layout(self, text: str, spans: list[tuple[int, int]], font: QFont,
                        width: int) -> tuple[QTextLayout, int]:
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        ranges = []
        for start, length in spans:
            r = QTextLayout.FormatRange()
            r.start, r.length, r.format = start, length, bold
            ranges.append(r)
        layout.setFormats(ranges)
        layout.beginLayout()
        height = 0.0
        lines = 0
        while lines < SNIPPET_LINES:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 10))
            line.setPosition(QPointF(0, height))
            height += line.height()
            lines += 1
        layout.endLayout()
        return layout, int(height + 0.999)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        snippet = index.data(SnippetRole)
        if snippet is None:  # "Nothing found."
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
            return
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(_PAD, _PAD // 2, -_PAD, -_PAD // 2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(QPalette.ColorRole.HighlightedText if selected
                                        else QPalette.ColorRole.Text)
        grey = text_colour if selected else opt.palette.color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        fm_bold, fm = QFontMetrics(bold), QFontMetrics(opt.font)
        kind = " · " + str(index.data(KindRole) or "")
        kind_width = min(fm.horizontalAdvance(kind), rect.width() // 2)
        title = fm_bold.elidedText(str(index.data() or ""), Qt.TextElideMode.ElideRight,
                                   rect.width() - kind_width)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title_rect = QRect(rect.left(), rect.top(), rect.width(), fm_bold.height())
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignLeft), title)
        painter.setFont(opt.font)
        painter.setPen(grey)
        painter.drawText(QRect(rect.left() + fm_bold.horizontalAdvance(title), rect.top(),
                               kind_width, fm_bold.height()), int(Qt.AlignmentFlag.AlignLeft),
                         fm.elidedText(kind, Qt.TextElideMode.ElideRight, kind_width))
        painter.setPen(text_colour)
        text, spans = snippet
        layout, _height = self._snippet_layout(text, spans, opt.font, rect.width())
        layout.draw(painter, QPointF(rect.left(), rect.top() + fm_bold.height() + 1))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        snippet = index.data(SnippetRole)
        if snippet is None:
            return super().sizeHint(option, index)
        view = option.widget
        width = view.viewport().width() if isinstance(view, QAbstractItemView) \
            else option.rect.width()
        key = (index.row(), width)
        if key not in self._heights:
            bold = QFont(option.font)
            bold.setBold(True)
            text, spans = snippet
            _layout, height = self._snippet_layout(text, spans, option.font,
                                                   width - 2 * _PAD)
            self._heights[key] = QFontMetrics(bold).height() + 1 + height + _PAD
        return QSize(width, self._heights[key])


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
        self.hits.modelReset.connect(self.delegate.forget)
        self.activated.connect(self._chosen)
        self.clicked.connect(self._chosen)

    def show_hits(self, roadmap: Roadmap, hits: list[Hit]) -> None:
        self.hits.set_hits(roadmap, hits)
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
