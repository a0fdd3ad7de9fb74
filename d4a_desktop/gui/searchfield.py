"""The search field above the navigator, and the pattern that marks what a search found.

Apart from the results list (``gui/search.py``), whose text layout types cost a start some
20 ms: every start shows the field, but the results only once something is searched.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

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
