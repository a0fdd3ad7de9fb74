"""Entering a due date: typed as the locale writes it, or picked from a calendar.

The editor shows a date exactly as the checklist does (babel's format for the locale) and
reads what the user types with :func:`d4a_desktop.i18n.dates.parse_date`: the locale's
short format, ISO 8601 or month names. Empty means "no date". Text that is not a date is
never stored, and nothing ever falls back to today's date: a due date nobody entered
would look like a real deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.i18n import _
from d4a_desktop.i18n.dates import DateInputError, example, parse_date

_Index = QModelIndex | QPersistentModelIndex
_INVALID_STYLE = "QLineEdit { border: 1px solid #c0392b; background: #fdf0ee; }"


def qlocale() -> QLocale:
    """The Qt locale of the interface language (first day of the week, day names)."""
    return QLocale(i18n.locale())


def calendar_icon() -> QIcon:
    """A small drawn calendar page; icon themes are not there on every desktop."""
    pix = QPixmap(16, 16)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor("#4a5560"))
    p.setBrush(QColor("white"))
    p.drawRoundedRect(QRectF(1.5, 2.5, 13, 12), 1.5, 1.5)
    p.fillRect(2, 3, 12, 3, QColor("#1f4e79"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#4a5560"))
    for row in range(2):
        for col in range(3):
            p.drawRect(4 + col * 3, 8 + row * 3, 2, 2)
    p.end()
    return QIcon(pix)


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def widest_date(fm: QFontMetrics) -> int:
    """The width of the widest date as the checklist shows it in this locale."""
    return max(fm.horizontalAdvance(i18n.format_date(dt.date(2026, month, 28)))
               for month in range(1, 13))


def date_field_width(fm: QFontMetrics) -> int:
    """Room for the widest date of the locale and the calendar button."""
    return widest_date(fm) + 24 + 16


class CalendarPopup(QFrame):
    """A month calendar with ISO week numbers, and buttons for today and for no date."""

    #: a datetime.date, or None for "no date"
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(qlocale())
        self.calendar.setFirstDayOfWeek(qlocale().firstDayOfWeek())
        # Nordic and German offices plan by week number.
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers)
        self.calendar.setHorizontalHeaderFormat(
            QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(lambda qdate: self._choose(from_qdate(qdate)))
        self.calendar.activated.connect(lambda qdate: self._choose(from_qdate(qdate)))
        self.calendar.setMinimumWidth(self._width_for_day_names())
        self.today = QPushButton(_("Today"))
        self.today.clicked.connect(lambda: self._choose(dt.date.today()))
        # Translators: a button below the calendar that removes the due date.
        self.no_date = QPushButton(_("No date"))
        self.no_date.clicked.connect(lambda: self._choose(None))
        buttons = QHBoxLayout()
        buttons.addWidget(self.today)
        buttons.addStretch(1)
        buttons.addWidget(self.no_date)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        layout.addLayout(buttons)

    def _width_for_day_names(self) -> int:
        """Wide enough that no weekday heading is cut ("tirs.", "mer.", "Mi.")."""
        fm = QFontMetrics(self.calendar.font())
        locale = qlocale()
        widest = max(fm.horizontalAdvance(locale.dayName(day, QLocale.FormatType.ShortFormat))
                     for day in range(1, 8))
        widest = max(widest, fm.horizontalAdvance("53"), fm.horizontalAdvance("00") + 8)
        return 8 * (widest + 14) + 8

    def show_for(self, anchor: QWidget, value: dt.date | None) -> None:
        self.calendar.setSelectedDate(to_qdate(value or dt.date.today()))
        self.adjustSize()
        below = anchor.mapToGlobal(QPoint(0, anchor.height()))
        screen = anchor.screen().availableGeometry() if anchor.screen() else None
        geometry = QRect(below, self.sizeHint())
        if screen is not None:
            if geometry.bottom() > screen.bottom():
                geometry.moveBottom(anchor.mapToGlobal(QPoint(0, 0)).y())
            if geometry.right() > screen.right():
                geometry.moveRight(screen.right())
            geometry.moveLeft(max(geometry.left(), screen.left()))
        self.setGeometry(geometry)
        self.show()
        self.calendar.setFocus()

    def _choose(self, value: dt.date | None) -> None:
        self.hide()
        self.chosen.emit(value)


class DateEdit(QLineEdit):
    """A due date as text in the locale's format, with a calendar button.

    ``date()`` raises DateInputError while the text is not a date; the field then shows
    a red border and says what it expects.
    """

    #: the user picked from the calendar (a date or None): store it and close
    picked = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # Translators: shown in an empty due-date field; {example} is a date such as 31.12.2026.
        self.setPlaceholderText(_("No date (type e.g. {example})").format(example=example()))
        self._hint = _("Type a date such as {example}, or pick one from the calendar. "
                       "Leave the field empty for no date.").format(example=example())
        self.setToolTip(self._hint)
        self.calendar_action = self.addAction(calendar_icon(),
                                              QLineEdit.ActionPosition.TrailingPosition)
        self.calendar_action.setToolTip(_("Choose from the calendar (Alt+Down)"))
        self.calendar_action.triggered.connect(self.show_calendar)
        self.popup: CalendarPopup | None = None
        self.textChanged.connect(self._check)

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        hint.setWidth(date_field_width(self.fontMetrics()))
        return hint

    def minimumSizeHint(self) -> Any:
        return self.sizeHint()

    def date(self) -> dt.date | None:
        return parse_date(self.text())

    def setDate(self, value: dt.date | None) -> None:
        self.setText(i18n.format_date(value) if value else "")
        self.selectAll()

    def is_valid(self) -> bool:
        try:
            self.date()
        except DateInputError:
            return False
        return True

    def _check(self) -> None:
        valid = self.is_valid()
        self.setStyleSheet("" if valid else _INVALID_STYLE)
        self.setProperty("invalid", not valid)

    def explain(self) -> None:
        """Say, at the field, why its text was not taken."""
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())),
                          _("“{text}” is not a date.").format(text=self.text().strip())
                          + "\n" + self._hint, self)

    def show_calendar(self) -> None:
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.chosen.connect(self._picked)
        current = self.date() if self.is_valid() else None
        self.popup.show_for(self, current)

    def _picked(self, value: dt.date | None) -> None:
        self.setDate(value)
        self.setFocus()
        self.picked.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and \
            bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return
        super().keyPressEvent(event)


class DueDateDelegate(QStyledItemDelegate):
    """Edits a due date in a table cell with :class:`DateEdit`.

    Enter on text that is not a date keeps the editor open and says why; leaving the cell
    with such text keeps the stored date unchanged and reports it through ``refused``.
    """

    #: the text that was not taken as a date
    refused = Signal(str)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        editor = DateEdit(parent)
        editor.picked.connect(lambda _value, e=editor: self._commit_and_close(e))
        return editor

    def _commit_and_close(self, editor: DateEdit) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, DateEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(value if isinstance(value, dt.date) else None)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, DateEdit)
        try:
            value = editor.date()
        except DateInputError:
            self.refused.emit(editor.text().strip())
            return
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: _Index) -> None:
        """A line in the middle of the cell, widened to the editor's width when the column
        is narrow."""
        rect = QRect(option.rect)
        hint = editor.sizeHint()
        rect.setWidth(max(rect.width(), hint.width()))
        if rect.height() > hint.height():
            rect.setTop(rect.top() + (rect.height() - hint.height()) // 2)
            rect.setHeight(hint.height())
        view = option.widget
        if isinstance(view, QAbstractItemView) and rect.right() > view.viewport().width():
            rect.moveRight(max(view.viewport().width() - 1, rect.width() - 1))
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, DateEdit) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                    not watched.is_valid():
                watched.explain()
                return True
        return super().eventFilter(watched, event)
