"""File › Restore from Backup…: the project's automatic backups, restored as a new file."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n, paths
from d4a_desktop.gui import dialogs, tasks
from d4a_desktop.i18n import _
from d4a_desktop.services import rescue
from d4a_desktop.storage import ProjectFileError, backups
from d4a_desktop.storage.backups import Backup

log = logging.getLogger("d4a.restore")


def local_time(taken: dt.datetime) -> dt.datetime:
    """A backup's time (naive UTC, as the backup folder records it) in local time."""
    moment = taken if taken.tzinfo else taken.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def format_size(size: int) -> str:
    """A file size in the locale's words and digits ("57 kB", "1,2 MB")."""
    from babel.units import format_unit

    if size >= 1_000_000:
        return str(format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short",
                               locale=i18n.locale()))
    return str(format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short",
                           locale=i18n.locale()))


class RestoreDialog(QDialog):
    """Lists every backup of one project (from every file it was taken from), newest first.

    The list is read off the window's thread. "Restore as a Copy…" asks for a new file
    name and writes the backup there; ``restored`` carries the new file, which the caller
    opens. A backup never replaces an existing file.
    """

    restored = Signal(Path)

    def __init__(self, project_id: str, project_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Restore from Backup"))
        self._project_path = project_path
        self.backups: list[Backup] = []
        intro = QLabel(_("The program keeps a backup of a project each time it is closed after "
                         "a change. Choose one to restore it as a new project file; the current "
                         "file stays as it is."))
        intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([_("Backup taken"), _("Taken from"), _("Size")])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda *_a: self.restore_selected())
        self.status = QLabel(_("Looking for backups…"))
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(_("&Restore as a Copy…"))
        self.restore_button.setEnabled(False)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 420)
        root = paths.backups_dir()
        tasks.run_in_background(lambda: backups.list_backups(root, project_id), self.show_backups,
                                self._failed, context=self)

    def show_backups(self, found: list[Backup]) -> None:
        self.backups = found
        self.table.clear()
        for backup in found:
            source = Path(backup.source) if backup.source else None
            row = QTreeWidgetItem([
                i18n.format_datetime(local_time(backup.taken)),
                source.name if source else _("unknown file"),
                format_size(backup.size)])
            row.setToolTip(1, backup.source)
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.addTopLevelItem(row)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
            self.status.setText(i18n.ngettext("{count} backup", "{count} backups", len(found))
                                .format(count=len(found)))
        else:
            self.status.setText(_("There are no backups of this project yet. A backup is taken "
                                  "when a changed project is closed."))

    def _failed(self, error: BaseException) -> None:
        log.warning("listing backups failed: %r", error)
        self.status.setText(_("The backups could not be listed."))

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> Backup | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        row = self.table.indexOfTopLevelItem(item)
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def suggested_path(self, backup: Backup) -> Path:
        moment = local_time(backup.taken).strftime("%Y-%m-%d %H.%M")
        documents = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        folder = rescue.writable_folder(self._project_path.parent, documents)
        # Translators: part of a file name: "Cycling counts (backup 2026-12-04 14.30).d4a".
        return rescue.named_copy(self._project_path, _("backup {date}").format(date=moment),
                                 folder)

    def ask_target(self, backup: Backup) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Restore as a copy"), str(self.suggested_path(backup)),
            dialogs.file_filter(), "",
            QFileDialog.Option.DontConfirmOverwrite)  # a restore never replaces a file
        return Path(name) if name else None

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        target = self.ask_target(backup)
        if target is None:
            return
        if target.suffix.lower() != ".d4a":
            target = target.with_name(target.name + ".d4a")
        try:
            restored = backups.restore_copy(backup.path, target)
        except ProjectFileError as exc:
            dialogs.show_error(self, exc.message, _("Cannot restore the backup"))
            return
        log.info("restored backup %s as %s", backup.path.name, restored)
        self.restored.emit(restored)
        self.accept()
