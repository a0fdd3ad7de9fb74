"""Fixtures for the GUI tests: a main window with private settings, dialogs captured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from d4a_desktop.gui import dialogs, mainwindow, messages, tasks
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture(autouse=True)
def _no_blocking_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box a test did not expect fails the test instead of waiting forever for
    a click that never comes."""
    def refuse(box: QMessageBox) -> int:
        raise AssertionError(f"unexpected message box: {box.text()!r} {box.informativeText()!r}")

    monkeypatch.setattr(QMessageBox, "exec", refuse)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window would have shown in an error dialog."""
    shown: list[str] = []

    def record(parent: object, message: str, title: str | None = None) -> None:
        shown.append(message)

    monkeypatch.setattr(mainwindow, "show_error", record)
    monkeypatch.setattr(dialogs, "show_error", record)
    monkeypatch.setattr(messages, "show_error", record)
    return shown


class Questions(list[dict[str, object]]):
    """Questions asked, each with its title, text, informative text and button labels;
    ``answers`` holds the indexes of the buttons to press, in turn (none left: Escape)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[int] = []


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Questions:
    """Questions the program asked through ``messages.choose`` (``dialogs.choose``)."""
    questions = Questions()
    answers = questions.answers

    def choose(parent: object, title: str, text: str, buttons: list[tuple[str, object]],
               **kw: object) -> int:
        questions.append({"title": title, "text": text, "informative": kw.get("informative"),
                          "buttons": [label for label, _role in buttons]})
        return answers.pop(0) if answers else -1

    monkeypatch.setattr(dialogs, "choose", choose)
    monkeypatch.setattr(messages, "choose", choose)
    return questions


@pytest.fixture
def window(qtbot, settings: Settings, errors: list[str], home: Path) -> Iterator[MainWindow]:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for other in list(win.program.windows):
        if other is not win:
            other.close()
    win.close_project()
    tasks.wait_for_all(5000)
    qtbot.wait(1)  # deliver what background work handed back before the window goes
