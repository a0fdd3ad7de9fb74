"""QUndoCommand adapter over the core's plain-data commands.

The core command is applied before it enters the stack, so a failed edit never appears
as something to undo; afterwards undo applies the inverse the core returned, and redo
the inverse of that. Commands run through the window's ``execute``, not a fixed session:
when the window goes on in a saved copy of its project, the history goes on with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from d4a_desktop.core.commands import Change, Command

Execute = Callable[[Command], tuple[Command, Change]]


class AppliedEdit(QUndoCommand):
    def __init__(self, command: Command, inverse: Command, execute: Execute,
                 on_change: Callable[[Change], None],
                 on_error: Callable[[Exception, Command], None]):
        super().__init__(command.describe())
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
