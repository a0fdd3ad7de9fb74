"""The timeline: the plan on one page, drawn with QPainter.

Activities are bars from their planned start to their planned end, grouped by component;
milestones are diamonds in a lane of their own; checklist items' due dates are ticks on
their activity's row; a line marks today. Work past its date is drawn in the warning
colour. The names stay on the left and the calendar on top while the chart scrolls, by
mouse or keyboard (arrows, Page Up/Down, Home for today, + and − to zoom, Enter to plan
the selected activity). Double-click an activity to plan its start and end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.records import Record
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui.models import STATUS_COLOURS
from d4a_desktop.gui.records import DateField
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import _, pgettext

WARNING = QColor("#c0392b")
TODAY = QColor("#e67e22")
MILESTONE = QColor("#6c3483")
GRID = QColor("#e3e8ed")
BAND = QColor("#eef2f6")
SELECTED = QColor("#dbe8f5")
TEXT = QColor("#1f2d3a")
MUTED = QColor("#8a949e")
#: Pixels per day for the two zoom levels.
ZOOM = {"month": 4.0, "week": 18.0}


@dataclass
class Row:
    """One line of the chart."""

    kind: str                 # "milestones", "component" or "activity"
    id: str
    label: str
    start: dt.date | None = None
    end: dt.date | None = None
    status: Status = Status.NOT_STARTED
    applies: bool = True
    late: bool = False
    #: (due date, item id, done, text) of the activity's checklist items
    ticks: list[tuple[dt.date, str, bool, str]] = field(default_factory=list)


@dataclass
class Mark:
    """A milestone."""

    id: str
    name: str
    date: dt.date
    done: bool


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class TimelineChart(QAbstractScrollArea):
    activityActivated = Signal(str)        # double-click on the bar area: plan the dates
    linkActivated = Signal(str)            # activity:<id>, item:<id>, record:milestones:<id>

    LABEL_W = 300
    HEADER_H = 46
    ROW_H = 26
    LANE_H = 56
    LANES = 3

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.rows: list[Row] = []
        self.marks: list[Mark] = []
        self.today = dt.date.today()
        self.zoom = "month"
        self.first = self.today
        self.last = self.today
        self.current = -1
        self._font = QFont(self.font())
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))

    # --- contents -----------------------------------------------------------------------

    def set_contents(self, rows: list[Row], marks: list[Mark], today: dt.date) -> None:
        self.rows, self.marks, self.today = rows, marks, today
        dates = [today]
        for row in rows:
            dates += [d for d in (row.start, row.end) if d]
            dates += [t[0] for t in row.ticks]
        dates += [m.date for m in marks]
        self.first = _month_start(min(dates) - dt.timedelta(days=14))
        last = max(dates) + dt.timedelta(days=31)
        self.last = _next_month(last) - dt.timedelta(days=1)
        if self.current >= len(rows):
            self.current = -1
        self._update_scrollbars()
        self.viewport().update()

    @property
    def px_per_day(self) -> float:
        return ZOOM[self.zoom]

    def set_zoom(self, zoom: str) -> None:
        if zoom == self.zoom or zoom not in ZOOM:
            return
        centre = self._date_at(self.LABEL_W + (self.viewport().width() - self.LABEL_W) // 2)
        self.zoom = zoom
        self._update_scrollbars()
        self.scroll_to_date(centre)
        self.viewport().update()

    def chart_width(self) -> int:
        return int(((self.last - self.first).days + 1) * self.px_per_day)

    def chart_height(self) -> int:
        return self.LANE_H + len(self.rows) * self.ROW_H + 8

    def _update_scrollbars(self) -> None:
        view = self.viewport().size()
        h = self.horizontalScrollBar()
        h.setRange(0, max(0, self.chart_width() - (view.width() - self.LABEL_W)))
        h.setPageStep(max(1, view.width() - self.LABEL_W))
        h.setSingleStep(max(1, int(7 * self.px_per_day)))
        v = self.verticalScrollBar()
        v.setRange(0, max(0, self.chart_height() - (view.height() - self.HEADER_H)))
        v.setPageStep(max(1, view.height() - self.HEADER_H))
        v.setSingleStep(self.ROW_H)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    # --- coordinates --------------------------------------------------------------------

    def x_of(self, day: dt.date) -> float:
        return self.LABEL_W + (day - self.first).days * self.px_per_day \
            - self.horizontalScrollBar().value()

    def _date_at(self, x: float) -> dt.date:
        days = (x - self.LABEL_W + self.horizontalScrollBar().value()) / self.px_per_day
        return self.first + dt.timedelta(days=int(days))

    def row_top(self, n: int) -> int:
        return self.HEADER_H + self.LANE_H + n * self.ROW_H - self.verticalScrollBar().value()

    def row_at(self, y: int) -> int:
        offset = y - self.HEADER_H - self.LANE_H + self.verticalScrollBar().value()
        if y < self.HEADER_H or offset < 0:
            return -1
        n = offset // self.ROW_H
        return n if n < len(self.rows) else -1

    def scroll_to_date(self, day: dt.date) -> None:
        x = (day - self.first).days * self.px_per_day
        width = self.viewport().width() - self.LABEL_W
        self.horizontalScrollBar().setValue(int(x - width / 3))

    def scroll_to_today(self) -> None:
        self.scroll_to_date(self.today)

    def _bar_rect(self, row: Row, top: int) -> QRectF | None:
        start = row.start or row.end
        end = row.end or row.start
        if start is None or end is None:
            return None
        if end < start:
            start, end = end, start
        x0 = self.x_of(start)
        x1 = self.x_of(end + dt.timedelta(days=1))
        return QRectF(x0, top + 6, max(3.0, x1 - x0), self.ROW_H - 12)

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        width, height = self.viewport().width(), self.viewport().height()
        p.fillRect(0, 0, width, height, QColor("white"))
        p.setClipRect(self.LABEL_W, self.HEADER_H, width - self.LABEL_W, height - self.HEADER_H)
        self._paint_grid(p, height)
        self._paint_rows(p, width)
        self._paint_marks(p, height)
        x = self.x_of(self.today)
        p.setPen(QPen(TODAY, 2))
        p.drawLine(QPointF(x, self.HEADER_H), QPointF(x, height))
        p.setClipping(False)
        self._paint_labels(p, height)
        self._paint_header(p, width)
        p.end()

    def _months(self) -> list[dt.date]:
        months, day = [], _month_start(self.first)
        while day <= self.last:
            months.append(day)
            day = _next_month(day)
        return months

    def _paint_grid(self, p: QPainter, height: int) -> None:
        if self.zoom == "week":
            day = self.first + dt.timedelta(days=(7 - self.first.weekday()) % 7)
            p.setPen(QPen(GRID, 1))
            while day <= self.last:
                weekend = self.x_of(day - dt.timedelta(days=2))
                p.fillRect(QRectF(weekend, self.HEADER_H, 2 * self.px_per_day, height),
                           QColor("#f7f9fb"))
                x = self.x_of(day)
                p.drawLine(QPointF(x, self.HEADER_H), QPointF(x, height))
                day += dt.timedelta(days=7)
        p.setPen(QPen(QColor("#cfd6dd"), 1))
        for month in self._months():
            x = self.x_of(month)
            p.drawLine(QPointF(x, self.HEADER_H), QPointF(x, height))

    def _paint_rows(self, p: QPainter, width: int) -> None:
        top_limit, bottom_limit = self.HEADER_H - self.ROW_H, self.viewport().height()
        for n, row in enumerate(self.rows):
            top = self.row_top(n)
            if top < top_limit or top > bottom_limit:
                continue
            if n == self.current:
                p.fillRect(QRectF(0, top, width, self.ROW_H), SELECTED)
            if row.kind == "component":
                p.fillRect(QRectF(0, top, width, self.ROW_H), BAND)
                rect = self._bar_rect(row, top)
                if rect is not None:
                    p.fillRect(QRectF(rect.left(), top + self.ROW_H - 8, rect.width(), 3),
                               QColor("#7a8894"))
                continue
            rect = self._bar_rect(row, top)
            if rect is not None:
                colour = WARNING if row.late else STATUS_COLOURS[row.status]
                if not row.applies:
                    colour = QColor("#dde1e5")
                path = QPainterPath()
                path.addRoundedRect(rect, 4, 4)
                fill = QColor(colour)
                if row.status is Status.NOT_STARTED and not row.late:
                    fill = QColor("#c5ccd3")
                p.fillPath(path, fill)
                if row.late:
                    p.setPen(QPen(WARNING.darker(130), 1))
                    p.drawPath(path)
            for due, _item, done, _text in row.ticks:
                x = self.x_of(due)
                overdue = not done and due < self.today
                colour = QColor("#2e9d5b") if done else (WARNING if overdue else TEXT)
                p.setPen(QPen(colour, 2))
                p.drawLine(QPointF(x, top + 3), QPointF(x, top + self.ROW_H - 3))
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(self.LABEL_W, top + self.ROW_H - 0.5),
                       QPointF(width, top + self.ROW_H - 0.5))

    def _mark_positions(self) -> list[tuple[Mark, QPointF, float]]:
        """Each milestone's centre in the lane and the room its name has: milestones take
        the first of three heights where their name fits; a name that would run into the
        next milestone of its height is shortened."""
        fm = QFontMetrics(self._small)
        top = self.HEADER_H - self.verticalScrollBar().value()
        ends = [-1e9] * self.LANES
        placed: list[tuple[Mark, float, int]] = []
        for mark in sorted(self.marks, key=lambda m: m.date):
            x = self.x_of(mark.date)
            free = [n for n in range(self.LANES) if x - 9 > ends[n]]
            lane = free[0] if free else min(range(self.LANES), key=ends.__getitem__)
            ends[lane] = x + 12 + fm.horizontalAdvance(mark.name)
            placed.append((mark, x, lane))
        result = []
        for n, (mark, x, lane) in enumerate(placed):
            following = [px for _m, px, pl in placed[n + 1:] if pl == lane]
            room = (following[0] - x - 22) if following else 1e9
            result.append((mark, QPointF(x, top + 10 + lane * 16), room))
        return result

    def _paint_marks(self, p: QPainter, height: int) -> None:
        p.setFont(self._small)
        fm = QFontMetrics(self._small)
        for mark, centre, room in self._mark_positions():
            missed = not mark.done and mark.date < self.today
            colour = QColor("#2e9d5b") if mark.done else (WARNING if missed else MILESTONE)
            p.setPen(QPen(QColor(colour.red(), colour.green(), colour.blue(), 70), 1,
                          Qt.PenStyle.DashLine))
            p.drawLine(QPointF(centre.x(), centre.y() + 6), QPointF(centre.x(), height))
            diamond = QPolygonF([QPointF(centre.x(), centre.y() - 6),
                                 QPointF(centre.x() + 6, centre.y()),
                                 QPointF(centre.x(), centre.y() + 6),
                                 QPointF(centre.x() - 6, centre.y())])
            p.setPen(QPen(colour.darker(120), 1))
            p.setBrush(QBrush(colour))
            p.drawPolygon(diamond)
            p.setPen(TEXT)
            if room > 24:
                name = fm.elidedText(mark.name, Qt.TextElideMode.ElideRight, int(min(room, 2000)))
                p.drawText(QPointF(centre.x() + 9, centre.y() + 4), name)
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_labels(self, p: QPainter, height: int) -> None:
        p.fillRect(QRect(0, self.HEADER_H, self.LABEL_W, height), QColor("white"))
        p.setClipRect(0, self.HEADER_H, self.LABEL_W, height - self.HEADER_H)
        lane_top = self.HEADER_H - self.verticalScrollBar().value()
        p.setFont(self._bold)
        p.setPen(MILESTONE)
        p.drawText(QRect(12, lane_top, self.LABEL_W - 16, self.LANE_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   _("Milestones"))
        for n, row in enumerate(self.rows):
            top = self.row_top(n)
            if top < self.HEADER_H - self.ROW_H or top > height:
                continue
            if n == self.current:
                p.fillRect(QRect(0, top, self.LABEL_W, self.ROW_H), SELECTED)
            if row.kind == "component":
                p.fillRect(QRect(0, top, self.LABEL_W, self.ROW_H), BAND)
                p.setFont(self._bold)
                p.setPen(TEXT)
                indent = 8
            else:
                font = QFont(self._font)
                font.setItalic(not row.applies)
                p.setFont(font)
                p.setPen(TEXT if row.applies else MUTED)
                if row.late:
                    p.setPen(WARNING)
                indent = 22
            fm = QFontMetrics(p.font())
            text = fm.elidedText(row.label, Qt.TextElideMode.ElideRight,
                                 self.LABEL_W - indent - 8)
            p.drawText(QRect(indent, top, self.LABEL_W - indent - 8, self.ROW_H),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        p.setClipping(False)
        p.setPen(QPen(QColor("#cfd6dd"), 1))
        p.drawLine(self.LABEL_W, self.HEADER_H, self.LABEL_W, height)

    def _paint_header(self, p: QPainter, width: int) -> None:
        p.fillRect(QRect(0, 0, width, self.HEADER_H), QColor("#f6f8fa"))
        p.setClipRect(self.LABEL_W, 0, width - self.LABEL_W, self.HEADER_H)
        half = self.HEADER_H // 2
        p.setFont(self._small)
        months = self._months()
        for n, month in enumerate(months):
            x = self.x_of(month)
            end = self.x_of(months[n + 1]) if n + 1 < len(months) else self.x_of(self.last)
            if self.zoom == "month":
                text = i18n.format_date(month, "LLL") if end - x < 90 else \
                    i18n.format_date(month, "LLLL")
                p.setPen(TEXT)
                p.drawText(QRectF(x, half, end - x, half),
                           int(Qt.AlignmentFlag.AlignCenter), text)
            else:
                p.setPen(TEXT)
                p.setFont(self._bold)
                p.drawText(QPointF(x + 4, half - 6), i18n.format_date(month, "LLLL y"))
                p.setFont(self._small)
            p.setPen(QPen(QColor("#cfd6dd"), 1))
            p.drawLine(QPointF(x, 0), QPointF(x, self.HEADER_H))
        if self.zoom == "month":  # each year's number stays in sight while it scrolls
            p.setFont(self._bold)
            p.setPen(TEXT)
            fm = QFontMetrics(self._bold)
            for year in range(self.first.year, self.last.year + 1):
                start = max(self.x_of(max(dt.date(year, 1, 1), self.first)), self.LABEL_W)
                end = self.x_of(min(dt.date(year + 1, 1, 1), self.last))
                if end - start > fm.horizontalAdvance("0000") + 8:
                    p.drawText(QPointF(start + 4, half - 6), str(year))
            p.setFont(self._small)
        if self.zoom == "week":
            day = self.first + dt.timedelta(days=(7 - self.first.weekday()) % 7)
            while day <= self.last:
                x = self.x_of(day)
                p.setPen(TEXT)
                # Translators: a calendar week number in the timeline's header ("W 12").
                label = pgettext("calendar week", "W {number}").format(
                    number=day.isocalendar()[1])
                p.drawText(QRectF(x, half, 7 * self.px_per_day, half),
                           int(Qt.AlignmentFlag.AlignCenter), label)
                p.setPen(QPen(GRID, 1))
                p.drawLine(QPointF(x, half), QPointF(x, self.HEADER_H))
                day += dt.timedelta(days=7)
        x = self.x_of(self.today)
        p.setPen(QPen(TODAY, 2))
        p.drawLine(QPointF(x, half), QPointF(x, self.HEADER_H))
        p.setClipping(False)
        p.setPen(QPen(QColor("#cfd6dd"), 1))
        p.drawLine(0, self.HEADER_H - 1, width, self.HEADER_H - 1)
        p.setFont(self._small)
        p.setPen(MUTED)
        p.drawText(QRect(12, 0, self.LABEL_W - 16, self.HEADER_H),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   _("Today: {date}").format(date=i18n.format_date(self.today)))

    # --- hit testing and input ----------------------------------------------------------

    def mark_at(self, pos: QPoint) -> Mark | None:
        for mark, centre, _room in self._mark_positions():
            if abs(pos.x() - centre.x()) <= 7 and abs(pos.y() - centre.y()) <= 7:
                return mark
        return None

    def tick_at(self, pos: QPoint) -> tuple[dt.date, str, bool, str] | None:
        n = self.row_at(pos.y())
        if n < 0 or pos.x() < self.LABEL_W:
            return None
        for tick in self.rows[n].ticks:
            if abs(self.x_of(tick[0]) - pos.x()) <= 3:
                return tick
        return None

    def tooltip_at(self, pos: QPoint) -> str:
        mark = self.mark_at(pos)
        if mark is not None:
            state = _("reached") if mark.done else (
                _("not reached") if mark.date < self.today else "")
            return "\n".join(t for t in (mark.name, i18n.format_date(mark.date), state) if t)
        tick = self.tick_at(pos)
        if tick is not None:
            due, _item, done, text = tick
            late = not done and due < self.today
            lines = [text, _("Due: {date}").format(date=i18n.format_date(due))]
            if done:
                lines.append(_("done"))
            elif late:
                lines.append(_("Overdue"))
            return "\n".join(lines)
        n = self.row_at(pos.y())
        if n < 0:
            return ""
        row = self.rows[n]
        if row.kind != "activity":
            return row.label
        lines = [row.label, row.status.label()]
        if row.start or row.end:
            lines.append(_("Planned: {start} – {end}").format(
                start=i18n.format_date(row.start) if row.start else "?",
                end=i18n.format_date(row.end) if row.end else "?"))
        else:
            lines.append(_("No dates planned yet."))
        if row.late:
            lines.append(_("Late: the planned end has passed."))
        if not row.applies:
            lines.append(_("Does not apply to this project."))
        lines.append(_("Double-click to plan the dates."))
        return "\n".join(lines)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            text = self.tooltip_at(pos)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        n = self.row_at(int(event.position().y()))
        if n >= 0:
            self.current = n
            self.viewport().update()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        mark = self.mark_at(pos)
        if mark is not None:
            self.linkActivated.emit(f"record:milestones:{mark.id}")
            return
        tick = self.tick_at(pos)
        if tick is not None:
            self.linkActivated.emit(f"item:{tick[1]}")
            return
        n = self.row_at(pos.y())
        if n < 0:
            return
        row = self.rows[n]
        if row.kind == "component":
            self.linkActivated.emit(f"component:{row.id}")
        elif pos.x() < self.LABEL_W:
            self.linkActivated.emit(f"activity:{row.id}")
        else:
            self.activityActivated.emit(row.id)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom("week" if event.angleDelta().y() > 0 else "month")
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - event.angleDelta().y())
            return
        super().wheelEvent(event)

    def _select(self, n: int) -> None:
        if not self.rows:
            return
        self.current = max(0, min(len(self.rows) - 1, n))
        top = self.LANE_H + self.current * self.ROW_H
        bar = self.verticalScrollBar()
        visible = self.viewport().height() - self.HEADER_H
        if top < bar.value():
            bar.setValue(top)
        elif top + self.ROW_H > bar.value() + visible:
            bar.setValue(top + self.ROW_H - visible)
        row = self.rows[self.current]
        if row.start or row.end:
            x = self.x_of(row.start or row.end)  # type: ignore[arg-type]
            if x < self.LABEL_W or x > self.viewport().width() - 20:
                self.scroll_to_date(row.start or row.end)  # type: ignore[arg-type]
        self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        h = self.horizontalScrollBar()
        if key == Qt.Key.Key_Down:
            self._select(self.current + 1)
        elif key == Qt.Key.Key_Up:
            self._select(self.current - 1)
        elif key == Qt.Key.Key_Left:
            h.setValue(h.value() - h.singleStep())
        elif key == Qt.Key.Key_Right:
            h.setValue(h.value() + h.singleStep())
        elif key == Qt.Key.Key_PageDown:
            self._select(self.current + max(1, (self.viewport().height() - self.HEADER_H)
                                            // self.ROW_H - 1))
        elif key == Qt.Key.Key_PageUp:
            self._select(self.current - max(1, (self.viewport().height() - self.HEADER_H)
                                            // self.ROW_H - 1))
        elif key == Qt.Key.Key_Home:
            self.scroll_to_today()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom("week")
        elif key == Qt.Key.Key_Minus:
            self.set_zoom("month")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= self.current < len(self.rows):
            row = self.rows[self.current]
            if row.kind == "activity":
                self.activityActivated.emit(row.id)
            elif row.kind == "component":
                self.linkActivated.emit(f"component:{row.id}")
        else:
            super().keyPressEvent(event)
            return
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()


def build_rows(roadmap: Roadmap, state: ProjectState, today: dt.date) -> list[Row]:
    """The chart's lines: each component, then its activities with their items' ticks."""
    rows = []
    for comp in roadmap.components:
        header = Row("component", comp.id, f"{comp.number}  {comp.title}")
        rows.append(header)
        starts, ends = [], []
        for activity in comp.activities:
            act = state.activity(activity.id)
            applies = act.status is not Status.NOT_APPLICABLE and state.applies(
                activity.condition)
            late = applies and act.planned_end is not None and act.planned_end < today and \
                act.status is not Status.DONE
            ticks = []
            for item in activity.items:
                item_state = state.item(item.id)
                if item_state.due_date is not None and state.applies(item.condition):
                    ticks.append((item_state.due_date, item.id, item_state.done, item.text))
            rows.append(Row("activity", activity.id,
                            f"{comp.number}.{activity.number}  {activity.title}",
                            act.planned_start, act.planned_end, act.status, applies, late,
                            ticks))
            starts += [d for d in (act.planned_start, act.planned_end) if d]
            ends += [d for d in (act.planned_end, act.planned_start) if d]
        if starts:
            header.start, header.end = min(starts), max(ends)
    return rows


def build_marks(milestones: Sequence[Record]) -> list[Mark]:
    return [Mark(r.id, str(r.get("name") or ""), r.get("date"), bool(r.get("done")))
            for r in milestones if not r.deleted and isinstance(r.get("date"), dt.date)]


class PlannedDatesDialog(QDialog):
    """Plan an activity's start and end."""

    def __init__(self, title: str, start: dt.date | None, end: dt.date | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Plan the activity"))
        self._before = (start, end)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        form = QFormLayout()
        self.start = DateField()
        self.start.setDate(start)
        self.end = DateField()
        self.end.setDate(end)
        form.addRow(_("Planned start:"), self.start)
        form.addRow(_("Planned end:"), self.end)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.start.changed.connect(self._check)
        self.end.changed.connect(self._check)
        self._check()
        self.resize(440, self.sizeHint().height())

    def _check(self) -> None:
        start, end = self.start.date(), self.end.date()
        wrong = start is not None and end is not None and end < start
        self.error.setText(_("The end is before the start.") if wrong else "")
        self.error.setVisible(wrong)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not wrong)

    def changes(self) -> dict[str, Any]:
        new = (self.start.date(), self.end.date())
        return {name: value for name, value, old in zip(("planned_start", "planned_end"), new,
                                                        self._before, strict=True)
                if value != old}


class TimelinePage(QWidget):
    """The timeline with its zoom and a legend."""

    #: activity id, {planned_start / planned_end: date or None}
    datesEditRequested = Signal(str, object)
    linkActivated = Signal(str)

    def __init__(self, roadmap: Roadmap, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._roadmap = roadmap
        self.read_only = False
        self._state: ProjectState | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        title = QLabel(_("Timeline"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        bar = QHBoxLayout()
        self.zoom = QButtonGroup(self)
        self.months = QPushButton(_("Months"))
        self.weeks = QPushButton(_("Weeks"))
        for button, key in ((self.months, "month"), (self.weeks, "week")):
            button.setCheckable(True)
            button.setProperty("zoom", key)
            self.zoom.addButton(button)
            bar.addWidget(button)
        self.months.setChecked(True)
        self.zoom.buttonClicked.connect(lambda b: self._zoom(str(b.property("zoom"))))
        self.today_button = QPushButton(_("Today"))
        self.today_button.setToolTip(_("Scroll to today (Home)"))
        bar.addWidget(self.today_button)
        bar.addSpacing(16)
        bar.addWidget(self._legend(), 1)
        layout.addLayout(bar)
        self.chart = TimelineChart()
        self.today_button.clicked.connect(self.chart.scroll_to_today)
        self.chart.activityActivated.connect(self.plan)
        self.chart.linkActivated.connect(self.linkActivated)
        layout.addWidget(self.chart, 1)
        self.hint = QLabel(_("Double-click an activity to plan its start and end; "
                             "double-click a name to open it. Arrow keys scroll, Home goes to "
                             "today, + and − zoom."))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self._scrolled = False

    def _legend(self) -> QLabel:
        def swatch(colour: QColor, text: str, glyph: str = "▬") -> str:
            return f'<span style="color:{colour.name()}">{glyph}</span>&nbsp;{escape(text)}'

        parts = [swatch(STATUS_COLOURS[Status.DONE], Status.DONE.label()),
                 swatch(STATUS_COLOURS[Status.IN_PROGRESS], Status.IN_PROGRESS.label()),
                 swatch(QColor("#c5ccd3"), Status.NOT_STARTED.label()),
                 swatch(WARNING, _("Late")),
                 swatch(MILESTONE, _("Milestone"), "◆"),
                 swatch(TEXT, _("Due date"), "|"),
                 swatch(TODAY, _("Today"), "┃")]
        label = QLabel(" &nbsp; ".join(parts))
        label.setObjectName("hint")
        label.setWordWrap(True)
        return label

    def _zoom(self, key: str) -> None:
        self.chart.set_zoom(key)

    def show_project(self, state: ProjectState, milestones: Sequence[Record],
                     today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self._state = state
        self.chart.set_contents(build_rows(self._roadmap, state, today), build_marks(milestones),
                                today)
        if not self._scrolled:  # the first time: start at today; later keep the place
            self._scrolled = True
            self.chart.scroll_to_today()

    def plan(self, activity_id: str) -> None:
        """Ask for an activity's planned start and end."""
        if self._state is None or self.read_only:
            return
        changes = ask_planned_dates(self, self._roadmap, self._state, activity_id)
        if changes:
            self.datesEditRequested.emit(activity_id, changes)


def ask_planned_dates(parent: QWidget, roadmap: Roadmap, state: ProjectState,
                      activity_id: str) -> dict[str, Any]:
    """The planned dates the user chose for an activity: only those that changed, and
    nothing when cancelled."""
    activity = roadmap.activity(activity_id)
    comp = roadmap.component(activity.component_id)
    act = state.activity(activity_id)
    dialog = PlannedDatesDialog(f"{comp.number}.{activity.number}  {activity.title}",
                                act.planned_start, act.planned_end, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return {}
    return dialog.changes()
