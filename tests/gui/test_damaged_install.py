"""A damaged installation (roadmap or demo sources) gives a message, never a crash."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop import app, paths
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.settings import Settings
from d4a_desktop.services import roadmap as roadmap_service


@pytest.fixture
def resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "resources"
    shutil.copytree(paths.resources_dir(), copy)
    monkeypatch.setattr(paths, "resources_dir", lambda: copy)
    roadmap_service.reset_cache()
    yield copy
    roadmap_service.reset_cache()


def test_broken_roadmap_shows_a_message_at_start(qapp, resources: Path, home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (resources / "roadmap" / "c3.yaml").write_text("id: c3\ntitle: [broken\n", "utf-8")
    shown: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append(text))
    assert app.main(["--lang", "en"]) == 1
    assert shown and "c3.yaml:3" in shown[0]


def test_broken_demo_shows_a_message_and_leaves_no_file(
        window: MainWindow, resources: Path, errors: list[str]) -> None:
    demo = resources / "demo" / "kortrijk-cycling.yaml"
    demo.write_text(demo.read_text("utf-8").replace("c1.a1.i1:", "c1.a1.i99:"), "utf-8")
    from d4a_desktop.services.demo import demo_path

    assert not window.open_demo()
    assert errors and "kortrijk-cycling.yaml" in errors[0]
    assert not demo_path().exists()
    assert window.session is None


def test_unreadable_demo_is_reported(window: MainWindow, resources: Path,
                                     errors: list[str], settings: Settings) -> None:
    (resources / "demo" / "kortrijk-cycling.yaml").write_text("- just\n- a list\n", "utf-8")
    assert not window.open_demo()
    assert errors and "project" in errors[0]
