"""When something goes wrong anyway: an unexpected exception shows a dialog, not a crash.

``install`` makes every exception that reaches Qt's event loop (a slot, a virtual method)
or escapes a thread come here: it is logged, and a dialog says what the user was doing,
that the project is still open, and where the log is, with a technical report to copy.
Then every window reloads what it shows from the project, so none is left half-updated.

What the user was doing comes from ``step``: menu actions, buttons and edits record their
(translated) names; ``detail`` records ids and page names for the report only.
"""

from __future__ import annotations

import collections
import datetime as dt
import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from d4a_desktop.services import diagnostics

if TYPE_CHECKING:  # the dialog's module loads with the first error, not with every start
    from d4a_desktop.gui.errordialog import ErrorDialog

log = logging.getLogger("d4a.crash")

_steps: collections.deque[tuple[dt.datetime, str]] = collections.deque(maxlen=15)
_last_action = ""
#: Called after an error was shown, to bring every window back in step with its project.
_resync: Callable[[], None] | None = None
_dialog: ErrorDialog | None = None


def step(text: str) -> None:
    """The user did something with this (translated) name: a menu action, a button, an
    edit. The last one is what the error dialog says they were doing."""
    global _last_action
    clean = text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()
    if clean:
        _last_action = clean
        _steps.append((dt.datetime.now(dt.UTC), clean))


def detail(text: str) -> None:
    """A step for the report only (a page shown, a file opened by id): no user content."""
    _steps.append((dt.datetime.now(dt.UTC), text))


def last_action() -> str:
    return _last_action


def steps() -> list[str]:
    return [f"{moment.strftime('%H:%M:%S')} {text}" for moment, text in _steps]


def qt_versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    versions = {"Qt": qVersion(), "PySide6": PySide6.__version__}
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        versions["Qt platform"] = app.platformName()
    return versions


def _parent() -> QWidget | None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    window = app.activeWindow()
    if window is not None:
        return window.window()
    from PySide6.QtWidgets import QDialog

    windows = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()
               and not isinstance(w, QDialog)]
    return windows[0] if windows else None


def report(exc_type: type[BaseException], exc: BaseException,
           tb: TracebackType | None) -> None:
    """Log an unexpected exception and show it; never raises."""
    global _dialog
    try:
        text = diagnostics.technical_report(exc_type, exc, tb, steps=steps(),
                                            extra_versions=qt_versions())
        log.error("unexpected error\n%s", text)
        if _dialog is not None:
            _dialog.add(text)
        else:
            log_file = diagnostics.log_file()
            folder = str(log_file.parent) if log_file.exists() else ""
            from d4a_desktop.gui.errordialog import ErrorDialog

            _dialog = ErrorDialog(last_action(), text, folder, _parent())
            _dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            _dialog.finished.connect(_forget_dialog)
            _dialog.open()  # window-modal, and returns at once: no loop inside the hook
        if _resync is not None:  # once the code that failed has unwound
            QTimer.singleShot(0, _resync)
    except Exception:  # the report itself failed: Python's own output is all that is left
        sys.__excepthook__(exc_type, exc, tb)
        log.exception("the error dialog failed")


def _forget_dialog(*_args: Any) -> None:
    global _dialog
    _dialog = None


def current_dialog() -> ErrorDialog | None:
    return _dialog


def report_current() -> None:
    """Report the exception being handled (call inside ``except``)."""
    exc_type, exc, tb = sys.exc_info()
    if exc_type is not None and exc is not None:
        report(exc_type, exc, tb)


class _ThreadRelay(QObject):
    """Carries an exception of another thread to the window's thread."""

    raised = Signal(object)

    @Slot(object)
    def show(self, exc: BaseException) -> None:
        report(type(exc), exc, exc.__traceback__)


_relay: _ThreadRelay | None = None


def _excepthook(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report(exc_type, exc, tb)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    if threading.current_thread() is threading.main_thread() or _relay is None:
        report(args.exc_type, args.exc_value, args.exc_traceback)
    else:
        _relay.raised.emit(args.exc_value)


def install(resync: Callable[[], None] | None = None) -> None:
    """Route unexpected exceptions of the event loop and of threads to the dialog."""
    global _resync, _relay
    _resync = resync
    _relay = _ThreadRelay()
    _relay.raised.connect(_relay.show, Qt.ConnectionType.QueuedConnection)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
