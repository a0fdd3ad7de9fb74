"""The running program: its windows, one project each, and how files reach them.

A file opens in the window that asked when that window shows the welcome screen, and in a
new window otherwise; a file that is already open raises its window instead. Files handed
over by a second start arrive here too. Closing the last window ends the program; Quit
closes every window, each closing its project (and writing its backup) first.

Opening asks what only the user can decide: a project marked as open on another computer
may be opened anyway or for reading only; a demo that cannot be opened is replaced only
when the user agrees, and its old file is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPoint, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.content import ContentError
from d4a_desktop.gui import crash, messages
from d4a_desktop.gui.instance import Request
from d4a_desktop.gui.messages import Role
from d4a_desktop.gui.settings import Settings
from d4a_desktop.i18n import _, pgettext
from d4a_desktop.services import projects, rescue
from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.storage import ProjectFileError

if TYPE_CHECKING:
    from d4a_desktop.gui.mainwindow import MainWindow
    from d4a_desktop.services.exchange import Package

log = logging.getLogger("d4a.program")

#: Why a file that cannot be opened is kept under another name: the word in its new name.
_DAMAGED = {"damaged", "empty", "not-project", "foreign", "upgrade-failed", "needs-recovery"}


def aside_label(kind: str) -> str:
    # Translators: part of the name a damaged file is kept under, beside a fresh copy:
    # "Kortrijk cycling demo (damaged 2026-12-04).d4a".
    if kind in _DAMAGED:
        return pgettext("file kept aside", "damaged")
    if kind == "too-new":
        # Translators: as "damaged", for a file written by a newer version of the program.
        return pgettext("file kept aside", "newer version")
    # Translators: as "damaged", for a file that could not be opened for another reason.
    return pgettext("file kept aside", "not opened")


class Program(QObject):
    """Every window of the running program."""

    #: The list of recent files changed (every window's menu and welcome screen follow).
    recentChanged = Signal()

    def __init__(self, settings: Settings | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.windows: list[MainWindow] = []
        #: What the read-only bar says of a session opened read-only by choice, by id.
        self._notes: dict[int, str] = {}
        #: A signalled leave is under way (a second signal, from a session manager that
        #: repeats itself, does not start another).
        self._leaving = False

    # --- windows -------------------------------------------------------------------------

    def adopt(self, window: MainWindow) -> None:
        if window not in self.windows:
            self.windows.append(window)

    def forget(self, window: MainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def new_window(self, near: QWidget | None = None, welcome: bool = True) -> MainWindow:
        """A new window on the welcome screen, shown a little below and right of ``near``.
        ``welcome=False``: the caller opens a project in it at once; the welcome screen is
        built only should that fail."""
        from d4a_desktop.gui.mainwindow import MainWindow

        window = MainWindow(self.settings, self, welcome=welcome)
        if near is not None and near.isVisible():
            window.resize(near.size())
            window.move(near.pos() + QPoint(36, 36))
        window.show()
        log.info("new window (%d open)", len(self.windows))
        return window

    def active_window(self) -> MainWindow | None:
        active = QApplication.activeWindow()
        for window in self.windows:
            if window is active:
                return window
        return self.windows[-1] if self.windows else None

    def window_for(self, path: Path | str) -> MainWindow | None:
        """The window that has the project file ``path`` open."""
        target = Path(path).absolute()
        for window in self.windows:
            session = window.session
            if session is None:
                continue
            if session.path == target:
                return window
            try:
                if target.exists() and session.path.samefile(target):
                    return window
            except OSError:
                continue
        return None

    def _free_window(self, origin: MainWindow | None) -> MainWindow:
        """``origin`` when it shows the welcome screen; for a file that came from outside
        (a second start), any window that does; else a new window."""
        if origin is not None:
            return origin if origin.is_free() else self.new_window(origin, welcome=False)
        for window in self.windows:
            if window.is_free():
                return window
        return self.new_window(self.active_window(), welcome=False)

    # --- opening -------------------------------------------------------------------------

    def author(self) -> str:
        return self.settings.author_name or projects.default_author()

    def open_path(self, path: Path | str, origin: MainWindow | None = None) -> MainWindow | None:
        """Open a project in ``origin`` when it is free, else in a new window; a project
        already open only has its window raised. Returns the window, or None when the file
        could not be opened (the user was told why)."""
        path = Path(path).absolute()
        if path.suffix.lower() == ".d4ax":
            return self.open_package(path, origin)
        held = self.window_for(path)
        if held is not None:
            log.info("%s is open already: raising its window", path)
            held.bring_to_front()
            return held
        parent = origin or self.active_window()
        session = self.open_session(path, parent)
        if session is None:
            if not path.exists():
                self.settings.remove_recent(path)
                self.recentChanged.emit()
            return None
        return self.show_session(session, origin)

    def open_package(self, path: Path, origin: MainWindow | None = None) -> MainWindow | None:
        """An exchange package: a copy of a project open in a window offers to merge into
        it; any other package (or one the user chooses only to read) opens read-only in a
        partner view. Returns the window, or None (a refused package was explained)."""
        from d4a_desktop.gui import exchange

        path = path.absolute()
        for window in self.windows:
            if window.partner is not None and window.partner.package.path == path:
                window.bring_to_front()  # this very package is on show already
                return window
        parent = origin or self.active_window()
        package = exchange.read_package(parent, path)
        if package is None:
            return None
        home = self._home_of(package.project_id, origin)
        if home is not None and not package.partial:
            assert home.session is not None
            choice = messages.choose(
                parent, _("Merge the package?"),
                _("{name} is a copy of your project “{title}”.").format(
                    name=path.name, title=home.session.state().meta.title),
                [(_("&Merge…"), Role.AcceptRole), (_("Open &Read-Only"), Role.ActionRole),
                 (_("Cancel"), Role.RejectRole)],
                informative=_("Merging takes the changes made in that copy into your "
                              "project. You see every change first and decide each field "
                              "changed on both sides; nothing is written before you agree."))
            if choice == 0:
                home.bring_to_front()
                home.merge_package(package)
                return home
            if choice != 1:
                return None
        return self.show_package(package, origin)

    def show_package(self, package: Package, origin: MainWindow | None) -> MainWindow | None:
        """A package read and checked, in a partner view: read-only, every page."""
        from d4a_desktop.gui import exchange

        view = exchange.partner_view(origin or self.active_window(), package)
        if view is None:
            return None
        window = self._free_window(origin)
        window.show_partner(view)
        window.bring_to_front()
        log.info("partner view of %s", package.path)
        return window

    def _home_of(self, project_id: str, origin: MainWindow | None) -> MainWindow | None:
        """The window where the user works on the project ``project_id``."""
        candidates = ([origin] if origin is not None else []) + self.windows
        for window in candidates:
            session = window.session
            if session is not None and window.partner is None and not session.read_only \
                    and session.file.project_id == project_id:
                return window
        return None

    def show_session(self, session: ProjectSession, origin: MainWindow | None) -> MainWindow:
        window = self._free_window(origin)
        window.show_session(session, note=self._notes.pop(id(session), ""))
        self.settings.add_recent(session.path)
        self.recentChanged.emit()
        window.bring_to_front()
        return window

    def obtain(self, opener: Callable[[], ProjectSession],
               parent: QWidget | None) -> ProjectSession | None:
        """Run ``opener``; say why when it fails."""
        try:
            return opener()
        except (ProjectFileError, ContentError) as exc:
            self.tell(exc, parent)
        return None

    def tell(self, exc: ProjectFileError | ContentError, parent: QWidget | None) -> None:
        """Why a project cannot be opened, in a dialog."""
        if isinstance(exc, ProjectFileError):
            log.info("cannot open: %s (%s)", exc.path, exc.kind)
            messages.show_error(parent, exc.message, _("Cannot open the project"))
        else:  # the bundled demo or roadmap is damaged
            log.error("content error while opening: %s", exc)
            messages.show_error(parent, str(exc), _("Cannot open the project"))

    def open_session(self, path: Path, parent: QWidget | None) -> ProjectSession | None:
        """Open a project for work, or for reading when it cannot be written; asks what to
        do with a project marked as open on another computer."""
        try:
            session = projects.open_project(path, author=self.author(), allow_read_only=True)
        except ProjectFileError as exc:
            if exc.kind == "locked-elsewhere":
                return self._held_elsewhere(path, exc, parent)
            self.tell(exc, parent)
            return None
        except ContentError as exc:
            self.tell(exc, parent)
            return None
        log.info("opened %s%s", path, " (read-only)" if session.read_only else "")
        return session

    def _held_elsewhere(self, path: Path, exc: ProjectFileError,
                        parent: QWidget | None) -> ProjectSession | None:
        choice = messages.choose(
            parent, _("Project open on another computer"), exc.message,
            [(_("Open &Anyway"), Role.AcceptRole), (_("Open &Read-Only"), Role.ActionRole),
             (_("Cancel"), Role.RejectRole)],
            informative=_("Open it anyway only if nobody is working on it there: if two "
                          "programs change the file at the same time, changes are lost."),
            icon=QMessageBox.Icon.Warning, default=1)
        if choice == 0:
            log.info("taking over %s from another computer", path)
            return self.obtain(lambda: projects.open_project(
                path, author=self.author(), allow_read_only=True, take_over=True), parent)
        if choice == 1:
            session = self.obtain(lambda: projects.read_project(path), parent)
            if session is not None:
                session.read_only_reason = exc.message
                self._notes[id(session)] = _(
                    "This project is open on another computer, so it was opened for reading "
                    "only. To work on it, close it there first, or save a copy.")
            return session
        return None

    def open_demo(self, origin: MainWindow | None = None) -> MainWindow | None:
        """Open the working copy of the demo (it keeps the user's edits), writing it when
        it does not exist yet. One that cannot be opened is never silently replaced."""
        from d4a_desktop.services.demo import demo_path, write_demo

        language = i18n.language()

        path = demo_path(language)
        held = self.window_for(path)
        if held is not None:
            held.bring_to_front()
            return held
        parent = origin or self.active_window()
        if path.exists():
            try:
                session = projects.open_project(path, author=self.author(),
                                                allow_read_only=True)
            except ProjectFileError as exc:
                if exc.kind != "missing" and not self._replace_demo(path, exc, parent):
                    return None
            except ContentError as exc:
                self.tell(exc, parent)
                return None
            else:
                return self.show_session(session, origin)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            messages.show_error(parent, _("The folder {folder} cannot be created: {reason}")
                               .format(folder=path.parent, reason=exc.strerror or exc),
                               _("Cannot open the project"))
            return None
        fresh = self.obtain(lambda: write_demo(path, language=language), parent)
        if fresh is None:
            return None
        log.info("wrote a fresh demo at %s", path)
        return self.show_session(fresh, origin)

    def _replace_demo(self, path: Path, exc: ProjectFileError, parent: QWidget | None) -> bool:
        """Ask whether a demo that cannot be opened may be set aside for a fresh one;
        True once it is set aside."""
        if exc.kind in ("locked", "locked-elsewhere"):
            messages.show_error(parent, exc.message, _("Cannot open the project"))
            return False
        label = aside_label(exc.kind)
        aside = rescue.aside_path(path, label, dt.date.today())
        choice = messages.choose(
            parent, _("Replace the demo project?"), exc.message,
            [(_("&Replace with a Fresh Demo"), Role.AcceptRole), (_("Cancel"), Role.RejectRole)],
            informative=_("A fresh copy of the demo project can take its place. The file that "
                          "could not be opened, with any changes you made to the demo, is kept "
                          "as {name}.").format(name=aside.name),
            icon=QMessageBox.Icon.Warning)
        if choice != 0:
            return False
        try:
            kept = rescue.set_aside(path, label, dt.date.today())
        except ProjectFileError as error:
            messages.show_error(parent, error.message, _("Cannot open the project"))
            return False
        log.warning("demo could not be opened (%s); kept as %s", exc.kind, kept)
        return True

    # --- second starts -----------------------------------------------------------------------

    def handle(self, request: Request) -> None:
        """What a second start of the program asked for."""
        crash.detail(f"second start: {len(request.files)} file(s), demo={request.demo}")
        for name in request.files:
            self.open_path(name)
        if request.demo:
            self.open_demo()
        if not request.files and not request.demo:
            self.activate()

    def activate(self) -> MainWindow:
        """A start without a file: raise a window on the welcome screen, or open one."""
        for window in reversed(self.windows):
            if window.is_free():
                window.bring_to_front()
                return window
        window = self.new_window(self.active_window())
        window.bring_to_front()
        return window

    # --- the whole program ---------------------------------------------------------------

    def quit(self) -> bool:
        """Close every window, each closing its project; False when one stayed open."""
        return all(window.close() for window in list(self.windows))

    def shut_down(self) -> None:
        """Leave on a signal (logging out, Ctrl+C): every open dialog is answered as its
        Cancel would answer it, then every window closes. A dialog's own loop has to end
        first: a window closed under it would leave the dialog's caller working on a
        closed project, and the program running, without a window, once it returns."""
        if not self._leaving:
            self._leaving = True
            self._end_dialogs(answered=0)

    #: Dialogs answered in a row before the program leaves anyway: code that asks again
    #: each time it is refused must not keep a signalled program from leaving.
    _MOST_ANSWERED = 20

    def _end_dialogs(self, answered: int) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None and answered < self._MOST_ANSWERED:
            if isinstance(modal, QProgressDialog):
                # Work under way: cancelled where it can be, else waited for (closing a
                # project, writing its backup, ends by itself).
                cancellable = any(button.isVisible() for button in
                                  modal.findChildren(QPushButton))
                if cancellable and not modal.wasCanceled():
                    modal.cancel()
                QTimer.singleShot(50, lambda: self._end_dialogs(answered))
                return
            log.info("leaving: %s answered as cancelled", type(modal).__name__)
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            # The dialog's loop ends when control returns to it; the code after it may
            # ask something else, which is answered the same way.
            QTimer.singleShot(0, lambda: self._end_dialogs(answered + 1))
            return
        self._leaving = False
        if modal is not None:
            log.warning("leaving: still asked after %d answers", answered)
        if (self.quit() and not self.windows) or modal is not None:
            # Ends every loop, a dialog's too: one still asking cannot keep the program.
            QCoreApplication.quit()

    def resync(self) -> None:
        """Bring every window back in step with its project (after an unexpected error)."""
        for window in list(self.windows):
            try:
                window.resync()
            except Exception:  # a window that cannot even reload is left as it is
                log.exception("a window could not reload its project")
