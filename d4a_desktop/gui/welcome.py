"""The welcome screen: start a project, open one, or look at the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.gui.models import plain_tooltip
from d4a_desktop.gui.settings import recent_heading
from d4a_desktop.i18n import _

_MISSING = Qt.ItemDataRole.UserRole + 1
_HEADING = Qt.ItemDataRole.UserRole + 2


class WelcomePage(QWidget):
    newRequested = Signal()
    openRequested = Signal()
    demoRequested = Signal()
    recentRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)

        title = QLabel(_("D4A Roadmap Desktop"))
        title.setObjectName("welcomeTitle")
        subtitle = QLabel(_("Plan, run and monitor your municipality's data project step by "
                            "step with the roadmap of the Interreg North Sea project "
                            "Data for All."))
        subtitle.setWordWrap(True)
        subtitle.setObjectName("welcomeSubtitle")
        column.addWidget(title)
        column.addWidget(subtitle)
        column.addSpacing(24)

        buttons = QHBoxLayout()
        self.new_button = QPushButton(_("New project…"))
        self.new_button.setObjectName("primary")
        self.open_button = QPushButton(_("Open project…"))
        self.demo_button = QPushButton(_("Open the demo project"))
        for button in (self.new_button, self.open_button, self.demo_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.new_button.clicked.connect(self.newRequested)
        self.open_button.clicked.connect(self.openRequested)
        self.demo_button.clicked.connect(self.demoRequested)

        column.addSpacing(28)
        recent_label = QLabel(_("Recent projects"))
        recent_label.setObjectName("sectionTitle")
        column.addWidget(recent_label)
        self.recent = QListWidget()
        self.recent.setFrameShape(QFrame.Shape.StyledPanel)
        self.recent.setMinimumHeight(160)
        self.recent.setSpacing(3)
        self.recent.setIconSize(QSize(32, 32))
        self.recent.itemActivated.connect(
            lambda item: self.recentRequested.emit(item.data(Qt.ItemDataRole.UserRole)))
        column.addWidget(self.recent)
        self.no_recent = QLabel(_("Projects you open appear here."))
        self.no_recent.setObjectName("hint")
        column.addWidget(self.no_recent)
        column.addStretch(2)

        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(720)
        holder.setMinimumWidth(520)
        outer.addWidget(holder, 4)
        outer.addStretch(1)

    @property
    def _icon(self) -> QIcon:
        from PySide6.QtWidgets import QApplication

        return QApplication.windowIcon()

    def set_recent(self, files: list[str],
                   names: Callable[[str], tuple[str, str] | None] | None = None) -> None:
        """List recent projects by title and municipality, with the file beside them, at
        once: the list never opens a project file (``names`` gives what a project was
        called when it was last open), and which files are gone is learnt later, off the
        window's thread (a network drive may take long to answer), through
        :meth:`mark_missing`."""
        self.recent.clear()
        for text in files:
            path = Path(text)
            name = names(text) if names else None
            heading = recent_heading(path, name)
            file_line = _("{file} in {folder}").format(file=path.name, folder=path.parent)
            item = QListWidgetItem(f"{heading}\n{file_line}")
            item.setData(_HEADING, heading)
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setIcon(self._icon)
            item.setToolTip(plain_tooltip(text))
            self.recent.addItem(item)
        self.recent.setVisible(bool(files))
        self.no_recent.setVisible(not files)

    def mark_missing(self, missing: set[str]) -> None:
        """Grey out and mark the recent projects whose files are gone."""
        for row in range(self.recent.count()):
            item = self.recent.item(row)
            text = item.data(Qt.ItemDataRole.UserRole)
            if text in missing:
                path = Path(text)
                # Translators: shown under a recent project whose file was moved or deleted.
                file_line = _("{file} in {folder} (not found)").format(file=path.name,
                                                                       folder=path.parent)
                item.setText(f"{item.data(_HEADING)}\n{file_line}")
                item.setForeground(Qt.GlobalColor.gray)
                item.setToolTip(plain_tooltip(_("{path} (not found)").format(path=text)))
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, _("not found"))
                item.setData(_MISSING, True)

    def missing(self) -> set[str]:
        """The recent projects shown as gone."""
        items = (self.recent.item(row) for row in range(self.recent.count()))
        return {item.data(Qt.ItemDataRole.UserRole) for item in items if item.data(_MISSING)}
