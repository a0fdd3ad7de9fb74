"""The KPIs page: each indicator with its status, a chart of its measurements against the
line from baseline to target, and the measurements themselves.

Measurements are typed in, pasted from a spreadsheet (tab-separated text) or imported from
CSV or .xlsx; a paste or an import is checked as a whole and is one undoable edit. The
status and its reason come from core (``core/kpi.py``); the rule is written out wherever a
status is shown. ``kpi_sparkline_widget`` gives the dashboard a small chart with status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core import kinds, kpi
from d4a_desktop.core.records import Problem, Record
from d4a_desktop.gui.dates import DateEdit, DueDateDelegate
from d4a_desktop.gui.kpistatus import (  # noqa: F401 - re-exported for the page's users
    MEASURED_COLOUR,
    PLAN_COLOUR,
    STATUS_COLOURS,
    TARGET_COLOUR,
    KpiSparkline,
    amount,
    explanation_text,
    kpi_sparkline_widget,
    kpi_status_icon,
    paint_sparkline,
    status_label,
    status_tooltip,
)
from d4a_desktop.gui.models import plain_tooltip
from d4a_desktop.i18n import _, ngettext, pgettext
from d4a_desktop.i18n.dates import DateInputError
from d4a_desktop.services.monitoring import Measured

_Index = QModelIndex | QPersistentModelIndex


# --- the list of KPIs -------------------------------------------------------------------------

class KpiListModel(QAbstractTableModel):
    """The project's KPIs: indicator, status, latest value, target, trend; read-only."""

    NAME, STATUS, LATEST, TARGET, TREND = range(5)
    KpiIdRole = Qt.ItemDataRole.UserRole + 50
    SparklineRole = Qt.ItemDataRole.UserRole + 51

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[Measured] = []

    def set_kpis(self, rows: Sequence[Measured]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def measured(self, row: int) -> Measured | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, kpi_id: str) -> int:
        return next((n for n, m in enumerate(self._rows) if m.record.id == kpi_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        # Translators: column headings of the KPI list.
        return (_("Indicator"), _("Status"), pgettext("kpi", "Latest"), _("Target"),
                _("Trend"))[section] if 0 <= section < 5 else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        d = m.definition
        column = index.column()
        if role == self.KpiIdRole:
            return m.record.id
        if role == self.SparklineRole and column == self.TREND:
            return kpi.sparkline(d, m.measurements), m.status.status
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return f"{d.name} ({d.code})" if d.code else d.name
            if column == self.STATUS:
                return status_label(m.status.status)
            if column == self.LATEST:
                latest = m.status.latest or (kpi.effective(m.measurements)[-1]
                                             if m.measurements else None)
                if latest is None:
                    return ""
                return _("{value} on {date}").format(value=amount(latest.value, d.unit),
                                                     date=i18n.format_date(latest.date))
            if column == self.TARGET:
                if d.target is None:
                    return ""
                if d.target_date is None:
                    return amount(d.target, d.unit)
                return _("{value} by {date}").format(value=amount(d.target, d.unit),
                                                     date=i18n.format_date(d.target_date))
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return kpi_status_icon(m.status.status)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.STATUS, self.TREND,
                                                              self.LATEST):
            return status_tooltip(m.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return plain_tooltip("\n".join(x for x in (
                d.name, _("Source: {name}").format(name=m.source) if m.source else "",
                _("Owner: {name}").format(name=d.owner) if d.owner else "") if x))
        if role == Qt.ItemDataRole.FontRole and column == self.NAME:
            font = QFont()
            font.setBold(True)
            return font
        return None


class SparklineDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        super().paint(painter, option, index)
        found = index.data(KpiListModel.SparklineRole)
        if found:
            line, status = found
            paint_sparkline(painter, option.rect.adjusted(4, 3, -4, -3), line, status)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(130, 34)


# --- the measurements of one KPI --------------------------------------------------------------

class MeasurementsModel(QAbstractTableModel):
    """A KPI's measurements, newest first. Editing a cell asks the window to change the
    measurement (``editRequested``); the model is then refreshed from the project."""

    DATE, VALUE, NOTE = range(3)
    IdRole = Qt.ItemDataRole.UserRole + 60
    #: measurement id, {field: value}
    editRequested = Signal(str, object)
    #: a message for the user (a value that is not a number)
    message = Signal(str)

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rows: list[kpi.Measurement] = []
        self._unit = ""
        self.read_only = False

    def set_measurements(self, measurements: Sequence[kpi.Measurement], unit: str) -> None:
        self.beginResetModel()
        self._rows = sorted(measurements, key=lambda m: m.date, reverse=True)
        self._unit = unit
        self.endResetModel()

    def measurement(self, row: int) -> kpi.Measurement | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Date"), _("Value"), _("Note"))[section] if 0 <= section < 3 else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if self.read_only else flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        column = index.column()
        if role == self.IdRole:
            return m.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return i18n.format_date(m.date)
            if column == self.VALUE:
                return amount(m.value, self._unit)
            return m.note
        if role == Qt.ItemDataRole.EditRole:
            if column == self.DATE:
                return m.date
            if column == self.VALUE:
                return i18n.format_number(m.value)
            return m.note
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTE and m.note:
            return plain_tooltip(m.note)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        m = self._rows[index.row()]
        column = index.column()
        if column == self.DATE:
            if value == m.date:
                return False
            self.editRequested.emit(m.id, {"date": value})
        elif column == self.VALUE:
            text = str(value).strip()
            try:
                number = kpi.parse_value(text)
            except ValueError as exc:
                self.message.emit(str(exc))
                return False
            new: int | float = int(number) if number.is_integer() and abs(number) < 2 ** 53 \
                else number
            if new == m.value:
                return False
            self.editRequested.emit(m.id, {"value": new})
        else:
            note = " ".join(str(value).split())
            if note == m.note:
                return False
            self.editRequested.emit(m.id, {"note": note})
        return True


# --- a KPI's definition -----------------------------------------------------------------------

class KpiDialog(QDialog):
    """A KPI's name, code, unit, baseline and target with their dates, direction,
    frequency, source dataset and owner; problems are shown before anything is saved."""

    def __init__(self, datasets: Sequence[tuple[str, str]], record: Record | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Edit KPI") if record else _("New KPI"))
        self.record = record
        kind = kinds.kind("kpis")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("for example: ISO 37120 transport, SDG 11.2.1, or your "
                                       "own"))
        self.unit = QLineEdit()
        self.unit.setPlaceholderText(kind.field("unit").help_text())
        self.baseline = QLineEdit()
        self.baseline_date = DateEdit()
        self.target = QLineEdit()
        self.target_date = DateEdit()
        self.direction = QComboBox()
        direction = kind.field("direction").vocabulary
        assert direction is not None
        for option in direction.all():
            self.direction.addItem(option.text(), option.code)
        self.frequency = QComboBox()
        self.frequency.addItem(_("Not set"), "")
        frequency = kind.field("frequency").vocabulary
        assert frequency is not None
        for option in frequency.all():
            self.frequency.addItem(option.text(), option.code)
        self.source = QComboBox()
        self.source.addItem(_("None"), "")
        for rid, title in datasets:
            self.source.addItem(title, rid)
        self.owner = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 3 + 14)

        def pair(a: QWidget, b: QWidget) -> QWidget:
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(a, 1)
            row.addWidget(QLabel(pgettext("value on date", "on")))
            row.addWidget(b, 1)
            return holder

        for name, line in (("name", self.name), ("code", self.code), ("unit", self.unit)):
            form.addRow(kind.field(name).label_text() + ":", line)
            line.setToolTip(kind.field(name).help_text())
        form.addRow(kind.field("baseline").label_text() + ":",
                    pair(self.baseline, self.baseline_date))
        form.addRow(kind.field("target").label_text() + ":", pair(self.target, self.target_date))
        for name, widget in (("direction", self.direction), ("frequency", self.frequency),
                             ("source_dataset", self.source), ("owner", self.owner),
                             ("notes", self.notes)):
            form.addRow(kind.field(name).label_text() + ":", widget)
            if kind.field(name).help_text():
                widget.setToolTip(kind.field(name).help_text())
        self.problems = QLabel()
        self.problems.setObjectName("fieldError")
        self.problems.setStyleSheet("color: #b03a2e;")
        self.problems.setWordWrap(True)
        self.problems.hide()
        rule = QLabel(kpi.status_rule_help())
        rule.setObjectName("hint")
        rule.setWordWrap(True)
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Save") if record else _("Add KPI"),
                               QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(rule)
        layout.addWidget(buttons)
        if record is not None:
            self._load(record)
        self.resize(620, 640)

    def _load(self, record: Record) -> None:
        v = record.values
        self.name.setText(str(v.get("name") or ""))
        self.code.setText(str(v.get("code") or ""))
        self.unit.setText(str(v.get("unit") or ""))
        for edit, name in ((self.baseline, "baseline"), (self.target, "target")):
            value = v.get(name)
            edit.setText(i18n.format_number(value) if isinstance(value, int | float) else "")
        self.baseline_date.setDate(v.get("baseline_date"))
        self.target_date.setDate(v.get("target_date"))
        for combo, name in ((self.direction, "direction"), (self.frequency, "frequency"),
                            (self.source, "source_dataset")):
            index = combo.findData(v.get(name) or "")
            if index < 0 and name == "source_dataset" and v.get(name):
                combo.addItem(_("a dataset that is no longer in the project"), v.get(name))
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
        self.owner.setText(str(v.get("owner") or ""))
        self.notes.setPlainText(str(v.get("notes") or ""))

    def values(self) -> dict[str, Any]:
        """What the form holds; ValueError with a translated message for a number or a
        date that cannot be read."""
        def number(edit: QLineEdit) -> int | float | None:
            text = edit.text().strip()
            if not text:
                return None
            value = kpi.parse_value(text)
            return int(value) if value.is_integer() and abs(value) < 2 ** 53 else value

        def day(edit: DateEdit) -> dt.date | None:
            try:
                return edit.date()
            except DateInputError:
                raise ValueError(_("“{text}” is not a date.").format(
                    text=edit.text().strip())) from None

        return {
            "name": self.name.text().strip(), "code": self.code.text().strip(),
            "unit": self.unit.text().strip(), "baseline": number(self.baseline),
            "baseline_date": day(self.baseline_date), "target": number(self.target),
            "target_date": day(self.target_date),
            "direction": str(self.direction.currentData() or "higher"),
            "frequency": str(self.frequency.currentData() or ""),
            "source_dataset": str(self.source.currentData() or ""),
            "owner": self.owner.text().strip(), "notes": self.notes.toPlainText().strip(),
        }

    def changes(self) -> dict[str, Any]:
        values = self.values()
        if self.record is None:
            return values
        return {k: v for k, v in values.items() if self.record.values.get(k) != v}

    def _accept(self) -> None:
        from d4a_desktop.services.monitoring import kpi_problems

        try:
            values = self.values()
        except ValueError as exc:
            self._show([Problem("", str(exc))])
            return
        problems = kpi_problems(values)
        if problems:
            self._show(problems)
            return
        self.accept()

    def _show(self, problems: Sequence[Problem]) -> None:
        self.problems.setText("\n".join(p.message for p in problems))
        self.problems.show()


# --- the page ---------------------------------------------------------------------------------

class KpiPage(QWidget):
    """Every KPI with its status; the chart and measurements of the one selected."""

    newRequested = Signal()
    #: kpi id
    editRequested = Signal(str)
    deleteRequested = Signal(str)
    #: kpi id, date, value, note
    measurementAddRequested = Signal(str, object, object, str)
    #: measurement id, {field: value}
    measurementEditRequested = Signal(str, object)
    #: measurement ids
    measurementsDeleteRequested = Signal(object)
    #: kpi id, the text pasted
    pasteRequested = Signal(str, str)
    #: kpi id, the file chosen
    importRequested = Signal(str, object)
    #: the KPI whose comments to show changed (kpi id or "")
    selectionChanged = Signal(str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 10)
        layout.setSpacing(6)
        head = QHBoxLayout()
        title = QLabel(_("KPIs"))
        title.setObjectName("pageTitle")
        head.addWidget(title)
        head.addStretch(1)
        self.rule_button = QToolButton()
        self.rule_button.setText(_("How is the status worked out?"))
        self.rule_button.setAutoRaise(True)
        self.rule_button.setToolTip(plain_tooltip(kpi.status_rule_help()))
        self.rule_button.clicked.connect(self.show_rule)
        head.addWidget(self.rule_button)
        layout.addLayout(head)
        intro = QLabel(_(
            "The indicators that show whether the project reaches its goal. Each is on track, "
            "at risk or off track, judged by its latest measurement against the straight "
            "line from its baseline to its target."))
        intro.setObjectName("purpose")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.model = KpiListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(KpiListModel.TREND, SparklineDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(KpiListModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.table.doubleClicked.connect(lambda _i: self._edit())
        top_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New KPI…"))
        self.new_button.clicked.connect(self.newRequested)
        self.edit_button = QPushButton(_("Edit KPI…"))
        self.edit_button.clicked.connect(self._edit)
        self.delete_button = QPushButton(_("Delete KPI"))
        self.delete_button.clicked.connect(self._delete_kpi)
        for button in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        top_layout.addLayout(buttons)
        self.empty = QLabel(_("No KPIs yet. Add the indicators of your monitoring plan with "
                              "their baseline and target."))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        top_layout.addWidget(self.empty)
        self.splitter.addWidget(top)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 6, 0, 0)
        detail_layout.setSpacing(4)
        self.heading = QLabel()
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.source = QLabel()
        self.source.setObjectName("hint")
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.heading, self.explanation, self.source):
            detail_layout.addWidget(widget)
        lower = self.lower_split = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)
        from d4a_desktop.gui.charts import KpiChart  # QtCharts loads when first needed

        self.chart = KpiChart()
        lower.addWidget(self.chart)
        entry = QWidget()
        entry_layout = QVBoxLayout(entry)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        entry_layout.setSpacing(4)
        self.measurements = MeasurementsModel(self)
        self.measurements.editRequested.connect(self.measurementEditRequested)
        self.measurements.message.connect(self.message)
        self.values = QTableView()
        self.values.setModel(self.measurements)
        self.values.verticalHeader().hide()
        self.values.setAlternatingRowColors(True)
        self.values.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                    | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.date_delegate = DueDateDelegate(self.values)
        self.date_delegate.refused.connect(lambda text: self.message.emit(
            _("“{text}” is not a date.").format(text=text)))
        self.values.setItemDelegateForColumn(MeasurementsModel.DATE, self.date_delegate)
        values_header = self.values.horizontalHeader()
        values_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        values_header.setSectionResizeMode(MeasurementsModel.NOTE,
                                           QHeaderView.ResizeMode.Stretch)
        entry_layout.addWidget(self.values, 1)
        self.add_row = QFrame()
        add = QHBoxLayout(self.add_row)
        add.setContentsMargins(0, 0, 0, 0)
        self.new_date = DateEdit()
        self.new_date.setPlaceholderText(_("Date"))
        self.new_value = QLineEdit()
        self.new_value.setPlaceholderText(_("Value"))
        self.new_value.setMaximumWidth(120)
        self.new_note = QLineEdit()
        self.new_note.setPlaceholderText(_("Note"))
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self._add)
        self.new_value.returnPressed.connect(self._add)
        self.new_note.returnPressed.connect(self._add)
        add.addWidget(self.new_date)
        add.addWidget(self.new_value)
        add.addWidget(self.new_note, 1)
        add.addWidget(self.add_button)
        entry_layout.addWidget(self.add_row)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b03a2e;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        entry_layout.addWidget(self.problem)
        more = QHBoxLayout()
        self.paste_button = QPushButton(_("Paste from Spreadsheet"))
        self.paste_button.setToolTip(_("Copy the cells of a date column and a value column "
                                       "(and a note column, if you like) in your spreadsheet, "
                                       "then paste them here."))
        self.paste_button.clicked.connect(self.paste)
        self.import_button = QPushButton(_("Import…"))
        self.import_button.setToolTip(_("Add measurements from a CSV or Excel file with the "
                                        "columns date, value and note."))
        self.import_button.clicked.connect(self._import)
        self.delete_values = QPushButton(_("Delete"))
        self.delete_values.clicked.connect(self._delete_values)
        for button in (self.paste_button, self.import_button):
            more.addWidget(button)
        more.addStretch(1)
        more.addWidget(self.delete_values)
        entry_layout.addLayout(more)
        lower.addWidget(entry)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        detail_layout.addWidget(lower, 1)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        layout.addWidget(self.splitter, 1)
        self.detail = detail
        self.detail_layout = detail_layout
        self._current = ""
        self._sized = False
        paste = QShortcut(QKeySequence(QKeySequence.StandardKey.Paste), self.values)
        paste.setContext(Qt.ShortcutContext.WidgetShortcut)
        paste.activated.connect(self.paste)
        self._update_buttons()

    # --- showing ----------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not self._sized and self.lower_split.width() > 200:
            self._sized = True
            width = self.lower_split.width()
            self.lower_split.setSizes([round(width * 0.58), round(width * 0.42)])
            self._fit_list()

    def _fit_list(self) -> None:
        """The list as high as its KPIs need (up to seven), the chart gets the rest."""
        rows = min(max(self.model.rowCount(), 1), 7)
        wanted = rows * self.table.verticalHeader().defaultSectionSize() + \
            self.table.horizontalHeader().height() + self.new_button.sizeHint().height() + 24
        total = self.splitter.height()
        if total > 0:
            self.splitter.setSizes([wanted, max(total - wanted, 1)])

    def show_kpis(self, rows: Sequence[Measured], select: str = "") -> None:
        current = select or self._current
        self.model.set_kpis(rows)
        self.empty.setVisible(not rows)
        row = self.model.row_of(current) if current else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._selected()
        self._fit_list()

    def select(self, kpi_id: str) -> None:
        row = self.model.row_of(kpi_id)
        if row >= 0:
            self.table.selectRow(row)

    def current(self) -> Measured | None:
        return self.model.measured(self.table.currentIndex().row())

    def _selected(self) -> None:
        m = self.current()
        self._current = m.record.id if m else ""
        self.detail.setVisible(m is not None)
        self.chart.show_kpi(m)
        if m is None:
            self.measurements.set_measurements((), "")
        else:
            d = m.definition
            self.heading.setText(d.name)
            self.explanation.setText(explanation_text(m.status))
            self.explanation.setToolTip(status_tooltip(m.status))
            facts = []
            if m.source:
                facts.append(_("Source: {name}").format(name=m.source))
            if d.owner:
                facts.append(_("Owner: {name}").format(name=d.owner))
            self.source.setText(" · ".join(facts))
            self.source.setVisible(bool(facts))
            self.measurements.set_measurements(m.measurements, d.unit)
            self.values.resizeColumnsToContents()
        self._update_buttons()
        self.selectionChanged.emit(self._current)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.measurements.read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        editable = not self.read_only
        self.new_button.setEnabled(editable)
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(editable and chosen)
        self.add_row.setVisible(editable)
        for button in (self.paste_button, self.import_button, self.delete_values):
            button.setVisible(editable)

    def show_rule(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("How the status is worked out"),
                          kpi.status_rule_help(), QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Ok).setText(_("OK"))
        box.exec()

    # --- user actions ----------------------------------------------------------------------

    def _edit(self) -> None:
        if self.current() is not None and not self.read_only:
            self.editRequested.emit(self._current)

    def _delete_kpi(self) -> None:
        if self.current() is not None and not self.read_only:
            self.deleteRequested.emit(self._current)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _add(self) -> None:
        if self.read_only or not self._current:
            return
        try:
            day = self.new_date.date()
        except DateInputError:
            self.show_problem(_("“{text}” is not a date.").format(
                text=self.new_date.text().strip()))
            return
        text = self.new_value.text().strip()
        try:
            number = kpi.parse_value(text) if text else None
        except ValueError as exc:
            self.show_problem(str(exc))
            return
        value: Any = None if number is None else (
            int(number) if number.is_integer() and abs(number) < 2 ** 53 else number)
        self.measurementAddRequested.emit(self._current, day, value,
                                          self.new_note.text().strip())

    def measurement_added(self) -> None:
        """The measurement typed in was saved: ready for the next."""
        self.new_value.clear()
        self.new_note.clear()
        self.new_date.clear()
        self.show_problem("")
        self.new_date.setFocus()

    def paste(self) -> None:
        if self.read_only or not self._current:
            return
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_problem(_("The clipboard holds no cells to paste. Copy the date and "
                                "value columns in your spreadsheet first."))
            return
        self.pasteRequested.emit(self._current, text)

    def _import(self) -> None:
        if self.read_only or not self._current:
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Import measurements"), "",
            _("Spreadsheets (*.csv *.xlsx)") + ";;" + _("All files (*)"))
        if name:
            self.importRequested.emit(self._current, Path(name))

    def _delete_values(self) -> None:
        if self.read_only:
            return
        rows = sorted({i.row() for i in self.values.selectionModel().selectedIndexes()})
        ids = [m.id for r in rows if (m := self.measurements.measurement(r)) is not None]
        if ids:
            self.measurementsDeleteRequested.emit(ids)


def describe_problems(problems: Sequence[Any], limit: int = 12) -> str:
    """Rejected rows of a paste or an import, as a list to read."""
    lines = [p.describe() for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(ngettext("… and {count} more", "… and {count} more",
                              len(problems) - limit).format(count=len(problems) - limit))
    return "\n".join(lines)

