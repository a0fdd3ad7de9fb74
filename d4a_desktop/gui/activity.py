"""The activity page: guidance, guiding questions, status and the checklist."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.core.content import Activity, Roadmap
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.vocab import Origin, Status
from d4a_desktop.gui.models import ChecklistModel, ItemIdRole, status_icon
from d4a_desktop.i18n import _, ngettext

_NO_DATE = QDate(2000, 1, 1)


class DueDateDelegate(QStyledItemDelegate):
    """A date editor with a calendar; its lowest value means "no date"."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setMinimumDate(_NO_DATE)
        editor.setSpecialValueText(_("No date"))
        editor.setDisplayFormat("yyyy-MM-dd")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QDateEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(value, dt.date):
            editor.setDate(QDate(value.year, value.month, value.day))
        else:
            editor.setDate(QDate.currentDate())

    def setModelData(self, editor: QWidget, model: Any,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QDateEdit)
        qdate = editor.date()
        value = None if qdate == _NO_DATE else dt.date(qdate.year(), qdate.month(), qdate.day())
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class ActivityPage(QWidget):
    #: activity id, {field: value}
    activityEditRequested = Signal(str, object)

    def __init__(self, roadmap: Roadmap, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._roadmap = roadmap
        self._activity: Activity | None = None
        self._state: ProjectState | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(6)
        self.crumb = QLabel()
        self.crumb.setObjectName("hint")
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.crumb)
        layout.addWidget(self.title)
        self.purpose = QLabel()
        self.purpose.setObjectName("purpose")
        self.purpose.setWordWrap(True)
        layout.addWidget(self.purpose)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)

        row = QHBoxLayout()
        self.origin = QLabel()
        self.origin.setObjectName("badge")
        self.source = QLabel()
        self.source.setOpenExternalLinks(True)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        row.addWidget(self.origin)
        row.addWidget(self.source)
        row.addStretch(1)
        status_label = QLabel(_("Status:"))
        self.status = QComboBox()
        for status in Status:
            self.status.addItem(status_icon(status), status.label(), status.value)
        status_label.setBuddy(self.status)
        self.status.activated.connect(self._status_chosen)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Why does this activity not apply?"))
        self.reason.setMinimumWidth(260)
        self.reason.editingFinished.connect(self._reason_edited)
        self.count = QLabel()
        self.count.setObjectName("hint")
        row.addWidget(status_label)
        row.addWidget(self.status)
        row.addWidget(self.reason)
        row.addSpacing(12)
        row.addWidget(self.count)
        layout.addLayout(row)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.guidance = QTextBrowser()
        self.guidance.setOpenLinks(False)
        self.guidance.anchorClicked.connect(self._link)
        self.guidance.setFrameShape(QFrame.Shape.StyledPanel)
        self.guidance.document().setDocumentMargin(12)
        self.splitter.addWidget(self.guidance)

        self.checklist = ChecklistModel(self)
        self.table = QTableView()
        self.table.setModel(self.checklist)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._edit_triggers = (QAbstractItemView.EditTrigger.DoubleClicked
                               | QAbstractItemView.EditTrigger.EditKeyPressed
                               | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setEditTriggers(self._edit_triggers)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(ChecklistModel.DUE, DueDateDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ChecklistModel.ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ChecklistModel.DIMENSION,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChecklistModel.OWNER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ChecklistModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChecklistModel.NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ChecklistModel.OWNER, 140)
        header.resizeSection(ChecklistModel.NOTE, 220)
        header.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    @property
    def activity_id(self) -> str | None:
        return self._activity.id if self._activity else None

    def show_activity(self, activity: Activity, state: ProjectState) -> None:
        self._activity, self._state = activity, state
        comp = self._roadmap.component(activity.component_id)
        self.crumb.setText(_("Component {number}: {title}").format(number=comp.number,
                                                                   title=comp.title))
        self.title.setText(f"{comp.number}.{activity.number}  {activity.title}")
        self.origin.setText(activity.origin.label())
        self.origin.setProperty("origin", activity.origin.value)
        self.origin.setToolTip(
            _("Restated from the published D4A roadmap.") if activity.origin is Origin.D4A
            else _("Written for this program to complete the roadmap."))
        self.origin.style().unpolish(self.origin)
        self.origin.style().polish(self.origin)
        if activity.source:
            link_text = escape(_("Source"))
            self.source.setText(f'<a href="{escape(activity.source)}">{link_text}</a>')
            self.source.setToolTip(activity.source)
        else:
            self.source.clear()
        self.purpose.setText(activity.purpose)
        self.purpose.setVisible(bool(activity.purpose))
        self.guidance.setMarkdown(self._document(activity))
        self.checklist.set_activity(activity, state)
        QTimer.singleShot(0, self.table.resizeRowsToContents)  # once the columns have settled
        self.update_state(state)

    def update_state(self, state: ProjectState, item_id: str | None = None) -> None:
        """Refresh status and counts; with ``item_id`` only that checklist row."""
        self._state = state
        if self._activity is None:
            return
        act_state = state.activity(self._activity.id)
        self.status.setCurrentIndex(self.status.findData(act_state.status.value))
        is_na = act_state.status is Status.NOT_APPLICABLE
        self.reason.setVisible(is_na)
        if not self.reason.hasFocus():
            self.reason.setText(act_state.na_reason)
        self.checklist.update_state(state, item_id)
        condition = self._activity.condition
        if not state.applies(condition) and condition is not None:
            self.banner.setText(_("{condition}. The project has answered no, so this activity "
                                  "is left out of progress. Change the answer in Project "
                                  "Details.").format(condition=condition.label()))
        self.banner.setVisible(not state.applies(condition))
        applicable = [i for i in self._activity.items if state.applies(i.condition)]
        done = sum(1 for i in applicable if state.item(i.id).done)
        total = len(applicable)
        self.count.setText(ngettext("{done} of {total} item done", "{done} of {total} items done",
                                    total).format(done=done, total=total))

    def set_read_only(self, read_only: bool) -> None:
        """Show the activity of a project open for reading: nothing can be changed."""
        self.status.setEnabled(not read_only)
        self.reason.setReadOnly(read_only)
        self.checklist.set_read_only(read_only)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                   else self._edit_triggers)

    def _document(self, activity: Activity) -> str:
        parts = [activity.guidance.strip(), "", "### " + _("Guiding questions"), ""]
        parts += [f"- {q}" for q in activity.questions]
        roles = [r.title for r in (self._roadmap.role(x) for x in activity.roles) if r]
        if roles:
            parts += ["", "### " + _("Who is involved"), "", ", ".join(roles)]
        tools = [t for t in (self._roadmap.tool(x) for x in activity.tools) if t]
        if tools:
            parts += ["", "### " + _("Tools"), ""]
            parts += [f"- [**{t.title}**](tool:{t.id}): {t.description}" for t in tools]
        standards = [s for s in (self._roadmap.standard(x) for x in activity.standards) if s]
        if standards:
            parts += ["", "### " + _("Standards and law"), ""]
            parts += [f"- [**{s.name}**]({s.url}): {s.summary}" if s.url
                      else f"- **{s.name}**: {s.summary}" for s in standards]
        cases = [c for c in (self._roadmap.case(x) for x in activity.cases) if c]
        if cases:
            parts += ["", "### " + _("From the pilots"), ""]
            for case in cases:
                parts += [f"**{case.title}** ({case.place})", "", case.summary.strip(), ""]
        return "\n".join(parts)

    def highlight(self, pattern: str, item_id: str | None = None) -> None:
        """Mark every match of ``pattern`` in the guidance; select the matched item."""
        regex = QRegularExpression(
            pattern, QRegularExpression.PatternOption.CaseInsensitiveOption
            | QRegularExpression.PatternOption.UseUnicodePropertiesOption)
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#ffe28a"))
        cursor = self.guidance.document().find(regex)
        first = None
        while not cursor.isNull():
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
            first = first or QTextCursor(cursor)
            cursor = self.guidance.document().find(regex, cursor)
        self.guidance.setExtraSelections(selections)
        if first is not None and item_id is None:
            first.clearSelection()
            self.guidance.setTextCursor(first)
            self.guidance.ensureCursorVisible()
        if item_id is not None:
            for row in range(self.checklist.rowCount()):
                index = self.checklist.index(row, 0)
                if self.checklist.data(index, ItemIdRole) == item_id:
                    self.table.selectRow(row)
                    self.table.scrollTo(index)
                    break

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "tool":
            tool = self._roadmap.tool(url.path())
            if tool is not None:
                from d4a_desktop.gui.dialogs import ToolDialog

                ToolDialog(tool, self).exec()
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def _status_chosen(self, index: int) -> None:
        if self._activity is None or self._state is None:
            return
        status = Status(self.status.itemData(index))
        if status != self._state.activity(self._activity.id).status:
            self.activityEditRequested.emit(self._activity.id, {"status": status})
            if status is Status.NOT_APPLICABLE:
                self.reason.setFocus()

    def _reason_edited(self) -> None:
        if self._activity is None or self._state is None:
            return
        text = self.reason.text().strip()
        if text != self._state.activity(self._activity.id).na_reason:
            self.activityEditRequested.emit(self._activity.id, {"na_reason": text})
