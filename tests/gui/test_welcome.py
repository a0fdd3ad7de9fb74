"""The recent-projects list says what each project is, without opening its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.settings import Settings
from d4a_desktop.services.projects import NewProject, create_project


def _make(window: MainWindow, path: Path, title: str, municipality: str) -> None:
    assert window._open_with(lambda: create_project(
        path, NewProject(title, municipality, "BE")))
    window.close_project()


def test_recent_projects_show_title_municipality_and_file(window: MainWindow,
                                                          tmp_path: Path) -> None:
    _make(window, tmp_path / "fiets.d4a", "Fietstellingen", "Kortrijk")
    _make(window, tmp_path / "klimaat.d4a", "Klimaatdashboard", "Emmen")
    items = [window.welcome.recent.item(n).text() for n in range(window.welcome.recent.count())]
    assert items[0].startswith("Klimaatdashboard — Emmen\nklimaat.d4a")
    assert items[1].startswith("Fietstellingen — Kortrijk\nfiets.d4a")
    menu = [a.text() for a in window.recent_menu.actions()]
    assert "Klimaatdashboard — Emmen" in menu[0] and "klimaat.d4a" in menu[0]


def test_a_missing_file_is_marked(window: MainWindow, tmp_path: Path, qtbot) -> None:
    path = tmp_path / "gone.d4a"
    _make(window, path, "Gone", "Vejle")
    path.unlink()
    window._refresh_recent()  # learnt off the window's thread: wait for the answer
    qtbot.waitUntil(lambda: "not found" in window.welcome.recent.item(0).text())
    item = window.welcome.recent.item(0)
    assert "not found" in item.text()
    assert item.foreground().color().name() != "#000000"
    assert "not found" in window.recent_menu.actions()[0].text()


def test_renaming_a_project_updates_the_list(window: MainWindow, tmp_path: Path) -> None:
    from d4a_desktop.core.commands import SetProjectFields

    path = tmp_path / "p.d4a"
    assert window._open_with(lambda: create_project(path, NewProject("Old", "Vejle", "DK")))
    window.edit(SetProjectFields({"title": "New title"}))
    window.close_project()
    assert window.welcome.recent.item(0).text().startswith("New title — Vejle")


def test_the_list_never_opens_a_file(window: MainWindow, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _make(window, tmp_path / "a.d4a", "A", "Vejle")
    import sqlite3

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the recent list opened a project file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    window._refresh_recent()
    assert window.welcome.recent.item(0).text().startswith("A — Vejle")


def test_names_in_bad_settings_are_ignored(tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store.setValue("files/recent", [str(tmp_path / "x.d4a")])
    store.setValue("files/titles", {str(tmp_path / "x.d4a"): ["only one"], 3: "x"})
    settings = Settings(store)
    assert settings.project_name(tmp_path / "x.d4a") is None
    store.setValue("files/titles", "not a mapping")
    assert settings.project_name(tmp_path / "x.d4a") is None
