"""Safe with people's work: read-only projects, edits the file cannot take, locked files,
the demo, backups, synced folders and unexpected errors, driven through the window."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QFileDialog, QProgressDialog

from d4a_desktop import i18n, paths
from d4a_desktop.core.commands import SetItemFields
from d4a_desktop.gui import crash, mainwindow
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import ChecklistModel
from d4a_desktop.gui.restore import RestoreDialog, local_time
from d4a_desktop.services.demo import demo_path
from d4a_desktop.services.projects import (
    NewProject,
    ProjectSession,
    create_project,
    open_project,
)
from d4a_desktop.storage import backups, errors, lock
from tests.conftest import sha256
from tests.gui.conftest import Questions

CHECK = Qt.ItemDataRole.CheckStateRole


def _project(path: Path, title: str = "Cycling counts") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    session = create_project(path, NewProject(title, "Kortrijk", "BE"))
    session.execute(SetItemFields("c1.a1.i1", {"done": True, "note": "Three sites"}))
    session.file.modified = False  # as if it came this way: no backup of it yet
    session.close()
    return path


def _tick(window: MainWindow, activity_id: str, row: int, done: bool = True) -> bool:
    window.select(activity_id)
    model = window.view.activity.checklist
    state = Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
    return model.setData(model.index(row, ChecklistModel.ITEM), state.value, CHECK)


def _checked(window: MainWindow, row: int) -> bool:
    model = window.view.activity.checklist
    return model.data(model.index(row, ChecklistModel.ITEM), CHECK) == Qt.CheckState.Checked


class SaveAnswers(list[Path]):
    """File names the save dialog returns, in turn; ``suggested`` what it proposed."""

    def __init__(self) -> None:
        super().__init__()
        self.suggested: list[str] = []


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch) -> SaveAnswers:
    answers = SaveAnswers()

    def dialog(parent: object, caption: str, suggested: str, *args: object) -> tuple[str, str]:
        answers.suggested.append(suggested)
        return (str(answers.pop(0)), "") if answers else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return answers


# --- read-only projects ----------------------------------------------------------------------

def test_read_only_project_shows_everything_and_changes_nothing(
        window: MainWindow, tmp_path: Path, save_as: SaveAnswers, errors: list[str]) -> None:
    path = _project(tmp_path / "shared" / "ro.d4a")
    path.chmod(0o444)
    before = sha256(path)
    assert window.open_path(path)
    session = window.session
    assert session is not None and session.read_only
    assert window.notice.isVisible() and window.notice.tone == "info"
    assert "ro.d4a cannot be changed" in window.notice.text.text()
    assert "read-only" in window.notice.text.toolTip()  # the file's own reason
    assert window.notice.button.text() == "Save a Copy to Edit…"
    assert "(read-only)" in window.windowTitle()
    assert not window.act_details.isEnabled()
    assert not window.act_undo.isEnabled() and not window.act_redo.isEnabled()
    assert window.act_save_copy.isEnabled() and window.act_check.isEnabled()
    assert not window.view.overview.edit_button.isEnabled()

    window.select("c1.a1")
    page = window.view.activity
    assert page.guidance.toPlainText().strip()  # every page shows
    assert _checked(window, 0)  # and what was done
    assert not page.status.isEnabled() and page.reason.isReadOnly()
    assert page.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    model = page.checklist
    for column in range(model.columnCount()):
        flags = model.flags(model.index(1, column))
        assert not flags & (Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
    assert not _tick(window, "c1.a1", 1)
    assert not model.setData(model.index(1, ChecklistModel.NOTE), "x", Qt.ItemDataRole.EditRole)
    window.edit_details()  # does nothing, asks nothing
    assert window.undo_stack.count() == 0 and errors == []
    assert sha256(path) == before

    target = tmp_path / "mine" / "cycling.d4a"
    target.parent.mkdir()
    save_as.append(target)
    window.notice.button.click()
    assert Path(save_as.suggested[0]).parent == path.parent
    session = window.session
    assert session is not None and session.path == target and not session.read_only
    assert not window.notice.isVisible() and "(read-only)" not in window.windowTitle()
    assert window.act_details.isEnabled() and page.status.isEnabled()
    assert model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert _tick(window, "c1.a1", 1)
    assert session.state().item("c1.a1.i2").done and session.state().item("c1.a1.i1").done
    assert len(window.program.windows) == 1  # the copy took the window's place
    assert sha256(path) == before


def test_cancelled_copy_changes_nothing(window: MainWindow, tmp_path: Path,
                                        save_as: SaveAnswers) -> None:
    path = _project(tmp_path / "ro.d4a")
    path.chmod(0o444)
    assert window.open_path(path)
    assert not window.save_copy()  # the dialog returns no name
    assert window.session is not None and window.session.read_only


# --- edits the file cannot take ---------------------------------------------------------------

@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_an_edit_to_a_vanished_file_is_kept_in_a_copy(
        window: MainWindow, tmp_path: Path, asked: Questions,
        save_as: SaveAnswers, errors: list[str], how: str) -> None:
    path = _project(tmp_path / "p.d4a")
    assert window.open_path(path)
    assert _tick(window, "c1.a1", 2)
    if how == "deleted":
        path.unlink()
    else:
        path.rename(tmp_path / "elsewhere.d4a")
    assert _tick(window, "c1.a1", 3)  # refused by the file, not by the window
    assert len(asked) == 1
    assert "moved, renamed or deleted" in str(asked[0]["text"])
    assert asked[0]["buttons"] == ["&Save a Copy…", "Not Now"]
    assert errors == []  # no generic "could not be saved"
    assert not _checked(window, 3)  # the window shows what the project holds
    assert window.notice.isVisible() and window.notice.tone == "error"
    assert window.notice.button.text() == "Save a Copy…"
    window.select("c2.a1")  # still usable
    assert window.view.activity.activity_id == "c2.a1"

    target = tmp_path / "rescued.d4a"
    save_as.append(target)
    window.notice.button.click()
    session = window.session
    assert session is not None and session.path == target
    state = session.state()
    assert state.item("c1.a1.i3").done  # saved before the file went
    assert state.item("c1.a1.i4").done  # the change that could not be saved
    assert not window.notice.isVisible()
    window.act_undo.trigger()  # the history goes on in the copy
    assert not session.state().item("c1.a1.i4").done
    window.act_undo.trigger()
    assert not session.state().item("c1.a1.i3").done
    assert session.state().item("c1.a1.i1").done


def test_disk_full_says_so_and_the_next_edit_goes_through(
        window: MainWindow, tmp_path: Path, asked: Questions,
        monkeypatch: pytest.MonkeyPatch, errors: list[str]) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    working = session.execute

    def full(command: object) -> object:
        raise errors_module.disk_full(session.path)

    monkeypatch.setattr(session, "execute", full)
    assert _tick(window, "c1.a1", 1)
    assert len(asked) == 1 and "no space left" in str(asked[0]["text"])
    assert window.notice.isVisible() and not _checked(window, 1)
    assert window.undo_stack.count() == 0 and errors == []
    monkeypatch.setattr(session, "execute", working)  # space was freed
    assert _tick(window, "c1.a1", 1)
    assert _checked(window, 1) and not window.notice.isVisible()
    assert window.undo_stack.count() == 1


errors_module = errors


def test_undo_that_the_file_cannot_take_is_reported_the_same_way(
        window: MainWindow, tmp_path: Path, asked: Questions,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    assert _tick(window, "c1.a1", 1)

    def gone(command: object) -> object:
        raise errors_module.io_error(session.path)

    monkeypatch.setattr(session, "execute", gone)
    window.act_undo.trigger()
    assert len(asked) == 1 and "reported an error" in str(asked[0]["text"])
    assert window.undo_stack.count() == 0  # the failed step left the history
    assert _checked(window, 1)


def test_text_that_cannot_be_stored_is_refused_with_its_reason(
        window: MainWindow, tmp_path: Path, errors: list[str],
        asked: Questions) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    window.select("c1.a1")
    model = window.view.activity.checklist
    assert model.setData(model.index(1, ChecklistModel.NOTE), "broken \ud800 paste",
                         Qt.ItemDataRole.EditRole)
    assert errors and "cannot be stored" in errors[0]
    assert crash.current_dialog() is None and asked == []
    assert window.undo_stack.count() == 0


def test_a_fault_of_the_program_is_not_called_a_save_failure(
        window: MainWindow, tmp_path: Path, errors: list[str],
        asked: Questions, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a", title="Anna's secret plan"))
    session = window.session
    assert session is not None
    working = session.execute

    def bug(command: object) -> object:
        raise KeyError("c9.a9")

    monkeypatch.setattr(session, "execute", bug)
    assert _tick(window, "c1.a1", 1)
    dialog = crash.current_dialog()
    assert dialog is not None
    try:
        assert errors == [] and asked == []
        assert "Tick item" in dialog.message.text()
        report = dialog.report.toPlainText()
        assert "KeyError: 'c9.a9'" in report and "Traceback" in report
        assert "Anna" not in report
        assert not _checked(window, 1)
    finally:
        dialog.close()
    monkeypatch.setattr(session, "execute", working)
    assert _tick(window, "c1.a1", 1) and _checked(window, 1)


# --- unexpected errors anywhere ----------------------------------------------------------------

@pytest.fixture
def error_hook(window: MainWindow) -> Iterator[None]:
    saved = sys.excepthook, threading.excepthook
    crash.install(window.program.resync)
    yield
    sys.excepthook, threading.excepthook = saved
    dialog = crash.current_dialog()
    if dialog is not None:
        dialog.close()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_a_report_and_the_window_goes_on(
        window: MainWindow, tmp_path: Path, qtbot, error_hook: None) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    explode = QAction("&Export to Somewhere", window)

    def fail() -> None:
        window.view.activity.title.setText("half-updated")
        raise ZeroDivisionError("a bug in a slot")

    explode.triggered.connect(lambda: crash.step(explode.text()))
    explode.triggered.connect(fail)
    window.select("c1.a1")
    QTimer.singleShot(0, explode.trigger)  # from the event loop, as a click would
    qtbot.waitUntil(lambda: crash.current_dialog() is not None)
    dialog = crash.current_dialog()
    assert dialog is not None and dialog.isVisible()
    assert "Export to Somewhere" in dialog.message.text()
    report = dialog.report.toPlainText()
    assert "ZeroDivisionError: a bug in a slot" in report
    assert "Qt: " in report and "PySide6: " in report and "Python: " in report
    assert str(paths.log_dir()) in dialog.log_label.text() or \
        "could not write a log" in dialog.log_label.text()
    qtbot.waitUntil(lambda: window.view.activity.title.text() != "half-updated")  # reloaded
    dialog.copy_button.click()
    assert "ZeroDivisionError" in QApplication.clipboard().text()

    QTimer.singleShot(0, explode.trigger)  # a second error joins the open dialog
    qtbot.waitUntil(lambda: dialog.count == 2)
    assert crash.current_dialog() is dialog
    dialog.close()
    qtbot.waitUntil(lambda: crash.current_dialog() is None)
    assert _tick(window, "c1.a1", 1) and _checked(window, 1)  # the project is usable


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_thread_reaches_the_dialog(window: MainWindow, qtbot,
                                                     error_hook: None) -> None:
    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: crash.current_dialog() is not None)
    dialog = crash.current_dialog()
    assert dialog is not None and "ZeroDivisionError" in dialog.report.toPlainText()


# --- locked files ------------------------------------------------------------------------------

def _held_on_another_computer(path: Path) -> None:
    lock.lock_path(path).write_text(json.dumps(
        {"host": "laptop-12", "user": "anna", "pid": 4242, "started": "1",
         "since": "2026-12-04T08:00:00+00:00"}))


def test_a_project_open_on_another_computer_offers_the_choices(
        window: MainWindow, tmp_path: Path, asked: Questions) -> None:
    path = _project(tmp_path / "p.d4a")
    _held_on_another_computer(path)
    before = sha256(path)
    asked.answers.append(2)
    assert not window.open_path(path)
    assert asked[0]["buttons"] == ["Open &Anyway", "Open &Read-Only", "Cancel"]
    assert "anna@laptop-12" in str(asked[0]["text"])
    assert window.session is None

    asked.answers.append(1)
    assert window.open_path(path)
    assert window.session is not None and window.session.read_only
    assert "another computer" in window.notice.text.text()
    holder = lock.read(path)
    assert holder is not None and holder.host == "laptop-12"
    window.close_project()
    assert sha256(path) == before

    asked.answers.append(0)
    assert window.open_path(path)
    assert window.session is not None and not window.session.read_only
    holder = lock.read(path)
    assert holder is not None and holder.is_me()
    assert _tick(window, "c1.a1", 1)


def test_a_project_open_in_another_window_is_raised_not_opened_twice(
        window: MainWindow, tmp_path: Path, errors: list[str]) -> None:
    a, b = _project(tmp_path / "a.d4a"), _project(tmp_path / "b.d4a")
    assert window.open_path(a)
    assert window.open_path(b)  # this window has a project: b gets a window of its own
    program = window.program
    assert len(program.windows) == 2
    other = program.windows[1]
    assert other.session is not None and other.session.path == b
    assert window.session is not None and window.session.path == a
    assert other.open_path(a)  # raises the first window
    link = tmp_path / "shortcut.d4a"
    link.symlink_to(b)  # another name for the same file
    assert window.open_path(link)
    assert len(program.windows) == 2 and errors == []


def test_a_project_another_program_holds_is_refused_with_a_message(
        window: MainWindow, tmp_path: Path, errors: list[str]) -> None:
    path = _project(tmp_path / "p.d4a")
    holder = open_project(path)
    try:
        assert not window.open_path(path)
        assert errors and "already open" in errors[0]
        assert len(window.program.windows) == 1
    finally:
        holder.close()


# --- many windows ------------------------------------------------------------------------------

def test_quit_closes_every_window_and_project(window: MainWindow, tmp_path: Path) -> None:
    a, b = _project(tmp_path / "a.d4a"), _project(tmp_path / "b.d4a")
    assert window.open_path(a) and window.open_path(b)
    program = window.program
    sessions = [w.session for w in program.windows]
    assert _tick(program.windows[1], "c1.a1", 1)
    window.act_quit.trigger()
    assert program.windows == []
    assert all(s is not None and s.file.closed for s in sessions)
    assert lock.read(a) is None and lock.read(b) is None
    found = backups.list_backups(paths.backups_dir(), sessions[1].file.project_id)  # type: ignore[union-attr]
    assert [Path(x.source).name for x in found] == ["b.d4a"]  # the changed one


def _slow_close(session: ProjectSession, monkeypatch: pytest.MonkeyPatch,
                first: Callable[[], object] | None = None) -> threading.Event:
    """The session's close waits (a backup to a slow drive) until the event is set."""
    release = threading.Event()
    real_close = session.close

    def slow_close() -> object:
        if first is not None:
            first()
        release.wait(30)
        return real_close()

    monkeypatch.setattr(session, "close", slow_close)
    return release


def test_closing_waits_for_the_backup_and_shows_progress(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    assert _tick(window, "c1.a1", 1)
    release = _slow_close(session, monkeypatch)
    seen: list[bool] = []

    def look() -> None:  # runs while the close is waiting: the window is not blocked
        seen.append(any(isinstance(w, QProgressDialog) and w.isVisible()
                        for w in QApplication.topLevelWidgets()))
        release.set()

    QTimer.singleShot(800, look)  # after the progress dialog's delay
    window.close_project()
    assert seen == [True]
    assert session.file.closed and window.session is None
    assert not any(isinstance(w, QProgressDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert backups.list_backups(paths.backups_dir(), session.file.project_id)


def test_quitting_hides_the_window_at_once_and_still_shows_a_slow_backup(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """At a quit the window leaves the screen before its project closes (it would only be
    repainted meanwhile); a backup that takes a while still shows its progress dialog,
    and the settings are saved from the window as it was."""
    window.show()
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    assert _tick(window, "c1.a1", 1)
    visible_while_closing: list[bool] = []
    release = _slow_close(session, monkeypatch,  # on the worker: only a flag read
                          lambda: visible_while_closing.append(window.isVisible()))
    seen: list[bool] = []

    def look() -> None:
        seen.append(any(isinstance(w, QProgressDialog) and w.isVisible()
                        for w in QApplication.topLevelWidgets()))
        release.set()

    QTimer.singleShot(800, look)
    program = window.program
    window.act_quit.trigger()
    assert visible_while_closing == [False]
    assert seen == [True]
    assert program.windows == [] and session.file.closed
    assert window.settings.geometry is not None
    assert backups.list_backups(paths.backups_dir(), session.file.project_id)


def test_a_close_that_fails_unexpectedly_is_reported_and_the_window_goes_on(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        errors: list[str]) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    real_close = session.close
    reported: list[BaseException] = []
    monkeypatch.setattr(crash, "report", lambda kind, exc, tb: reported.append(exc))

    def broken() -> object:
        raise RuntimeError("a bug while closing")

    monkeypatch.setattr(session, "close", broken)
    assert window.close_project()
    assert [str(e) for e in reported] == ["a bug while closing"] and errors == []
    assert window.is_free() and window.stack.currentWidget() is window.welcome
    real_close()
    assert window.open_path(tmp_path / "p.d4a")


def test_recent_files_are_checked_off_the_window_thread(
        window: MainWindow, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    present = _project(tmp_path / "present.d4a")
    missing = tmp_path / "gone.d4a"
    window.settings.add_recent(missing)
    window.settings.add_recent(present)
    gate = threading.Event()
    real = mainwindow._exists

    gave_up: list[str] = []

    def slow_exists(name: str) -> bool:  # a network drive that takes its time
        if not gate.wait(20):
            gave_up.append(name)  # nobody let it go on: something waited for it
        return real(name)

    monkeypatch.setattr(mainwindow, "_exists", slow_exists)
    for _n in range(3):
        window._refresh_recent()  # returns while the check still waits
    assert window.welcome.recent.count() == 2 and window.welcome.missing() == set()
    assert window.open_path(present)  # hung checks hold up neither opening …
    assert _tick(window, "c1.a1", 1)
    window.close_project()  # … nor the backup that closing waits for
    assert window.welcome.missing() == set()
    gate.set()
    qtbot.waitUntil(lambda: window.welcome.missing() == {str(missing)})
    assert any("(not found)" in a.text() for a in window.recent_menu.actions())
    from d4a_desktop.gui import tasks

    assert tasks.wait_for_all(30000) and gave_up == []


# --- the demo ----------------------------------------------------------------------------------

def test_a_demo_that_cannot_be_opened_is_never_silently_replaced(
        window: MainWindow, asked: Questions, errors: list[str]) -> None:
    path = demo_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)  # ours? no: damaged
    before = sha256(path)
    assert not window.open_demo()  # the question is dismissed
    assert len(asked) == 1 and window.session is None
    assert sha256(path) == before
    assert asked[0]["buttons"] == ["&Replace with a Fresh Demo", "Cancel"]
    kept_name = f"{path.stem} (damaged {__import__('datetime').date.today()}).d4a"
    assert kept_name in str(asked[0]["informative"])

    asked.answers.append(0)
    assert window.open_demo()
    assert window.session is not None and window.session.path == path
    assert window.session.state().meta.municipality == "Kortrijk"
    kept = path.with_name(kept_name)
    assert sha256(kept) == before and errors == []


def test_a_demo_with_edits_opens_as_it_is(window: MainWindow,
                                          asked: Questions) -> None:
    assert window.open_demo()
    assert _tick(window, "c6.a1", 0)
    window.close_project()
    assert window.open_demo()
    assert window.session is not None and window.session.state().item("c6.a1.i1").done
    assert asked == []


def test_a_locked_demo_is_only_reported(window: MainWindow, asked: Questions,
                                        errors: list[str]) -> None:
    assert window.open_demo()
    window.close_project()
    holder = open_project(demo_path())
    try:
        before = sha256(demo_path())
        assert not window.open_demo()
        assert asked == [] and errors and "already open" in errors[0]
        assert sha256(demo_path()) == before
    finally:
        holder.close()


# --- backups ----------------------------------------------------------------------------------

def test_restore_from_backup_makes_a_new_project_in_a_new_window(
        window: MainWindow, tmp_path: Path, qtbot, save_as: SaveAnswers,
        monkeypatch: pytest.MonkeyPatch, errors: list[str]) -> None:
    path = _project(tmp_path / "p.d4a")
    assert window.open_path(path)
    assert _tick(window, "c1.a1", 1)
    window.close_project()  # a backup with two items done
    assert window.open_path(path)
    assert _tick(window, "c1.a1", 1, done=False)
    session = window.session
    assert session is not None
    taken = backups.list_backups(paths.backups_dir(), session.file.project_id)
    assert len(taken) == 1

    dialog = RestoreDialog(session.file.project_id, session.path, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.topLevelItemCount() == 1)
    row = dialog.table.topLevelItem(0)
    assert row is not None
    assert row.text(0) == i18n.format_datetime(local_time(taken[0].taken))
    assert row.text(1) == "p.d4a" and row.text(2).endswith("kB")
    assert dialog.restore_button.isEnabled()
    suggested = dialog.suggested_path(taken[0])
    assert suggested.parent == tmp_path and suggested.name.startswith("p (backup 20")

    existing = tmp_path / "taken.d4a"
    existing.write_text("someone's file")
    save_as.append(existing)
    dialog.restore_selected()  # never over an existing file
    assert errors and "already exists" in errors[0]
    assert existing.read_text() == "someone's file"

    target = tmp_path / "restored"
    save_as.append(target)
    restored: list[Path] = []
    dialog.restored.connect(restored.append)
    dialog.restore_selected()
    assert restored == [tmp_path / "restored.d4a"]

    monkeypatch.setattr(RestoreDialog, "exec", lambda d: (
        d.restored.emit(restored[0]), 1)[1])
    window.act_restore.trigger()
    program = window.program
    assert len(program.windows) == 2
    copy = program.windows[1].session
    assert copy is not None and copy.path == restored[0]
    assert copy.state().item("c1.a1.i2").done  # as it was when backed up
    assert not session.state().item("c1.a1.i2").done  # the open project is untouched


def test_restore_dialog_without_backups_says_so(window: MainWindow, tmp_path: Path,
                                                qtbot) -> None:
    assert window.open_path(_project(tmp_path / "p.d4a"))
    session = window.session
    assert session is not None
    dialog = RestoreDialog(session.file.project_id, session.path, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "no backups" in dialog.status.text())
    assert not dialog.restore_button.isEnabled()


# --- synchronised folders ----------------------------------------------------------------------

def test_a_project_in_a_synced_folder_is_warned_about_once(
        window: MainWindow, tmp_path: Path, qtbot, asked: Questions) -> None:
    synced = tmp_path / "Sync"
    (synced / ".stfolder").mkdir(parents=True)
    path = _project(synced / "team" / "p.d4a")
    plain = _project(tmp_path / "plain" / "q.d4a")
    assert window.open_path(path)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert "Syncthing" in str(asked[0]["text"])
    assert "conflict copy" in str(asked[0]["informative"])
    assert window.settings.sync_warned(path)
    window.close_project()
    assert window.open_path(path)
    _settle(qtbot)
    assert len(asked) == 1  # once per file
    window.close_project()
    assert window.open_path(plain)
    _settle(qtbot)
    assert len(asked) == 1
    assert not window.settings.sync_warned(plain)


def _settle(qtbot) -> None:
    """Let background checks finish and hand back what they found."""
    from d4a_desktop.gui import tasks

    assert tasks.wait_for_all(10000)
    qtbot.wait(50)


def test_settings_remember_warnings_per_file(settings: object, tmp_path: Path) -> None:
    from d4a_desktop.gui.settings import Settings

    assert isinstance(settings, Settings)
    settings.mark_sync_warned(tmp_path / "a.d4a")
    assert settings.sync_warned(tmp_path / "a.d4a")
    assert not settings.sync_warned(tmp_path / "b.d4a")
    settings._s.setValue("notices/sync_warned", 17)  # damaged: forgotten, not fatal
    assert not settings.sync_warned(tmp_path / "a.d4a")
    settings.mark_sync_warned(tmp_path / "b.d4a")
    assert settings.sync_warned(tmp_path / "b.d4a")
    assert os.fspath(tmp_path)  # paths are stored whole
