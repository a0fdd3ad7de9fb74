"""The installed PySide6 must not leak references to None.

PySide6 6.12.0 on CPython 3.11 lowers the reference count of ``None`` by one on every call
of a Qt method that returns nothing; a session of a few hundred actions then aborts with
"Fatal Python error: none_dealloc". pyproject.toml caps PySide6 below that release; this
test fails when an installed release has the defect, so an upgrade cannot bring it back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

CALLS = 1000


def _none_refs_lost(call: object) -> int:
    assert callable(call)
    before = sys.getrefcount(None)
    for _n in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    widget = QWidget()
    qtbot.addWidget(widget)
    lost = {
        "QLabel.setText": _none_refs_lost(lambda: label.setText("x")),
        "QLabel.clear": _none_refs_lost(label.clear),
        "QWidget.setEnabled": _none_refs_lost(lambda: widget.setEnabled(True)),
        "QWidget.update": _none_refs_lost(widget.update),
    }
    # A handful either way is ordinary bookkeeping; the defect loses one per call.
    assert all(abs(n) < CALLS // 10 for n in lost.values()), lost
