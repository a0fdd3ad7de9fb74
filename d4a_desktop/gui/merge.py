"""The merge dialog: a partner's copy of the same project, merged field by field.

It is the preview: nothing is written until the user presses Merge. It shows what arrives
without question (fields changed on their side only, records only they have) and every
conflict (a field changed on both sides, a deletion against an edit) with both values and
who changed them when; each conflict is decided as mine, theirs or a value typed here. The
merge is then one edit on the undo stack (``ApplyMerge``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.core import merge
from d4a_desktop.core.commands import ApplyMerge
from d4a_desktop.gui.exchange import TableModel
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services import merging

Ident = tuple[str, str, str]
MINE, THEIRS, EDITED = "mine", "theirs", "edited"


def _table(model: TableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


class MergeDialog(QDialog):
    """Preview and decide a merge; ``command()`` is the edit once accepted."""

    def __init__(self, plan: merge.Plan, labels: merging.Labels, source: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.plan = plan
        self.labels = labels
        self.setWindowTitle(_("Merge a Partner's Changes"))
        self.decisions: dict[Ident, tuple[str, Any]] = {}
        self.shown = [labels.show(c.kind, c.record_id, c.key, c.field) for c in plan.conflicts]

        layout = QVBoxLayout(self)
        heading = QLabel(source)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        arriving = len(plan.takes) + len(plan.creates)
        summary = ngettext("{count} change arrives without question.",
                           "{count} changes arrive without question.",
                           arriving).format(count=arriving)
        if plan.conflicts:
            summary += " " + ngettext(
                "{count} field was changed on both sides: decide below which value to keep.",
                "{count} fields were changed on both sides: decide below which value to keep.",
                len(plan.conflicts)).format(count=len(plan.conflicts))
        summary += " " + _("Nothing is written until you press Merge; the merge can be "
                           "undone as one step.")
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.conflict_model = TableModel([_("What"), _("Field"), _("Mine"), _("Theirs"),
                                          _("Decision")], self)
        self.conflict_model.set_rows([self._conflict_row(c, s) for c, s in
                                      zip(plan.conflicts, self.shown, strict=True)])
        self.arriving_model = TableModel([_("What"), _("Field"), _("New value"),
                                          _("Changed by")], self)
        self.arriving_model.set_rows(self._arriving_rows())
        if plan.conflicts:
            self.tabs.addTab(self._conflicts_page(), ngettext(
                "{count} conflict", "{count} conflicts", len(plan.conflicts))
                .format(count=len(plan.conflicts)))
        self.arriving_view = _table(self.arriving_model)
        self.arriving_view.setColumnWidth(0, 460)
        self.arriving_view.setColumnWidth(1, 150)
        self.arriving_view.setColumnWidth(2, 220)
        self.tabs.addTab(self.arriving_view, _("Arrives without question ({count})")
                         .format(count=arriving))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.merge_button = buttons.addButton(_("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.left_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.left_label, 1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.resize(1100, 640)
        if plan.conflicts:
            self.conflict_view.selectionModel().setCurrentIndex(
                self.conflict_model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._update_state()

    # --- the tables ----------------------------------------------------------------------

    def _conflict_row(self, conflict: merge.Conflict, shown: merging.Shown) -> list[Any]:
        mine = self.labels.value(conflict.kind, conflict.field, conflict.mine.value)
        theirs = self.labels.value(conflict.kind, conflict.field, conflict.theirs.value)
        return [shown.what, shown.field,
                (mine, mine, merging.changed_by(conflict.mine)),
                (theirs, theirs, merging.changed_by(conflict.theirs)),
                self._decision_text(conflict.ident)]

    def _arriving_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        for kind, entry in self.plan.creates:
            shown = self.labels.show(kind, entry.get("id", ""), entry.get("key", ""),
                                     merge.DELETED)
            # Translators: in the merge dialog, a record that only the partner has.
            side = merge.Side(None, entry.get("author", ""), entry.get("created_at") or "")
            rows.append([shown.what, _("New"), "", merging.changed_by(side)])
        for take in self.plan.takes:
            shown = self.labels.show(take.kind, take.record_id, take.key, take.field)
            side = merge.Side(take.value, take.author, take.at)
            rows.append([shown.what, shown.field,
                         self.labels.value(take.kind, take.field, take.value),
                         merging.changed_by(side)])
        return rows

    def _decision_text(self, ident: Ident) -> str:
        decision = self.decisions.get(ident)
        if decision is None:
            return _("Not decided")
        how, value = decision
        if how == MINE:
            return _("Keep mine")
        if how == THEIRS:
            return _("Take theirs")
        return _("Edited: {value}").format(value=value)

    # --- one conflict --------------------------------------------------------------------

    def _conflicts_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Vertical)
        self.conflict_view = _table(self.conflict_model)
        self.conflict_view.setColumnWidth(0, 300)
        self.conflict_view.setColumnWidth(1, 140)
        self.conflict_view.setColumnWidth(2, 180)
        self.conflict_view.setColumnWidth(3, 180)
        self.conflict_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_conflict(current.row()))
        page.addWidget(self.conflict_view)

        detail = QFrame()
        detail.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(detail)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.detail_title.font()
        font.setBold(True)
        self.detail_title.setFont(font)
        grid.addWidget(self.detail_title, 0, 0, 1, 3)
        self.choice = QButtonGroup(self)
        self.mine_radio = QRadioButton(_("Keep &mine"))
        self.theirs_radio = QRadioButton(_("Take &theirs"))
        self.edit_radio = QRadioButton(_("&Edit:"))
        self.mine_value, self.theirs_value = QLabel(), QLabel()
        self.mine_who, self.theirs_who = QLabel(), QLabel()
        for n, (radio, value, who) in enumerate(((self.mine_radio, self.mine_value,
                                                  self.mine_who),
                                                 (self.theirs_radio, self.theirs_value,
                                                  self.theirs_who)), 1):
            self.choice.addButton(radio, n)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            who.setEnabled(False)
            grid.addWidget(radio, n, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(value, n, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(who, n, 2, Qt.AlignmentFlag.AlignVCenter)
        self.choice.addButton(self.edit_radio, 3)
        self.editor = QLineEdit()
        self.editor.setPlaceholderText(_("Type the value to keep"))
        self.edit_problem = QLabel()
        self.edit_problem.setObjectName("editProblem")
        self.edit_problem.setStyleSheet("color: #b00020;")
        grid.addWidget(self.edit_radio, 3, 0)
        grid.addWidget(self.editor, 3, 1, 1, 2)
        grid.addWidget(self.edit_problem, 4, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.choice.idClicked.connect(self._choose)
        self.editor.textEdited.connect(self._edited)
        all_row = QHBoxLayout()
        self.all_mine = QPushButton(_("Keep Mine for All"))
        self.all_theirs = QPushButton(_("Take Theirs for All"))
        self.all_mine.clicked.connect(lambda: self._decide_all(MINE))
        self.all_theirs.clicked.connect(lambda: self._decide_all(THEIRS))
        all_row.addStretch(1)
        all_row.addWidget(self.all_mine)
        all_row.addWidget(self.all_theirs)
        grid.addLayout(all_row, 5, 0, 1, 3)
        page.addWidget(detail)
        page.setStretchFactor(0, 1)
        page.setStretchFactor(1, 0)
        return page

    def current_row(self) -> int:
        return self.conflict_view.currentIndex().row() if self.plan.conflicts else -1

    def _show_conflict(self, row: int) -> None:
        if not 0 <= row < len(self.plan.conflicts):
            return
        conflict, shown = self.plan.conflicts[row], self.shown[row]
        self.detail_title.setText(f"{shown.what} — {shown.field}")
        self.mine_value.setText(self.labels.value(conflict.kind, conflict.field,
                                                  conflict.mine.value) or _("(empty)"))
        self.theirs_value.setText(self.labels.value(conflict.kind, conflict.field,
                                                    conflict.theirs.value) or _("(empty)"))
        # Translators: under a value in the merge dialog: "changed by Anna, 3.12.2026 14:05".
        self.mine_who.setText(_("changed by {who}").format(
            who=merging.changed_by(conflict.mine)))
        self.theirs_who.setText(_("changed by {who}").format(
            who=merging.changed_by(conflict.theirs)))
        self.edit_radio.setEnabled(shown.editable)
        self.editor.setEnabled(shown.editable)
        decision = self.decisions.get(conflict.ident)
        self.choice.setExclusive(False)
        for button in self.choice.buttons():
            button.setChecked(False)
        self.choice.setExclusive(True)
        self.editor.setText(str(conflict.mine.value or "") if shown.editable else "")
        self.edit_problem.clear()
        if decision is not None:
            how, value = decision
            {MINE: self.mine_radio, THEIRS: self.theirs_radio,
             EDITED: self.edit_radio}[how].setChecked(True)
            if how == EDITED:
                self.editor.setText(str(value))
                self._check_edit(row)

    def _choose(self, button_id: int) -> None:
        row = self.current_row()
        if row < 0:
            return
        conflict = self.plan.conflicts[row]
        if button_id == 1:
            self._decide(row, MINE, conflict.mine.value)
        elif button_id == 2:
            self._decide(row, THEIRS, conflict.theirs.value)
        else:
            self._decide(row, EDITED, self.editor.text())
            self.editor.setFocus()

    def _edited(self, text: str) -> None:
        row = self.current_row()
        if row >= 0:
            self.edit_radio.setChecked(True)
            self._decide(row, EDITED, text)

    def _check_edit(self, row: int) -> str | None:
        conflict = self.plan.conflicts[row]
        decision = self.decisions.get(conflict.ident)
        problem = None
        if decision is not None and decision[0] == EDITED:
            problem = merging.check_edited(conflict.kind, conflict.field, str(decision[1]))
        if row == self.current_row():
            self.edit_problem.setText(problem or "")
        return problem

    def _decide(self, row: int, how: str, value: Any) -> None:
        conflict = self.plan.conflicts[row]
        self.decisions[conflict.ident] = (how, value)
        self.conflict_model.set_cell(row, 4, self._decision_text(conflict.ident))
        self._check_edit(row)
        self._update_state()

    def _decide_all(self, how: str) -> None:
        for row, conflict in enumerate(self.plan.conflicts):
            value = conflict.mine.value if how == MINE else conflict.theirs.value
            self._decide(row, how, value)
        self._show_conflict(self.current_row())

    def decide(self, row: int, how: str, value: Any = None) -> None:
        """Decide a conflict as the user would (for tests and scripts)."""
        conflict = self.plan.conflicts[row]
        if how == MINE:
            value = conflict.mine.value
        elif how == THEIRS:
            value = conflict.theirs.value
        self._decide(row, how, value)
        if row == self.current_row():
            self._show_conflict(row)

    # --- the whole -----------------------------------------------------------------------

    def undecided(self) -> int:
        return sum(1 for c in self.plan.conflicts if c.ident not in self.decisions)

    def problems(self) -> int:
        return sum(1 for row in range(len(self.plan.conflicts)) if self._check_edit(row))

    def _update_state(self) -> None:
        left, problems = self.undecided(), self.problems()
        if left:
            self.left_label.setText(ngettext("{count} conflict left to decide",
                                             "{count} conflicts left to decide", left)
                                    .format(count=left))
        elif problems:
            self.left_label.setText(_("An edited value cannot be stored; correct it first."))
        else:
            self.left_label.setText("")
        self.merge_button.setEnabled(left == 0 and problems == 0)

    def accept(self) -> None:
        if self.undecided() or self.problems():
            return
        super().accept()

    def command(self) -> ApplyMerge:
        return merging.command(self.plan, {ident: value for ident, (_how, value)
                                           in self.decisions.items()})
