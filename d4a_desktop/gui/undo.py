"""QUndoCommand adapter over the core's plain-data commands.

The core command is applied before it enters the stack, so a failed edit never appears
as something to undo; afterwards undo applies the inverse the core returned, and redo
the inverse of that.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from d4a_desktop.core.commands import Change, Command
from d4a_desktop.services.projects import ProjectSession


class AppliedEdit(QUndoCommand):
    def __init__(self, session: ProjectSession, command: Command, inverse: Command,
                 on_change: Callable[[Change], None],
                 on_error: Callable[[Exception], None]):
        super().__init__(command.describe())
        self._session = session
        self._forward = command
        self._inverse = inverse
        self._on_change = on_change
        self._on_error = on_error
        self._first = True

    def _run(self, command: Command) -> Command | None:
        try:
            inverse, change = self._session.execute(command)
        except Exception as exc:  # storage failed: keep the stack consistent, tell the user
            self.setObsolete(True)
            self._on_error(exc)
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
