"""The main window: welcome screen, or the open project with navigator and pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, Qt
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
from d4a_desktop.core.commands import (
    Change,
    Command,
    SetActivityFields,
    SetConditions,
    SetItemFields,
    SetProjectFields,
)
from d4a_desktop.core.content import ContentError
from d4a_desktop.core.progress import activity_tally, status_after_tick
from d4a_desktop.gui.activity import ActivityPage
from d4a_desktop.gui.dialogs import (
    NewProjectWizard,
    PreferencesDialog,
    ProjectDetailsDialog,
    file_filter,
    show_error,
)
from d4a_desktop.gui.models import OVERVIEW, NavigatorModel
from d4a_desktop.gui.overview import OverviewPage
from d4a_desktop.gui.search import SearchField, SearchResults, term_pattern
from d4a_desktop.gui.settings import Settings
from d4a_desktop.gui.undo import AppliedEdit
from d4a_desktop.gui.welcome import WelcomePage, recent_heading
from d4a_desktop.i18n import _
from d4a_desktop.services import projects
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.services.search import Hit as SearchHit
from d4a_desktop.services.search import SearchIndex
from d4a_desktop.storage import ProjectFileError

if TYPE_CHECKING:
    from d4a_desktop.gui.printing import Context as PrintContext

APP_TITLE = "D4A Roadmap Desktop"


class ProjectView(QSplitter):
    """Navigator on the left, the overview or an activity on the right."""

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
        self.tree.setMinimumWidth(200)
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
        self.overview = OverviewPage(rm)
        self.activity = ActivityPage(rm)
        self.pages.addWidget(self.overview)
        self.pages.addWidget(self.activity)
        self.addWidget(left)
        self.addWidget(self.pages)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setChildrenCollapsible(False)
        self.pages.setMinimumWidth(560)
        self.setSizes([300, 980])
        #: Until the user drags the divider (or a saved layout is restored), the navigator
        #: takes a share of the width that leaves the page room on a small laptop screen.
        self.user_sized = False
        self.splitterMoved.connect(lambda *_a: setattr(self, "user_sized", True))

    def navigator_width(self, total: int) -> int:
        return max(240, min(340, round(total * 0.26)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.user_sized and self.width() > 0:
            left = self.navigator_width(self.width())
            self.setSizes([left, max(self.width() - left - self.handleWidth(), 1)])

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        self.user_sized = super().restoreState(state)
        return self.user_sized


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
        self.view.overview.componentActivated.connect(self._go_component)
        self.view.overview.editDetailsRequested.connect(self.edit_details)
        self.view.activity.checklist.editRequested.connect(self._edit_item)
        self.view.activity.activityEditRequested.connect(
            lambda act_id, changes: self.edit(SetActivityFields(act_id, changes)))
        self.view.activity.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
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
        self._make_print_actions()
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
        self.act_overview = self._action(_("Project &Overview"), self.show_overview, "Ctrl+1")
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
        file_menu.addAction(self.act_print)
        file_menu.addAction(self.act_export_pdf)
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
        view_menu.addAction(self.act_find)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.act_about)

    def _update_actions(self) -> None:
        is_open = self.session is not None
        for action in (self.act_close, self.act_check, self.act_details, self.act_overview,
                       self.act_find):
            action.setEnabled(is_open)

    def _refresh_recent(self) -> None:
        files = self.settings.recent_files
        self.welcome.set_recent(files, self.settings.project_name)
        self.recent_menu.clear()
        for n, text in enumerate(files, 1):
            path = Path(text)
            heading = recent_heading(path, self.settings.project_name(text))
            label = path.name if heading == path.stem else f"{heading}  ({path.name})"
            if not path.exists():
                label = _("{path} (not found)").format(path=label)
            action = self.recent_menu.addAction(f"&{n % 10}  {label.replace('&', '&&')}")
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
        wizard = NewProjectWizard(self, self.settings.last_country, self.settings.last_folder)
        if wizard.exec() != NewProjectWizard.DialogCode.Accepted:
            return
        path = wizard.path()
        if self.session is not None and self.session.path == path.absolute():
            self.close_project()
        details = wizard.details()
        if self._open_with(lambda: projects.create_project(
                path, details, author=self._author(), overwrite=wizard.overwrite())):
            self.settings.last_country = details.country
            self.settings.last_folder = str(path.absolute().parent)

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

        language = i18n.language()
        path = demo_path(language)
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
        return self._open_with(lambda: write_demo(path, overwrite=True, language=language))

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
        self._clear_search()
        state = session.state()
        self.settings.add_recent(session.path)
        self.settings.remember_project(session.path, state.meta.title, state.meta.municipality)
        self._refresh_recent()
        self.undo_stack.clear()
        self.view.model.set_project(state, session.progress())
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
        self._clear_search()
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
            self.view.overview.show_project(self.session.state(), self.session.progress())
            self.view.overview.show_retired(self.session.retired())
            self.view.pages.setCurrentWidget(self.view.overview)
            return
        rm = roadmap()
        if not rm.has(node) or node.count(".") == 0:
            # A component: show its first activity, keeping the tree on the component.
            node = rm.component(node).activities[0].id
        self.view.activity.show_activity(rm.activity(node), self.session.state())
        self.view.pages.setCurrentWidget(self.view.activity)

    def select(self, node_id: str) -> None:
        """Show a node of the navigator (``overview``, ``c2``, ``c2.a1``)."""
        self.view.tree.setCurrentIndex(self.view.model.index_of(node_id))

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

    def _clear_search(self) -> None:
        """Forget the last project's search: its hits would point into another project."""
        self.view.search.clear()
        self.view.results.clear()
        self.view.left_stack.setCurrentWidget(self.view.tree)
        if self._index is not None:
            self._index.close()
            self._index = None
        self._index_stale = True

    def _focus_results(self) -> None:
        if self.view.left_stack.currentWidget() is self.view.results and \
                self.view.results.count():
            self.view.results.setFocus()
            self.view.results.setCurrentRow(0)

    def _open_hit(self, hit: SearchHit) -> None:
        self.select(hit.activity_id)
        self.view.activity.highlight(term_pattern(hit.terms), hit.item_id)

    # --- editing -------------------------------------------------------------------------

    def _edit_item(self, item_id: str, changes: dict[str, Any]) -> None:
        """An edit of a checklist row. Ticking the first item of a not-started activity
        also starts it, in the same undo step; then the page offers what the list suggests
        (done when all is ticked), and lets the user keep the status they had."""
        if self.session is None:
            return
        if "done" not in changes or not roadmap().has(item_id):
            self.edit(SetItemFields(item_id, changes))
            return
        activity = roadmap().activity(item_id.rsplit(".", 1)[0])
        previous = self.session.state().activity(activity.id).status
        command = SetItemFields(item_id, changes)
        self.undo_stack.beginMacro(command.describe())
        try:
            if self.edit(command):
                state = self.session.state()
                status = status_after_tick(previous, activity_tally(activity, state))
                if status is not previous:
                    self.edit(SetActivityFields(activity.id, {"status": status}))
        finally:
            self.undo_stack.endMacro()
        if self.view.activity.activity_id == activity.id:
            self.view.activity.checklist_changed(previous)

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
        elif page is self.view.overview:
            self.view.overview.show_project(state, progress)
        if change.kind == "meta":
            self.setWindowTitle(f"{state.meta.title} — {APP_TITLE}")
            self.settings.remember_project(self.session.path, state.meta.title,
                                           state.meta.municipality)
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
                    and self.view.pages.currentWidget() is self.view.activity else None)
        folder = str(self.session.path.parent) if self.session is not None else str(Path.home())
        return Context(project, activity, self._author(), folder)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter_state = self.view.saveState()
        self.settings.sync()
        self.close_project()
        event.accept()
