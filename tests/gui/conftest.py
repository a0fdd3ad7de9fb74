"""Fixtures for the GUI tests: a main window with private settings, dialogs captured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from d4a_desktop.gui import mainwindow
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the window would have shown in an error dialog."""
    shown: list[str] = []
    monkeypatch.setattr(mainwindow, "show_error",
                        lambda parent, message, title=None: shown.append(message))
    return shown


@pytest.fixture
def window(qtbot, settings: Settings, errors: list[str], home: Path) -> Iterator[MainWindow]:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close_project()
