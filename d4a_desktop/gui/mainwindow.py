"""A main window: the welcome screen, or one open project with navigator and pages.

Each window holds at most one project; the program (``gui/program.py``) keeps the windows
and decides where a file opens. A project that cannot be written shows every page with
nothing editable, under a bar that offers a copy to work in; an edit the file cannot take
is reported with the same offer, and nothing typed is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import __version__, i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.commands import (
    BadText,
    Batch,
    Change,
    Command,
    InvalidRecord,
    SetActivityFields,
    SetConditions,
    SetItemFields,
    SetProjectFields,
)
from d4a_desktop.core.progress import activity_tally, status_after_tick
from d4a_desktop.gui import crash, messages, tasks
from d4a_desktop.gui.dashboard import DashboardPage
from d4a_desktop.gui.messages import Role, file_filter, show_error
from d4a_desktop.gui.models import (
    KPIS,
    OVERVIEW,
    REGISTER_PAGES,
    REGISTERS,
    TIMELINE,
    TOOLS,
    NavigatorModel,
)
from d4a_desktop.gui.notice import NoticeBar
from d4a_desktop.gui.searchfield import SearchField, term_pattern
from d4a_desktop.gui.settings import Settings, recent_heading
from d4a_desktop.gui.undo import AppliedEdit
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services import projects, rescue, syncfolders
from d4a_desktop.services import records as records_service
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.storage import ProjectFileError

if TYPE_CHECKING:
    from d4a_desktop.gui.activity import ActivityPage
    from d4a_desktop.gui.monitor import Monitoring
    from d4a_desktop.gui.printing import Context as PrintContext
    from d4a_desktop.gui.program import Program
    from d4a_desktop.gui.records import Lookups, RegisterPage
    from d4a_desktop.gui.search import SearchResults
    from d4a_desktop.gui.timeline import TimelinePage
    from d4a_desktop.gui.welcome import WelcomePage
    from d4a_desktop.services.exchange import Package, PartnerView
    from d4a_desktop.services.search import Hit as SearchHit
    from d4a_desktop.services.search import SearchIndex

APP_TITLE = "D4A Roadmap Desktop"
log = logging.getLogger("d4a.window")

#: Why an edit failed, when saving a copy keeps the work: the file went away or cannot
#: take writes now.
#: The record kinds that have a register page of their own.
_REGISTER_NAMES = REGISTER_PAGES
RESCUE_KINDS = frozenset({"vanished", "no-longer-writable", "disk-full", "io-error",
                          "read-only-session"})


#: Pages of the project view built when first shown (``ProjectView.pageBuilt``).
ACTIVITY_PAGE, TIMELINE_PAGE, RESULTS_PAGE = "activity", "timeline", "results"


class ProjectView(QSplitter):
    """Navigator on the left; on the right the dashboard, the timeline, an activity or a
    register."""

    #: the name of a page just built (``ACTIVITY_PAGE``, ``TIMELINE_PAGE``, ``RESULTS_PAGE``)
    pageBuilt = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        rm = roadmap()
        self.model = NavigatorModel(rm, self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The progress and comments columns fit their contents, measured once after each
        # change of what the navigator shows (``refreshed``): Qt's ResizeToContents would
        # measure every row again at each change of layout, thousands of data() calls.
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)  # once after all the updates of one change
        self._fit.timeout.connect(self.fit_columns)
        self.model.refreshed.connect(self._fit.start)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.expandAll()
        self.tree.setMinimumWidth(200)
        self.tree.setIndentation(14)  # titles, not indentation, get the narrow column's room
        # Built from the outside in: each widget is made inside its final parent, which
        # itself is already in the window. A finished subtree moved into the window has
        # its style worked out again for every widget in it, at every level it moves
        # (the dashboard's page was twice as slow to build that way).
        left = QWidget(self)
        self.addWidget(left)
        self.pages = QStackedWidget(self)
        self.addWidget(self.pages)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self.pages.setMinimumWidth(560)
        # Sized while its pages are empty: sizing asks every widget in them for its
        # minimum size, and the dashboard's, asked before it is filled, would be worked out
        # for nothing (18 ms of a start).
        self.setSizes([300, 980])
        self.search = SearchField(left)
        self.search.setPlaceholderText(_("Search the roadmap and your notes (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.left_stack = QStackedWidget(left)
        self.left_stack.addWidget(self.tree)
        #: The search results, in the navigator's place: built with the first search.
        self._results: SearchResults | None = None
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.left_stack, 1)
        self.dashboard = DashboardPage(rm, self.pages)
        self.overview = self.dashboard  # the first page, as it was called before
        self.pages.addWidget(self.dashboard)
        #: The activity page and the timeline, built when first shown: a start shows the
        #: dashboard, and building them (and importing their modules) would slow it.
        self._activity: ActivityPage | None = None
        self._timeline: TimelinePage | None = None
        self._lookups: Lookups | None = None
        #: Register pages by kind, built when first shown (a large register costs nothing
        #: until it is opened).
        self.registers: dict[str, RegisterPage] = {}
        #: Until the user drags the divider (or a saved layout is restored), the navigator
        #: takes a share of the width that leaves the page room on a small laptop screen.
        self.user_sized = False
        self.splitterMoved.connect(lambda *_a: setattr(self, "user_sized", True))

    @property
    def lookups(self) -> Lookups:
        """What record values name, for the register pages (built with the first)."""
        if self._lookups is None:
            from d4a_desktop.gui.records import Lookups

            self._lookups = Lookups(roadmap())
        return self._lookups

    @property
    def activity(self) -> ActivityPage:
        if self._activity is None:
            from d4a_desktop.gui.activity import ActivityPage

            self._activity = ActivityPage(roadmap(), self.pages)  # made in place: see __init__
            self._built(self._activity, ACTIVITY_PAGE)
        return self._activity

    @property
    def timeline(self) -> TimelinePage:
        if self._timeline is None:
            from d4a_desktop.gui.timeline import TimelinePage

            self._timeline = TimelinePage(roadmap(), self.pages)
            self._built(self._timeline, TIMELINE_PAGE)
        return self._timeline

    @property
    def results(self) -> SearchResults:
        if self._results is None:
            from d4a_desktop.gui.search import SearchResults

            self._results = SearchResults()
            self.left_stack.addWidget(self._results)
            self.pageBuilt.emit(RESULTS_PAGE)
        return self._results

    def built_results(self) -> SearchResults | None:
        return self._results

    def _built(self, page: QWidget, name: str) -> None:
        """Add a page built on first show (kept in its attribute first: whoever the
        signal reaches may ask for it again)."""
        self.pages.addWidget(page)
        self.pageBuilt.emit(name)

    def showing(self, name: str) -> bool:
        """Whether the activity page or the timeline is the page on show (without building
        it)."""
        page = self._activity if name == ACTIVITY_PAGE else self._timeline
        return page is not None and self.pages.currentWidget() is page

    def built_activity(self) -> ActivityPage | None:
        return self._activity

    def built_timeline(self) -> TimelinePage | None:
        return self._timeline

    def fit_columns(self) -> None:
        for column, width in enumerate(self.measured_widths(), 1):
            self.tree.setColumnWidth(column, width)

    def measured_widths(self) -> tuple[int, int]:
        """The widths the progress and comments columns need: Qt's measure of the cell with
        the widest text. Qt's own fit asks the model for every role of every row, thousands
        of calls, for the same figure."""
        model, tree = self.model, self.tree
        metrics = tree.fontMetrics()
        widest: list[tuple[int, QModelIndex]] = [(-1, QModelIndex()), (-1, QModelIndex())]
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            for row in range(model.rowCount(parent)):
                pending.append(model.index(row, 0, parent))
                for slot, column in enumerate((1, 2)):
                    index = model.index(row, column, parent)
                    text = model.data(index)
                    width = metrics.horizontalAdvance(str(text)) if text else -1
                    if width > widest[slot][0]:
                        widest[slot] = (width, index)
        first, second = (tree.sizeHintForIndex(index).width() if index.isValid() else 0
                         for _width, index in widest)
        return first, second

    def navigator_width(self, total: int) -> int:
        # The third column (open comments) took the room of the titles on a small screen.
        return max(280, min(360, round(total * 0.28)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.user_sized and self.width() > 0:
            left = self.navigator_width(self.width())
            self.setSizes([left, max(self.width() - left - self.handleWidth(), 1)])

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        self.user_sized = super().restoreState(state)
        return self.user_sized


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, program: Program | None = None,
                 welcome: bool = True):
        super().__init__()
        from d4a_desktop.gui.program import Program

        self.settings = settings or Settings()
        self.program = program or Program(self.settings)
        self.program.adopt(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, program is not None)
        self.session: projects.ProjectSession | None = None
        #: A partner's package shown read-only in this window (its session is ``session``).
        self.partner: PartnerView | None = None
        #: The last tandem comparison and portfolio shown (windows of their own).
        self.tandem: QWidget | None = None
        self.portfolio: QWidget | None = None
        #: True while the project is being closed (its backup written): the window takes
        #: no other project meanwhile.
        self.closing = False
        #: The last edit the file could not take: applied again to a saved copy.
        self.unsaved: Command | None = None
        self._read_only_note = ""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(900, 600)

        self.stack = QStackedWidget()
        #: The welcome screen, built when first shown: a window made to open a project
        #: (a start with a file or the demo) may never show it.
        self._welcome: WelcomePage | None = None
        #: The recent files last found gone, for a welcome screen built later.
        self._missing: set[str] = set()
        #: The project's navigator and pages, built when a project is first shown: a start
        #: on the welcome screen builds none of them.
        self._view: ProjectView | None = None
        self._monitor: Monitoring | None = None
        self.notice = NoticeBar()
        self.notice.actionRequested.connect(self._notice_action)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notice)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._index: SearchIndex | None = None
        self._index_stale = True
        self._make_actions()
        self._make_menus()
        self.program.recentChanged.connect(self._refresh_recent)
        self.statusBar().showMessage(_("Ready"))
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(1280, 800)
        self._refresh_recent()
        self._update_actions()
        if welcome:
            self.stack.setCurrentWidget(self.welcome)
        else:
            # Should the project not open (a damaged file, a refusal), the window shows the
            # welcome screen rather than nothing.
            QTimer.singleShot(0, self._welcome_if_empty)

    @property
    def welcome(self) -> WelcomePage:
        if self._welcome is None:
            from d4a_desktop.gui.welcome import WelcomePage

            self._welcome = page = WelcomePage(self.stack)  # made in place: see ProjectView
            self.stack.addWidget(page)
            page.newRequested.connect(self.new_project)
            page.openRequested.connect(self.open_dialog)
            page.demoRequested.connect(self.open_demo)
            page.recentRequested.connect(self.open_path)
            for button in (page.new_button, page.open_button, page.demo_button):
                button.clicked.connect(lambda _c=False, b=button: crash.step(b.text()))
            page.set_recent(self.settings.recent_files, self.settings.project_name)
            page.mark_missing(self._missing)
        return self._welcome

    def _welcome_if_empty(self) -> None:
        if self.stack.count() == 0:
            self.stack.setCurrentWidget(self.welcome)

    @property
    def view(self) -> ProjectView:
        if self._view is None:
            self._build_view()
            assert self._view is not None
        return self._view

    @property
    def monitor(self) -> Monitoring:
        if self._monitor is None:
            self._build_view()
            assert self._monitor is not None
        return self._monitor

    def _build_view(self) -> None:
        self._view = view = ProjectView(self.stack)  # see ProjectView: outside in
        self.stack.addWidget(view)
        view.tree.selectionModel().currentChanged.connect(self._navigate)
        view.dashboard.componentActivated.connect(self._go_component)
        view.dashboard.editDetailsRequested.connect(self.edit_details)
        view.dashboard.linkActivated.connect(self.open_link)
        view.pageBuilt.connect(self._page_built)
        view.search.textChanged.connect(self._search)
        view.search.downPressed.connect(self._focus_results)
        # Tools, KPIs and comments (gui/monitor.py).
        from d4a_desktop.gui.monitor import Monitoring

        self._monitor = Monitoring(self)
        view.model.verdict_of = self._monitor.verdict
        if self.settings.splitter_state is not None:
            view.restoreState(self.settings.splitter_state)

    def _page_built(self, name: str) -> None:
        """Wire a page of the project view built on first show."""
        view = self.view
        if name == RESULTS_PAGE:
            view.results.hitChosen.connect(self._open_hit)
        elif name == TIMELINE_PAGE:
            timeline = view.timeline
            timeline.linkActivated.connect(self.open_link)
            timeline.datesEditRequested.connect(
                lambda act_id, changes: self.edit_with(
                    lambda: SetActivityFields(act_id, changes)))
            timeline.read_only = self.read_only
        elif name == ACTIVITY_PAGE:
            activity = view.activity
            activity.checklist.editRequested.connect(self._edit_item)
            activity.activityEditRequested.connect(
                lambda act_id, changes: self.edit_with(
                    lambda: SetActivityFields(act_id, changes)))
            activity.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            activity.table.historyRequested.connect(
                lambda item_id: self.show_history("item", item_id))
            activity.set_read_only(self.read_only)
            self.monitor.activity_built(activity)

    # --- actions and menus ---------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # What the user did, for the error dialog, before the action runs.
        action.triggered.connect(lambda _c=False, a=action: crash.step(a.text()))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_new = self._action(_("&New Project…"), self.new_project, key.New)
        self.act_new_from = self._action(_("New from &Existing Project…"),
                                         self.new_from_existing)
        self.act_open = self._action(_("&Open…"), self.open_dialog, key.Open)
        self.act_demo = self._action(_("Open the &Demo Project"), self.open_demo)
        self.act_save_copy = self._action(_("Save a &Copy…"), self.save_copy)
        self.act_restore = self._action(_("Restore from &Backup…"), self.restore_backup)
        self.act_close = self._action(_("&Close"), self.close_project, key.Close)
        self.act_check = self._action(_("Check Project &File"), self.check_project)
        self.act_import_package = self._action(_("&Import Package…"), self.import_package)
        self.act_export_package = self._action(_("E&xport Package…"), self.export_package)
        self.act_compare = self._action(_("Co&mpare with a Partner…"), self.compare_dialog)
        self.act_sync = self._action(_("S&ync with the Consortium…"), self.sync_dialog)
        self.act_portfolio = self._action(_("Por&tfolio…"), self.portfolio_dialog)
        self._make_print_actions()
        self.act_quit = self._action(_("&Quit"), self.quit, key.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_undo = self._action(_("&Undo"), self.undo_stack.undo, key.Undo)
        self.act_redo = self._action(_("&Redo"), self.undo_stack.redo)
        self.act_redo.setShortcuts([QKeySequence(key.Redo), QKeySequence("Ctrl+Y")])
        self.undo_stack.canUndoChanged.connect(self._update_undo_actions)
        self.undo_stack.canRedoChanged.connect(self._update_undo_actions)
        # Our own wording, so each language can place the command name as it needs.
        self.undo_stack.undoTextChanged.connect(lambda text: self.act_undo.setText(
            _("&Undo: {action}").format(action=text) if text else _("&Undo")))
        self.undo_stack.redoTextChanged.connect(lambda text: self.act_redo.setText(
            _("&Redo: {action}").format(action=text) if text else _("&Redo")))
        self.act_details = self._action(_("Project &Details…"), self.edit_details)
        self.act_prefs = self._action(_("&Preferences…"), self.preferences, key.Preferences)
        self.act_prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_overview = self._action(_("&Dashboard"), self.show_overview, "Ctrl+1")
        self.act_timeline = self._action(_("&Timeline"), lambda: self.select(TIMELINE),
                                         "Ctrl+2")
        self.act_find = self._action(_("&Find…"), self.focus_search, QKeySequence.StandardKey.Find)
        self.act_about = self._action(_("&About D4A Roadmap Desktop"), self.about)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addAction(self.act_new)
        file_menu.addAction(self.act_new_from)
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu(_("Open &Recent"))
        file_menu.addAction(self.act_demo)
        file_menu.addSeparator()
        file_menu.addAction(self.act_import_package)
        file_menu.addAction(self.act_export_package)
        file_menu.addAction(self.act_compare)
        file_menu.addAction(self.act_sync)
        file_menu.addAction(self.act_portfolio)
        file_menu.addSeparator()
        file_menu.addAction(self.act_print)
        file_menu.addAction(self.act_export_pdf)
        file_menu.addSeparator()
        file_menu.addAction(self.act_save_copy)
        file_menu.addAction(self.act_restore)
        file_menu.addAction(self.act_check)
        file_menu.addAction(self.act_close)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit_menu = bar.addMenu(_("&Edit"))
        edit_menu.addAction(self.act_undo)
        edit_menu.addAction(self.act_redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_details)
        edit_menu.addSeparator()
        edit_menu.addAction(self.act_prefs)
        view_menu = bar.addMenu(_("&View"))
        view_menu.addAction(self.act_overview)
        view_menu.addAction(self.act_timeline)
        self.registers_menu = view_menu.addMenu(_("&Registers"))
        for name in REGISTER_PAGES:
            self.registers_menu.addAction(kinds.kind(name).plural_text(),
                                          partial(self.select, name))
        self.act_tools = view_menu.addAction(_("Tools"), partial(self.select, TOOLS))
        self.act_kpis = view_menu.addAction(_("KPIs"), partial(self.select, KPIS))
        view_menu.addSeparator()
        view_menu.addAction(self.act_find)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    @property
    def read_only(self) -> bool:
        return self.session is not None and self.session.read_only

    def _update_actions(self) -> None:
        is_open = self.session is not None
        for action in (self.act_close, self.act_check, self.act_overview, self.act_find,
                       self.act_save_copy, self.act_restore, self.act_timeline,
                       self.act_tools, self.act_kpis):
            action.setEnabled(is_open)
        self.registers_menu.setEnabled(is_open)
        self.act_details.setEnabled(is_open and not self.read_only)
        self.act_export_package.setEnabled(is_open and self.partner is None)
        self.act_compare.setEnabled(is_open)
        self.act_sync.setEnabled(is_open and self.partner is None and not self.read_only)
        self.act_restore.setEnabled(is_open and self.partner is None)
        self.act_import_package.setEnabled(not self.closing)
        for action in (self.act_new, self.act_new_from, self.act_open, self.act_demo):
            action.setEnabled(not self.closing)
        self.recent_menu.setEnabled(bool(self.settings.recent_files) and not self.closing)
        self._update_undo_actions()

    def _update_undo_actions(self, *_args: Any) -> None:
        editable = self.session is not None and not self.read_only
        self.act_undo.setEnabled(editable and self.undo_stack.canUndo())
        self.act_redo.setEnabled(editable and self.undo_stack.canRedo())

    def _refresh_recent(self) -> None:
        files = self.settings.recent_files
        if self._welcome is not None:
            self._welcome.set_recent(files, self.settings.project_name)
        self.recent_menu.clear()
        for n, text in enumerate(files, 1):
            path = Path(text)
            heading = recent_heading(path, self.settings.project_name(text))
            label = path.name if heading == path.stem else f"{heading}  ({path.name})"
            action = self.recent_menu.addAction(f"&{n % 10}  {label.replace('&', '&&')}")
            action.setToolTip(text)
            action.setStatusTip(text)
            action.triggered.connect(lambda _c=False, t=text: self.open_path(t))
        if files:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(_("Clear the List"), self._clear_recent)
        self.recent_menu.setEnabled(bool(files))
        if files:  # which of them are gone: asked off the window's thread
            tasks.run_in_background(lambda: {f for f in files if not _exists(f)},
                                    self._mark_missing, lambda _e: None, context=self,
                                    probe=True)

    def _mark_missing(self, missing: set[str]) -> None:
        self._missing = missing
        if self._welcome is not None:
            self._welcome.mark_missing(missing)
        for action in self.recent_menu.actions():
            if action.toolTip() in missing:
                action.setText(_("{path} (not found)").format(path=action.text()))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self.program.recentChanged.emit()

    # --- the window's project ------------------------------------------------------------

    def is_free(self) -> bool:
        """True when the window shows the welcome screen and may take a project."""
        return self.session is None and not self.closing

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def _author(self) -> str:
        return self.program.author()

    def new_project(self) -> None:
        """Ask for a new project and open it here, or in a new window when this one has a
        project."""
        if self.closing:
            return
        from d4a_desktop.gui.dialogs import NewProjectWizard

        wizard = NewProjectWizard(self, self.settings.last_country, self.settings.last_folder)
        if wizard.exec() != NewProjectWizard.DialogCode.Accepted:
            return
        path = wizard.path()
        holder = self.program.window_for(path)
        if holder is not None:  # replacing a project that is open: close it first
            holder.close_project()
        details = wizard.details()
        session = self.program.obtain(lambda: projects.create_project(
            path, details, author=self._author(), overwrite=wizard.overwrite()), self)
        if session is not None:
            log.info("created %s", session.path)
            self.settings.last_country = details.country
            self.settings.last_folder = str(path.absolute().parent)
            self.program.show_session(session, self)

    def new_from_existing(self) -> None:
        """A new project that starts from an earlier one (gui/carryover.py)."""
        if self.closing:
            return
        from d4a_desktop.gui.carryover import NewFromExistingDialog

        start = str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files \
            else ""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Start from which project?"), start, file_filter())
        if not name:
            return
        source = Path(name)
        try:
            old = projects.read_project(source)
        except ProjectFileError as exc:
            show_error(self, exc.message, _("Cannot open the project"))
            return
        try:
            meta = old.state().meta
        finally:
            old.close()
        dialog = NewFromExistingDialog(source, meta, self)
        if dialog.exec() != NewFromExistingDialog.DialogCode.Accepted:
            return
        request = dialog.request()
        session = self.program.obtain(lambda: projects.create_from_existing(
            request.target, request.source, request.details, carry=request.carry,
            author=self._author()), self)
        if session is not None:
            log.info("created %s from %s", session.path, source)
            self.program.show_session(session, self)

    def open_dialog(self) -> None:
        if self.closing:
            return
        start = str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files \
            else ""
        name, _filter = QFileDialog.getOpenFileName(self, _("Open project"), start,
                                                    messages.open_filter())
        if name:
            self.open_path(name)

    def open_path(self, path: str | Path) -> bool:
        """Open a project: here when the window is free, else in a new window (or the
        window that has it already is raised)."""
        if self.closing:
            return False
        return self.program.open_path(path, self) is not None

    def open_demo(self) -> bool:
        if self.closing:
            return False
        return self.program.open_demo(self) is not None

    def _open_with(self, opener: Callable[[], projects.ProjectSession]) -> bool:
        """Open what ``opener`` returns, here or in a new window."""
        session = self.program.obtain(opener, self)
        if session is None:
            return False
        self.program.show_session(session, self)
        return True

    def show_session(self, session: projects.ProjectSession, *, keep_undo: bool = False,
                     note: str = "") -> None:
        """Show an open project in this window (which must be free, unless the project
        replaces this window's own after a saved copy). ``note`` is what the bar of a
        project opened read-only says instead of the usual words."""
        assert self.session is None or keep_undo
        self.session = session
        self._read_only_note = note
        self.unsaved = None
        crash.detail(f"project shown in a window (read-only: {session.read_only})")
        if not keep_undo:
            self.undo_stack.clear()
        self._clear_search()
        state = session.state()
        if self.partner is None:
            self.settings.remember_project(session.path, state.meta.title,
                                           state.meta.municipality)
        self.view.model.set_project(state, session.progress())
        self.view.model.set_counts(records_service.counts(session))
        self.stack.setCurrentWidget(self.view)
        self._apply_read_only()
        self.monitor.project_shown()
        self.show_overview()
        self._set_title(state.meta.title)
        self._update_actions()
        if self.partner is not None:
            self.statusBar().showMessage(str(self.partner.package.path))
            return
        self.statusBar().showMessage(str(session.path))
        if session.file.upgraded_from is not None:
            QMessageBox.information(
                self, _("Project upgraded"),
                _("This project was saved by an older version of the program and has been "
                  "upgraded. A copy of the original is kept as {name}.")
                .format(name=session.file.upgrade_backup))
        report = session.version_report
        if report.changed and not session.read_only:
            text = _("This project was planned with roadmap version {old}; it now follows "
                     "version {new}. New checklist items start as not done.").format(
                old=report.planned or "?", new=report.current)
            if report.retired_items or report.retired_activities:
                text += " " + _("Answers to steps that version {new} no longer has are kept "
                                "and listed on the project overview.").format(new=report.current)
            QMessageBox.information(self, _("Roadmap updated"), text)
        path = session.path
        tasks.run_in_background(lambda: syncfolders.find_sync_folder(path),
                                lambda found: self._warn_sync(path, found),
                                lambda exc: log.warning("sync folder check failed: %r", exc),
                                context=self, probe=True)

    def _set_title(self, title: str) -> None:
        if self.partner is not None:
            # Translators: the window title of a partner's exchange package, open for reading.
            title = _("{title} — {municipality}'s package (read-only)").format(
                title=title, municipality=self.partner.package.project.get("municipality")
                or "?")
        elif self.read_only:
            # Translators: the window title of a project open for reading only.
            title = _("{title} (read-only)").format(title=title)
        self.setWindowTitle(f"{title} — {APP_TITLE}")

    def _apply_read_only(self) -> None:
        read_only = self.read_only
        activity, timeline = self.view.built_activity(), self.view.built_timeline()
        if activity is not None:
            activity.set_read_only(read_only)
        self.view.dashboard.set_read_only(read_only)
        if timeline is not None:
            timeline.read_only = read_only
        self.monitor.set_read_only(read_only)
        if read_only:
            assert self.session is not None
            text = self._read_only_note or _(
                "{name} cannot be changed: the file, its folder or its drive is read-only. "
                "You can look at every page; to work on the project, save a copy in a folder "
                "where you can write.").format(name=self.session.path.name)
            self.notice.show_notice(text, _("Compare with My Project…") if self.partner
                                    else _("Save a Copy to Edit…"), "info")
            self.notice.text.setToolTip(self.session.read_only_reason)
        else:
            self.notice.hide()

    def _warn_sync(self, path: Path, found: syncfolders.SyncFolder | None) -> None:
        """Once per file: a project in a folder that a sync client manages."""
        if found is None or self.session is None or self.session.path != path:
            return
        if self.settings.sync_warned(path):
            return
        self.settings.mark_sync_warned(path)
        log.info("project is in a %s folder", found.client)
        messages.choose(
            self, _("Project in a synchronised folder"),
            _("{name} is in a folder that {client} keeps in step with other computers.")
            .format(name=path.name, client=found.client),
            [(_("OK"), Role.AcceptRole)],
            informative=_(
                "That is fine while only you work on this project. But if two people open "
                "synchronised copies of the file, {client} cannot combine their work: it "
                "keeps one and saves the other as a conflict copy. To work on a project "
                "together, let each partner keep a project file of their own and share "
                "progress with exchange packages. This message is shown once for this file.")
            .format(client=found.client),
            icon=QMessageBox.Icon.Information)

    def close_project(self, leaving: bool = False) -> bool:
        """Close the project and show the welcome screen. Waits (the window repainting,
        other windows usable) for the backup; False when a close is already under way.
        ``leaving``: the window closes too, so it shows no welcome screen meanwhile."""
        if self.session is None:
            return True
        if self.closing:
            return False
        session, self.session = self.session, None
        self.closing = True
        self.unsaved = None
        self.undo_stack.clear()
        if leaving:
            self._close_search_index()
        else:
            self._clear_search()
            self._drop_registers()
            self.notice.hide()
            self.stack.setCurrentWidget(self.welcome)
            self.setWindowTitle(APP_TITLE)
        self._update_actions()
        log.info("closing %s", session.path)
        closed = self._close_session(session)
        self._update_actions()
        if closed is None:
            self.statusBar().showMessage(_("Ready"))
            return True
        log.info("closed %s (healthy: %s, backup: %s)", session.path, closed.healthy,
                 closed.backup.name if closed.backup else closed.backup_error or "none")
        if not leaving:
            self._refresh_recent()
            self.statusBar().showMessage(_("Ready"))
        if not closed.healthy:
            show_error(self, _("SQLite reported damage in {name} while closing it. Keep a copy "
                               "of the file and restore a backup.").format(name=session.path))
        elif closed.backup_error:
            show_error(self, _("The project was saved, but its automatic backup could not be "
                               "written: {reason}").format(reason=closed.backup_error))
        return True

    def _close_session(self, session: projects.ProjectSession) -> projects.Closed | None:
        """Close a project off the window's thread (its backup may take a while) and wait
        for it, the window staying responsive; None when closing failed unexpectedly (the
        error dialog said so)."""
        self.closing = True
        partner, self.partner = self.partner, None
        if partner is not None and partner.session is session:
            try:  # nothing of a partner's package is kept: its temporary folder goes
                tasks.run_and_wait(partner.close, parent=self, label=_("Closing the package…"))
            except Exception:
                crash.report_current()
            finally:
                self.closing = False
            return None
        try:
            return tasks.run_and_wait(session.close, parent=self,
                                      label=_("Closing the project and writing its backup…"))
        except Exception:
            crash.report_current()
            return None
        finally:
            self.closing = False

    def check_project(self) -> None:
        if self.session is None:
            return
        problems = self.session.check()
        if problems:
            show_error(self, _("The project file is damaged:") + "\n" + "\n".join(problems[:10]))
        else:
            QMessageBox.information(self, _("Check project file"),
                                    _("No problems found in {name}.")
                                    .format(name=self.session.path.name))

    # --- copies and backups --------------------------------------------------------------

    def _ask_copy_target(self) -> Path | None:
        assert self.session is not None
        from PySide6.QtCore import QStandardPaths

        documents = Path(QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        folder = rescue.writable_folder(self.session.path.parent, documents)
        # Translators: part of a file name: "Cycling counts (copy).d4a".
        suggested = rescue.named_copy(self.session.path, _("copy"), folder)
        name, _filter = QFileDialog.getSaveFileName(self, _("Save a copy"), str(suggested),
                                                    file_filter())
        return Path(name) if name else None

    def save_copy(self) -> bool:
        """Write a complete copy of the project (also of one that is read-only or whose
        file went away) and go on working in the copy, in this window, with the undo
        history and the last change that could not be saved."""
        if self.session is None or self.closing:
            return False
        target = self._ask_copy_target()
        if target is None:
            return False
        session = self.session
        try:
            written = rescue.save_copy(session, target)
            copy = projects.open_project(written, author=self._author())
        except ProjectFileError as exc:
            show_error(self, exc.message, _("Cannot save a copy"))
            return False
        log.info("saved a copy of %s as %s", session.path, written)
        unsaved = self.unsaved
        self.session = None
        closed = self._close_session(session)
        if closed is not None and closed.backup_error:
            log.warning("no backup of %s: %s", session.path, closed.backup_error)
        self.show_session(copy, keep_undo=True)
        self.settings.add_recent(copy.path)
        self.program.recentChanged.emit()
        if unsaved is not None and self.edit(unsaved):
            self.statusBar().showMessage(
                _("Saved as {name}, with the change that could not be saved before.")
                .format(name=copy.path.name), 8000)
        else:
            self.statusBar().showMessage(_("Saved as {name}.").format(name=copy.path.name),
                                         8000)
        return True

    # --- exchange packages -----------------------------------------------------------------

    def _notice_action(self) -> None:
        """The button of the bar above the project."""
        if self.partner is None:
            self.save_copy()
        else:
            self.compare_dialog()

    def sync_dialog(self) -> None:
        """File › Sync with the Consortium…"""
        if self.session is None or self.partner is not None or self.read_only:
            return
        from d4a_desktop.gui.consortium import SyncDialog

        SyncDialog(self).exec()

    def portfolio_dialog(self) -> None:
        """File › Portfolio…: a folder of packages as one overview."""
        from d4a_desktop.gui.consortium import show_portfolio

        show_portfolio(self)

    def compare_dialog(self) -> None:
        """File › Compare with a Partner…: in one's own project, a partner's package (or
        project file) to put beside it; in a partner view, one's own project (the one open
        in another window, else a project file to choose)."""
        if self.session is None:
            return
        from d4a_desktop.gui.exchange import package_filter

        if self.partner is not None:
            mine = next((w.session for w in self.program.windows
                         if w.session is not None and w.partner is None), None)
            if mine is not None:
                self.compare_with(mine, self.session)
                return
            name, _filter = QFileDialog.getOpenFileName(
                self, _("Compare with which of your projects?"), "", file_filter())
            if name:
                self._compare_file(Path(name), mine_side=True)
            return
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Compare with which package or project?"), str(self.session.path.parent),
            package_filter() + ";;" + file_filter())
        if name:
            self._compare_file(Path(name), mine_side=False)

    def _compare_file(self, path: Path, *, mine_side: bool) -> None:
        """Open ``path`` (a package or a project file) read-only and compare; it is closed
        once compared."""
        from d4a_desktop.gui import exchange

        assert self.session is not None
        if exchange.is_package(path):
            package = exchange.read_package(self, path)
            view = exchange.partner_view(self, package) if package is not None else None
            if view is None:
                return
            other = view.session
            close: Callable[[], object] = view.close
        else:
            try:
                other = projects.read_project(path)
            except ProjectFileError as exc:
                show_error(self, exc.message, _("Cannot open the project"))
                return
            close = other.close
        if mine_side:
            self.compare_with(other, self.session, close)
        else:
            self.compare_with(self.session, other, close)

    def compare_with(self, mine: projects.ProjectSession, theirs: projects.ProjectSession,
                     on_close: Callable[[], object] | None = None) -> None:
        """The tandem view of two open sessions (off the window's thread)."""
        from d4a_desktop.gui.tandem import TandemDialog
        from d4a_desktop.services.exchange.compare import compare

        try:
            comparison = tasks.run_with_progress(
                lambda _report, _cancel: compare(mine, theirs), parent=self,
                cancellable=False, label=_("Comparing the two projects…"))
        finally:  # the comparison is plain data: what was opened for it is closed now
            if on_close is not None:
                on_close()
        dialog = TandemDialog(comparison, self)
        self.tandem = dialog
        dialog.show()

    def import_package(self) -> None:
        """File › Import Package…: a package of the project open here (or in another
        window) offers a merge; any other opens read-only in a partner view."""
        if self.closing:
            return
        from d4a_desktop.gui.exchange import package_filter

        start = str(self.session.path.parent) if self.session is not None and \
            self.partner is None else (str(Path(self.settings.recent_files[0]).parent)
                                       if self.settings.recent_files else "")
        name, _filter = QFileDialog.getOpenFileName(self, _("Import package"), start,
                                                    package_filter())
        if name:
            self.program.open_package(Path(name), self)

    def export_package(self) -> None:
        if self.session is None or self.partner is not None:
            return
        from d4a_desktop.gui import exchange

        done = exchange.export_package(self, self.session, self._author(),
                                       self.settings.export_leave_out)
        if done is not None:
            path, leave_out = done
            self.settings.export_leave_out = leave_out
            self.statusBar().showMessage(_("Exported the package {name}").format(
                name=path), 8000)

    def show_partner(self, view: PartnerView) -> None:
        """Show a partner's package read-only in this window (which must be free)."""
        from d4a_desktop.gui.exchange import partner_note

        self.partner = view
        self.show_session(view.session, note=partner_note(view.package))

    def merge_package(self, package: Package) -> bool:
        """Preview a package of this project as a merge; apply it as one edit when the user
        has decided every conflict and pressed Merge."""
        from d4a_desktop.gui.merge import MergeDialog
        from d4a_desktop.services import merging
        from d4a_desktop.services.exchange import ExchangeError, check_mergeable
        from d4a_desktop.services.exchange.package import describe

        session = self.session
        if session is None or self.read_only:
            return False
        try:
            check_mergeable(package, session)
            plan = tasks.run_with_progress(
                lambda _report, _cancel: merging.preview(session, package.snapshot),
                parent=self, cancellable=False, label=_("Comparing the package with your "
                                                        "project…"))
        except (ExchangeError, merging.DifferentProject) as exc:
            show_error(self, exc.message, _("Cannot merge the package"))
            return False
        if plan.empty:
            messages.choose(self, _("Nothing to merge"),
                           _("Your project already holds every change in {name}.")
                           .format(name=package.path.name), [(_("OK"), Role.AcceptRole)],
                           icon=QMessageBox.Icon.Information)
            return False
        source = _("From {package}").format(package=describe(package)) + "\n" + _(
            "Exported by {author}.").format(author=package.manifest.author
                                            or _("someone unnamed"))
        dialog = MergeDialog(plan, merging.Labels(session, package.snapshot), source, self)
        if dialog.exec() != MergeDialog.DialogCode.Accepted:
            return False
        if self.session is not session:
            return False
        # The edits before the merge leave the undo history: undoing one of them later
        # would put back an old value over what the merge brought in. The merge itself
        # stays undoable.
        self.undo_stack.clear()
        if not self.edit(dialog.command()):
            return False
        summary = merging.summary(plan, dict(dialog.decisions))
        self.statusBar().showMessage(ngettext(
            "Merged {name}: {count} change taken.", "Merged {name}: {count} changes taken.",
            summary.taken).format(name=package.path.name, count=summary.taken), 10000)
        return True

    def restore_backup(self) -> None:
        if self.session is None:
            return
        from d4a_desktop.gui.restore import RestoreDialog

        dialog = RestoreDialog(self.session.file.project_id, self.session.path, self)
        dialog.restored.connect(lambda path: self.program.open_path(path, self))
        dialog.exec()

    # --- navigation ------------------------------------------------------------------------

    def show_overview(self) -> None:
        self.view.tree.setCurrentIndex(self.view.model.index_of(OVERVIEW))

    def _go_component(self, component_id: str) -> None:
        first = roadmap().component(component_id).activities[0]
        self.view.tree.setCurrentIndex(self.view.model.index_of(first.id))

    def _navigate(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.session is None:
            return
        node = self.view.model.node_id(current)
        if node is None:
            return
        crash.detail(f"page {node}")
        if node == OVERVIEW:
            self._show_dashboard()
            self.view.dashboard.show_retired(self.session.retired())
            self.view.pages.setCurrentWidget(self.view.dashboard)
            return
        if node == TIMELINE:
            self._show_timeline()
            self.view.pages.setCurrentWidget(self.view.timeline)
            return
        if node == REGISTERS:
            node = REGISTER_PAGES[0]
        if node in _REGISTER_NAMES:
            self.view.pages.setCurrentWidget(self.register(node))
            return
        if self.monitor.navigate(node):
            return
        rm = roadmap()
        if not rm.has(node) or node.count(".") == 0:
            # A component: show its first activity, keeping the tree on the component.
            node = rm.component(node).activities[0].id
        self.view.activity.checklist.team_names = [
            str(r.get("name") or "") for r in self.session.records("team")]
        self.view.activity.show_activity(rm.activity(node), self.session.state())
        self.monitor.activity_shown(node)
        self.view.pages.setCurrentWidget(self.view.activity)

    def select(self, node_id: str) -> None:
        """Show a node of the navigator (``dashboard``, ``timeline``, ``c2``, ``c2.a1``, a
        register's kind such as ``datasets``, ``tools``, a tool such as ``dpia-screening``,
        ``kpis``)."""
        self.view.tree.setCurrentIndex(self.view.model.index_of(node_id))

    def show_page(self, name: str) -> bool:
        """Show a page by name, as ``--show`` names it; False for a name that is none."""
        if self.session is None or not self.view.model.index_of(name).isValid():
            return False
        self.select(name)
        return True

    # --- dashboard, timeline and registers ------------------------------------------------

    def _show_dashboard(self) -> None:
        assert self.session is not None
        self.view.dashboard.show_view(records_service.dashboard_view(self.session))

    def _show_timeline(self) -> None:
        assert self.session is not None
        self.view.timeline.show_project(self.session.state(),
                                        self.session.records("milestones"))

    def register(self, kind_name: str) -> RegisterPage:
        """The page of a register, built and read the first time it is needed."""
        page = self.view.registers.get(kind_name)
        if page is None:
            assert self.session is not None
            kind = kinds.kind(kind_name)
            if kind_name == "responsibilities":
                from d4a_desktop.gui.matrix import ResponsibilitiesPage

                page = ResponsibilitiesPage(kind, self.view.lookups, self.view.pages)
            else:
                from d4a_desktop.gui.records import RegisterPage

                # Made in its place: moved there, its widgets would be styled again.
                page = RegisterPage(kind, self.view.lookups, self.view.pages)
            page.editRequested.connect(self.edit)
            page.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
            page.registerRequested.connect(self.select)
            page.load(self.session)
            page.historyRequested.connect(self.show_history)
            self.monitor.register_page_built(page)
            self.view.registers[kind_name] = page
            self.view.pages.addWidget(page)
        return page

    def _drop_registers(self) -> None:
        for page in self.view.registers.values():
            self.view.pages.removeWidget(page)
            page.deleteLater()
        self.view.registers.clear()
        self.monitor.record_comments.clear()
        if self.view._lookups is not None:
            self.view._lookups.titles.clear()

    def show_history(self, kind: str, about: str) -> None:
        """Who changed a record or checklist item, when, from what to what."""
        if self.session is None or not about:
            return
        from d4a_desktop.gui.history import HistoryDialog
        from d4a_desktop.services import history
        from d4a_desktop.services.merging import Labels

        what = Labels(self.session, {}).show(kind, about, about, "").what
        HistoryDialog(what, history.of(self.session, about), self).exec()

    def open_link(self, href: str) -> None:
        """Go where a link of the dashboard or the timeline points."""
        if self.session is None:
            return
        scheme, _sep, rest = href.partition(":")
        rm = roadmap()
        if scheme == "component" and rm.has(rest):
            self._go_component(rest)
        elif scheme == "activity" and rm.has(rest):
            self.select(rest)
        elif scheme == "item" and rm.has(rest):
            self.select(rm.item(rest).activity_id)
            self.view.activity.highlight("(?!)", rest)
        elif scheme == "replan" and rm.has(rest) and not self.session.read_only:
            from d4a_desktop.gui.timeline import ask_planned_dates

            changes = ask_planned_dates(self, rm, self.session.state(), rest)
            if changes:
                self.edit(SetActivityFields(rest, changes))
        elif scheme == "register" and rest in _REGISTER_NAMES:
            self.select(rest)
        elif scheme == "record":
            kind_name, _sep, record_id = rest.partition(":")
            if kind_name in _REGISTER_NAMES:
                self.select(kind_name)
                self.register(kind_name).select(record_id)
        elif href == TIMELINE:
            self.select(TIMELINE)
        elif href in (KPIS, TOOLS):
            self.select(href)
        elif scheme == "kpi":
            self.select(KPIS)
            self.monitor.kpi_page.select(rest)
        elif scheme == "tool" and rm.tool(rest) is not None:
            self.select(rest)

    def _records_changed(self, change: Change) -> None:
        """A record edit: that row of its register, the counts, and the page on show if it
        depends on records. Progress does not depend on records, so it is not recomputed."""
        assert self.session is not None
        names = _REGISTER_NAMES if change.kind == "batch" else (change.kind,)
        for name in names:
            page = self.view.registers.get(name)
            if page is not None:
                page.record_changed("" if change.kind == "batch" else change.key)
        if "team" in names and "responsibilities" in self.view.registers:
            self.view.registers["responsibilities"].references_changed()
        self.view.model.set_counts(records_service.counts(self.session))
        current = self.view.pages.currentWidget()
        if current is self.view.dashboard:
            self._show_dashboard()
        elif self.view.showing(TIMELINE_PAGE) and "milestones" in names:
            self._show_timeline()
        self.statusBar().showMessage(_("All changes saved"), 4000)

    # --- search ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        if self.session is not None:
            self.view.search.setFocus()
            self.view.search.selectAll()

    def _search(self, text: str) -> None:
        if self.session is None or not text.strip():
            self.view.left_stack.setCurrentWidget(self.view.tree)
            return
        if self._index is None:
            from d4a_desktop.services.search import SearchIndex

            self._index = SearchIndex(roadmap())
            self._index_stale = True
        if self._index_stale:
            self._index.update_project(self.session.state())
            self._index_stale = False
        self.view.results.show_hits(roadmap(), self._index.search(text))
        self.view.left_stack.setCurrentWidget(self.view.results)

    def _clear_search(self) -> None:
        """Forget the last project's search: its hits would point into another project."""
        self.view.search.clear()
        results = self.view.built_results()
        if results is not None:
            results.clear()
        self.view.left_stack.setCurrentWidget(self.view.tree)
        self._close_search_index()

    def _close_search_index(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self._index_stale = True

    def _focus_results(self) -> None:
        results = self.view.built_results()
        if results is not None and self.view.left_stack.currentWidget() is results and \
                results.count():
            results.setFocus()
            results.setCurrentRow(0)

    def _open_hit(self, hit: SearchHit) -> None:
        self.select(hit.activity_id)
        self.view.activity.highlight(term_pattern(hit.terms), hit.item_id)

    # --- editing -------------------------------------------------------------------------

    def _execute(self, command: Command) -> tuple[Command, Change]:
        if self.session is None:
            raise RuntimeError("no project is open")
        return self.session.execute(command)

    def _edit_item(self, item_id: str, changes: dict[str, Any]) -> None:
        """An edit of a checklist row. Ticking the first item of a not-started activity
        also starts it, in the same edit and undo step; then the page offers what the list
        suggests (done when all is ticked), and lets the user keep the status they had."""
        if self.session is None:
            return
        if "done" not in changes or not roadmap().has(item_id):
            self.edit_with(lambda: SetItemFields(item_id, changes))
            return
        activity = roadmap().activity(item_id.rsplit(".", 1)[0])
        state = self.session.state()
        previous = state.activity(activity.id).status
        after = replace(state, items={**state.items, item_id: replace(
            state.item(item_id), done=bool(changes["done"]))})
        status = status_after_tick(previous, activity_tally(activity, after))
        tick = SetItemFields(item_id, changes)
        command: Command = tick if status is previous else Batch(
            (tick, SetActivityFields(activity.id, {"status": status})), tick.describe())
        page = self.view.built_activity()
        if self.edit(command) and page is not None and page.activity_id == activity.id:
            page.checklist_changed(previous)

    def edit_with(self, make: Callable[[], Command]) -> bool:
        """Build a command from what the user entered and apply it; text that cannot be
        stored is refused with its (translated) reason before anything is written."""
        try:
            command = make()
        except (BadText, InvalidRecord) as exc:
            show_error(self, str(exc))
            self._refresh()
            return False
        return self.edit(command)

    def edit(self, command: Command, merge_key: str = "") -> bool:
        """Apply an edit at once and put it on the undo stack; edits with the same
        ``merge_key`` that follow each other are one undo step (typing in one field)."""
        if self.session is None:
            return False
        crash.step(command.describe())
        try:
            inverse, change = self._execute(command)
        except ProjectFileError as exc:
            self._not_saved(exc, command)
            return False
        except (BadText, InvalidRecord) as exc:  # refused before anything was written
            show_error(self, str(exc))
            self._refresh()
            return False
        except Exception:  # a fault of the program, not of the file: the error dialog
            crash.report_current()
            self._refresh()
            return False
        log.info("edit %s %s %s", type(command).__name__, change.kind, change.key)
        self.undo_stack.push(AppliedEdit(command, inverse, self._execute, self._changed,
                                         self._undo_failed, merge_key))
        self._changed(change)
        return True

    def _undo_failed(self, exc: Exception, command: Command) -> None:
        if isinstance(exc, ProjectFileError):
            self._not_saved(exc, command)
        elif isinstance(exc, (BadText, InvalidRecord)):
            show_error(self, str(exc))
            self._refresh()
        else:
            crash.report(type(exc), exc, exc.__traceback__)
            self._refresh()

    def _not_saved(self, exc: ProjectFileError, command: Command) -> None:
        """The file did not take an edit: say why; where a copy keeps the work, offer it."""
        log.warning("edit %s not saved: %s", type(command).__name__, exc.kind)
        self._refresh()
        if exc.kind not in RESCUE_KINDS:
            show_error(self, exc.message, _("The change was not saved"))
            return
        self.unsaved = command
        self.notice.show_notice(exc.message, _("Save a Copy…"), "error")
        choice = messages.choose(
            self, _("The change was not saved"), exc.message,
            [(_("&Save a Copy…"), Role.AcceptRole), (_("Not Now"), Role.RejectRole)],
            informative=_("A copy holds the whole project with this change; you go on "
                          "working in the copy."),
            icon=QMessageBox.Icon.Warning)
        if choice == 0:
            self.save_copy()

    def _refresh(self) -> None:
        """Show the project's state as it is in the file (after an edit was refused)."""
        if self.session is None:
            return
        self._changed(Change("meta", ""), saved=False)
        if self.view.showing(ACTIVITY_PAGE):
            self.view.activity.update_state(self.session.state())

    def resync(self) -> None:
        """Show the current page afresh from the project (after an unexpected error, which
        may have left any widget half-updated)."""
        self._update_actions()
        if self.session is None:
            return
        self._refresh()
        self._apply_read_only()
        self._navigate(self.view.tree.currentIndex(), QModelIndex())

    def _changed(self, change: Change, saved: bool = True) -> None:
        """Refresh only what a change touched, from fresh plain data."""
        if self.session is None:
            return
        if saved and self.notice.tone == "error" and not self.read_only:
            self.notice.hide()  # the file takes edits again
            self.unsaved = None
        if change.kind in kinds.names():
            self._records_changed(change)
            self.monitor.changed(change)
            return
        if change.kind == "batch":  # records and roadmap answers together: refresh both
            self._records_changed(change)
        state = self.session.state()
        progress = self.session.progress()
        self.view.model.set_project(state, progress)
        page = self.view.pages.currentWidget()
        built = self.view.built_activity()
        current = built.activity_id if built is not None else ""
        if change.kind == "conditions" and self.view.showing(ACTIVITY_PAGE):
            self.view.activity.update_state(state)
        elif self.view.showing(ACTIVITY_PAGE):
            if change.kind == "item" and change.key.rsplit(".", 1)[0] != current:
                self.select(change.key.rsplit(".", 1)[0])  # undo follows the edit
            elif change.kind == "item":
                self.view.activity.update_state(state, change.key)
            elif change.kind == "activity" and change.key != current:
                self.select(change.key)
            else:
                self.view.activity.update_state(state)
        elif page is self.view.dashboard:
            self._show_dashboard()
        elif self.view.showing(TIMELINE_PAGE):
            self._show_timeline()
        if change.kind == "meta":
            self._set_title(state.meta.title)
            self.settings.remember_project(self.session.path, state.meta.title,
                                           state.meta.municipality)
        self.monitor.changed(change)
        self._index_stale = True
        if saved:
            self.statusBar().showMessage(_("All changes saved"), 4000)

    def edit_details(self) -> None:
        if self.session is None or self.read_only:
            return
        state = self.session.state()
        from d4a_desktop.gui.dialogs import ProjectDetailsDialog

        dialog = ProjectDetailsDialog(state.meta, state.conditions, self)
        if dialog.exec() != ProjectDetailsDialog.DialogCode.Accepted:
            return
        changes, answers = dialog.changes(), dialog.condition_changes()
        if changes and answers:
            self.undo_stack.beginMacro(_("Edit project details"))
        if changes:
            self.edit_with(lambda: SetProjectFields(changes))
        if answers:
            self.edit_with(lambda: SetConditions(tuple(answers.items())))
        if changes and answers:
            self.undo_stack.endMacro()

    def preferences(self) -> None:
        from d4a_desktop.gui.dialogs import PreferencesDialog

        dialog = PreferencesDialog(self.settings.language, self.settings.author_name, self)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        changed_language = dialog.chosen_language() != self.settings.language
        self.settings.language = dialog.chosen_language()
        self.settings.author_name = dialog.chosen_author()
        self.settings.sync()
        for window in self.program.windows:
            if window.session is not None and not window.session.read_only:
                window.session.file.author = self._author()
        if changed_language:
            self.statusBar().showMessage(
                _("The new language is used from the next start of the program."), 8000)

    def about(self) -> None:
        QMessageBox.about(
            self, _("About D4A Roadmap Desktop"),
            "<h3>D4A Roadmap Desktop {version}</h3><p>{text}</p><p>{roadmap}</p>".format(
                version=__version__,
                text=_("Plan, run and monitor a municipal data project with the roadmap of the "
                       "Interreg North Sea project Data for All (2022–2025), offline."),
                roadmap=_("Roadmap content version {version}, language: {language}.")
                .format(version=roadmap().version,
                        language=i18n.LANGUAGES[i18n.language()])))

    # --- printing ------------------------------------------------------------------------

    def _make_print_actions(self) -> None:
        # Blank checklists and worksheets need no project, so these are always enabled.
        self.act_print = self._action(_("&Print…"), self.print_document,
                                      QKeySequence.StandardKey.Print)
        self.act_export_pdf = self._action(_("&Export as PDF…"), self.export_pdf,
                                           "Ctrl+Shift+E")

    def print_context(self) -> PrintContext:
        """What the print dialogs start from: the project, read now, and the page shown."""
        from d4a_desktop.gui.printing import Context
        from d4a_desktop.services import printing

        project = printing.snapshot(self.session) if self.session is not None else None
        activity = (self.view.activity.activity_id if self.session is not None
                    and self.view.showing(ACTIVITY_PAGE) else None)
        folder = str(self.session.path.parent) if self.session is not None else str(Path.home())
        form = self.monitor.tool_form
        tool = (form.view.tool.id if self.view.pages.currentWidget() is form
                and form.view is not None else None)
        return Context(project, activity, self._author(), folder, tool)

    def print_document(self) -> None:
        from d4a_desktop.gui import printing

        if printing.print_document(self, self.print_context()):
            self.statusBar().showMessage(_("The document was sent to the printer."), 6000)

    def export_pdf(self) -> None:
        from d4a_desktop.gui import printing

        path = printing.export_pdf(self, self.print_context())
        if path is not None:
            self.statusBar().showMessage(_("Saved {name}").format(name=path), 8000)

    # --- window life -----------------------------------------------------------------------

    def quit(self) -> None:
        """File › Quit: close every window of the program."""
        self.program.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.closing:  # a close is under way; this window goes when it is done
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        if self._view is not None:
            self.settings.splitter_state = self._view.saveState()
        self.settings.sync()
        # Gone from the screen at once: while the project closes (and its backup is
        # written, with a progress dialog if that takes a while) the window would only
        # be repainted for nothing, 60 rows of navigator and a dashboard at a quit.
        self.hide()
        self.close_project(leaving=True)
        self.program.forget(self)
        event.accept()


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except OSError:
        return False
