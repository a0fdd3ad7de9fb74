"""The tandem view: one's own project beside a partner's, per component, activity and
dimension, with the differences listed (``services/exchange/compare.py``).

Both projects are only read, once: the comparison is plain data, so what was opened for it
(a partner's package made into a read-only project, or another project file read without
writing) is closed before the window shows.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.progress import Tally
from d4a_desktop.gui.exchange import SORT_ROLE, TableModel
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.exchange.compare import Comparison, Row, Side

ModelIndex = QModelIndex | QPersistentModelIndex
#: Columns of the progress tables.
AREA, MINE, THEIRS, GAP = range(4)


def area_label(area: str) -> str:
    labels = {"project": _("Project details"), "condition": _("Question"),
              "activity": _("Activity"), "item": _("Checklist item"),
              "register": _("Register"),
              # Translators: in the tandem comparison, a record of a register.
              "record": _("Register entry")}
    return labels.get(area, area)


def _tally_cell(tally: Tally) -> tuple[str, float, str]:
    text = i18n.format_percent(tally.fraction)
    # Translators: progress in the tandem comparison: "9 of 20 checklist items done".
    tip = _("{done} of {total} checklist items done").format(done=tally.done, total=tally.total)
    return text, tally.fraction, tip


def _gap_cell(row: Row) -> tuple[str, float, str]:
    gap = row.gap
    points = round(gap * 100)
    if points == 0:
        return "=", 0.0, _("Both at the same point")
    text = ("+" if points > 0 else "−") + i18n.format_percent(abs(gap))
    tip = _("The partner is ahead") if points > 0 else _("You are ahead")
    return text, gap, tip


class ProgressDelegate(QStyledItemDelegate):
    """A bar and its percentage in the cells of both sides."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        fraction = index.data(SORT_ROLE)
        if not isinstance(fraction, float):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                            widget)
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        rect = option.rect.adjusted(6, 0, -6, 0)
        metrics = option.fontMetrics
        text_width = metrics.horizontalAdvance("100 %") + 8
        track = QRect(rect.left(), rect.center().y() - 4, max(rect.width() - text_width, 10), 9)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e2e6eb"))
        painter.drawRoundedRect(track, 4, 4)
        if fraction > 0:
            filled = QRect(track.left(), track.top(),
                           max(round(track.width() * min(fraction, 1.0)), 4), track.height())
            painter.setBrush(QColor("#2f7d4f") if fraction >= 1 else QColor("#3b78b8"))
            painter.drawRoundedRect(filled, 4, 4)
        painter.restore()
        text_rect = QRect(track.right() + 4, rect.top(), rect.right() - track.right() - 4,
                          rect.height())
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.Text))
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


def _progress_table(model: TableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    delegate = ProgressDelegate(view)
    view.setItemDelegateForColumn(MINE, delegate)
    view.setItemDelegateForColumn(THEIRS, delegate)
    header = view.horizontalHeader()
    header.setSectionResizeMode(AREA, QHeaderView.ResizeMode.Stretch)
    for column in (MINE, THEIRS):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        view.setColumnWidth(column, 190)
    header.setSectionResizeMode(GAP, QHeaderView.ResizeMode.ResizeToContents)
    return view


def _fit_height(view: QTableView) -> None:
    """A short table as tall as its rows, so two fit on one page without scroll bars."""
    height = view.horizontalHeader().height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(view.model().rowCount()))
    view.setFixedHeight(height + 2)


class TandemDialog(QDialog):
    """Two projects side by side; non-modal, so both windows stay usable."""

    def __init__(self, comparison: Comparison, parent: QWidget | None = None):
        super().__init__(parent)
        self.comparison = comparison
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("Tandem Comparison"))
        layout = QVBoxLayout(self)

        sides = QGridLayout()
        sides.setHorizontalSpacing(24)
        for column, (heading, side) in enumerate(((_("Mine"), comparison.mine),
                                                  (_("Theirs"), comparison.theirs))):
            sides.addWidget(self._side_box(heading, side), 0, column)
        layout.addLayout(sides)

        headers = [_("Component"), _("Mine"), _("Theirs"), _("Difference")]
        self.components = TableModel(headers, self)
        self.components.set_rows([self._row(r) for r in [comparison.overall,
                                                         *comparison.components]],
                                 numeric=[GAP])
        self.dimensions = TableModel([_("Dimension"), *headers[1:]], self)
        self.dimensions.set_rows([self._row(r) for r in comparison.dimensions], numeric=[GAP])
        self.activities = TableModel([_("Activity"), *headers[1:]], self)
        self.activities.set_rows([self._row(r) for r in comparison.activities], numeric=[GAP])
        self.differences = TableModel([_("Area"), _("What"), _("Mine"), _("Theirs")], self)
        self.differences.set_rows([[area_label(d.area), (d.title, d.title, d.title),
                                    (d.mine, d.mine, d.mine), (d.theirs, d.theirs, d.theirs)]
                                   for d in comparison.differences])

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        overview = QWidget()
        column_layout = QVBoxLayout(overview)
        self.components_view = _progress_table(self.components)
        self.dimensions_view = _progress_table(self.dimensions)
        column_layout.addWidget(self.components_view)
        column_layout.addWidget(self.dimensions_view)
        column_layout.addStretch(1)
        self.tabs.addTab(overview, _("Components and dimensions"))
        self.activities_view = _progress_table(self.activities)
        self.tabs.addTab(self.activities_view, _("Activities"))

        page = QWidget()
        page_layout = QVBoxLayout(page)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("Filter the differences"))
        self.filter.setClearButtonEnabled(True)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.differences)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.differences_view = QTableView()
        self.differences_view.setModel(self.proxy)
        self.differences_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.differences_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.differences_view.verticalHeader().hide()
        self.differences_view.setWordWrap(False)
        self.differences_view.setAlternatingRowColors(True)
        header = self.differences_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.differences_view.setColumnWidth(0, 150)
        self.differences_view.setColumnWidth(1, 520)
        self.differences_view.setColumnWidth(2, 160)
        page_layout.addWidget(self.filter)
        page_layout.addWidget(self.differences_view, 1)
        if not comparison.differences:
            empty = QLabel(_("The two projects say the same everywhere."))
            page_layout.addWidget(empty)
        self.tabs.addTab(page, ngettext("{count} difference", "{count} differences",
                                        len(comparison.differences))
                         .format(count=len(comparison.differences)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(1080, 700)
        _fit_height(self.components_view)
        _fit_height(self.dimensions_view)

    def _side_box(self, heading: str, side: Side) -> QFrame:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QVBoxLayout(box)
        top = QLabel(heading)
        font = top.font()
        font.setBold(True)
        top.setFont(font)
        meta = side.meta
        where = ", ".join(p for p in (meta.municipality, meta.country) if p)
        title = QLabel(f"{meta.title} — {where}" if where else meta.title)
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.PlainText)
        overall = QLabel(_("Overall: {percent}").format(
            percent=i18n.format_percent(side.progress.overall.fraction)))
        grid.addWidget(top)
        grid.addWidget(title)
        grid.addWidget(overall)
        return box

    @staticmethod
    def _row(row: Row) -> list[object]:
        cells: list[object] = [(row.title, row.title, row.title)]
        for tally, excluded in ((row.mine, row.excluded[0]), (row.theirs, row.excluded[1])):
            # Translators: an activity left out of progress (not applicable, or its
            # condition does not hold), in the tandem comparison.
            cells.append((_("not counted"), None, "") if excluded else _tally_cell(tally))
        cells.append(_gap_cell(row) if not any(row.excluded) else "")
        return cells
