"""The d4a-desktop command line: help and version need no display."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(*args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-m", "d4a_desktop", "gui", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_help_without_a_display() -> None:
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: d4a-desktop")
    assert "--demo" in done.stdout and "--lang" in done.stdout


def test_help_in_danish() -> None:
    done = _run("--lang", "da", "--help")
    assert done.returncode == 0
    assert "åbn demoprojektet" in done.stdout


def test_version_without_a_display() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("d4a-desktop ")


def test_no_display_is_said_in_one_line() -> None:
    done = _run()
    assert done.returncode == 2
    assert done.stderr.startswith("d4a-desktop: ") and "DISPLAY" in done.stderr
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr


def test_pyside_import_check_answers_as_pyside_does() -> None:
    """The quicker check PySide6's import hook is given must answer as its own does."""
    import inspect
    import json

    import PySide6.QtCore  # noqa: F401

    from d4a_desktop import app
    from d4a_desktop.core import kpi
    from d4a_desktop.gui import dashboard

    feature = sys.modules["shibokensupport.feature"]
    app.quicker_pyside_import_check()
    app.quicker_pyside_import_check()  # a second call changes nothing
    check = feature._mod_uses_pyside
    assert getattr(check, "reads_bytes", False)
    for module, mentions in ((dashboard, True), (app, True), (kpi, False), (json, False),
                             (sys, False), (inspect, False)):
        assert check(module) is mentions, module
        assert mentions is ("PySide6" in _source(module)), module


def _source(module: object) -> str:
    import inspect

    try:
        return inspect.getsource(module)  # type: ignore[arg-type]
    except (TypeError, OSError):
        return ""


GC_PROBE = r"""
import gc, json, os, sys
from d4a_desktop import app

def painted(qt_app, program):
    qt_app.processEvents()
    seen = {"enabled": gc.isenabled(),
            "collections": [s["collections"] for s in gc.get_stats()],
            "before_loop": before_loop, "at_main": at_main}
    print(json.dumps(seen), flush=True)
    program.quit()

before_loop = None
enable = gc.enable
def enabled():  # the collections until the start turns the collector on again
    global before_loop
    if before_loop is None:
        before_loop = [s["collections"] for s in gc.get_stats()]
    enable()
gc.enable = enabled
app._leave_when_painted = painted
sys.argv[0] = "d4a-desktop"
at_main = [s["collections"] for s in gc.get_stats()]
code = app.main(["--demo"])
"""


def test_a_start_pauses_the_cycle_collector_until_its_window_is_built(tmp_path) -> None:
    """While a start makes its objects, the collector does not go through them again and
    again; once the event loop runs it is on, as in any Python program."""
    import json

    env = {**os.environ, "D4A_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "D4A_EXIT_WHEN_IDLE": "1"}
    done = subprocess.run([sys.executable, "-c", GC_PROBE], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["enabled"] is True
    # Not one collection while the window was built (with the collector on: about 90).
    assert seen["before_loop"] == seen["at_main"]


def test_the_window_icon_is_the_svg_drawn_at_the_usual_sizes(qapp) -> None:
    """The window icon comes from PNGs (no SVG library at a start); they must be the SVG
    as it is now, at each size (packaging/render_icons.py draws them)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from d4a_desktop import app, paths

    icon = app.window_icon()
    assert icon is not None
    sizes = sorted(s.width() for s in icon.availableSizes())
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    folder = paths.resources_dir() / "icons"
    renderer = QSvgRenderer(str(folder / "d4a-desktop.svg"))
    for size in sizes:
        drawn = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        drawn.fill(Qt.GlobalColor.transparent)
        painter = QPainter(drawn)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        kept = QImage(str(folder / f"d4a-desktop-{size}.png")).convertToFormat(
            QImage.Format.Format_ARGB32_Premultiplied)
        assert kept.size() == drawn.size()
        worst = max(abs(a - b) for a, b in zip(bytes(drawn.constBits()),
                                                bytes(kept.constBits()), strict=True))
        assert worst <= 8, (size, worst)
