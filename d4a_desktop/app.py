"""The composition root of the desktop program (``d4a-desktop``).

Start-up imports only what the first screen needs; SQLAlchemy, the roadmap and babel
load when a project opens. ``D4A_EXIT_WHEN_IDLE=1`` quits as soon as the first screen is
shown and the event loop is idle (used by the start-up benchmark).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from d4a_desktop import __version__, i18n
from d4a_desktop.i18n import _

STYLE = """
QWidget#page, QWidget#welcome { background: palette(base); }
QLabel#welcomeTitle { font-size: 26pt; font-weight: 600; color: #1f4e79; }
QLabel#welcomeSubtitle { font-size: 12pt; color: #4a5560; }
QLabel#pageTitle { font-size: 17pt; font-weight: 600; color: #1f2d3a; }
QLabel#subtitle { font-size: 11pt; color: #4a5560; }
QLabel#sectionTitle { font-size: 12pt; font-weight: 600; color: #1f4e79; margin-top: 4px; }
QLabel#hint { color: #6b7680; }
QLabel#purpose { font-size: 11pt; color: #33414e; }
QLabel#fieldLabel { font-weight: 600; color: #1f2d3a; }
QLabel#fieldError { color: #b03a2e; }
QFrame#card { background: #f8fafc; border: 1px solid #e1e6eb; border-radius: 6px; }
QLabel#cardTitle { font-size: 11pt; font-weight: 600; color: #1f4e79; }
QLabel#heatHead { font-weight: 600; color: #4a5560; }
QLabel#heatTotal { font-weight: 600; color: #1f2d3a; }
QLabel#banner { background: #fff4d6; border: 1px solid #e6c46a; border-radius: 4px;
                padding: 6px 10px; color: #5c4500; }
QLabel#bigNumber { font-size: 15pt; font-weight: 600; color: #1f4e79; min-width: 64px; }
QLabel#componentNumber { font-weight: 600; color: #1f4e79; }
QLabel#badge { border-radius: 8px; padding: 2px 8px; font-size: 9pt; color: white;
               background: #1f4e79; }
QLabel#badge[origin="desktop"] { background: #6b7680; }
QLabel#notesLink { border: 1px solid #9fb8d0; border-radius: 8px; padding: 1px 8px;
                   background: #eef4fa; }
QPushButton#primary { background: #1f4e79; color: white; border: none; border-radius: 4px;
                      padding: 6px 16px; font-weight: 600; }
QPushButton#primary:hover { background: #2a629a; }
QPushButton#link { text-align: left; border: none; color: #1f4e79; padding: 2px 0; }
QPushButton#link:hover { text-decoration: underline; }
QProgressBar { border: none; background: #e3e8ed; border-radius: 4px; }
QProgressBar::chunk { background: #2e9d5b; border-radius: 4px; }
QTreeView::item { padding: 3px 0; }
"""


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from d4a_desktop.i18n import argparse_text

    argparse_text.install()
    parser = argparse.ArgumentParser(prog="d4a-desktop",
                                     description=_("D4A Roadmap Desktop"))
    parser.add_argument("file", nargs="?", type=Path, help=_("project file to open"))
    parser.add_argument("--demo", action="store_true", help=_("open the demo project"))
    parser.add_argument("--lang", metavar="LL", help=_("language of the interface"))
    parser.add_argument("--show", metavar=_("PAGE"),
                        help=_("open on a page: dashboard, timeline, a register (team, "
                               "datasets …) or an activity such as c2.a1"))
    parser.add_argument("--version", action="version", version=f"d4a-desktop {__version__}",
                        help=_("show the program's version and exit"))
    return parser.parse_known_args(argv)[0]


def install_qt_translations(app: object, language: str) -> list[object]:
    """Qt's own dialogs (file dialogs, context menus) in the chosen language.

    Qt's catalog for the language comes first; Qt ships no Bokmål catalog, so Nynorsk, the
    closest it has, stands in. Our ``CatalogTranslator`` is installed after it, so Qt asks
    it first: it supplies the file dialog's words where Qt's catalog lacks them (Danish,
    Dutch, French, Nynorsk) and in Bokmål. Returns the installed translators.
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from d4a_desktop.gui.qt_strings import CatalogTranslator

    qt_lang = {"nb": "nn"}.get(language, language)
    QLocale.setDefault(QLocale(i18n.locale()))
    translators: list[object] = []
    if language == "en":
        return translators
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(f"qtbase_{qt_lang}", folder):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        translators.append(translator)
    ours = CatalogTranslator(app)  # type: ignore[arg-type]
    app.installTranslator(ours)  # type: ignore[attr-defined]
    translators.append(ours)
    return translators


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("D4A")
    QCoreApplication.setApplicationName("D4A Roadmap Desktop")
    QGuiApplication.setDesktopFileName("d4a-desktop")
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])

    from d4a_desktop.gui.settings import Settings

    settings = Settings()
    i18n.set_language(i18n.lang_from_argv(argv) or settings.language or None)
    args = _parse(argv)
    install_qt_translations(app, i18n.language())
    app.setStyleSheet(STYLE)
    icon = _icon()
    if icon:
        app.setWindowIcon(QIcon(icon))

    from d4a_desktop.core.content import ContentError
    from d4a_desktop.services.roadmap import roadmap

    try:
        roadmap()
    except ContentError as exc:  # a damaged installation: say what is wrong, do not crash
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, _("D4A Roadmap Desktop"),
                             _("The roadmap that comes with the program cannot be read. "
                               "Reinstall the program.") + "\n\n" + str(exc))
        return 1

    from d4a_desktop.gui.mainwindow import MainWindow

    window = MainWindow(settings)
    window.show()
    if args.demo:
        window.open_demo()
    elif args.file:
        window.open_path(args.file)
    if args.show and window.session is not None and not window.show_page(args.show):
        print("d4a-desktop: " + _("there is no page “{name}”").format(name=args.show),
              file=sys.stderr)
    if os.environ.get("D4A_EXIT_WHEN_IDLE") == "1":
        QTimer.singleShot(0, window.close)
    return app.exec()


def _icon() -> str | None:
    from d4a_desktop import paths

    path = paths.resources_dir() / "icons" / "d4a-desktop.svg"
    return str(path) if path.is_file() else None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
