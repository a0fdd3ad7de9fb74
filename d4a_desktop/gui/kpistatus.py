"""How a KPI's status and trend are drawn wherever they show: the status colours, dot
and tooltip, and the sparkline. Apart from the KPI page (``gui/kpis.py``) so that the
dashboard, which every start shows, does not load the page, its dialog and its tables.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from d4a_desktop import i18n
from d4a_desktop.core import kpi
from d4a_desktop.gui.models import drawn_icon, plain_tooltip
from d4a_desktop.services.monitoring import Measured

STATUS_COLOURS = {
    kpi.Status.ON_TRACK: QColor("#2e9d5b"),
    kpi.Status.AT_RISK: QColor("#d98a1c"),
    kpi.Status.OFF_TRACK: QColor("#c0392b"),
    kpi.Status.NO_DATA: QColor("#9aa3ad"),
}
MEASURED_COLOUR = QColor("#1f4e79")
PLAN_COLOUR = QColor("#7b8794")
TARGET_COLOUR = QColor("#2e9d5b")


status_label = kpi.status_label


def status_tooltip(state: kpi.KpiStatus) -> str:
    """The reason for a status, then the rule it follows."""
    return plain_tooltip(f"{state.explanation}\n\n{kpi.status_rule_help()}")


def explanation_text(state: kpi.KpiStatus) -> str:
    """The reason for a status as one sentence that starts with the status. Core's
    reasons for on track, at risk and off track begin with it already ("On track: …");
    its reasons for no data ("Nothing has been measured yet.") do not."""
    if state.status is kpi.Status.NO_DATA:
        return i18n.labelled(status_label(state.status), state.explanation)
    return state.explanation


_icons: dict[kpi.Status, QIcon] = {}


def kpi_status_icon(status: kpi.Status) -> QIcon:
    """A dot in the status colour; a ring for no data."""
    if status not in _icons:
        _icons[status] = drawn_icon(lambda p: _draw_kpi_status(p, status))
    return _icons[status]


def _draw_kpi_status(p: QPainter, status: kpi.Status) -> None:
    colour = STATUS_COLOURS[status]
    if status is kpi.Status.NO_DATA:
        p.setPen(QPen(colour, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
    p.drawEllipse(QRectF(3, 3, 10, 10))


def amount(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    number = i18n.format_number(round(value, 6))
    return f"{number}\N{NO-BREAK SPACE}{unit}" if unit else number


# --- sparklines -------------------------------------------------------------------------------

def paint_sparkline(painter: QPainter, rect: QRect | QRectF, line: kpi.Sparkline,
                    status: kpi.Status) -> None:
    """A small chart in ``rect``: the plan from baseline to target (grey, dashed), the
    measurements (status colour) and the latest one as a dot."""
    if not line.points and line.plan is None:
        return
    r = QRectF(rect).adjusted(3, 3, -3, -3)

    def at(x: float, y: float) -> QPointF:
        return QPointF(r.left() + x * r.width(), r.bottom() - y * r.height())

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line.plan is not None:
        pen = QPen(PLAN_COLOUR, 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(at(*line.plan[0]), at(*line.plan[1]))
    colour = STATUS_COLOURS[status]
    if line.points:
        path = QPainterPath(at(*line.points[0]))
        for x, y in line.points[1:]:
            path.lineTo(at(x, y))
        painter.setPen(QPen(colour, 1.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(at(*line.points[-1]), 2.8, 2.8)
    painter.restore()


class KpiSparkline(QWidget):
    """A KPI as a small chart with its status: for the dashboard."""

    def __init__(self, measured: Measured | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.line = kpi.Sparkline((), None, None)
        self.status = kpi.Status.NO_DATA
        self.setMinimumSize(90, 28)
        if measured is not None:
            self.show_kpi(measured)

    def show_kpi(self, measured: Measured) -> None:
        self.line = kpi.sparkline(measured.definition, measured.measurements)
        self.status = measured.status.status
        self.setToolTip(status_tooltip(measured.status))
        self.setAccessibleName(f"{measured.definition.name}: {status_label(self.status)}")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(120, 32)

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        paint_sparkline(painter, self.rect(), self.line, self.status)
        painter.end()


def kpi_sparkline_widget(measured: Measured, parent: QWidget | None = None) -> QWidget:
    """A row for the dashboard: status dot and name, latest value, and a sparkline; the
    tooltip gives the reason for the status and the rule."""
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    dot = QLabel()
    dot.setPixmap(kpi_status_icon(measured.status.status).pixmap(16, 16))
    name = QLabel(measured.definition.name)
    name.setTextFormat(Qt.TextFormat.PlainText)
    latest = measured.status.latest
    value = QLabel(amount(latest.value, measured.definition.unit) if latest else "–")
    value.setObjectName("hint")
    chart = KpiSparkline(measured)
    for widget in (dot, name, value):
        widget.setToolTip(status_tooltip(measured.status))
    layout.addWidget(dot)
    layout.addWidget(name, 1)
    layout.addWidget(value)
    layout.addWidget(chart)
    return row
