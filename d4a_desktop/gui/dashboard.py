"""The dashboard: the first page of a project, the one a lead opens on Monday morning.

The project's title and details, overall progress, progress per component and dimension
as a small heat table, then what needs attention: checklist items past their due date,
activities past their planned end, milestones of the next 30 days, open high risks,
decisions of the last 30 days, and how many records each register holds. The monitoring
side: each KPI with its status and a sparkline, the filled tools whose review is due, and
where the open comments are. Every line is a link to what it names. ``core/dashboard.py``
and the services compute the figures; this page only shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.content import Roadmap
from d4a_desktop.core.dashboard import CommentPlace, ReviewDue, risk_score
from d4a_desktop.core.progress import Tally
from d4a_desktop.core.records import Kind, Record, title_of
from d4a_desktop.core.versions import VersionReport
from d4a_desktop.core.vocab import Dimension
from d4a_desktop.gui.kpistatus import (
    KpiSparkline,
    amount,
    kpi_status_icon,
    status_label,
    status_tooltip,
)
from d4a_desktop.gui.labels import WrappingLabel
from d4a_desktop.gui.models import DIMENSION_COLOURS
from d4a_desktop.gui.richtext import escape
from d4a_desktop.i18n import _, cldr, ngettext
from d4a_desktop.services.monitoring import Measured
from d4a_desktop.services.records import DashboardView

#: How many lines a list shows before "and N more".
LINES = 6
_LINK = "color:#1f4e79; text-decoration:none"
_LATE = "#b03a2e"


def _label(text: str = "", name: str = "", wrap: bool = False,
           parent: QWidget | None = None) -> QLabel:
    """Made in its parent where one is given: a label moved into a shown page has its style
    worked out again (see DashboardPage)."""
    label = WrappingLabel(text, parent) if wrap else QLabel(text, parent)
    if name:
        label.setObjectName(name)
    return label


def link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}" style="{_LINK}">{escape(text)}</a>'


def _elide(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def _title(kind: Kind, record: Record, length: int = 90) -> str:
    """A record's title shortened with an ellipsis (``title_of`` cuts at 80 characters
    without one, which reads as a typing error in the middle of a word)."""
    value = record.get(kind.title_field)
    text = kind.field(kind.title_field).display(value) if value else ""
    lines = text.splitlines()
    return _elide(lines[0], length) if lines else title_of(kind, record)


def heat_colour(fraction: float) -> QColor:
    """From a pale grey-blue (nothing done) to the progress green (all done)."""
    low, high = QColor("#eef2f6"), QColor("#2e9d5b")
    f = max(0.0, min(1.0, fraction))
    return QColor(round(low.red() + (high.red() - low.red()) * f),
                  round(low.green() + (high.green() - low.green()) * f),
                  round(low.blue() + (high.blue() - low.blue()) * f))


def _relative(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in {count} day", "in {count} days", days).format(count=days)
    return ngettext("{count} day ago", "{count} days ago", -days).format(count=-days)


def country_name(code: str) -> str:
    known = cldr.COUNTRIES.get(i18n.locale(), {}).get(code.upper())
    if known is not None:
        return known
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(i18n.locale()).territories.get(code.upper(), code))
    except (ValueError, UnknownLocaleError):
        return code


@contextmanager
def _paused(layout: QLayout) -> Iterator[None]:
    """Fill a shown page without laying it out at each step: showing a widget makes Qt
    activate the layout of every shown parent at once, before the widget appears. Paused,
    the page is laid out once, when the event loop next runs, not in the middle of being
    filled (a start spent 24 ms there on one line shown, laying out text still to change)."""
    layout.setEnabled(False)
    try:
        yield
    finally:
        layout.setEnabled(True)
        layout.update()


class _Card(QFrame):
    """A titled box holding one list."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        self.title = _label(title, "cardTitle", parent=self)
        layout.addWidget(self.title)
        self.body = WrappingLabel(parent=self)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                          | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_lines(self, lines: list[str], empty: str, more: str = "") -> None:
        if not lines:
            self.body.setText(f'<span style="color:#6b7680">{escape(empty)}</span>')
            return
        shown = lines[:LINES]
        html = "".join(f'<p style="margin:0 0 5px 0">{line}</p>' for line in shown)
        if len(lines) > LINES:
            rest = ngettext("and {count} more", "and {count} more", len(lines) - LINES).format(
                count=len(lines) - LINES)
            html += f"<p style='margin:0'>{link(more, rest) if more else escape(rest)}</p>"
        self.body.setText(html)


class _KpiCard(QFrame):
    """Each KPI on one line: status dot, name (a link to its chart), status, latest value
    and a sparkline; the tooltips give the reason for the status and the rule."""

    linkActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self._layout = layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        self.title = _label(_("Key performance indicators"), "cardTitle", parent=self)
        layout.addWidget(self.title)
        self.empty = WrappingLabel(parent=self)
        self.empty.linkActivated.connect(self.linkActivated)
        layout.addWidget(self.empty)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        #: The rows on show: KPI id → its sparkline (for tests and screen readers).
        self.sparklines: dict[str, KpiSparkline] = {}
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_kpis(self, kpis: tuple[Measured, ...]) -> None:
        # New rows are shown here, with the card's layout paused: left to Qt, each of
        # their 25 widgets would be shown later on its own, each laying out the card and
        # the page again.
        with _paused(self._layout):
            self._fill(kpis)

    def _fill(self, kpis: tuple[Measured, ...]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.sparklines = {}
        self.empty.setVisible(not kpis)
        if not kpis:
            none = _("No KPIs yet.")
            self.empty.setText(f'<span style="color:#6b7680">{escape(none)}</span> '
                               + link("kpis", _("Define the KPIs to follow…")))
        for row, measured in enumerate(kpis):
            tip = status_tooltip(measured.status)
            code = measured.status.status
            dot = QLabel(self)
            dot.setPixmap(kpi_status_icon(code).pixmap(16, 16))
            name = QLabel(link(f"kpi:{measured.record.id}", _elide(measured.definition.name,
                                                                  70)), self)
            name.linkActivated.connect(self.linkActivated)
            state = QLabel(status_label(code), self)
            state.setObjectName("hint")
            latest = measured.status.latest
            value = QLabel(amount(latest.value, measured.definition.unit) if latest else "–",
                           self)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            chart = KpiSparkline(measured, self)
            chart.setFixedSize(140, 30)
            for col, widget in enumerate((dot, name, state, value, chart)):
                widget.setToolTip(tip)
                self.grid.addWidget(widget, row, col)
                widget.show()
            self.sparklines[measured.record.id] = chart


class _HeatCell(QLabel):
    """One cell of the heat table; a click opens its component.

    Its colours are painted here rather than set as a style sheet: a style sheet of its
    own gives each of the 28 cells its own style to polish and paint through (about
    10 ms of a start)."""

    clicked = Signal(str)

    def __init__(self, component_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.component_id = component_id
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(30)
        self.background = QColor("#ffffff")
        #: The outline of a cell where nothing applies; None: no outline.
        self.border: QColor | None = None

    def show_tally(self, text: str, background: QColor, foreground: QColor,
                   border: QColor | None, bold: bool) -> None:
        self.setText(text)
        self.background, self.border = background, border
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, foreground)
        self.setPalette(palette)
        font = self.font()
        font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        self.setFont(font)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect())
        if self.border is None:
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            painter.setPen(QPen(self.border, 1))
            box.adjust(0.5, 0.5, -0.5, -0.5)
        painter.setBrush(self.background)
        painter.drawRoundedRect(box, 3, 3)
        painter.end()
        super().paintEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.component_id != "total":
            self.clicked.emit(self.component_id)
        super().mousePressEvent(event)


class DashboardPage(QScrollArea):
    """Every link on the page arrives as ``linkActivated``: ``component:c3``,
    ``activity:c3.a1``, ``item:c3.a1.i4``, ``replan:c3.a1``, ``register:risks``,
    ``record:risks:<id>``, ``timeline``, ``kpis``, ``kpi:<id>``, ``tools``,
    ``tool:dpia-screening``."""

    linkActivated = Signal(str)
    componentActivated = Signal(str)
    editDetailsRequested = Signal()

    def __init__(self, roadmap: Roadmap, parent: QWidget | None = None):
        super().__init__(parent)
        self._roadmap = roadmap
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The page is in its scroll area before its widgets are made in it: a filled page
        # moved into the window has its style worked out again for each of its widgets.
        body = QWidget()
        body.setObjectName("page")
        body.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWidget(body)
        self._layout = layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 20, 32, 24)
        layout.setSpacing(8)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        self.today = _label(name="hint", parent=body)
        titles.addWidget(self.today)
        self.title = _label(name="pageTitle", wrap=True, parent=body)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the user's own words, never HTML
        titles.addWidget(self.title)
        self.details = _label(name="subtitle", wrap=True, parent=body)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        titles.addWidget(self.details)
        head.addLayout(titles, 1)
        self.edit_button = QPushButton(_("Edit details…"), body)
        self.edit_button.clicked.connect(self.editDetailsRequested)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        layout.addSpacing(6)

        row = QHBoxLayout()
        row.addWidget(_label(_("Overall progress"), "sectionTitle", parent=body))
        self.overall_bar = QProgressBar(body)
        self.overall_bar.setRange(0, 1000)
        self.overall_bar.setTextVisible(False)
        self.overall_bar.setFixedHeight(14)
        row.addWidget(self.overall_bar, 1)
        self.overall_pct = _label(name="bigNumber", parent=body)
        self.overall_pct.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.overall_pct)
        layout.addLayout(row)
        self.overall_text = _label(name="hint", parent=body)
        layout.addWidget(self.overall_text)
        layout.addSpacing(8)

        layout.addWidget(_label(_("Progress by component and dimension"), "sectionTitle",
                                parent=body))
        self.heat = QGridLayout()
        self.heat.setHorizontalSpacing(4)
        self.heat.setVerticalSpacing(4)
        self.heat.setColumnStretch(1, 1)
        self._heat_cells: dict[tuple[str, str], _HeatCell] = {}
        self._build_heat(roadmap)
        layout.addLayout(self.heat)
        layout.addSpacing(12)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        # Made in the order they are shown: the keyboard's Tab goes through them so.
        self.kpis = _KpiCard(body)
        self.overdue = _Card(_("Overdue checklist items"), body)
        self.late = _Card(_("Late activities"), body)
        self.milestones = _Card(_("Milestones in the next 30 days"), body)
        self.risks = _Card(_("Open high risks"), body)
        self.reviews = _Card(_("Tool reviews due"), body)
        self.comments = _Card(_("Open comments"), body)
        self.decisions = _Card(_("Decisions of the last 30 days"), body)
        self.registers = _Card(_("Registers"), body)
        # A short table of names and counts: it never needs wrapping, and a table that may
        # wrap is laid out again at every width a layout tries (the slowest text of a start).
        self.registers.body.setWordWrap(False)
        self.kpis.linkActivated.connect(self.linkActivated)
        grid.addWidget(self.kpis, 0, 0, 1, 2)
        for n, card in enumerate((self.overdue, self.late, self.milestones, self.risks,
                                  self.reviews, self.comments, self.decisions,
                                  self.registers), 2):
            card.body.linkActivated.connect(self.linkActivated)
            grid.addWidget(card, n // 2, n % 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(grid)

        self.excluded = _label(name="hint", wrap=True, parent=body)
        layout.addSpacing(8)
        layout.addWidget(self.excluded)
        self.retired_title = _label(_("Answers kept from an earlier roadmap version"),
                                    "sectionTitle", parent=body)
        self.retired = WrappingLabel(parent=body)
        self.retired.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.retired_title)
        layout.addWidget(self.retired)
        self.retired_title.hide()
        self.retired.hide()
        layout.addStretch(1)

    # --- the heat table -----------------------------------------------------------------

    def _build_heat(self, roadmap: Roadmap) -> None:
        body = self.widget()
        heads = [(d.value, d.label()) for d in Dimension] + [("total", _("All dimensions"))]
        for c, (key, text) in enumerate(heads, 2):
            label = _label(text, "heatHead", wrap=True, parent=body)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            if key != "total":
                colour = DIMENSION_COLOURS[Dimension(key)].name()
                label.setStyleSheet(f"color: {colour};")
            self.heat.addWidget(label, 0, c)
            self.heat.setColumnMinimumWidth(c, 104)
        rows = [(comp.id, str(comp.number), comp.title) for comp in roadmap.components]
        rows.append(("total", "", _("All components")))
        for r, (cid, number, title) in enumerate(rows, 1):
            self.heat.addWidget(_label(number, "componentNumber", parent=body), r, 0)
            if cid == "total":
                name = _label(title, "heatTotal", wrap=True, parent=body)
            else:
                name = WrappingLabel(link(f"component:{cid}", title), body)
                name.setToolTip(roadmap.component(cid).goal)
                name.linkActivated.connect(self._component_link)
            self.heat.addWidget(name, r, 1)
            for c, (key, _text) in enumerate(heads, 2):
                cell = _HeatCell(cid, body)
                if cid != "total":
                    cell.setCursor(Qt.CursorShape.PointingHandCursor)
                    cell.clicked.connect(self.componentActivated)
                self.heat.addWidget(cell, r, c)
                self._heat_cells[(cid, key)] = cell

    def _component_link(self, href: str) -> None:
        self.componentActivated.emit(href.split(":", 1)[1])

    def _set_cell(self, cell: _HeatCell, tally: Tally, bold: bool = False) -> None:
        if not tally.total:
            cell.show_tally("—", QColor("#ffffff"), QColor("#9aa3ad"), QColor("#e3e8ed"), bold)
            cell.setToolTip(_("No checklist items apply here."))
            return
        text_colour = QColor("#ffffff" if tally.fraction >= 0.55 else "#1f2d3a")
        cell.show_tally(i18n.format_percent(tally.fraction), heat_colour(tally.fraction),
                        text_colour, None, bold)
        cell.setToolTip(ngettext("{done} of {total} item done", "{done} of {total} items done",
                                 tally.total).format(done=tally.done, total=tally.total))

    # --- showing a project ---------------------------------------------------------------

    def show_view(self, view: DashboardView) -> None:
        with _paused(self._layout):
            self._fill(view)

    def _fill(self, view: DashboardView) -> None:
        board, state, progress = view.dashboard, view.state, view.progress
        today = board.today
        self.today.setText(i18n.format_date(today, "full"))
        meta = state.meta
        self.title.setText(meta.title)
        parts = [meta.municipality, country_name(meta.country)]
        if meta.domain:
            parts.append(meta.domain)
        if meta.tandem_partner:
            parts.append(_("tandem partner: {name}").format(name=meta.tandem_partner))
        self.details.setText(i18n.join_inline(p for p in parts if p))
        overall = progress.overall
        self.overall_bar.setValue(round(overall.fraction * 1000))
        self.overall_pct.setText(i18n.format_percent(overall.fraction))
        self.overall_text.setText(
            ngettext("{done} of {total} checklist item done",
                     "{done} of {total} checklist items done", overall.total)
            .format(done=overall.done, total=overall.total))
        totals = {d: Tally() for d in Dimension}
        for comp in self._roadmap.components:
            row = board.heat.get(comp.id, {})
            for dim in Dimension:
                tally = row.get(dim, Tally())
                totals[dim] += tally
                self._set_cell(self._heat_cells[(comp.id, dim.value)], tally)
            self._set_cell(self._heat_cells[(comp.id, "total")],
                           progress.components.get(comp.id, Tally()), bold=True)
        for dim in Dimension:
            self._set_cell(self._heat_cells[("total", dim.value)], totals[dim], bold=True)
        self._set_cell(self._heat_cells[("total", "total")], overall, bold=True)
        self._show_lists(view)
        n = len(progress.excluded)
        self.excluded.setText(
            ngettext("{count} activity does not apply to this project and is left out of "
                     "progress.",
                     "{count} activities do not apply to this project and are left out of "
                     "progress.", n).format(count=n) if n else "")
        self.excluded.setVisible(bool(n))

    def _activity_label(self, activity_id: str) -> str:
        activity = self._roadmap.activity(activity_id)
        comp = self._roadmap.component(activity.component_id)
        return f"{comp.number}.{activity.number}  {activity.title}"

    def _show_lists(self, view: DashboardView) -> None:
        board, state = view.dashboard, view.state
        today = board.today
        late_style = f'style="color:{_LATE}"'
        lines = []
        for item_id in board.overdue_items:
            item = self._roadmap.item(item_id)
            activity = self._roadmap.activity(item.activity_id)
            comp = self._roadmap.component(activity.component_id)
            item_state = state.item(item_id)
            due = item_state.due_date
            assert due is not None
            owner = f" · {escape(item_state.owner)}" if item_state.owner else ""
            lines.append(f'<span {late_style}>{escape(i18n.format_date(due))}</span> · '
                         f"{comp.number}.{activity.number} "
                         f"{link('item:' + item_id, _elide(item.text))}{owner}")
        self.overdue.show_lines(lines, _("Nothing is overdue."), "timeline")
        lines = []
        replan = _("Replan…")
        for activity_id in board.late_activities:
            end = state.activity(activity_id).planned_end
            assert end is not None
            planned = _("planned to end on {date}").format(date=i18n.format_date(end))
            lines.append(
                f"{link('activity:' + activity_id, self._activity_label(activity_id))}<br>"
                f"<span {late_style}>{escape(planned)}</span> · "
                f"{link('replan:' + activity_id, replan)}")
        self.late.show_lines(lines, _("No activity is past its planned end."), "timeline")
        records = view.records
        milestones, risks, decisions = (kinds.kind(n) for n in
                                        ("milestones", "risks", "decisions"))
        lines = []
        for rid in board.upcoming_milestones:
            record = records[rid]
            day = record.get("date")
            lines.append(f"<b>{escape(i18n.format_date(day))}</b> "
                         f'<span style="color:#6b7680">({escape(_relative(day, today))})</span>'
                         f" · {link('record:milestones:' + rid, _title(milestones, record))}")
        self.milestones.show_lines(lines, _("No milestone in the next 30 days."),
                                   "register:milestones")
        lines = []
        for rid in board.open_high_risks:
            record = records[rid]
            owner = record.get("owner")
            who = f" · {escape(str(owner))}" if owner else ""
            score = _("score {score}").format(score=risk_score(record))
            lines.append(f'<span {late_style}><b>{escape(score)}</b></span> · '
                         f"{link('record:risks:' + rid, _title(risks, record))}"
                         f"{who}")
        self.risks.show_lines(lines, _("No open risk scores high."), "register:risks")
        lines = []
        for rid in board.recent_decisions:
            record = records[rid]
            choice = record.get("choice")
            answer = f" → {escape(_elide(str(choice), 60))}" if choice else ""
            lines.append(f"<b>{escape(i18n.format_date(record.get('date')))}</b> · "
                         f"{link('record:decisions:' + rid, _title(decisions, record))}"
                         f"{answer}")
        self.decisions.show_lines(lines, _("No decision in the last 30 days."),
                                  "register:decisions")
        rows = []
        for kind in kinds.REGISTERS:
            count = board.counts.get(kind.name, 0)
            # KPIs and their measurements have a page of their own, not a register's.
            href = "kpis" if kind.name in ("kpis", "measurements") else "register:" + kind.name
            rows.append(f"<tr><td style='padding:1px 16px 1px 0'>"
                        f"{link(href, kind.plural_text())}</td>"
                        f"<td align='right'>{escape(i18n.format_number(count))}</td></tr>")
        self.registers.body.setText("<table>" + "".join(rows) + "</table>")
        self.kpis.show_kpis(view.kpis)
        self._show_reviews(view.reviews_due, today)
        self._show_comments(view)

    def _show_reviews(self, due: tuple[ReviewDue, ...], today: dt.date) -> None:
        lines = []
        for review in due:
            tool = self._roadmap.tool(review.tool)
            if tool is None:
                continue
            day = escape(i18n.format_date(review.date))
            when = escape(_relative(review.date, today))
            if review.overdue(today):
                when = f'<span style="color:{_LATE}"><b>{day}</b> ({when})</span>'
            else:
                when = f'<b>{day}</b> <span style="color:#6b7680">({when})</span>'
            lines.append(f"{when} · {link('tool:' + tool.id, tool.title)}")
        self.reviews.show_lines(lines, _("No tool is due for review in the next 30 days."),
                                "tools")
        self.reviews.setToolTip(_("Filled tools whose next review date has passed or comes "
                                  "within 30 days. Set the date on the tool's form."))

    def _comment_place(self, place: CommentPlace, view: DashboardView) -> tuple[str, str]:
        """The link and the name of the place where open comments are ("" when gone)."""
        rm, kind, about = self._roadmap, place.about_kind, place.about
        if not place.found:
            return "", ""
        if kind == "activity":
            return f"activity:{about}", self._activity_label(about)
        if kind == "item":
            item = rm.item(about)
            activity = rm.activity(item.activity_id)
            comp = rm.component(activity.component_id)
            return f"item:{about}", f"{comp.number}.{activity.number} · {_elide(item.text, 70)}"
        if kind == "assessment":
            tool = rm.tool(about)
            return (f"tool:{about}", tool.title) if tool else ("", "")
        record = view.records.get(about)
        if record is None:
            return "", ""
        title = i18n.labelled(kinds.kind(kind).label_text(),
                              _title(kinds.kind(kind), record, 70))
        return (f"kpi:{about}" if kind == "kpis" else f"record:{kind}:{about}"), title

    def _show_comments(self, view: DashboardView) -> None:
        total = view.open_comments
        self.comments.title.setText(
            ngettext("{count} open comment", "{count} open comments", total).format(
                count=i18n.format_number(total)) if total else _("Open comments"))
        lines, gone = [], 0
        for place in view.comments:
            href, name = self._comment_place(place, view)
            if not href:
                gone += place.count
                continue
            lines.append(f'<b>{escape(i18n.format_number(place.count))}</b> · '
                         f"{link(href, name)}")
        if gone:
            lines.append('<span style="color:#6b7680">' + escape(ngettext(
                "{count} on something no longer in the project",
                "{count} on things no longer in the project", gone).format(
                count=i18n.format_number(gone))) + "</span>")
        self.comments.show_lines(lines, _("No open comments."))

    def set_read_only(self, read_only: bool) -> None:
        """A project open for reading: its details cannot be edited here."""
        self.edit_button.setEnabled(not read_only)

    def show_retired(self, report: VersionReport) -> None:
        """List answers to items and activities the current roadmap no longer has."""
        lines = []
        for item in report.retired_items:
            parts = [_("done") if item.done else _("not done")]
            if item.owner:
                parts.append(_("owner: {name}").format(name=item.owner))
            if item.due_date:
                parts.append(_("due: {date}").format(date=i18n.format_date(item.due_date)))
            if item.note:
                parts.append(_("note: {text}").format(text=item.note))
            lines.append(f"<b>{escape(item.item_id)}</b> — {escape(i18n.join_tags(parts))}")
        for act in report.retired_activities:
            text = (i18n.labelled(act.status.label(), act.na_reason) if act.na_reason
                    else act.status.label())
            lines.append(f"<b>{escape(act.activity_id)}</b> — {escape(text)}")
        self.retired.setText("<br>".join(lines))
        self.retired.setVisible(bool(lines))
        self.retired_title.setVisible(bool(lines))
        self.retired.setToolTip(_("These steps were in roadmap version {old} and are not in "
                                  "version {new}. Their answers are kept in the project and "
                                  "are not counted in progress.")
                                .format(old=report.planned, new=report.current))
