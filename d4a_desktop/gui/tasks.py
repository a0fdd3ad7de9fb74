"""Work off the window's thread: disk and network checks, backups on close.

``run_in_background`` runs a plain function on Qt's thread pool and hands its result (or
its exception) back on the window's thread. ``run_and_wait`` is for work the caller must
see finished before going on, such as the backup taken when a project closes: the window
keeps repainting and the program's other windows stay usable while it runs, and a
progress dialog appears if it takes more than a moment.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from d4a_desktop.i18n import _

T = TypeVar("T")
log = logging.getLogger("d4a.tasks")

#: How long work may run before a progress dialog is shown, in milliseconds.
SHOW_PROGRESS_AFTER = 400

#: Work still running, by token: what to call with its outcome, and the window that asked.
_running: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None,
                          QObject | None]] = {}
#: Progress reports of work still running, by token.
_reporting: dict[int, Callable[[int, int, str], None]] = {}
_tokens = itertools.count(1)


class _Hub(QObject):
    """The one object a worker speaks to: made once, on the window's thread, and never
    deleted. A worker holds no Qt object of its own (no QRunnable subclass, no relay per
    task): such an object, released on the worker when its work ended, had PySide6 look
    for a Python override while Qt held a lock of its signals, and wait for the
    interpreter lock that the window's thread held while it waited for that very Qt lock
    (moving a widget): the program hung. Found by the test suite, on a window opened
    while a look at the recent files ended."""

    finished = Signal(int, object, object)  # token, result, exception (None: succeeded)
    progressed = Signal(int, int, int, str)  # token, done, total (0: unknown), text

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(self._report, Qt.ConnectionType.QueuedConnection)

    @Slot(int, object, object)
    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        _reporting.pop(token, None)
        waiting = _running.pop(token, None)
        if waiting is None:
            return
        on_done, on_error, context = waiting
        if context is not None and not shiboken6.isValid(context):
            return  # the window that asked is gone
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            from d4a_desktop.gui import crash

            crash.report(type(error), error, error.__traceback__)

    @Slot(int, int, int, str)
    def _report(self, token: int, done: int, total: int, text: str) -> None:
        report = _reporting.get(token)
        if report is not None:
            report(done, total, text)


_the_hub: _Hub | None = None


def _hub() -> _Hub:
    global _the_hub
    if _the_hub is None:
        _the_hub = _Hub()
    return _the_hub


def _job(token: int, work: Callable[[], Any], hub: _Hub) -> Callable[[], None]:
    """What the pool runs: plain Python, holding only the work and the hub."""

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as exc:  # handed to the window's thread, which reports it
            result, error = None, exc
        # RuntimeError: the application is gone, nobody is left to tell
        with contextlib.suppress(RuntimeError):
            hub.finished.emit(token, result, error)

    return run


_probes: QThreadPool | None = None


def _probe_pool() -> QThreadPool:
    """Threads for looks at files that may hang (a network drive that does not answer),
    apart from Qt's global pool, so they never hold up a backup that a close waits for."""
    global _probes
    if _probes is None:
        _probes = QThreadPool()
        _probes.setMaxThreadCount(4)
    return _probes


def run_in_background(work: Callable[[], T], on_done: Callable[[T], None],
                      on_error: Callable[[BaseException], None] | None = None, *,
                      context: QObject | None = None, probe: bool = False) -> None:
    """Run ``work`` on a thread pool, then ``on_done(result)`` on this thread.

    ``on_error`` receives an exception ``work`` raised; without it the exception goes to
    the error dialog. Nothing is delivered once ``context`` (a window) is deleted.
    ``probe`` marks a look at a file that may never answer. ``work`` must not touch
    widgets.
    """
    _start(next(_tokens), work, on_done, on_error, context,
           _probe_pool() if probe else QThreadPool.globalInstance())


def _start(token: int, work: Callable[[], Any], on_done: Callable[[Any], None],
           on_error: Callable[[BaseException], None] | None, context: QObject | None,
           pool: QThreadPool) -> None:
    """Start ``work`` on ``pool``; its outcome comes back through the hub under ``token``."""
    _running[token] = (on_done, on_error, context)
    pool.start(_job(token, work, _hub()))


class _Waiting:
    """The outcome of work run off this thread, waited for in a local event loop."""

    def __init__(self) -> None:
        self.loop = QEventLoop()
        self.outcome: dict[str, Any] = {}

    def done(self, result: Any) -> None:
        self.outcome["result"] = result
        self.loop.quit()

    def failed(self, error: BaseException) -> None:
        self.outcome["error"] = error
        self.loop.quit()

    def wait(self) -> Any:
        """The work's result, or its exception raised here. The loop also ends when the
        application is told to leave (its display went away, a logout): the work (closing
        a project, writing its backup) must still end, and its outcome still arrive."""
        if not self.outcome:
            self.loop.exec()
        while not self.outcome:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)

    def result(self) -> Any:
        if "error" in self.outcome:
            raise self.outcome["error"]
        return self.outcome["result"]


def run_and_wait(work: Callable[[], T], *, parent: QWidget | None, label: str) -> T:
    """Run ``work`` off this thread and return its result (or raise its exception) once it
    is done, processing events meanwhile; ``label`` is shown in a progress dialog when it
    takes longer than SHOW_PROGRESS_AFTER."""
    waiting = _Waiting()
    outcome = waiting.outcome
    shown: list[QProgressDialog] = []

    def show_progress() -> None:
        """Built only when the work outlasts the delay: most closes take milliseconds, and
        building a dialog for nothing costs more than that."""
        if outcome:
            return
        progress = QProgressDialog(label, "", 0, 0, parent)
        progress.setCancelButton(None)
        progress.setWindowTitle(_("D4A Roadmap Desktop"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.show()
        shown.append(progress)

    delay = QTimer()
    delay.setSingleShot(True)
    delay.timeout.connect(show_progress)
    delay.start(SHOW_PROGRESS_AFTER)
    run_in_background(work, waiting.done, waiting.failed)
    try:
        waiting.wait()
    finally:
        delay.stop()
        for progress in shown:
            progress.reset()
            progress.hide()
            progress.deleteLater()
    return waiting.result()


def wait_for_all(timeout_ms: int) -> bool:
    """Wait for background work; False when some is still running (a look at a file on
    a network drive that does not answer)."""
    done = QThreadPool.globalInstance().waitForDone(timeout_ms)
    return _probe_pool().waitForDone(timeout_ms) and done


def run_with_progress(work: Callable[[Callable[[int, int, str], None], threading.Event], T],
                      *, parent: QWidget | None, label: str, cancellable: bool = True) -> T:
    """Run ``work(report, cancel)`` off this thread and return its result, with a
    window-modal progress dialog (and a Cancel button) from the start.

    ``report(done, total, text)`` may be called from the worker; ``cancel`` is set when the
    user presses Cancel, and ``work`` is expected to raise (the exchange services raise
    ``Cancelled``). Work that ignores it runs to its end, and then ``Cancelled`` is raised
    here all the same: the caller never uses a result the user asked not to have.
    """
    from d4a_desktop.services.exchange.errors import Cancelled

    cancel = threading.Event()
    waiting = _Waiting()
    outcome = waiting.outcome
    dialog = QProgressDialog(label, _("Cancel") if cancellable else "", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(_("D4A Roadmap Desktop"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)

    def changed(done: int, total: int, text: str) -> None:
        if outcome:
            return
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
        if text:
            dialog.setLabelText(text)

    dialog.canceled.connect(cancel.set)
    hub = _hub()
    token = next(_tokens)  # the worker reports under the token its work is started with

    def report(done_: int, total: int, text: str = "") -> None:
        hub.progressed.emit(token, int(done_), int(total), text)

    dialog.setValue(0)
    _reporting[token] = changed
    _start(token, lambda: work(report, cancel), waiting.done, waiting.failed, None,
           QThreadPool.globalInstance())
    try:
        waiting.wait()
    finally:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()
    result = waiting.result()
    if cancel.is_set():
        raise Cancelled()
    return result
