"""Editors for the questions of a tool, one per field type of the roadmap's tools.

Each editor shows one answer and reports the user's new answer as ``changed(path, value,
merge_key)``. Text is saved as one types: after a short pause and when the field is left;
every save of one stay in the field carries the same ``merge_key``, so the window makes
one undo step of it (``gui/undo.py``), not one per pause. An answer that arrives from the
project (after undo, or a save) replaces what the editor shows, unless the user is typing
in it and has not been saved yet.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core import assessments as answers
from d4a_desktop.core.content import Field, Section, Tool
from d4a_desktop.gui.dates import DateEdit
from d4a_desktop.i18n import _
from d4a_desktop.i18n.dates import DateInputError

#: How long typing may pause before what was typed is saved.
SAVE_PAUSE_MS = 800
_serial = itertools.count(1)


class FlowLayout(QLayout):
    """Widgets side by side, wrapping to the next line when the row is full (the five
    levels of a scale on a narrow form)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 14):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + 4, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y()


class FieldEditor(QObject):
    """One question's editor; ``widget`` is what the form shows."""

    #: path, value (None: not answered), merge key
    changed = Signal(str, object, str)
    #: a translated problem with what was typed ("" when it is fine again)
    problem = Signal(str)

    def __init__(self, tool: Tool, section: Section, fld: Field, path: str,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.tool, self.section, self.field, self.path = tool, section, fld, path
        self.read_only = False
        self._edit = ""
        self.widget = QWidget()

    def label(self) -> str:
        return answers.field_label(self.tool, self.section, self.field)

    def _emit(self, value: Any) -> None:
        problem = answers.validate_answer(self.tool, self.path, value)
        if problem:
            self.problem.emit(problem)
            return
        self.problem.emit("")
        if not self._edit:
            self._edit = f"{self.path}#{next(_serial)}"
        self.changed.emit(self.path, value, self._edit)

    def end_edit(self) -> None:
        """The user has left the field: the next change is a new undo step."""
        self._edit = ""

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.widget.setEnabled(not read_only)

    def busy(self) -> bool:
        """True while what is shown differs from what was saved (typing in progress)."""
        return False


class _Typed(FieldEditor):
    """Line and multi-line text, URLs and numbers: saved after a pause and on leaving."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self._saved: Any = None
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_PAUSE_MS)
        self.timer.timeout.connect(self.save)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.save()
            self.end_edit()
        elif event.type() == QEvent.Type.FocusIn:
            self.end_edit()
        return False

    def _typed(self) -> None:
        if not self._loading and not self.read_only:
            self.timer.start()

    def text(self) -> str:
        raise NotImplementedError

    def show_text(self, text: str) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        return self.text()

    def save(self) -> None:
        """Save what was typed, if it differs from what is saved."""
        self.timer.stop()
        if self.read_only:
            return
        try:
            value = self.value()
        except ValueError as exc:
            self.problem.emit(str(exc))
            return
        if value == self._saved or (not answers.is_answered(value)
                                    and not answers.is_answered(self._saved)):
            self.problem.emit("")
            return
        self._saved = value
        self._emit(value)

    def busy(self) -> bool:
        return self.timer.isActive()

    def set_value(self, value: Any) -> None:
        if self.busy():
            return
        self._saved = value
        self._loading = True
        try:
            self.show_text(self.display(value))
        finally:
            self._loading = False

    def display(self, value: Any) -> str:
        return "" if value is None else str(value)


class LineEditor(_Typed):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(self.label())
        self.edit.textEdited.connect(lambda _t: self._typed())
        self.edit.returnPressed.connect(self.save)
        self.edit.installEventFilter(self)
        if self.field.type == "url":
            self.edit.setPlaceholderText("https://")
        self.widget = self.edit

    def text(self) -> str:
        return self.edit.text().strip()

    def show_text(self, text: str) -> None:
        if self.edit.text() != text:
            self.edit.setText(text)
            self.edit.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.edit.setReadOnly(read_only)


class NumberEditor(LineEditor):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.edit.setMaximumWidth(180)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> Any:
        from d4a_desktop.core.kpi import parse_value

        text = self.text()
        if not text:
            return None
        number = parse_value(text)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number

    def display(self, value: Any) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return i18n.format_number(value)
        return "" if value is None else str(value)


class TextEditor(_Typed):
    """Several lines; the box grows with its text up to a dozen lines."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(self.label())
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._typed)
        self.edit.textChanged.connect(self._fit)
        self.edit.installEventFilter(self)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.widget = self.edit
        self._fit()

    def _fit(self) -> None:
        # The plain-text layout measures its document in lines.
        lines = max(3, min(12, round(self.edit.document().size().height()) + 1))
        spacing = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(lines * spacing + 14)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def show_text(self, text: str) -> None:
        if self.edit.toPlainText() != text:
            self.edit.setPlainText(text)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.edit.setReadOnly(read_only)


class DateEditor(FieldEditor):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.edit = DateEdit()
        self.edit.setAccessibleName(self.label())
        self.edit.setMaximumWidth(260)
        self.edit.editingFinished.connect(self._finished)
        self.edit.picked.connect(lambda _v: self._finished())
        self._saved: dt.date | None = None
        self.widget = self.edit

    def _finished(self) -> None:
        if self.read_only:
            return
        try:
            value = self.edit.date()
        except DateInputError:
            self.problem.emit(_("“{text}” is not a date.").format(text=self.edit.text().strip()))
            return
        self.end_edit()
        if value != self._saved:
            self._saved = value
            self._emit(value)
        else:
            self.problem.emit("")

    def set_value(self, value: Any) -> None:
        if self.edit.hasFocus() and not self.edit.is_valid():
            return
        self._saved = value if isinstance(value, dt.date) else None
        shown = i18n.format_date(value) if isinstance(value, dt.date) else \
            ("" if value is None else str(value))
        if self.edit.text() != shown:
            self.edit.setText(shown)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.edit.setReadOnly(read_only)
        self.edit.calendar_action.setVisible(not read_only)


class _Buttons(FieldEditor):
    """Radio buttons, any of which a second click clears again (not answered)."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[tuple[QRadioButton, Any]] = []
        self.group.buttonClicked.connect(self._clicked)
        self.widget = QWidget()
        self.row = FlowLayout(self.widget)

    def add(self, text: str, value: Any, tip: str = "") -> None:
        button = QRadioButton(text)
        button.setToolTip(tip or _("Click again to clear the answer."))
        self.group.addButton(button)
        self.buttons.append((button, value))
        self.row.addWidget(button)

    def _clicked(self, clicked: Any) -> None:
        if self.read_only:
            return
        value = None
        for button, option in self.buttons:
            if button is clicked:
                value = option if button.isChecked() else None
            elif button.isChecked():
                button.setChecked(False)
        self.end_edit()
        self._emit(value)

    def set_value(self, value: Any) -> None:
        for button, option in self.buttons:
            button.setChecked(value is not None and option == value
                              and type(option) is type(value))


class YesNoEditor(_Buttons):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.add(_("Yes"), True)
        self.add(_("No"), False)


class ScaleEditor(_Buttons):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        scale = next((s for s in self.tool.scales if s.id == self.field.scale), None)
        for level in scale.levels if scale else ():
            name = answers.level_label(self.tool, scale.id, level) if scale else ""
            tip = i18n.content_text(f"tool:{self.tool.id}/scale:{scale.id}/{level.value}"
                                    f"|description", level.description) if scale else ""
            self.add(f"{level.value} {name}", level.value, tip)


class ChoiceEditor(FieldEditor):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.combo = QComboBox()
        self.combo.setAccessibleName(self.label())
        self.combo.addItem(_("Not answered"), None)
        for option in self.field.options:
            self.combo.addItem(answers.option_label(self.tool, self.section, self.field,
                                                    option.id), option.id)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.activated.connect(self._chosen)
        self.widget = self.combo

    def _chosen(self, index: int) -> None:
        if not self.read_only:
            self.end_edit()
            self._emit(self.combo.itemData(index))

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:  # a choice the tool no longer offers: shown as it is stored
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class MultiChoiceEditor(FieldEditor):
    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.boxes: list[tuple[QCheckBox, str]] = []
        for option in self.field.options:
            box = QCheckBox(answers.option_label(self.tool, self.section, self.field,
                                                 option.id))
            box.clicked.connect(self._clicked)
            column.addWidget(box)
            self.boxes.append((box, option.id))

    def _clicked(self) -> None:
        if self.read_only:
            return
        self.end_edit()
        self._emit(tuple(code for box, code in self.boxes if box.isChecked()))

    def set_value(self, value: Any) -> None:
        chosen = set(value) if isinstance(value, tuple | list) else set()
        for box, code in self.boxes:
            box.setChecked(code in chosen)


_EDITORS: dict[str, type[FieldEditor]] = {
    "text": LineEditor, "url": LineEditor, "number": NumberEditor, "longtext": TextEditor,
    "date": DateEditor, "yesno": YesNoEditor, "scale": ScaleEditor, "choice": ChoiceEditor,
    "multichoice": MultiChoiceEditor,
}


class QuestionFrame(QFrame):
    """A question as the form shows it: its label, help, editor, and the marks the form
    sets (it led to the result; it changed since the previous version; a problem)."""

    def __init__(self, editor: FieldEditor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("question")
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(3)
        self.title = QLabel(editor.label())
        self.title.setObjectName("questionLabel")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        help_text = i18n.content_text(
            f"tool:{editor.tool.id}/{editor.section.id}/{editor.field.id}|help",
            editor.field.help)
        if help_text:
            hint = QLabel(help_text)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            hint.setTextFormat(Qt.TextFormat.MarkdownText)
            layout.addWidget(hint)
        layout.addWidget(editor.widget)
        self.note = QLabel()
        self.note.setObjectName("changeNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        layout.addWidget(self.note)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        editor.problem.connect(self.show_problem)

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def mark(self, *, decisive: bool, change: str) -> None:
        """``decisive``: the answer led to the tool's result; ``change``: what it was in
        the previous version ("" when unchanged)."""
        state = "decisive" if decisive else ("changed" if change else "")
        if self.property("mark") != state:
            self.setProperty("mark", state)
            self.style().unpolish(self)
            self.style().polish(self)
        self.setToolTip(_("This answer led to the result.") if decisive else "")
        self.note.setText(change)
        self.note.setVisible(bool(change))


def make_editor(tool: Tool, section: Section, fld: Field, path: str,
                parent: QObject | None = None) -> FieldEditor:
    return _EDITORS.get(fld.type, LineEditor)(tool, section, fld, path, parent)
