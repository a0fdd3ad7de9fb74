"""Work run off the window's thread and waited for: its outcome always arrives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from d4a_desktop.gui import tasks

ROOT = Path(__file__).resolve().parents[2]

#: In a process of its own: an application told to exit stays so for the tests after it.
LEAVING = r"""
import threading, time
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication
from d4a_desktop.gui import tasks
app = QApplication([])
release = threading.Event()

def close():  # a project's close and backup, slower than the exit
    release.wait(10)
    time.sleep(0.05)
    return "closed"

def upload(report, cancel):
    release.wait(10)
    time.sleep(0.05)
    return "sent"

QTimer.singleShot(50, lambda: (QCoreApplication.exit(1), release.set()))
first = tasks.run_and_wait(close, parent=None, label="x")
release.clear()
QTimer.singleShot(50, lambda: (QCoreApplication.exit(1), release.set()))
second = tasks.run_with_progress(upload, parent=None, label="x")
print(first, second)
"""


def test_the_result_and_the_error_of_the_work_arrive(qtbot) -> None:
    assert tasks.run_and_wait(lambda: 42, parent=None, label="x") == 42

    def fail() -> None:
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        tasks.run_and_wait(fail, parent=None, label="x")


def test_the_work_ends_even_when_the_application_is_told_to_leave(tmp_path: Path) -> None:
    """Qt ends every event loop when the application exits (its display went away, a
    logout): closing a project must still end and say how it went, not fail with no
    outcome (a KeyError seen in the log of a program whose display closed)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "D4A_HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LEAVING], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "closed sent"


def test_no_worker_holds_a_qt_object_of_its_own() -> None:
    """A Qt object released on a worker thread (a QRunnable subclass, a relay per task)
    could hang the program: PySide6 then waits for the interpreter lock while holding a
    lock of Qt's signals, which the window's thread may be waiting for. Workers get plain
    Python callables and speak to the one hub, which lives as long as the program."""
    import importlib
    import pkgutil

    from PySide6.QtCore import QRunnable

    import d4a_desktop.gui as gui_package

    for info in pkgutil.iter_modules(gui_package.__path__):
        module = importlib.import_module(f"d4a_desktop.gui.{info.name}")
        for name, value in vars(module).items():
            assert not (isinstance(value, type) and issubclass(value, QRunnable)
                        and value is not QRunnable), f"{info.name}.{name} is a QRunnable"
    job = tasks._job(1, lambda: None, tasks._hub())
    held = [cell.cell_contents for cell in job.__closure__ or ()]
    assert [type(x).__name__ for x in held if isinstance(x, QObject)] == ["_Hub"]
