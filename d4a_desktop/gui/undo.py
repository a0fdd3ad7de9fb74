"""QUndoCommand adapter over the core's plain-data commands.

The core command is applied before it enters the stack, so a failed edit never appears
as something to undo; afterwards undo applies the inverse the core returned, and redo
the inverse of that. Commands run through the window's ``execute``, not a fixed session:
when the window goes on in a saved copy of its project, the history goes on with it.

Typing in a form field saves after a short pause, so one field edit may be saved several
times; edits with the same ``merge_key`` that follow each other on the stack become one
undo step, which undoes to the value the field had before the edit began.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from d4a_desktop.core.commands import Change, Command

Execute = Callable[[Command], tuple[Command, Change]]


class AppliedEdit(QUndoCommand):
    def __init__(self, command: Command, inverse: Command, execute: Execute,
                 on_change: Callable[[Change], None],
                 on_error: Callable[[Exception, Command], None], merge_key: str = ""):
        super().__init__(command.describe())
        self.merge_key = merge_key
        self._forward = command
        self._inverse = inverse
        self._execute = execute
        self._on_change = on_change
        self._on_error = on_error
        self._first = True

    def _run(self, command: Command) -> Command | None:
        try:
            inverse, change = self._execute(command)
        except Exception as exc:  # the window tells the user; the stack drops this step
            self.setObsolete(True)
            self._on_error(exc, command)
            return None
        self._on_change(change)
        return inverse

    def redo(self) -> None:
        if self._first:  # already applied by the window before pushing
            self._first = False
            return
        inverse = self._run(self._forward)
        if inverse is not None:
            self._inverse = inverse

    def undo(self) -> None:
        forward = self._run(self._inverse)
        if forward is not None:
            self._forward = forward

    def id(self) -> int:
        return 0x4434 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take a later save of the same field edit into this step: its inverse stays (the
        value before the edit began), undo then gives the forward command."""
        if not isinstance(other, AppliedEdit) or not self.merge_key or \
                other.merge_key != self.merge_key or self.isObsolete() or other.isObsolete():
            return False
        self._forward = other._forward
        return True
