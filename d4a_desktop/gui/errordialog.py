"""The dialog of an unexpected error: what happened, in words, and the report to copy.

Shown by ``gui/crash.py``; a module of its own, so that a start (which shows no error)
does not load the dialog's widget types.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.i18n import _


class ErrorDialog(QDialog):
    """What happened, in words, and the technical report to copy."""

    def __init__(self, doing: str, report: str, log_folder: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Something went wrong"))
        self.count = 1
        if doing:
            text = _("An unexpected error occurred in the program while you were doing "
                     "this: {action}.").format(action=doing)
        else:
            text = _("An unexpected error occurred in the program.")
        text += " " + _("Your project is still open, and every change saved before the "
                        "error is kept. Check that the last change is shown as you expect.")
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.advice = QLabel(_("If this happens again, please send the technical report below "
                               "to the people who support the program. It holds no content "
                               "of your project."))
        self.advice.setWordWrap(True)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.report.setMinimumHeight(180)
        font = self.report.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.TypeWriter)
        self.report.setFont(font)
        self.log_label = QLabel(_("The program's log is in {folder}.").format(folder=log_folder)
                                if log_folder else _("The program could not write a log."))
        self.log_label.setWordWrap(True)
        self.log_label.setObjectName("hint")
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._log_folder = log_folder
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(_("&Copy Report"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button = QPushButton(_("Open &Log Folder"))
        self.log_button.clicked.connect(self._open_log_folder)
        self.log_button.setEnabled(bool(log_folder))
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        from PySide6.QtWidgets import QStyle  # its type costs a start 15 ms: built here

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        words = QVBoxLayout()
        words.setSpacing(10)
        words.addWidget(self.message)
        words.addWidget(self.advice)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.log_label)
        layout.addWidget(buttons)
        self.resize(680, 460)

    def add(self, report: str) -> None:
        """Another error while this dialog is open: appended, not a second dialog."""
        self.count += 1
        self.report.appendPlainText("\n" + "-" * 40 + "\n" + report)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())

    def _open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self._log_folder))
