"""The layering rule: nothing outside ``gui/`` and ``app.py`` imports PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import d4a_desktop

PACKAGE = Path(d4a_desktop.__file__).parent


def imported_modules(tree: ast.AST) -> set[str]:
    """Every module an import statement names, at any depth (functions, try blocks …)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
              in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def is_qt(module: str) -> bool:
    return module.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def checked_files() -> list[Path]:
    files = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "app.py" or (PACKAGE / "gui") in path.parents:
            continue
        files.append(path)
    return files


def test_the_scan_sees_the_layers() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in checked_files()}
    for expected in ("cli.py", "core/content.py", "core/progress.py", "storage/projectfile.py",
                     "services/projects.py", "i18n/__init__.py", "paths.py"):
        assert expected in names
    assert not any(n.startswith("gui/") for n in names) and "app.py" not in names


def test_the_scan_finds_qt_imports() -> None:
    """The scanner itself works: the GUI does import PySide6, in each of its forms."""
    gui_imports = set()
    for path in (PACKAGE / "gui").rglob("*.py"):
        gui_imports |= imported_modules(ast.parse(path.read_text(encoding="utf-8")))
    assert any(is_qt(m) for m in gui_imports)
    sample = ("def f():\n    from PySide6.QtCore import Qt\n"
              "try:\n    import PySide6\nexcept ImportError:\n    pass\n"
              "importlib.import_module('PySide6.QtGui')\n")
    assert {m for m in imported_modules(ast.parse(sample)) if is_qt(m)} == {
        "PySide6.QtCore", "PySide6", "PySide6.QtGui"}


def test_no_qt_import_outside_gui() -> None:
    offenders = []
    for path in checked_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module in sorted(imported_modules(tree)):
            if is_qt(module):
                offenders.append(f"{path.relative_to(PACKAGE)}: {module}")
    assert offenders == []


CHILD = """
import sys
import d4a_desktop.cli
import d4a_desktop.services.projects
import d4a_desktop.services.demo
import d4a_desktop.services.roadmap
import d4a_desktop.storage
import d4a_desktop.storage.projectfile
import d4a_desktop.core.progress
import d4a_desktop.core.commands
import d4a_desktop.services.printing
import d4a_desktop.services.printing.report
import d4a_desktop.i18n
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(",".join(loaded) or "none")
"""


def test_non_gui_layers_import_without_qt() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"
    assert "PySide6" not in done.stdout


def test_cli_runs_without_qt(tmp_path: Path) -> None:
    """A whole command (writing the demo and reading it back) never loads Qt."""
    code = (
        "import sys\n"
        "from d4a_desktop import cli\n"
        f"assert cli.main(['demo', {str(tmp_path / 'd.d4a')!r}]) == 0\n"
        f"assert cli.main(['info', '--json', {str(tmp_path / 'd.d4a')!r}]) == 0\n"
        f"assert cli.main(['report', {str(tmp_path / 'd.d4a')!r}, "
        f"'-o', {str(tmp_path / 'r.pdf')!r}]) == 0\n"
        "print('QT' if 'PySide6' in sys.modules else 'NOQT', file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={"D4A_HOME": str(tmp_path / "home"),
                                           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "NOQT"
