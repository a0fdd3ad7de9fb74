"""What a start builds and loads: only what the first window shows.

Each check runs in a process of its own, as a start does: modules loaded by other tests
would hide what a start loads. Times are measured by ``benchmarks/startup.py``, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from d4a_desktop.gui import models
calls = [0]
data = models.NavigatorModel.data
def counted(self, *args):
    calls[0] += 1
    return data(self, *args)
models.NavigatorModel.data = counted
from d4a_desktop.gui.mainwindow import MainWindow
window = MainWindow()
window.show()
app.processEvents()
seen = {"welcome_view_built": window._view is not None,
        "welcome_calls": calls[0]}
if sys.argv[1:]:
    from pathlib import Path
    assert window.open_path(Path(sys.argv[1]))
    for _n in range(5):
        app.processEvents()
    seen["project_calls"] = calls[0]
    seen["tool_form_built"] = window.monitor._tool_form is not None
    seen["kpi_page_built"] = window.monitor._kpi_page is not None
seen["modules"] = sorted(m for m in ("PySide6.QtCharts", "yaml", "d4a_desktop.gui.charts",
                                     "d4a_desktop.core.content_yaml") if m in sys.modules)
# Loaded when their pages or the first tooltip, paste or date beyond the table need them.
seen["later"] = sorted(m for m in (
    "babel", "babel.dates", "babel.numbers", "babel.lists", "d4a_desktop.core.rules",
    "d4a_desktop.gui.activity", "d4a_desktop.gui.checklist", "d4a_desktop.gui.timeline",
    "d4a_desktop.gui.tools", "d4a_desktop.gui.kpis", "d4a_desktop.gui.comments",
    "d4a_desktop.gui.records", "d4a_desktop.services.spreadsheets", "d4a_desktop.gui.search",
    "d4a_desktop.services.search",
    "_hashlib") if m in sys.modules)  # hashlib loads OpenSSL: d4a_desktop/digest.py
seen["activity_built"] = window._view is not None and window._view._activity is not None
seen["qstyle_type_built"] = "QStyle" in sys.modules["PySide6.QtWidgets"].__dict__
if sys.argv[2:]:
    assert window.show_page("kpis")
    app.processEvents()
    seen["after_kpis"] = sorted(m for m in ("PySide6.QtCharts",) if m in sys.modules)
window.close()
print(json.dumps(seen))
"""


def _probe(home: Path, *args: str) -> dict:
    env = {**os.environ, "D4A_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_welcome_screen_builds_no_project_view(tmp_path: Path) -> None:
    seen = _probe(tmp_path / "home")
    assert seen["welcome_view_built"] is False
    assert seen["welcome_calls"] == 0  # the navigator is not even there
    assert seen["modules"] == []


def test_a_project_shows_without_charts_yaml_or_monitoring_pages(tmp_path: Path) -> None:
    from d4a_desktop.services.demo import write_demo

    home = tmp_path / "home"
    home.mkdir()
    path = tmp_path / "demo.d4a"
    old = os.environ.get("D4A_HOME")
    write_demo(path, language="en").close()
    assert os.environ.get("D4A_HOME") == old
    first = _probe(home, str(path))  # the first start parses the roadmap and caches it
    seen = _probe(home, str(path), "kpis")
    for run in (first, seen):
        assert run["tool_form_built"] is False and run["kpi_page_built"] is False
        # The navigator sizes its columns once per change instead of at every change of
        # layout: 13,679 data() calls in this run before (1,720 of them on the welcome
        # screen), about 4,400 now.
        assert run["project_calls"] < 6000, run["project_calls"]
    assert "PySide6.QtCharts" not in seen["modules"] and "yaml" not in seen["modules"]
    # The dashboard shows without the pages, the rules, babel or PySide's QStyle type.
    assert first["later"] == [] and first["activity_built"] is False
    assert first["qstyle_type_built"] is False
    assert seen["after_kpis"] == ["PySide6.QtCharts"]  # loaded when the KPI page is shown


WHOLE_START = r"""
import json, os, sys
from d4a_desktop import app

def leave(code, settings):
    print(json.dumps(sorted(m for m in sys.argv[1:] if m in sys.modules)), flush=True)
    os._exit(code)

app._leave = leave
app.main(["--demo"])
"""


def test_a_whole_start_loads_no_module_it_has_no_use_for(tmp_path: Path) -> None:
    """A whole start as the desktop runs it (logging, signals, the single instance), up
    to its painted window: modules that cost a start time and are not needed for it."""
    unused = [
        "logging.handlers", "queue",  # the rotating log: services/diagnostics.py
        "html", "html.entities",  # escaping five characters: gui/richtext.py
        "_hashlib",  # OpenSSL: d4a_desktop/digest.py
        "yaml", "babel", "PySide6.QtCharts", "PySide6.QtSvg", "sqlalchemy"]
    env = {**os.environ, "D4A_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT), "D4A_EXIT_WHEN_IDLE": "1"}
    for start in ("first", "second"):  # the first parses the roadmap (yaml) and keeps it
        done = subprocess.run([sys.executable, "-c", WHOLE_START, *unused], env=env,
                              cwd=ROOT, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        loaded = json.loads(done.stdout.strip().splitlines()[-1])
        assert loaded == (["yaml"] if start == "first" else []), (start, loaded)
