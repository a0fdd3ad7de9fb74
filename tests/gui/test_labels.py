"""A remembered height must never outlive what it was measured for."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from d4a_desktop.gui.labels import WrappingLabel

SHORT = "Overdue checklist items"
LONG = ("<p>Nothing is overdue, but the <a href='timeline'>timeline</a> shows three "
        "activities that end next week and a milestone on Friday.</p>") * 3
WIDTHS = (80, 140, 260, 400)


def _plain(label: WrappingLabel) -> QLabel:
    """A Qt label set up as ``label`` is, which remembers nothing."""
    twin = QLabel(label.text())
    twin.setWordWrap(True)
    twin.setFont(label.font())
    twin.setContentsMargins(label.contentsMargins())
    twin.setMargin(label.margin())
    twin.setIndent(label.indent())
    return twin


def _heights(label: QLabel) -> list[int]:
    return [label.heightForWidth(width) for width in WIDTHS]


def test_answers_as_qt_does(qtbot: QtBot) -> None:
    label = WrappingLabel(LONG)
    qtbot.addWidget(label)
    first = _heights(label)
    assert first == _heights(label)  # asked again: remembered, the same
    assert first == _heights(_plain(label))
    assert first[0] > first[-1]  # narrower is taller: it really wraps


def test_forgets_on_every_change_that_moves_the_text(qtbot: QtBot) -> None:
    label = WrappingLabel(SHORT)
    qtbot.addWidget(label)
    short = _heights(label)
    label.setText(LONG)
    assert _heights(label) == _heights(_plain(label)) != short

    before = _heights(label)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    assert _heights(label) == _heights(_plain(label))
    assert _heights(label)[1] > before[1]

    before = _heights(label)
    label.setContentsMargins(30, 0, 30, 0)
    assert _heights(label) == _heights(_plain(label))
    assert _heights(label)[1] > before[1]

    before = _heights(label)
    label.setIndent(40)
    assert _heights(label)[1] > before[1]
    label.setMargin(12)
    assert _heights(label) == _heights(_plain(label))

    label.clear()
    assert _heights(label) == _heights(_plain(label))


def test_forgets_when_a_style_sheet_changes_its_font(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    label = WrappingLabel(LONG, parent)
    label.setObjectName("cardBody")
    before = _heights(label)
    parent.setStyleSheet("QLabel#cardBody { font-size: 24pt; }")
    label.ensurePolished()
    after = _heights(label)
    assert after[1] > before[1]
    assert after == _heights(_plain(label))
