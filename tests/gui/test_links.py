"""A link that cannot be opened says so and offers its address."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from d4a_desktop.gui import links
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.services.projects import NewProject, create_project

URL = "https://interreg-northsea.eu/data-for-all"


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    shown: list[str] = []

    def press_copy(box: QMessageBox) -> int:
        shown.append(f"{box.text()} {box.informativeText()}")
        copy = next(b for b in box.buttons()
                    if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        copy.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_copy)
    return shown


def test_no_browser_offers_to_copy_the_address(qapp, no_browser: list[str]) -> None:
    QGuiApplication.clipboard().clear()
    assert links.open_url(None, URL) is False
    assert no_browser and URL in no_browser[0] and "browser" in no_browser[0]
    assert QGuiApplication.clipboard().text() == URL


def test_a_working_browser_is_just_used(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail("no message expected"))
    assert links.open_url(None, QUrl(URL))
    assert opened == [QUrl(URL)]


def test_source_link_on_the_activity_page(window: MainWindow, tmp_path: Path,
                                          no_browser: list[str]) -> None:
    assert window._open_with(lambda: create_project(tmp_path / "l.d4a",
                                                    NewProject("L", "Vejle", "DK")))
    window.select("c1.a1")
    page = window.view.activity
    source = window.view.model._roadmap.activity("c1.a1").source
    assert source
    page.source.linkActivated.emit(source)
    assert no_browser and source in no_browser[0]
    page._link(QUrl("https://example.org/standard"))
    assert len(no_browser) == 2
