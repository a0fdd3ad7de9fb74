"""The running program as a whole: leaving on a signal with a dialog open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QProgressDialog

from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.services.projects import NewProject, create_project


@pytest.fixture
def quits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of QCoreApplication.quit, kept from the test's own application."""
    calls: list[int] = []
    monkeypatch.setattr(QCoreApplication, "quit", lambda: calls.append(1))
    return calls


def _open(window: MainWindow, tmp_path: Path) -> Path:
    path = tmp_path / "signal.d4a"
    create_project(path, NewProject("Signal", "Vejle", "DK")).close()
    assert window.open_path(path)
    return path


def test_a_signal_answers_an_open_dialog_before_the_window_closes(
        window: MainWindow, qtbot, tmp_path: Path, quits: list[int]) -> None:
    """The dialog's caller gets its answer (cancelled) while its project is still open;
    only then does the window close its project."""
    _open(window, tmp_path)
    program = window.program
    seen: list[object] = []

    def ask() -> None:
        dialog = QDialog(window)
        dialog.setModal(True)
        QTimer.singleShot(0, program.shut_down)
        # Nobody answered it: fail, not hang.
        QTimer.singleShot(5000, dialog, lambda: dialog.done(7))
        seen.append(dialog.exec())
        seen.append(window.session is not None)

    QTimer.singleShot(0, ask)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    assert seen == [QDialog.DialogCode.Rejected.value, True]
    qtbot.waitUntil(lambda: not program.windows, timeout=10000)
    assert window.session is None
    assert quits == [1]


def test_dialogs_asked_one_after_another_are_all_answered(
        window: MainWindow, qtbot, tmp_path: Path, quits: list[int]) -> None:
    """Code that asks again after a refusal is answered again, a bounded number of times,
    then the program leaves all the same: it cannot keep a signalled program."""
    _open(window, tmp_path)
    program = window.program
    asked: list[int] = []
    closed_at: list[int] = []

    def ask() -> None:
        while len(asked) < program._MOST_ANSWERED + 3:  # asks until it is accepted
            dialog = QDialog(window)
            dialog.setModal(True)
            # Past the answers, the application's quit would end this loop; the test's
            # stand-in for it does not, so a timer does.
            QTimer.singleShot(500, dialog, dialog.reject)
            asked.append(dialog.exec())
            if not program.windows and not closed_at:
                closed_at.append(len(asked))

    QTimer.singleShot(0, lambda: QTimer.singleShot(0, program.shut_down))
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, program.shut_down))  # signalled twice
    QTimer.singleShot(0, ask)
    qtbot.waitUntil(lambda: len(asked) == program._MOST_ANSWERED + 3, timeout=20000)
    assert closed_at == [program._MOST_ANSWERED + 1]  # the windows closed under the last
    assert window.session is None
    assert quits == [1]


def test_work_that_cannot_be_cancelled_is_waited_for(
        window: MainWindow, qtbot, tmp_path: Path, quits: list[int]) -> None:
    """A progress dialog without a Cancel button (a close writing its backup) is left to
    finish; one with a button is cancelled."""
    _open(window, tmp_path)
    program = window.program
    busy = QProgressDialog("Writing…", "", 0, 0, window)
    busy.setCancelButton(None)
    busy.setModal(True)
    busy.show()
    qtbot.waitUntil(lambda: busy.isVisible())
    program.shut_down()
    qtbot.wait(300)
    assert program.windows == [window] and window.session is not None
    assert busy.isVisible() and not busy.wasCanceled()
    busy.hide()  # the work is done
    qtbot.waitUntil(lambda: not program.windows, timeout=10000)

    second = MainWindow(window.settings)
    qtbot.addWidget(second)
    second.show()
    cancellable = QProgressDialog("Exporting…", "Cancel", 0, 0, second)
    cancellable.setModal(True)
    cancellable.canceled.connect(cancellable.hide)
    cancellable.show()
    qtbot.waitUntil(lambda: cancellable.isVisible())
    second.program.shut_down()
    qtbot.waitUntil(lambda: not second.program.windows, timeout=10000)
    assert cancellable.wasCanceled()
