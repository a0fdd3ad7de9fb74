"""The checklist table of the activity page: its view, column layout and cell editors.

The table has to work from a 900-pixel-wide laptop window to a 2560-pixel monitor. Item
text always keeps a readable width: the other columns give way first (down to what their
heading needs), and only then does the table scroll sideways. Under each item its
dimension and suggested role are shown as a small tag line, so they need no columns of
their own. Notes show their first lines in the table and are edited in a multi-line
editor; owners complete from the names the project already uses.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from d4a_desktop.core.vocab import Dimension
from d4a_desktop.gui.dates import DateEdit, DueDateDelegate, widest_date
from d4a_desktop.gui.models import (
    DIMENSION_COLOURS,
    ChecklistModel,
    DimensionRole,
    ItemIdRole,
    SuggestedRoleRole,
)
from d4a_desktop.i18n import _, pgettext

_Index = QModelIndex | QPersistentModelIndex

#: Lines of a note shown in the table before "…"; the tooltip and editor show all.
NOTE_PREVIEW_LINES = 3
#: Narrowest item column, in average characters, before the table scrolls sideways.
ITEM_MIN_CHARS = 30
_PAD = 6
TAG_COLOUR = QColor("#6b7680")


def wrapped_lines(text: str, font: QFont, width: int, max_lines: int | None = None) -> list[str]:
    """``text`` broken into lines that fit ``width``; with ``max_lines`` the last line
    shown ends in "…" when text was left out."""
    width = max(width, 10)
    fm = QFontMetrics(font)
    lines: list[str] = []
    paragraphs = text.split("\n")
    for paragraph in paragraphs:
        if not paragraph:
            lines.append("")
            continue
        layout = QTextLayout(paragraph, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()]
                         .rstrip())
            if max_lines is not None and len(lines) > max_lines:
                break
        layout.endLayout()
        if max_lines is not None and len(lines) > max_lines:
            break
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        # "…" after the last line shown: in the space left, or in place of its end.
        lines[-1] = fm.elidedText(lines[-1] + " …", Qt.TextElideMode.ElideRight, width)
    return lines


def _style(option: QStyleOptionViewItem) -> QStyle:
    return option.widget.style() if option.widget is not None else QApplication.style()


def _text_colour(option: QStyleOptionViewItem) -> Any:
    selected = option.state & QStyle.StateFlag.State_Selected
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    return option.palette.color(role)


def _column_rect(opt: QStyleOptionViewItem, index: _Index, fallback: int) -> None:
    """Give a size hint the width the cell has now. The option a view passes to
    ``sizeHint`` does not always carry it (it does not when the view measures rows for
    another reason than wrapping), and a height worked out for another width clips the
    text or leaves a gap."""
    view = opt.widget
    width = view.columnWidth(index.column()) if isinstance(view, QTableView) else 0
    if width > 0:
        opt.rect = QRect(0, 0, width, max(opt.rect.height(), 20))
    elif opt.rect.width() <= 0:
        opt.rect = QRect(0, 0, fallback, 20)


class _TextCellDelegate(QStyledItemDelegate):
    """Paints a cell's background and check box through the style, and its text as lines."""

    def _text_rect(self, option: QStyleOptionViewItem) -> QRect:
        rect = option.rect.adjusted(_PAD, _PAD // 2 + 1, -_PAD, -(_PAD // 2 + 1))
        if option.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            check = _style(option).subElementRect(
                QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, option.widget)
            rect.setLeft(check.right() + _PAD + 2)
        return rect

    def _background(self, painter: QPainter, option: QStyleOptionViewItem,
                    index: _Index) -> QStyleOptionViewItem:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        _style(opt).drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        opt.text = text
        return opt


class ItemDelegate(_TextCellDelegate):
    """Item text, wrapped, with a tag line under it: dimension (in its colour) · role."""

    def _tag_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setItalic(False)
        size = font.pointSizeF()
        if size > 0:
            small.setPointSizeF(max(size * 0.88, 7.0))
        return small

    @staticmethod
    def _dimension(index: _Index) -> Dimension | None:
        value = index.data(DimensionRole)
        return Dimension(value) if value else None

    def _tags(self, index: _Index) -> str:
        dimension = self._dimension(index)
        role = index.data(SuggestedRoleRole) or ""
        label = dimension.label() if dimension is not None else ""
        return f"{label} · {role}" if role else label

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = self._background(painter, option, index)
        rect = self._text_rect(opt)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(_text_colour(opt))
        fm = QFontMetrics(opt.font)
        y = rect.top()
        for line in wrapped_lines(opt.text, opt.font, rect.width()):
            painter.drawText(QRect(rect.left(), y, rect.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             line)
            y += fm.lineSpacing()
        tags = self._tags(index)
        if tags:
            small = self._tag_font(opt.font)
            sfm = QFontMetrics(small)
            y += 1
            dimension = self._dimension(index)
            dot = sfm.height() // 2
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            if dimension is not None:
                painter.setBrush(DIMENSION_COLOURS[dimension])
                painter.drawEllipse(rect.left(), y + (sfm.height() - dot) // 2, dot, dot)
            painter.setFont(small)
            selected = opt.state & QStyle.StateFlag.State_Selected
            painter.setPen(_text_colour(opt) if selected else TAG_COLOUR)
            left = rect.left() + dot + 5
            painter.drawText(QRect(left, y, rect.right() - left, sfm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             sfm.elidedText(tags, Qt.TextElideMode.ElideRight,
                                            rect.right() - left))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        _column_rect(opt, index, 400)
        rect = self._text_rect(opt)
        fm = QFontMetrics(opt.font)
        lines = max(1, len(wrapped_lines(opt.text, opt.font, rect.width())))
        height = lines * fm.lineSpacing() + _PAD + 2
        if self._tags(index):
            height += QFontMetrics(self._tag_font(opt.font)).height() + 1
        return QSize(opt.rect.width(), height)


class NoteEdit(QPlainTextEdit):
    """A note of several lines. Enter starts a new line; Ctrl+Enter or leaving the cell
    keeps the note, Esc drops the change."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(_("Ctrl+Enter keeps the note, Esc cancels"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.finished.emit()
            return
        super().keyPressEvent(event)


class NoteDelegate(_TextCellDelegate):
    """The first lines of a note in the cell; the whole note in a multi-line editor."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = self._background(painter, option, index)
        rect = self._text_rect(opt)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(_text_colour(opt))
        fm = QFontMetrics(opt.font)
        y = rect.top()
        for line in wrapped_lines(opt.text, opt.font, rect.width(), NOTE_PREVIEW_LINES):
            painter.drawText(QRect(rect.left(), y, rect.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             line)
            y += fm.lineSpacing()
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        _column_rect(opt, index, 200)
        rect = self._text_rect(opt)
        lines = len(wrapped_lines(opt.text, opt.font, rect.width(), NOTE_PREVIEW_LINES)) \
            if opt.text else 1
        return QSize(opt.rect.width(), lines * QFontMetrics(opt.font).lineSpacing() + _PAD + 2)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        editor = NoteEdit(parent)
        editor.finished.connect(lambda e=editor: self._commit_and_close(e))
        return editor

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, NoteEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, NoteEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: _Index) -> None:
        """Larger than the cell: room for a few lines, kept inside the table."""
        fm = QFontMetrics(option.font)
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), 34 * fm.averageCharWidth()))
        rect.setHeight(max(rect.height(), 6 * fm.lineSpacing() + 12))
        view = option.widget
        if isinstance(view, QAbstractItemView):
            area = view.viewport().rect()
            if rect.right() > area.right():
                rect.moveRight(area.right())
            if rect.bottom() > area.bottom():
                rect.moveBottom(area.bottom())
            rect.moveTop(max(rect.top(), area.top()))
            rect.moveLeft(max(rect.left(), area.left()))
        editor.setGeometry(rect)


class OwnerDelegate(QStyledItemDelegate):
    """A line editor that completes names the project already uses for owners."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        model = index.model()
        names = model.owner_suggestions() if isinstance(model, ChecklistModel) else []
        completer = QCompleter(QStringListModel(names, editor), editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        editor.setCompleter(completer)
        editor.setPlaceholderText(_("Name"))
        return editor


class ChecklistView(QTableView):
    """The checklist table: fits its columns to its width; Delete or Backspace clears an
    owner, a due date or a note (an undoable edit like any other)."""

    #: a message for the status bar (a date that was not taken, …)
    message = Signal(str)
    #: an item id: write a comment about that checklist item
    commentRequested = Signal(str)
    #: show the history of a checklist item (its id)
    historyRequested = Signal(str)

    def __init__(self, model: ChecklistModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)
        self._checklist = model
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        #: How editing starts; a project open for reading switches it off.
        self.edit_triggers = (QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setEditTriggers(self.edit_triggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.setItemDelegateForColumn(ChecklistModel.ITEM, ItemDelegate(self))
        self.setItemDelegateForColumn(ChecklistModel.OWNER, OwnerDelegate(self))
        self.due_delegate = DueDateDelegate(self)
        self.due_delegate.refused.connect(lambda text: self.message.emit(
            _("“{text}” is not a date; the due date was left as it was.").format(text=text)))
        self.setItemDelegateForColumn(ChecklistModel.DUE, self.due_delegate)
        self.setItemDelegateForColumn(ChecklistModel.NOTE, NoteDelegate(self))
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setHighlightSections(False)
        for column in range(ChecklistModel.COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._column_resized)
        self._fitting = False
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.resizeRowsToContents)
        model.modelReset.connect(self.refit)
        model.dataChanged.connect(lambda *_a: self.refit())  # an owner may be longer now

    # --- columns ---------------------------------------------------------------------------

    def header_width(self, column: int) -> int:
        """What a column needs to show its heading in full."""
        text = str(self._checklist.headerData(column, Qt.Orientation.Horizontal) or "")
        fm = QFontMetrics(self.horizontalHeader().font())
        return fm.horizontalAdvance(text) + 2 * _PAD + 12

    def minimum_widths(self) -> dict[int, int]:
        fm = QFontMetrics(self.font())
        wanted = {
            ChecklistModel.ITEM: ITEM_MIN_CHARS * fm.averageCharWidth(),
            ChecklistModel.OWNER: 12 * fm.averageCharWidth(),
            ChecklistModel.DUE: widest_date(fm) + 2 * _PAD + 6,
            ChecklistModel.NOTE: 14 * fm.averageCharWidth(),
        }
        return {c: max(w, self.header_width(c)) for c, w in wanted.items()}

    def refit(self) -> None:
        """Share the width: owner and note get a comfortable width when there is room and
        give way to the item text when there is not; the table scrolls only when even
        the narrowest columns do not fit."""
        minimum = self.minimum_widths()
        fm = QFontMetrics(self.font())
        avail = self.viewport().width()
        item, owner, due, note = (ChecklistModel.ITEM, ChecklistModel.OWNER,
                                  ChecklistModel.DUE, ChecklistModel.NOTE)
        names = [str(self._checklist.index(row, owner).data() or "")
                 for row in range(self._checklist.rowCount())]
        longest = max((fm.horizontalAdvance(n) for n in names), default=0) + 2 * _PAD + 4
        widths = {
            owner: max(minimum[owner], min(longest, 26 * fm.averageCharWidth())),
            due: minimum[due],
            note: max(minimum[note], min(int(avail * 0.3), 48 * fm.averageCharWidth())),
        }
        item_wanted = max(minimum[item], int(avail * 0.42))
        for column in (note, owner):  # give way, note first
            spare = avail - sum(widths.values()) - item_wanted
            if spare < 0:
                widths[column] = max(minimum[column], widths[column] + spare)
        widths[item] = max(minimum[item], avail - sum(widths.values()))
        self._fitting = True
        try:
            for column, width in widths.items():
                self.setColumnWidth(column, width)
        finally:
            self._fitting = False
        self._rows_timer.start()

    def _column_resized(self, *_args: Any) -> None:
        if not self._fitting:
            self._rows_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refit()

    # --- keys and menu -----------------------------------------------------------------------

    def _clearable(self, index: QModelIndex) -> bool:
        return index.isValid() and index.column() in (
            ChecklistModel.OWNER, ChecklistModel.DUE, ChecklistModel.NOTE) \
            and bool(self._checklist.flags(index) & Qt.ItemFlag.ItemIsEditable) \
            and index.data(Qt.ItemDataRole.EditRole) not in (None, "")

    def clear_cell(self, index: QModelIndex) -> None:
        value = None if index.column() == ChecklistModel.DUE else ""
        self._checklist.setData(index, value, Qt.ItemDataRole.EditRole)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                self.state() != QAbstractItemView.State.EditingState and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            index = self.currentIndex()
            if self._clearable(index):
                self.clear_cell(index)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        menu = QMenu(self)
        item_id = str(index.siblingAtColumn(ChecklistModel.ITEM).data(ItemIdRole) or "")
        comment = QAction(pgettext("checklist menu", "Comment on This Item…"), menu)
        comment.triggered.connect(lambda: self.commentRequested.emit(item_id))
        menu.addAction(comment)
        history = QAction(pgettext("checklist menu", "History of This Item…"), menu)
        history.triggered.connect(lambda: self.historyRequested.emit(item_id))
        menu.addAction(history)
        if index.column() == ChecklistModel.ITEM:
            menu.exec(event.globalPos())
            return
        menu.addSeparator()
        # Translators: commands in the context menu of a checklist cell.
        edit = QAction({ChecklistModel.OWNER: pgettext("checklist menu", "Edit owner"),
                        ChecklistModel.DUE: pgettext("checklist menu", "Choose due date…"),
                        ChecklistModel.NOTE: pgettext("checklist menu", "Edit note")
                        }[index.column()], menu)
        edit.triggered.connect(lambda: self._edit_from_menu(index))
        menu.addAction(edit)
        clear = QAction({ChecklistModel.OWNER: pgettext("checklist menu", "Remove owner"),
                         ChecklistModel.DUE: pgettext("checklist menu", "No date"),
                         ChecklistModel.NOTE: pgettext("checklist menu", "Delete note")
                         }[index.column()], menu)
        clear.setShortcut(Qt.Key.Key_Delete)
        clear.setEnabled(self._clearable(index))
        clear.triggered.connect(lambda: self.clear_cell(index))
        menu.addAction(clear)
        menu.exec(event.globalPos())

    def _edit_from_menu(self, index: QModelIndex) -> None:
        self.edit(index)
        if index.column() == ChecklistModel.DUE:
            for editor in self.viewport().findChildren(DateEdit):
                if editor.isVisible():
                    editor.show_calendar()

    def viewportSizeHint(self) -> QSize:
        """As wide as the narrowest usable columns, so layouts know what the table needs."""
        return QSize(sum(self.minimum_widths().values()), super().viewportSizeHint().height())
