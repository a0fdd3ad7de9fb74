"""A word-wrapping label that lays its text out once per width.

Qt's layouts ask a word-wrapping label for its height at a given width many times while
they settle: the dashboard's labels were asked 476 times at its first showing, for about
170 different widths, and a label with rich text lays out a whole text document for each
question (the largest part of opening a project's first paint, measured with callgrind:
``QLabel::heightForWidth`` and the text layout below it). ``WrappingLabel`` keeps the
answers until something they depend on changes: its text or the way the text is set
(format, wrapping, margins, indent, pixmap), its font or its style.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

#: Events after which a label's text takes another height at the same width.
_CHANGES = frozenset({QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange,
                      QEvent.Type.StyleChange, QEvent.Type.LayoutDirectionChange,
                      QEvent.Type.ContentsRectChange})


class WrappingLabel(QLabel):
    """A ``QLabel`` with word wrap on whose height for a width is remembered."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def forget_heights(self) -> None:
        self._heights.clear()

    def setText(self, text: str) -> None:
        if text != self.text():
            self._heights.clear()
        super().setText(text)

    def clear(self) -> None:
        self._heights.clear()
        super().clear()

    def setTextFormat(self, fmt: Any) -> None:
        self._heights.clear()
        super().setTextFormat(fmt)

    def setWordWrap(self, on: bool) -> None:
        self._heights.clear()
        super().setWordWrap(on)

    def setMargin(self, margin: int) -> None:
        self._heights.clear()
        super().setMargin(margin)

    def setIndent(self, indent: int) -> None:
        self._heights.clear()
        super().setIndent(indent)

    def setPixmap(self, pixmap: Any) -> None:
        self._heights.clear()
        super().setPixmap(pixmap)

    def setContentsMargins(self, *margins: Any) -> None:
        self._heights.clear()
        super().setContentsMargins(*margins)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _CHANGES:
            self._heights.clear()
        super().changeEvent(event)
