"""The composition root of the desktop program (``d4a-desktop``).

Start-up imports only what the first screen needs; SQLAlchemy, the roadmap and babel
load when a project opens. A start while the program runs hands its files to the running
program (``gui/instance.py``) and exits; the windows live in ``gui/program.py``.
``D4A_EXIT_WHEN_IDLE=1`` quits as soon as the first screen is shown, painted, and the event
loop is idle (used by the start-up benchmark).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
QFrame#suggestion { background: #eaf2fa; border: 1px solid #b8d0e8; border-radius: 4px; }
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
QFrame#noticeBar { background: #e8f1fa; border-bottom: 1px solid #a9c6e3; }
QFrame#noticeBar[tone="error"] { background: #fdecea; border-bottom: 1px solid #e3a5a0; }
"""


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from d4a_desktop.i18n import argparse_text

    argparse_text.install()
    parser = argparse.ArgumentParser(prog="d4a-desktop",
                                     description=_("D4A Roadmap Desktop"))
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help=_("project file to open"))
    parser.add_argument("--demo", action="store_true", help=_("open the demo project"))
    parser.add_argument("--lang", metavar="LL", help=_("language of the interface"))
    parser.add_argument("--debug", action="store_true",
                        help=_("write a detailed log, also to the terminal"))
    parser.add_argument("--show", metavar=_("PAGE"),
                        help=_("open on a page: dashboard, timeline, a register (team, "
                               "datasets …), tools, a tool such as dpia-screening, kpis, "
                               "or an activity such as c2.a1"))
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
    """The program. A start pauses Python's cycle collector until its window is built:
    the start makes some 35,000 objects that live as long as the program, and the
    collector went through the growing heap about 90 times while they were made (2 % of a
    start's work, in instruction counts). It runs again from the first pass of the event
    loop on; a process that already runs Qt (a test) is left as it is."""
    core = sys.modules.get("PySide6.QtCore")
    paused = core is None or core.QCoreApplication.instance() is None
    if paused:
        gc.disable()  # python -m d4a_desktop gui disabled it before its imports
    from d4a_desktop import fastenum, keptcode

    installed = keptcode.install()  # python -m d4a_desktop gui installed it earlier
    quick_enums = fastenum.install()  # before PySide6 makes its first enum class
    try:
        return _run(argv)
    finally:
        if quick_enums:
            fastenum.uninstall()
        if installed:
            keptcode.uninstall()
        if paused:
            gc.enable()  # a start that ended early (handed over, --help, an error)


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from d4a_desktop import keptcode

    with keptcode.first_pyside_import():  # shiboken6's own modules: compiled once, kept
        from PySide6.QtCore import QCoreApplication, Qt, QTimer

    quicker_pyside_import_check()

    QCoreApplication.setOrganizationName("D4A")
    QCoreApplication.setApplicationName("D4A Roadmap Desktop")

    from d4a_desktop.gui.settings import Settings

    # Settings and arguments come before the QApplication: --help and --version need no
    # display.
    settings = Settings()
    i18n.set_language(i18n.lang_from_argv(argv) or settings.language or None)
    args = _parse(argv)

    from d4a_desktop.services import diagnostics

    log_file = diagnostics.setup_logging(debug=args.debug, echo=args.debug)
    log = logging.getLogger("d4a.app")
    log.info("start: d4a-desktop %s, %d file(s)%s", __version__, len(args.files),
             ", demo" if args.demo else "")

    from d4a_desktop.gui import instance

    request = instance.Request(tuple(str(f.absolute()) for f in args.files), args.demo)
    existing = QCoreApplication.instance()
    if existing is None and instance.hand_over(request):
        log.info("handed over to the running program")
        return 0

    # Only a start that stays loads the widgets.
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    QGuiApplication.setDesktopFileName("d4a-desktop")
    if existing is None and not _has_display():
        print("d4a-desktop: " + _("no display to open a window on (neither DISPLAY nor "
                                  "WAYLAND_DISPLAY is set); start the program from a "
                                  "desktop session"), file=sys.stderr)
        return 2
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    server = instance.InstanceServer()
    if existing is None and not server.start() and server.other_running \
            and instance.hand_over(request):
        log.info("handed over to a program started at the same moment")
        return 0
    install_qt_translations(app, i18n.language())
    app.setStyleSheet(STYLE)
    icon = window_icon()
    if icon is not None:
        app.setWindowIcon(icon)

    from d4a_desktop.core.content import ContentError
    from d4a_desktop.services.roadmap import roadmap

    try:
        roadmap()
    except ContentError as exc:  # a damaged installation: say what is wrong, do not crash
        from PySide6.QtWidgets import QMessageBox

        log.error("the bundled roadmap cannot be read: %s", exc)
        server.close()
        QMessageBox.critical(None, _("D4A Roadmap Desktop"),
                             _("The roadmap that comes with the program cannot be read. "
                               "Reinstall the program.") + "\n\n" + str(exc))
        return 1

    from d4a_desktop.gui import crash, tasks
    from d4a_desktop.gui.program import Program

    program = Program(settings)
    crash.install(program.resync)
    _quit_on_signals(program)
    server.requested.connect(program.handle)
    window = program.new_window(welcome=not (args.demo or args.files))
    if args.demo:
        window.open_demo()
    shown = window
    for path in args.files:
        shown = program.open_path(path, window) or shown
    if args.show and shown.session is not None and not shown.show_page(args.show):
        print("d4a-desktop: " + _("there is no page “{name}”").format(name=args.show),
              file=sys.stderr)
    if os.environ.get("D4A_EXIT_WHEN_IDLE") == "1":
        QTimer.singleShot(0, lambda: _leave_when_painted(app, program))
    keptcode.save()  # the start compiled what it needs by now: kept for the next start
    gc.enable()
    # A signal during the start (a message the start showed was open) may have closed
    # every window already: there is no loop to run then.
    code = app.exec() if program.windows else 0
    server.close()
    log.info("exit %d%s", code, "" if log_file else " (no log file)")
    if not tasks.wait_for_all(3000):
        # A check of a file on a network drive that does not answer: every project is
        # closed and backed up by now, so leave without waiting for it.
        log.warning("leaving background work unfinished")
        _leave(code, settings)
    if existing is None and not program.windows:
        # Every window has closed its project and written its backup, the settings and the
        # log are written: leave now instead of letting the interpreter take apart every
        # Qt object and module one by one (a tenth of a second and more, for nothing).
        _leave(code, settings)
    return code


def quicker_pyside_import_check() -> None:
    """Give PySide6's import hook a quicker way to its answer.

    For its ``__feature__`` switches, PySide6 asks of every module imported after it
    whether the module's source mentions "PySide6", reading it through ``inspect`` (line
    cache and all): some 140 modules and 60 ms of every start. The same question asked of
    the file's bytes has the same answer at a fraction of the cost; a module without a
    ``.py`` file, or a PySide6 without this internal, keeps PySide6's own way.
    ``tests/gui/test_app.py`` checks that both ways answer alike."""
    feature = sys.modules.get("shibokensupport.feature")
    own = getattr(feature, "_mod_uses_pyside", None)
    if own is None or getattr(own, "reads_bytes", False):
        return

    def mentions_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(own(module))

    mentions_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = mentions_pyside  # type: ignore[union-attr]


def _leave_when_painted(app: Any, program: Any) -> None:
    """For measurements: the loop's first pass runs timers before the window's first
    paint, so what is posted (layouts, the paint itself) is done first; only then quit."""
    app.processEvents()
    program.quit()


def _leave(code: int, settings: Any) -> None:
    settings.sync()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _quit_on_signals(program: Any) -> None:
    """SIGTERM (logging out, shutting down) and Ctrl+C close every window properly, each
    closing its project, instead of killing the program with projects open."""
    if sys.platform == "win32":
        return
    import signal

    from PySide6.QtCore import QSocketNotifier, QTimer

    # A pipe wakes the event loop when a signal arrives (a socket pair would do the same
    # and load the socket module at every start).
    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    os.set_blocking(writer, False)
    previous = signal.set_wakeup_fd(writer)
    notifier = QSocketNotifier(reader, QSocketNotifier.Type.Read, program)

    def wake() -> None:  # Python runs the handler below once the event loop lets it
        with contextlib.suppress(OSError):
            os.read(reader, 64)

    def close() -> None:  # the program is gone (a test's): give the pipe back
        with contextlib.suppress(RuntimeError):  # already taken apart with the program
            notifier.setEnabled(False)
        with contextlib.suppress(ValueError):  # not the main thread
            signal.set_wakeup_fd(previous)
        for fd in (reader, writer):
            with contextlib.suppress(OSError):
                os.close(fd)

    notifier.activated.connect(wake)
    program.destroyed.connect(close)
    program._signal_pipe = notifier

    def stop(signum: int, _frame: Any) -> None:
        logging.getLogger("d4a.app").info("signal %d: closing every window", signum)
        QTimer.singleShot(0, program.shut_down)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _has_display() -> bool:
    """Whether Qt can open a window: Qt itself aborts the process when it cannot."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def window_icon() -> Any:
    """The program's icon from its PNG sizes (``packaging/render_icons.py``): an SVG icon
    would load Qt's SVG library at every start (3 ms) and be drawn at each size the window
    system asks for. The SVG stands in should the PNGs be missing; None without either."""
    from PySide6.QtGui import QIcon

    from d4a_desktop import paths

    folder = paths.resources_dir() / "icons"
    icon = QIcon()
    for png in sorted(folder.glob("d4a-desktop-*.png")):
        icon.addFile(str(png))
    if icon.isNull() and (folder / "d4a-desktop.svg").is_file():
        icon.addFile(str(folder / "d4a-desktop.svg"))
    return None if icon.isNull() else icon


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
