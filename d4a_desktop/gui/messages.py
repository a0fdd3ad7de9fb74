"""Messages and file filters every part of the program uses: an error, a question with
buttons named for what they do, the project file filters. Apart from the dialogs
(``gui/dialogs.py``), which a start does not need.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from d4a_desktop.i18n import _


def file_filter() -> str:
    return _("D4A projects (*.d4a)") + ";;" + _("All files (*)")


def open_filter() -> str:
    """Projects and exchange packages: File › Open reads both (a package read-only)."""
    return (_("D4A projects and exchange packages (*.d4a *.d4ax)") + ";;"
            + _("D4A projects (*.d4a)") + ";;" + _("D4A exchange packages (*.d4ax)") + ";;"
            + _("All files (*)"))


def show_error(parent: QWidget | None, message: str, title: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title or _("D4A Roadmap Desktop"), message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and reasons are shown as they are
    box.button(QMessageBox.StandardButton.Ok).setText(_("OK"))
    box.exec()


Role = QMessageBox.ButtonRole


def choose(parent: QWidget | None, title: str, text: str,
           buttons: Sequence[tuple[str, QMessageBox.ButtonRole]], *, informative: str = "",
           icon: QMessageBox.Icon = QMessageBox.Icon.Question, default: int = 0) -> int:
    """Ask with buttons named for what they do (never "Yes"/"No"); returns the index of
    the button chosen, or -1 when the box was closed without one. A button with the
    RejectRole is the one Escape presses."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if informative:
        box.setInformativeText(informative)
    made = [box.addButton(label, role) for label, role in buttons]
    if 0 <= default < len(made):
        box.setDefaultButton(made[default])
    box.exec()
    clicked = box.clickedButton()
    return made.index(clicked) if clicked in made else -1
