"""The responsibility matrix: team members down, roadmap activities across, R/A/C/I in the
cells, the way a project lead draws it on a whiteboard.

Chosen over a list grouped per activity because the question a lead asks of it runs both
ways: "who is accountable for 3.2?" (a column) and "is Jonas doing too much?" (a row). The
cells are filled by typing R, A, C or I (Delete clears) or from a menu; each change is one
undoable edit of the responsibilities register. The generic list of the same records
stays one click away on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.core import kinds
from d4a_desktop.core.commands import Batch, DeleteRecord, InvalidRecord
from d4a_desktop.core.records import Kind, Record, title_of
from d4a_desktop.gui.records import (
    Lookups,
    RegisterPage,
    _Index,
    filter_words,
    fold,
    matches,
)
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.i18n.collation import sort_key
from d4a_desktop.services import records as records_service
from d4a_desktop.services.projects import ProjectSession

#: The letters of the RACI convention, the same in every language (like the acronym).
LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I"}
CODES = {letter: code for code, letter in LETTERS.items()}
COLOURS = {"responsible": QColor("#cfe2f3"), "accountable": QColor("#1f4e79"),
           "consulted": QColor("#e3efe0"), "informed": QColor("#eef0f2")}
_BAND = QColor("#f6f8fa")
MemberRole = Qt.ItemDataRole.UserRole + 30
ActivityRole = Qt.ItemDataRole.UserRole + 31


class MatrixModel(QAbstractTableModel):
    """Rows are team members (alphabetical), columns the roadmap's activities."""

    def __init__(self, lookups: Lookups, parent: QObject | None = None):
        super().__init__(parent)
        self.lookups = lookups
        self.members: list[Record] = []
        self._cells: dict[tuple[str, str], list[Record]] = {}
        self._accountable: set[str] = set()
        self._hay: list[str] = []

    def set_contents(self, members: Sequence[Record], responsibilities: Sequence[Record]) -> None:
        self.beginResetModel()
        team = kinds.kind("team")
        self.members = sorted((m for m in members if not m.deleted),
                              key=lambda m: sort_key(title_of(team, m)))
        self._cells = {}
        self._accountable = set()
        for record in responsibilities:
            if record.deleted:
                continue
            key = (str(record.get("member")), str(record.get("activity")))
            self._cells.setdefault(key, []).append(record)
            if record.get("role") == "accountable":
                self._accountable.add(str(record.get("activity")))
        role = team.field("role")
        self._hay = [fold(" ".join((title_of(team, m), str(m.get("organisation") or ""),
                                    role.display(m.get("role")))))
                     for m in self.members]
        self.endResetModel()

    def records_at(self, member_id: str, activity_id: str) -> list[Record]:
        return list(self._cells.get((member_id, activity_id), ()))

    def without_accountable(self) -> list[str]:
        return [a.id for a in self.lookups.activities if a.id not in self._accountable]

    def haystack(self, row: int) -> str:
        return self._hay[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lookups.activities)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _at(self, index: _Index) -> tuple[Record, str, list[Record]]:
        member = self.members[index.row()]
        activity = self.lookups.activities[index.column()].id
        return member, activity, self._cells.get((member.id, activity), [])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.members) or \
                index.column() >= len(self.lookups.activities):
            return None
        member, activity, found = self._at(index)
        roles = [str(r.get("role")) for r in found]
        if role == Qt.ItemDataRole.DisplayRole:
            return "/".join(LETTERS.get(code, "?") for code in roles)
        if role == MemberRole:
            return member.id
        if role == ActivityRole:
            return activity
        if role == Qt.ItemDataRole.ToolTipRole:
            raci = kinds.kind("responsibilities").field("role")
            name = title_of(kinds.kind("team"), member)
            what = ", ".join(raci.display(code) for code in roles) if roles else _("none")
            return f"{name}\n{self.lookups.activity_label(activity)}\n{what}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if roles:
                return QBrush(COLOURS.get(roles[0], _BAND))
            component = self.lookups.component_of(activity)
            if component and int(component[1:]) % 2 == 0:
                return QBrush(_BAND)
        if role == Qt.ItemDataRole.ForegroundRole and "accountable" in roles:
            return QBrush(QColor("white"))
        if role == Qt.ItemDataRole.FontRole and roles:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.lookups.activities):
                return None
            activity = self.lookups.activities[section].id
            if role == Qt.ItemDataRole.DisplayRole:
                return self.lookups.activity_number(activity)
            if role == Qt.ItemDataRole.ToolTipRole:
                text = self.lookups.activity_label(activity)
                if activity not in self._accountable:
                    text += "\n" + _("No one is accountable yet.")
                return text
            return None
        if not 0 <= section < len(self.members):
            return None
        member = self.members[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return title_of(kinds.kind("team"), member)
        if role == Qt.ItemDataRole.ToolTipRole:
            team = kinds.kind("team")
            parts = [team.field("role").display(member.get("role")),
                     str(member.get("organisation") or "")]
            return "\n".join(p for p in parts if p) or None
        return None


class MemberFilter(QSortFilterProxyModel):
    """Keeps the team members whose name, organisation or role contains every word
    typed (the matrix has a row per member: a proxy costs nothing at that size)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    @property
    def filtering(self) -> bool:
        return bool(self._words)

    def set_filter_text(self, text: str) -> None:
        words = filter_words(text)
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        return not self._words or matches(model.haystack(source_row),  # type: ignore[attr-defined]
                                          self._words)


class MatrixView(QTableView):
    """Type R, A, C or I in a cell to set it, Delete to clear it; Enter or a double click
    opens a menu with the four and their full names."""

    def __init__(self, on_set: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self._on_set = on_set
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setDefaultSectionSize(34)
        self.horizontalHeader().setMinimumSectionSize(30)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.setCornerButtonEnabled(False)
        self.doubleClicked.connect(self.open_menu)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(
            lambda pos: self.open_menu(self.indexAt(pos)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        letter = event.text().upper()
        if index.isValid() and letter in CODES:
            self._on_set(index, CODES[letter])
            return
        if index.isValid() and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._on_set(index, "")
            return
        if index.isValid() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                               Qt.Key.Key_Space):
            self.open_menu(index)
            return
        super().keyPressEvent(event)

    def open_menu(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        raci = kinds.kind("responsibilities").field("role")
        assert raci.vocabulary is not None
        current = index.data(Qt.ItemDataRole.DisplayRole) or ""
        menu = QMenu(self)
        for option in raci.vocabulary.all():
            letter = LETTERS.get(option.code, "?")
            action = menu.addAction(f"{letter}  {option.text()}")
            action.setCheckable(True)
            action.setChecked(letter in current.split("/"))
            action.triggered.connect(lambda _c=False, code=option.code: self._on_set(index, code))
        menu.addSeparator()
        menu.addAction(_("None"), lambda: self._on_set(index, ""))
        rect = self.visualRect(index)
        menu.exec(self.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom())))


class ResponsibilitiesPage(RegisterPage):
    """The responsibility register: the matrix, or the generic list of the same records."""

    def __init__(self, kind: Kind, lookups: Lookups, parent: QWidget | None = None):
        super().__init__(kind, lookups, parent)
        self.members: list[Record] = []
        self.matrix_model = MatrixModel(lookups, self)
        self.matrix_proxy = MemberFilter(self)
        self.matrix_proxy.setSourceModel(self.matrix_model)
        self.matrix = MatrixView(self._cell_set)
        self.matrix.setModel(self.matrix_proxy)
        self.matrix_page = QWidget()
        box = QVBoxLayout(self.matrix_page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.matrix, 1)
        self.legend = QLabel()
        self.legend.setObjectName("hint")
        self.legend.setWordWrap(True)
        box.addWidget(self.legend)
        self.views.addWidget(self.matrix_page)
        self.views.setCurrentWidget(self.matrix_page)
        self.mode = QButtonGroup(self)
        self.show_matrix = QPushButton(_("Matrix"))
        self.show_list = QPushButton(_("List"))
        for n, button in enumerate((self.show_matrix, self.show_list)):
            button.setCheckable(True)
            self.mode.addButton(button, n)
            self.extra_bar.addWidget(button)
        self.show_matrix.setChecked(True)
        self.mode.idClicked.connect(self._switch)
        self.go_team = QPushButton(_("Open the team register"))
        self.go_team.setObjectName("primary")
        self.go_team.clicked.connect(lambda: self.registerRequested.emit("team"))
        self.empty_box.addWidget(self.go_team, 0, Qt.AlignmentFlag.AlignHCenter)
        self._switch(0)

    @property
    def matrix_mode(self) -> bool:
        return self.views.currentWidget() is self.matrix_page

    def _switch(self, mode: int) -> None:
        self.views.setCurrentWidget(self.matrix_page if mode == 0 else self.table)
        self.filter.setToolTip(
            _("Shows the team members whose name, organisation or role contains every word "
              "you type") if mode == 0
            else _("Shows the records that contain every word you type, in any field"))
        self._rows_changed()

    def load(self, session: ProjectSession) -> None:
        self.members = session.records("team")
        super().load(session)
        self._fill_matrix()

    def record_changed(self, record_id: str) -> None:
        super().record_changed(record_id)
        self._fill_matrix()

    def references_changed(self) -> None:
        if self.session is not None:
            self.members = self.session.records("team")
        super().references_changed()
        self._fill_matrix()

    def _fill_matrix(self) -> None:
        current = self.matrix.currentIndex()
        spot = (current.data(MemberRole), current.data(ActivityRole)) if current.isValid() \
            else None
        self.matrix_model.set_contents(self.members, self.model.records())
        width = max([self.matrix.fontMetrics().horizontalAdvance(
            title_of(kinds.kind("team"), m)) for m in self.members] or [100])
        self.matrix.verticalHeader().setFixedWidth(min(260, width + 24))
        if spot is not None:
            self._select_cell(*spot)
        missing = self.matrix_model.without_accountable()
        legend = _("R = responsible, does the work · A = accountable, answers for the result "
                   "(one per activity) · C = consulted · I = informed. Select a cell and "
                   "type a letter, or double-click it.")
        if missing and self.members:
            legend += "\n" + ngettext(
                "{count} activity has no accountable person yet.",
                "{count} activities have no accountable person yet.",
                len(missing)).format(count=len(missing))
        self.legend.setText(legend)
        self._rows_changed()

    def _select_cell(self, member_id: str, activity_id: str) -> None:
        rows = [n for n, m in enumerate(self.matrix_model.members) if m.id == member_id]
        cols = [n for n, a in enumerate(self.lookups.activities) if a.id == activity_id]
        if rows and cols:
            index = self.matrix_proxy.mapFromSource(self.matrix_model.index(rows[0], cols[0]))
            if index.isValid():
                self.matrix.setCurrentIndex(index)

    def _rows_changed(self, *_args: Any) -> None:
        super()._rows_changed()
        if not hasattr(self, "matrix_page"):
            return
        if self.matrix_mode:
            has_team = bool(self.matrix_model.rowCount())
            self.stack.setCurrentWidget(self.list_page if has_team else self.empty)
            self.purpose.setVisible(has_team)
            self.filter.setEnabled(has_team)
            self.add_first.setVisible(False)
            self.import_first.setVisible(False)
            self.go_team.setVisible(True)
            self.empty_text.setText(_("The matrix lists the members of the team. Add the "
                                      "people of the project to the team register first."))
            self.no_match.setVisible(self.matrix_proxy.filtering
                                     and not self.matrix_proxy.rowCount())
            self.no_match.setText(_("No team member matches “{text}”.").format(
                text=self.filter.text().strip()))
        else:
            self.add_first.setVisible(True)
            self.import_first.setVisible(True)
            self.go_team.setVisible(False)
            self.empty_text.setText(self.purpose.text())

    def _filter(self, text: str) -> None:
        self.matrix_proxy.set_filter_text(text)
        super()._filter(text)

    def _cell_set(self, index: QModelIndex, code: str) -> None:
        """Give a member one role in an activity ("" removes every role there)."""
        if self.read_only or self.session is None:
            return
        member_id = index.data(MemberRole)
        activity_id = index.data(ActivityRole)
        found = self.matrix_model.records_at(member_id, activity_id)
        if not code:
            commands = [DeleteRecord(self.kind.name, r.id, title_of(self.kind, r))
                        for r in found]
            if len(commands) == 1:
                self.editRequested.emit(commands[0])
            elif commands:
                self.editRequested.emit(Batch(tuple(commands), _("Clear responsibilities"),
                                              self.kind.name))
            return
        values = {"activity": activity_id, "member": member_id, "role": code}
        target = found[0] if found else None
        if target is not None and target.get("role") == code and len(found) == 1:
            return
        problems = records_service.problems(self.kind.name, values,
                                            target.id if target else "",
                                            self.model.records())
        if problems:
            self.warn(problems[0].message)
            return
        try:
            if target is None:
                self.editRequested.emit(records_service.new_record(self.kind.name, values))
                return
            command = records_service.edit_record(target, {"role": code})
        except InvalidRecord as exc:  # pragma: no cover - checked just above
            self.warn(str(exc))
            return
        extra = [DeleteRecord(self.kind.name, r.id, title_of(self.kind, r)) for r in found[1:]]
        if extra:
            self.editRequested.emit(Batch(tuple([c for c in (command,) if c] + extra),
                                          _("Change responsibility"), self.kind.name))
        elif command is not None:
            self.editRequested.emit(command)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down and \
                self.matrix_mode and self.matrix_proxy.rowCount():
            self.matrix.setFocus()
            if not self.matrix.currentIndex().isValid():
                self.matrix.setCurrentIndex(self.matrix_proxy.index(0, 0))
            return True
        return super().eventFilter(watched, event)
