"""Settings are stored when they change, and only then: QSettings writes its whole file
(with a lock file and two flushes to disk) for every value set, also an unchanged one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from d4a_desktop.gui.settings import Settings


def _settings(tmp_path: Path) -> tuple[Settings, Path]:
    path = tmp_path / "settings.ini"
    return Settings(QSettings(str(path), QSettings.Format.IniFormat)), path


def _written(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns  # QSettings writes a new file and renames it


def test_a_value_set_again_unchanged_writes_nothing(tmp_path: Path, qapp) -> None:
    settings, path = _settings(tmp_path)
    project = tmp_path / "a.d4a"
    settings.add_recent(project)  # a list of one: an INI file gives it back as a string
    settings.remember_project(project, "Title", "Vejle")
    settings.geometry = QByteArray(b"\x01\x02geometry")
    settings.language = "da"
    settings.sync()
    before = _written(path)
    for _round in range(2):
        settings.add_recent(project)
        settings.remember_project(project, "Title", "Vejle")
        settings.geometry = QByteArray(b"\x01\x02geometry")
        settings.language = "da"
        settings.sync()
    assert _written(path) == before


def test_a_changed_value_is_written_and_read_back(tmp_path: Path, qapp) -> None:
    settings, path = _settings(tmp_path)
    first, second = tmp_path / "a.d4a", tmp_path / "b.d4a"
    settings.add_recent(first)
    settings.sync()
    before = _written(path)
    settings.add_recent(second)
    settings.remember_project(second, "B", "Kortrijk")
    settings.geometry = QByteArray(b"new")
    settings.sync()
    assert _written(path) != before
    again = Settings(QSettings(str(path), QSettings.Format.IniFormat))
    assert again.recent_files == [str(second), str(first)]
    assert again.project_name(second) == ("B", "Kortrijk")
    assert again.geometry == QByteArray(b"new")
    settings.add_recent(first)  # back to the top: a change of order is a change
    settings.sync()
    assert Settings(QSettings(str(path), QSettings.Format.IniFormat)).recent_files == [
        str(first), str(second)]
