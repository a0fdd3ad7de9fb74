"""The two charts drawn with QtCharts: a KPI's measurements and the maturity radar.

QtCharts is a large library; keeping these views in a module of their own lets the program
start without it: it loads when the KPI page or a tool's outcome is first shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCharts import (
    QAreaSeries,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPolarChart,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QLocale, QMargins, QPointF, Qt, QTime
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from d4a_desktop import i18n
from d4a_desktop.core import kpi, rules
from d4a_desktop.gui.kpis import MEASURED_COLOUR, PLAN_COLOUR, TARGET_COLOUR
from d4a_desktop.gui.tools import _wrapped, radar_colour
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services.monitoring import Measured


def _msecs(day: dt.date) -> float:
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
                 .toMSecsSinceEpoch())


class KpiChart(QChartView):
    """Measurements, baseline, target and the straight line between them."""

    def __init__(self, parent: QWidget | None = None):
        self.chart_ = QChart()
        super().__init__(self.chart_, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_.setBackgroundVisible(False)
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        # A name the legend has to shorten ("Linje från utgångsvärde til…") in full.
        self.chart_.legend().setShowToolTips(True)
        self.chart_.setLocalizeNumbers(True)
        self.setMinimumHeight(220)
        self.measured_series: QLineSeries | None = None
        self._x_axis: QDateTimeAxis | None = None
        self._span = 0

    def show_kpi(self, measured: Measured | None) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setLocale(QLocale(i18n.locale()))
        self.measured_series = None
        if measured is None:
            chart.setTitle("")
            return
        d = measured.definition
        points = [m for m in kpi.effective(measured.measurements)]
        x_axis = QDateTimeAxis()
        x_axis.setFormat("MMM yyyy")
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%.4g")
        if d.unit:
            y_axis.setTitleText(d.unit)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        dates: list[dt.date] = [m.date for m in points]
        values: list[float] = [float(m.value) for m in points]

        def add(series: Any) -> None:
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)

        if d.baseline is not None and d.baseline_date and d.target is not None and \
                d.target_date and d.target_date > d.baseline_date:
            plan = QLineSeries()
            plan.setName(_("Line from baseline to target"))
            plan.append(_msecs(d.baseline_date), float(d.baseline))
            plan.append(_msecs(d.target_date), float(d.target))
            plan.setPen(QPen(PLAN_COLOUR, 1.6, Qt.PenStyle.DashLine))
            add(plan)
        for value, day, name, colour, shape in (
                (d.baseline, d.baseline_date, _("Baseline"), PLAN_COLOUR,
                 QScatterSeries.MarkerShape.MarkerShapeRectangle),
                (d.target, d.target_date, _("Target"), TARGET_COLOUR,
                 QScatterSeries.MarkerShape.MarkerShapeStar)):
            if value is None or day is None:
                continue
            mark = QScatterSeries()
            mark.setName(name)
            mark.setMarkerShape(shape)
            mark.setMarkerSize(13 if shape == QScatterSeries.MarkerShape.MarkerShapeStar
                               else 10)
            mark.setColor(colour)
            mark.setBorderColor(colour.darker(130))
            mark.append(_msecs(day), float(value))
            add(mark)
            dates.append(day)
            values.append(float(value))
        line = QLineSeries()
        # Translators: in the legend of a KPI's chart, the line of the values measured
        # (not "Measured" as in how often a KPI is measured).
        line.setName(pgettext("kpi chart", "Measured"))
        for m in points:
            line.append(_msecs(m.date), float(m.value))
        line.setPen(QPen(MEASURED_COLOUR, 2.2))
        line.setPointsVisible(True)
        add(line)
        self.measured_series = line
        if not dates:
            dates = [dt.date.today()]
            values = [0.0]
        first, last = min(dates), max(dates)
        pad = max((last - first).days // 25, 10)
        x_axis.setRange(QDateTime(QDate(*(first - dt.timedelta(days=pad)).timetuple()[:3]),
                                  QTime(0, 0)),
                        QDateTime(QDate(*(last + dt.timedelta(days=pad)).timetuple()[:3]),
                                  QTime(0, 0)))
        self._x_axis, self._span = x_axis, (last - first).days
        self._fit_ticks()
        low, high = min(values), max(values)
        margin = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
        y_axis.setRange(low - margin, high + margin)
        y_axis.applyNiceNumbers()
        if low >= 0 and y_axis.min() < 0:
            y_axis.setMin(0)
        chart.setTitle("")

    #: The room one date label needs ("sept. 2026" in French), in pixels.
    TICK_WIDTH = 88

    def _fit_ticks(self) -> None:
        """As many dates on the axis as fit the chart's width without being cut short
        ("sept. …"), and no more than one per two months."""
        if self._x_axis is None:
            return
        room = self.chart_.plotArea().width() or self.width() - 100.0
        self._x_axis.setTickCount(max(2, min(8, self._span // 60 + 2,
                                             int(room // self.TICK_WIDTH) + 1)))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_ticks()


class RadarView(QChartView):
    """A spider chart: one axis per dimension, one closed line per version, the later
    version over the earlier one."""

    def __init__(self, parent: QWidget | None = None):
        self.polar = QPolarChart()
        super().__init__(self.polar, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.polar.setBackgroundVisible(False)
        self.polar.setMargins(QMargins(0, 0, 0, 0))
        # The legend is a label under the chart (gui: OutcomeView), where long version
        # names can wrap.
        self.polar.legend().hide()
        # The circle is as large as the narrower side allows: a taller view would only
        # add empty space between the versions chosen above and the legend below.
        self.setFixedHeight(340)
        self.radar: rules.Radar | None = None
        #: The outlines of the areas: an area series does not own its line series, so
        #: Python must keep them alive as long as the chart shows the areas.
        self._lines: list[QLineSeries] = []

    def show_radar(self, radar: rules.Radar) -> None:
        self.radar = radar
        chart = self.polar
        chart.removeAllSeries()
        self._lines.clear()
        for axis in chart.axes():
            chart.removeAxis(axis)
        n = len(radar.axes)
        if n == 0:
            return
        angular = QCategoryAxis()
        angular.setRange(0, n)
        angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, (_key, label) in enumerate(radar.axes):
            angular.append(_wrapped(label), i)
        angular.setStartValue(0)
        angular.setGridLineVisible(True)
        small = QFont(self.font())
        small.setPointSizeF(max(small.pointSizeF() * 0.9, 7.0))
        angular.setLabelsFont(small)
        radial = QValueAxis()
        radial.setRange(0, radar.maximum)
        radial.setTickCount(radar.maximum + 1)
        radial.setLabelFormat("%d")
        radial.setLabelsColor(QColor("#8a939c"))
        chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
        chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
        count = len(radar.series)
        for number, series in enumerate(radar.series):
            colour = radar_colour(number, count)
            values = [v if v is not None else 0 for v in series.values]
            points = [QPointF(i, value) for i, value in enumerate(values)]
            points.append(QPointF(n, values[0]))
            # The fill: an area down to the centre, without an outline (its edges would
            # draw a spoke from the centre).
            upper = QLineSeries()
            upper.append(points)
            self._lines.append(upper)
            fill = QColor(colour)
            fill.setAlpha(60 if number == count - 1 else 25)
            area = QAreaSeries(upper)
            area.setName(series.name)
            area.setPen(QPen(Qt.PenStyle.NoPen))
            area.setBrush(fill)
            # The outline: the later version solid, earlier ones dashed.
            line = QLineSeries()
            line.setName(series.name)
            line.append(points)
            pen = QPen(colour)
            pen.setWidthF(2.5 if number == count - 1 else 2.0)
            if number < count - 1:
                pen.setStyle(Qt.PenStyle.DashLine)
            line.setPen(pen)
            line.setPointsVisible(True)
            for item in (area, line):
                chart.addSeries(item)
                item.attachAxis(angular)
                item.attachAxis(radial)
