"""Opening web links, and saying so when no browser can be started.

On a locked-down municipal laptop, or a desktop without a default browser, Qt's
``QDesktopServices.openUrl`` fails without a word. The user then clicked "Source" and
nothing happened; here they are told, and can copy the address to open it elsewhere.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from d4a_desktop.i18n import _


def open_url(parent: QWidget | None, url: QUrl | str) -> bool:
    """Open ``url`` in the browser; when that fails, offer to copy the address."""
    url = QUrl(url) if isinstance(url, str) else url
    if QDesktopServices.openUrl(url):
        return True
    address = url.toString()
    box = QMessageBox(QMessageBox.Icon.Warning, _("Cannot open the link"),
                      _("No web browser could be started to open this address:"),
                      parent=parent)
    box.setInformativeText(address)
    copy = box.addButton(_("Copy address"), QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(copy)
    box.setEscapeButton(close)
    box.exec()
    if box.clickedButton() is copy:
        QGuiApplication.clipboard().setText(address)
    return False
