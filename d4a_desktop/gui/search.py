"""Search as you type: a field above the navigator and a list of results in its place."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from d4a_desktop.core.content import Roadmap
from d4a_desktop.i18n import _
from d4a_desktop.services.search import MARK_END, MARK_START, Hit

_ACCENTS = {
    "a": "aàáâäåæã", "e": "eèéêëę", "i": "iìíîï", "o": "oòóôöøõœ", "u": "uùúûü",
    "c": "cç", "n": "nñ", "y": "yÿý", "s": "sß",
}


def term_pattern(terms: tuple[str, ...]) -> str:
    """A regular expression finding the words a query matched, accents or not."""
    parts = []
    for term in terms:
        chars = []
        for ch in term.lower():
            variants = _ACCENTS.get(ch)
            chars.append(f"[{variants}]" if variants else re.escape(ch))
        parts.append(r"\b" + "".join(chars) + r"\w*")
    return "|".join(parts)


def _kind_label(kind: str) -> str:
    return {
        "title": _("Activity"),
        "purpose": _("Purpose"),
        "guidance": _("Guidance"),
        "question": _("Guiding question"),
        "item": _("Checklist item"),
        "owner": _("Owner"),
        "note": _("Your note"),
    }.get(kind, kind)


class SearchField(QLineEdit):
    """Esc clears the search; Down moves into the results."""

    downPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
        elif event.key() == Qt.Key.Key_Down:
            self.downPressed.emit()
        else:
            super().keyPressEvent(event)


class SearchResults(QListWidget):
    hitChosen = Signal(object)  # Hit

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSpacing(2)
        self.setWordWrap(True)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_hits(self, roadmap: Roadmap, hits: list[Hit]) -> None:
        self.clear()
        if not hits:
            item = QListWidgetItem(_("Nothing found."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        for hit in hits:
            act = roadmap.activity(hit.activity_id)
            comp = roadmap.component(act.component_id)
            snippet = escape(hit.snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")
            html = (f"<b>{comp.number}.{act.number} {escape(act.title)}</b>"
                    f" <span style='color:#6b7680'>· {escape(_kind_label(hit.kind))}</span>"
                    f"<br><span>{snippet}</span>")
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(hit.snippet.replace(MARK_START, "").replace(MARK_END, ""))
            label = QLabel(html)
            label.setWordWrap(True)
            label.setContentsMargins(6, 3, 6, 3)
            label.setTextFormat(Qt.TextFormat.RichText)
            self.addItem(item)
            self.setItemWidget(item, label)
            item.setSizeHint(label.sizeHint())

    def _chosen(self, item: QListWidgetItem) -> None:
        hit = item.data(Qt.ItemDataRole.UserRole)
        if hit is not None:
            self.hitChosen.emit(hit)
