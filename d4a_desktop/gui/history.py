"""A record's or checklist item's history in a dialog: when, who, what changed."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.i18n import _
from d4a_desktop.services.history import Entry


class HistoryDialog(QDialog):
    def __init__(self, what: str, entries: Sequence[Entry], parent: QWidget | None = None):
        super().__init__(parent)
        # Translators: the title of the dialog that lists the changes of one record or
        # checklist item; {what} is its name.
        self.setWindowTitle(_("History of {what}").format(what=what))
        layout = QVBoxLayout(self)
        heading = QLabel(what)
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)  # long notes wrap, whole
        # Translators: column headings of the history dialog.
        self.tree.setHeaderLabels([_("When"), _("Who"), _("What changed")])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for entry in reversed(entries):  # the latest first
            item = QTreeWidgetItem([entry.when(), entry.author or _("Unknown"), entry.change])
            item.setToolTip(2, entry.change)
            self.tree.addTopLevelItem(item)
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(_("No changes are recorded yet."))
        self.empty.setVisible(not entries)
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)
