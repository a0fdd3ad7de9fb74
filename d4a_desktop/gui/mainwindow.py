"""The main window: welcome screen, or the open project with navigator and pages."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
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
    Change,
    Command,
    SetActivityFields,
    SetConditions,
    SetItemFields,
    SetProjectFields,
)
from d4a_desktop.core.content import ContentError
from d4a_desktop.gui.activity import ActivityPage
from d4a_desktop.gui.dashboard import DashboardPage
from d4a_desktop.gui.dialogs import (
    NewProjectWizard,
    PreferencesDialog,
    ProjectDetailsDialog,
    file_filter,
    show_error,
)
from d4a_desktop.gui.models import OVERVIEW, REGISTERS, TIMELINE, NavigatorModel
from d4a_desktop.gui.records import Lookups, RegisterPage
from d4a_desktop.gui.search import SearchField, SearchResults, term_pattern
from d4a_desktop.gui.settings import Settings
from d4a_desktop.gui.timeline import TimelinePage, ask_planned_dates
from d4a_desktop.gui.undo import AppliedEdit
from d4a_desktop.gui.welcome import WelcomePage
from d4a_desktop.i18n import _
from d4a_desktop.services import projects
from d4a_desktop.services import records as records_service
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.services.search import Hit as SearchHit
from d4a_desktop.services.search import SearchIndex
from d4a_desktop.storage import ProjectFileError

APP_TITLE = "D4A Roadmap Desktop"


class ProjectView(QSplitter):
    """Navigator on the left; on the right the dashboard, the timeline, an activity or a
    register."""

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
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.expandAll()
        self.tree.setMinimumWidth(260)
        self.search = SearchField()
        self.search.setPlaceholderText(_("Search the roadmap and your notes (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.results = SearchResults()
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.tree)
        self.left_stack.addWidget(self.results)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.left_stack, 1)
        self.pages = QStackedWidget()
        self.dashboard = DashboardPage(rm)
        self.overview = self.dashboard  # the first page, as it was called before
        self.activity = ActivityPage(rm)
        self.timeline = TimelinePage(rm)
        self.pages.addWidget(self.dashboard)
        self.pages.addWidget(self.activity)
        self.pages.addWidget(self.timeline)
        self.lookups = Lookups(rm)
        #: Register pages by kind, built when first shown (a large register costs nothing
        #: until it is opened).
        self.registers: dict[str, RegisterPage] = {}
        self.addWidget(left)
        self.addWidget(self.pages)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setSizes([330, 950])


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.session: projects.ProjectSession | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self.setWindowTitle(APP_TITLE)
        self.setMinimumSize(900, 600)

        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.view = ProjectView()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.view)
        self.setCentralWidget(self.stack)

        self.welcome.newRequested.connect(self.new_project)
        self.welcome.openRequested.connect(self.open_dialog)
        self.welcome.demoRequested.connect(self.open_demo)
        self.welcome.recentRequested.connect(self.open_path)
        self.view.tree.selectionModel().currentChanged.connect(self._navigate)
        self.view.dashboard.componentActivated.connect(self._go_component)
        self.view.dashboard.editDetailsRequested.connect(self.edit_details)
        self.view.dashboard.linkActivated.connect(self.open_link)
        self.view.timeline.linkActivated.connect(self.open_link)
        self.view.timeline.datesEditRequested.connect(
            lambda act_id, changes: self.edit(SetActivityFields(act_id, changes)))
        self.view.activity.checklist.editRequested.connect(
            lambda item_id, changes: self.edit(SetItemFields(item_id, changes)))
        self.view.activity.activityEditRequested.connect(
            lambda act_id, changes: self.edit(SetActivityFields(act_id, changes)))
        self._index: SearchIndex | None = None
        self._index_stale = True
        self.view.search.textChanged.connect(self._search)
        self.view.search.downPressed.connect(self._focus_results)
        self.view.results.hitChosen.connect(self._open_hit)

        self._make_actions()
        self._make_menus()
        self.statusBar().showMessage(_("Ready"))
        if self.settings.geometry is not None:
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(1280, 800)
        if self.settings.splitter_state is not None:
            self.view.restoreState(self.settings.splitter_state)
        self._refresh_recent()
        self._update_actions()

    # --- actions and menus ---------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.act_new = self._action(_("&New Project…"), self.new_project, key.New)
        self.act_open = self._action(_("&Open…"), self.open_dialog, key.Open)
        self.act_demo = self._action(_("Open the &Demo Project"), self.open_demo)
        self.act_close = self._action(_("&Close"), self.close_project, key.Close)
        self.act_check = self._action(_("Check Project &File"), self.check_project)
        self.act_quit = self._action(_("&Quit"), self.close, key.Quit)
        self.act_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.act_undo = self._action(_("&Undo"), self.undo_stack.undo, key.Undo)
        self.act_redo = self._action(_("&Redo"), self.undo_stack.redo)
        self.act_redo.setShortcuts([QKeySequence(key.Redo), QKeySequence("Ctrl+Y")])
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.act_undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.act_redo.setEnabled)
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
        file_menu.addAction(self.act_open)
        self.recent_menu = file_menu.addMenu(_("Open &Recent"))
        file_menu.addAction(self.act_demo)
        file_menu.addSeparator()
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
        for kind in kinds.KINDS:
            self.registers_menu.addAction(kind.plural_text(), partial(self.select, kind.name))
        view_menu.addSeparator()
        view_menu.addAction(self.act_find)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    def _update_actions(self) -> None:
        is_open = self.session is not None
        for action in (self.act_close, self.act_check, self.act_details, self.act_overview,
                       self.act_find, self.act_timeline):
            action.setEnabled(is_open)
        self.registers_menu.setEnabled(is_open)

    def _refresh_recent(self) -> None:
        files = self.settings.recent_files
        self.welcome.set_recent(files)
        self.recent_menu.clear()
        for n, text in enumerate(files, 1):
            action = self.recent_menu.addAction(f"&{n % 10}  {Path(text).name}")
            action.setToolTip(text)
            action.setStatusTip(text)
            action.triggered.connect(lambda _c=False, t=text: self.open_path(t))
        if files:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(_("Clear the List"), self._clear_recent)
        self.recent_menu.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._refresh_recent()

    # --- opening and closing ---------------------------------------------------------------

    def _author(self) -> str:
        return self.settings.author_name or projects.default_author()

    def new_project(self) -> None:
        wizard = NewProjectWizard(self)
        if wizard.exec() != NewProjectWizard.DialogCode.Accepted:
            return
        path = wizard.path()
        if self.session is not None and self.session.path == path.absolute():
            self.close_project()
        self._open_with(lambda: projects.create_project(
            path, wizard.details(), author=self._author(), overwrite=wizard.overwrite()))

    def open_dialog(self) -> None:
        start = str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files \
            else ""
        name, _filter = QFileDialog.getOpenFileName(self, _("Open project"), start,
                                                    file_filter())
        if name:
            self.open_path(name)

    def open_path(self, path: str | Path) -> bool:
        path = Path(path).absolute()
        if self.session is not None and self.session.path == path:
            self.show_overview()
            return True
        ok = self._open_with(lambda: projects.open_project(path, author=self._author()))
        if not ok and not path.exists():
            self.settings.remove_recent(path)
            self._refresh_recent()
        return ok

    def open_demo(self) -> bool:
        """Open the working copy of the demo, writing it first when it is missing or broken.

        The copy keeps the user's edits across restarts, like any project.
        """
        from d4a_desktop.services.demo import demo_path, write_demo

        path = demo_path()
        if self.session is not None and self.session.path == path:
            self.show_overview()
            return True
        if path.exists():
            try:
                session = projects.open_project(path, author=self._author())
            except ProjectFileError as exc:
                if exc.kind == "locked":
                    show_error(self, exc.message, _("Cannot open the project"))
                    return False
            else:
                return self._open_with(lambda: session)
        path.parent.mkdir(parents=True, exist_ok=True)
        return self._open_with(lambda: write_demo(path, overwrite=True))

    def _open_with(self, opener: Any) -> bool:
        try:
            session = opener()
        except ProjectFileError as exc:
            show_error(self, exc.message, _("Cannot open the project"))
            return False
        except ContentError as exc:  # the bundled demo or roadmap is damaged
            show_error(self, str(exc), _("Cannot open the project"))
            return False
        if self.session is not None:
            self.close_project()
        self.session = session
        self.settings.add_recent(session.path)
        self._refresh_recent()
        self.undo_stack.clear()
        state = session.state()
        self.view.model.set_project(state, session.progress())
        self.view.model.set_counts(records_service.counts(session))
        self.view.timeline.read_only = session.read_only
        self.stack.setCurrentWidget(self.view)
        self.show_overview()
        self.setWindowTitle(f"{state.meta.title} — {APP_TITLE}")
        self._update_actions()
        if session.file.upgraded_from is not None:
            QMessageBox.information(
                self, _("Project upgraded"),
                _("This project was saved by an older version of the program and has been "
                  "upgraded. A copy of the original is kept as {name}.")
                .format(name=session.file.upgrade_backup))
        self.statusBar().showMessage(str(session.path))
        report = session.version_report
        if report.changed:
            text = _("This project was planned with roadmap version {old}; it now follows "
                     "version {new}. New checklist items start as not done.").format(
                old=report.planned or "?", new=report.current)
            if report.retired_items or report.retired_activities:
                text += " " + _("Answers to steps that version {new} no longer has are kept "
                                "and listed on the project overview.").format(new=report.current)
            QMessageBox.information(self, _("Roadmap updated"), text)
        return True

    def close_project(self) -> None:
        if self.session is None:
            return
        session, self.session = self.session, None
        self.undo_stack.clear()
        self._drop_registers()
        closed = session.close()
        self.stack.setCurrentWidget(self.welcome)
        self.setWindowTitle(APP_TITLE)
        self._refresh_recent()
        self._update_actions()
        self.statusBar().showMessage(_("Ready"))
        if not closed.healthy:
            show_error(self, _("SQLite reported damage in {name} while closing it. Keep a copy "
                               "of the file and restore a backup.").format(name=session.path))
        elif closed.backup_error:
            show_error(self, _("The project was saved, but its automatic backup could not be "
                               "written: {reason}").format(reason=closed.backup_error))

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
            node = kinds.KINDS[0].name
        if node in kinds.names():
            self.view.pages.setCurrentWidget(self.register(node))
            return
        rm = roadmap()
        if not rm.has(node) or node.count(".") == 0:
            # A component: show its first activity, keeping the tree on the component.
            node = rm.component(node).activities[0].id
        self.view.activity.show_activity(rm.activity(node), self.session.state())
        self.view.pages.setCurrentWidget(self.view.activity)

    def select(self, node_id: str) -> None:
        """Show a node of the navigator (``dashboard``, ``timeline``, ``c2``, ``c2.a1``, a
        register's kind such as ``datasets``)."""
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

                page = ResponsibilitiesPage(kind, self.view.lookups)
            else:
                page = RegisterPage(kind, self.view.lookups)
            page.editRequested.connect(self.edit)
            page.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
            page.registerRequested.connect(self.select)
            page.load(self.session)
            self.view.registers[kind_name] = page
            self.view.pages.addWidget(page)
        return page

    def _drop_registers(self) -> None:
        for page in self.view.registers.values():
            self.view.pages.removeWidget(page)
            page.deleteLater()
        self.view.registers.clear()
        self.view.lookups.titles.clear()

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
            changes = ask_planned_dates(self, rm, self.session.state(), rest)
            if changes:
                self.edit(SetActivityFields(rest, changes))
        elif scheme == "register" and rest in kinds.names():
            self.select(rest)
        elif scheme == "record":
            kind_name, _sep, record_id = rest.partition(":")
            if kind_name in kinds.names():
                self.select(kind_name)
                self.register(kind_name).select(record_id)
        elif href == TIMELINE:
            self.select(TIMELINE)

    def _records_changed(self, change: Change) -> None:
        """A record edit: that row of its register, the counts, and the page on show if it
        depends on records. Progress does not depend on records, so it is not recomputed."""
        assert self.session is not None
        names = kinds.names() if change.kind == "batch" else (change.kind,)
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
        elif current is self.view.timeline and "milestones" in names:
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
            self._index = SearchIndex(roadmap())
            self._index_stale = True
        if self._index_stale:
            self._index.update_project(self.session.state())
            self._index_stale = False
        self.view.results.show_hits(roadmap(), self._index.search(text))
        self.view.left_stack.setCurrentWidget(self.view.results)

    def _focus_results(self) -> None:
        if self.view.left_stack.currentWidget() is self.view.results and \
                self.view.results.count():
            self.view.results.setFocus()
            self.view.results.setCurrentRow(0)

    def _open_hit(self, hit: SearchHit) -> None:
        self.select(hit.activity_id)
        self.view.activity.highlight(term_pattern(hit.terms), hit.item_id)

    # --- editing -------------------------------------------------------------------------

    def edit(self, command: Command) -> bool:
        """Apply an edit at once and put it on the undo stack."""
        if self.session is None:
            return False
        try:
            inverse, change = self.session.execute(command)
        except ProjectFileError as exc:
            show_error(self, exc.message)
            return False
        except Exception as exc:  # the file went away or the disk is full: say so, keep going
            self._storage_failed(exc)
            return False
        self.undo_stack.push(AppliedEdit(self.session, command, inverse, self._changed,
                                         self._storage_failed))
        self._changed(change)
        return True

    def _storage_failed(self, exc: Exception) -> None:
        show_error(self, _("The change could not be saved: {reason}").format(reason=exc))
        if self.session is not None:
            self._changed(Change("meta", ""))

    def _changed(self, change: Change) -> None:
        """Refresh only what a change touched, from fresh plain data."""
        if self.session is None:
            return
        if change.kind in kinds.names() or change.kind == "batch":
            self._records_changed(change)
            return
        state = self.session.state()
        progress = self.session.progress()
        self.view.model.set_project(state, progress)
        page = self.view.pages.currentWidget()
        current = self.view.activity.activity_id
        if change.kind == "conditions" and page is self.view.activity:
            self.view.activity.update_state(state)
        elif page is self.view.activity:
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
        elif page is self.view.timeline:
            self._show_timeline()
        if change.kind == "meta":
            self.setWindowTitle(f"{state.meta.title} — {APP_TITLE}")
        self._index_stale = True
        self.statusBar().showMessage(_("All changes saved"), 4000)

    def edit_details(self) -> None:
        if self.session is None:
            return
        state = self.session.state()
        dialog = ProjectDetailsDialog(state.meta, state.conditions, self)
        if dialog.exec() != ProjectDetailsDialog.DialogCode.Accepted:
            return
        changes, answers = dialog.changes(), dialog.condition_changes()
        if changes and answers:
            self.undo_stack.beginMacro(_("Edit project details"))
        if changes:
            self.edit(SetProjectFields(changes))
        if answers:
            self.edit(SetConditions(tuple(answers.items())))
        if changes and answers:
            self.undo_stack.endMacro()

    def preferences(self) -> None:
        dialog = PreferencesDialog(self.settings.language, self.settings.author_name, self)
        if dialog.exec() != PreferencesDialog.DialogCode.Accepted:
            return
        changed_language = dialog.chosen_language() != self.settings.language
        self.settings.language = dialog.chosen_language()
        self.settings.author_name = dialog.chosen_author()
        self.settings.sync()
        if self.session is not None:
            self.session.file.author = self._author()
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

    # --- window life -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter_state = self.view.saveState()
        self.settings.sync()
        self.close_project()
        event.accept()
