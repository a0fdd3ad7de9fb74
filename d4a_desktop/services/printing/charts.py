"""Charts of the project report, as reportlab vector graphics: the 5 × 5 risk matrix and a
KPI's measurements against the straight line from its baseline to its target.

Both know nothing of projects: they take plain numbers and dates. Every drawing starts in
the embedded font (reportlab's renderer would otherwise put Helvetica in the file).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from d4a_desktop import i18n
from d4a_desktop.core import kpi
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services.printing import fonts
from d4a_desktop.services.printing.document import fit
from d4a_desktop.services.printing.styles import DONE, INK, LIGHT, MUTED, RULE

#: Cell colours of the risk matrix by score (likelihood × impact): low, medium, high,
#: critical. High starts where the dashboard counts a risk as high (15).
RISK_BANDS = ((4, colors.HexColor("#d9efdc")), (9, colors.HexColor("#fff2bf")),
              (14, colors.HexColor("#fdd9b5")), (25, colors.HexColor("#f6b3ad")))

STATUS_COLOURS = {
    kpi.Status.ON_TRACK: colors.HexColor("#2e9d5b"),
    kpi.Status.AT_RISK: colors.HexColor("#d98a1c"),
    kpi.Status.OFF_TRACK: colors.HexColor("#c0392b"),
    kpi.Status.NO_DATA: colors.HexColor("#9aa3ad"),
}
MEASURED = colors.HexColor("#1f4e79")
PLAN = colors.HexColor("#7b8794")


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.REGULAR
    return drawing


def _text(x: float, y: float, text: str, size: float, *, colour: Any = INK,
          anchor: str = "start", bold: bool = False) -> String:
    return String(x, y, text, fontName=fonts.BOLD if bold else fonts.REGULAR, fontSize=size,
                  fillColor=colour, textAnchor=anchor)


def risk_colour(score: int) -> Any:
    return next(colour for limit, colour in RISK_BANDS if score <= limit)


def risk_matrix(risks: Sequence[tuple[int, int, str, bool]], size: float) -> Drawing:
    """Likelihood (rows, 5 at the top) by impact (columns): each cell coloured by its
    score and holding the codes of its risks (open risks in bold; closed or accepted ones
    grey), or their count when the codes do not fit. ``risks``: (likelihood, impact, code,
    open). ``size`` is the drawing's width."""
    font = 7.0
    label_w = 9 * mm
    axis_h = 9 * mm
    cell = (size - label_w) / 5
    height = cell * 5 + axis_h
    drawing = _drawing(size, height)
    by_cell: dict[tuple[int, int], list[tuple[str, bool]]] = {}
    for likelihood, impact, code, is_open in risks:
        by_cell.setdefault((likelihood, impact), []).append((code, is_open))
    for likelihood in range(1, 6):
        y = axis_h + (likelihood - 1) * cell
        drawing.add(_text(label_w - 2.5 * mm, y + cell / 2 - font / 3, str(likelihood), font,
                          colour=MUTED, anchor="end"))
        for impact in range(1, 6):
            x = label_w + (impact - 1) * cell
            drawing.add(Rect(x, y, cell, cell, fillColor=risk_colour(likelihood * impact),
                             strokeColor=colors.white, strokeWidth=1.2))
            found = by_cell.get((likelihood, impact), [])
            if not found:
                continue
            codes = [c for c, _o in found]
            lines = _pack(codes, fonts.BOLD, font, cell - 2 * mm)
            if len(lines) * font * 1.2 > cell - 1.5 * mm:
                drawing.add(_text(x + cell / 2, y + cell / 2 - font * 0.5, str(len(found)),
                                  font * 1.6, anchor="middle", bold=True))
                continue
            top = y + cell / 2 + (len(lines) - 1) * font * 0.6 - font * 0.35
            closed = {c for c, o in found if not o}
            for n, line in enumerate(lines):
                grey = all(code in closed for code in line)
                drawing.add(_text(x + cell / 2, top - n * font * 1.2, " ".join(line), font,
                                  colour=MUTED if grey else INK, anchor="middle",
                                  bold=not grey))
    for impact in range(1, 6):
        x = label_w + (impact - 0.5) * cell
        drawing.add(_text(x, axis_h - 3.5 * mm, str(impact), font, colour=MUTED,
                          anchor="middle"))
    drawing.add(_text(label_w + cell * 2.5, 0.5 * mm,
                      fit(_("Impact") + " →", fonts.REGULAR, font, cell * 5), font,
                      colour=MUTED, anchor="middle"))
    # The likelihood label runs up the left edge.
    label = fit(_("Likelihood") + " →", fonts.REGULAR, font, cell * 5)
    turned = Group(_text(0, 0, label, font, colour=MUTED, anchor="middle"))
    turned.transform = (0, 1, -1, 0, 1.2 * mm + font * 0.8, axis_h + cell * 2.5)
    drawing.add(turned)
    return drawing


def _pack(codes: Sequence[str], font: str, size: float, width: float) -> list[list[str]]:
    lines: list[list[str]] = [[]]
    for code in codes:
        trial = " ".join([*lines[-1], code])
        if lines[-1] and stringWidth(trial, font, size) > width:
            lines.append([code])
        else:
            lines[-1].append(code)
    return lines


# --- KPIs -------------------------------------------------------------------------------------

def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high, low = low + 1, low - 1
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _month_label(day: dt.date) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("yMMM", day, locale=i18n.locale())


def kpi_chart(definition: kpi.Kpi, measurements: Sequence[kpi.Measurement],
              width: float, height: float) -> Drawing:
    """Measurements (a line with dots, in the colour of the data), the straight line from
    the baseline to the target (grey, dashed), the baseline (a square) and the target (a
    diamond, in green), on axes with the values and the months."""
    font = 6.5
    drawing = _drawing(width, height)
    shown = kpi.effective(m for m in measurements if isinstance(m.value, int | float))
    anchors = [(d, float(v)) for d, v in ((definition.baseline_date, definition.baseline),
                                          (definition.target_date, definition.target))
               if d is not None and v is not None]
    points = [(m.date, float(m.value)) for m in shown]
    every = points + anchors
    legend = _legend(font, width)
    legend_h = font * (1.2 * max(1, len({ly for *_k, ly in legend})) + 1.0)
    if not every:
        drawing.add(Rect(0, legend_h, width, height - legend_h, fillColor=None,
                         strokeColor=LIGHT))
        drawing.add(_text(width / 2, height / 2, _("Nothing has been measured yet."), font,
                          colour=MUTED, anchor="middle"))
        return drawing
    ticks = _nice_ticks(min(v for _d, v in every), max(v for _d, v in every))
    low, high = ticks[0], ticks[-1]
    labels = [i18n.format_number(t) for t in ticks]
    left = max(stringWidth(t, fonts.REGULAR, font) for t in labels) + 2 * mm
    bottom = legend_h + font * 2.2
    right = width - 3 * mm
    top = height - 2 * mm
    first = min(d for d, _v in every)
    last = max(d for d, _v in every)
    span = max(1, (last - first).days)
    pad = max(10, span // 30)
    first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
    days = (last - first).days

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / days

    def y(value: float) -> float:
        return bottom + (top - bottom) * (value - low) / ((high - low) or 1)

    for tick, label in zip(ticks, labels, strict=True):
        drawing.add(Line(left, y(tick), right, y(tick), strokeColor=LIGHT, strokeWidth=0.5))
        drawing.add(_text(left - 1.5 * mm, y(tick) - font / 3, label, font, colour=MUTED,
                          anchor="end"))
    drawing.add(Line(left, bottom, right, bottom, strokeColor=RULE, strokeWidth=0.6))
    # Months: the first of a month every so many months, so that the labels do not touch.
    label_w = stringWidth(_month_label(dt.date(2026, 9, 1)), fonts.REGULAR, font) + 3 * mm
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    room = int((right - left) // label_w) or 1
    every_n = next(n for n in (1, 2, 3, 4, 6, 12, 24, 60) if months / n <= room)
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first and (month.year * 12 + month.month - 1) % every_n == 0:
            drawing.add(Line(x(month), bottom, x(month), bottom - 1.2 * mm, strokeColor=RULE,
                             strokeWidth=0.6))
            drawing.add(_text(x(month), bottom - 1.2 * mm - font, _month_label(month), font,
                              colour=MUTED, anchor="middle"))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    d = definition
    if d.baseline is not None and d.target is not None and d.baseline_date and \
            d.target_date and d.target_date > d.baseline_date:
        drawing.add(Line(x(d.baseline_date), y(d.baseline), x(d.target_date), y(d.target),
                         strokeColor=PLAN, strokeWidth=1.1, strokeDashArray=[3, 2]))
    if len(points) > 1:
        drawing.add(PolyLine([c for p in points for c in (x(p[0]), y(p[1]))],
                             strokeColor=MEASURED, strokeWidth=1.4))
    for day, value in points:
        drawing.add(Circle(x(day), y(value), 1.3, fillColor=MEASURED, strokeColor=None))
    if d.baseline is not None and d.baseline_date:
        bx, by = x(d.baseline_date), y(d.baseline)
        drawing.add(Rect(bx - 2.6, by - 2.6, 5.2, 5.2, fillColor=PLAN,
                         strokeColor=colors.white, strokeWidth=0.5))
    if d.target is not None and d.target_date:
        tx, ty = x(d.target_date), y(d.target)
        drawing.add(Polygon([tx, ty + 3.2, tx + 3.2, ty, tx, ty - 3.2, tx - 3.2, ty],
                            fillColor=DONE, strokeColor=colors.white, strokeWidth=0.5))
    for kind, label, lx, ly in legend:
        if kind == "line":
            drawing.add(Line(lx, ly + font / 3, lx + 5 * mm, ly + font / 3, strokeColor=MEASURED,
                             strokeWidth=1.4))
        elif kind == "dash":
            drawing.add(Line(lx, ly + font / 3, lx + 5 * mm, ly + font / 3, strokeColor=PLAN,
                             strokeWidth=1.1, strokeDashArray=[3, 2]))
        elif kind == "square":
            drawing.add(Rect(lx, ly + font / 3 - 2, 4, 4, fillColor=PLAN, strokeColor=None))
        else:
            cx, cy = lx + 2, ly + font / 3
            drawing.add(Polygon([cx, cy + 3, cx + 3, cy, cx, cy - 3, cx - 3, cy],
                                fillColor=DONE, strokeColor=None))
        key = 6 * mm if kind in ("line", "dash") else 2 * mm
        drawing.add(_text(lx + key, ly, label, font, colour=MUTED))
    return drawing


def _legend(font: float, width: float) -> list[tuple[str, str, float, float]]:
    """(kind, label, x, y) of the legend's entries, on as many lines under the months as
    the chart's width needs."""
    # Translators: in the legend of a KPI's chart in the printed report: the line of the
    # values measured so far.
    entries = (("line", pgettext("kpi chart", "Measured values")),
               ("dash", _("Line from baseline to target")),
               ("square", _("Baseline")), ("diamond", _("Target")))
    placed: list[tuple[str, str, float, float]] = []
    lx, line = 0.0, 0
    for kind, label in entries:
        size = (6 * mm if kind in ("line", "dash") else 2 * mm) + \
            stringWidth(label, fonts.REGULAR, font)
        if lx and lx + size > width:
            lx, line = 0.0, line + 1
        placed.append((kind, label, lx, line))
        lx += size + 4 * mm
    lines = line + 1
    return [(kind, label, x, font * 0.4 + (lines - 1 - n) * font * 1.2)
            for kind, label, x, n in placed]


def status_colour(status: kpi.Status) -> Any:
    return STATUS_COLOURS.get(status, MUTED)

