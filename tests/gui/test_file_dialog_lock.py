"""A real file dialog browsing the project's folder does not unlock the open project.

The dialog reads the files it lists (to show their type and icon); with POSIX locks that
close would have dropped the program's lock, and a second window could open the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QDir
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from d4a_desktop.gui.mainwindow import MainWindow
from tests.storage.badfiles import make_project

ROOT = Path(__file__).resolve().parents[2]

OPEN_IN_CHILD = """
import sys
from d4a_desktop.storage import ProjectFile, ProjectFileError
try:
    ProjectFile.open(sys.argv[1]).close()
except ProjectFileError as exc:
    print(exc.kind)
    sys.exit(3)
print("opened")
"""


def test_browsing_the_folder_keeps_the_project_locked(window: MainWindow, qtbot: QtBot,
                                                      tmp_path: Path) -> None:
    path = make_project(tmp_path / "cycling.d4a")
    make_project(tmp_path / "other.d4a")
    assert window.open_path(path)
    dialog = QFileDialog(window, "Open project", str(tmp_path), "D4A projects (*.d4a)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFilter(QDir.Filter.Files | QDir.Filter.AllDirs)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.findChildren(object) and dialog.isVisible())
    dialog.selectFile(str(path))  # the dialog looks at the file itself
    qtbot.wait(300)
    dialog.reject()
    child = subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(path)],
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert child.returncode == 3 and child.stdout.strip() == "locked", child.stdout
    assert window.session is not None
    window.session.file.update_item("c1.a1.i3", {"done": True})  # still ours to write
