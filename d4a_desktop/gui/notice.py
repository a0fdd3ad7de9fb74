"""The bar above a project that says why it cannot be edited or saved, with what to do."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class NoticeBar(QFrame):
    """A message and one button, across the top of the window; ``tone`` is ``info`` (a
    project open for reading) or ``error`` (a change that could not be saved)."""

    actionRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.setSpacing(12)
        self.icon = QLabel()
        self.icon.setObjectName("noticeIcon")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton()
        self.button.clicked.connect(self.actionRequested)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    @property
    def tone(self) -> str:
        return str(self.property("tone") or "")

    def show_notice(self, text: str, button: str, tone: str = "info") -> None:
        self.text.setText(text)
        self.button.setText(button)
        from PySide6.QtWidgets import QStyle  # only once a notice shows: a costly type

        kind = QStyle.StandardPixmap.SP_MessageBoxInformation if tone == "info" \
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(self.style().standardIcon(kind).pixmap(size, size))
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
