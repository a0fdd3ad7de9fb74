"""The main flows of the desktop program, driven through its widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWizard

from d4a_desktop import i18n
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui import dialogs, tasks
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import OVERVIEW, ChecklistModel
from d4a_desktop.gui.settings import Settings
from d4a_desktop.services.projects import open_project
from tests.conftest import sha256


def _create_through_wizard(window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch,
                           *, title: str = "Cycling counts") -> None:
    def fill_and_finish(wizard: dialogs.NewProjectWizard) -> int:
        wizard.restart()
        form = wizard.form
        form.title.setText(title)
        form.municipality.setText("Vejle")
        form.country.setCurrentIndex(form.country.findData("DK"))
        form.domain.setCurrentText("Mobility")
        form.language.setCurrentIndex(form.language.findData("da"))
        form.tandem.setText("Kungsbacka")
        assert wizard.currentPage().isComplete()
        wizard.next()
        wizard.location.path.setText(str(path))
        assert wizard.currentPage().validatePage()
        return QWizard.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewProjectWizard, "exec", fill_and_finish)
    window.new_project()


def _tick(window: MainWindow, activity_id: str, row: int, done: bool = True) -> None:
    window.select(activity_id)
    model = window.view.activity.checklist
    state = Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
    assert model.setData(model.index(row, ChecklistModel.ITEM), state.value,
                         Qt.ItemDataRole.CheckStateRole)


def test_welcome_screen_is_first(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert not window.act_close.isEnabled()
    assert window.welcome.no_recent.isVisible()


def test_create_project_with_wizard(window: MainWindow, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cycling.d4a"
    _create_through_wizard(window, path, monkeypatch)
    assert window.session is not None
    assert window.stack.currentWidget() is window.view
    assert window.view.pages.currentWidget() is window.view.overview
    assert "Cycling counts" in window.windowTitle()
    meta = window.session.state().meta
    assert (meta.municipality, meta.country, meta.language, meta.tandem_partner) == \
        ("Vejle", "DK", "da", "Kungsbacka")
    assert window.settings.recent_files[0] == str(path)


def test_tick_undo_redo_and_reopen(window: MainWindow, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.d4a"
    _create_through_wizard(window, path, monkeypatch)
    _tick(window, "c1.a1", 0)
    _tick(window, "c1.a1", 1)
    model = window.view.activity.checklist
    owner = model.index(2, ChecklistModel.OWNER)
    assert model.setData(owner, "Mette", Qt.ItemDataRole.EditRole)
    due = model.index(2, ChecklistModel.DUE)
    assert model.setData(due, dt.date(2027, 3, 1), Qt.ItemDataRole.EditRole)
    assert window.session is not None
    state = window.session.state()
    assert state.item("c1.a1.i1").done and state.item("c1.a1.i2").done
    assert state.item("c1.a1.i3").owner == "Mette"
    assert window.undo_stack.count() == 4
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked

    window.act_undo.trigger()  # due date
    window.act_undo.trigger()  # owner
    window.act_undo.trigger()  # second tick
    state = window.session.state()
    assert state.item("c1.a1.i2").done is False
    assert state.item("c1.a1.i3").owner == ""
    assert state.item("c1.a1.i3").due_date is None
    window.act_redo.trigger()
    assert window.session.state().item("c1.a1.i2").done is True
    assert window.view.activity.count.text() == "2 of 7 items done"
    nav = window.view.model
    assert nav.data(nav.index_of("c1.a1").siblingAtColumn(1)) == i18n.format_percent(2 / 7)

    window.close_project()
    assert window.stack.currentWidget() is window.welcome
    assert window.undo_stack.count() == 0
    assert window.open_path(path)
    state = window.session.state()
    assert state.item("c1.a1.i1").done and state.item("c1.a1.i2").done
    assert not state.item("c1.a1.i3").owner


def test_state_survives_a_new_window(qtbot, settings: Settings, errors: list[str],
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     home: Path) -> None:
    path = tmp_path / "restart.d4a"
    first = MainWindow(settings)
    qtbot.addWidget(first)
    _create_through_wizard(first, path, monkeypatch)
    _tick(first, "c4.a2", 3)
    first.close()  # closes the project, saves geometry
    assert not first.session

    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert second.settings.recent_files[0] == str(path)
    second.welcome.recentRequested.emit(str(path))
    assert second.session is not None
    assert second.session.state().item("c4.a2.i4").done
    second.close()


def test_status_not_applicable_leaves_progress(window: MainWindow, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _create_through_wizard(window, tmp_path / "na.d4a", monkeypatch)
    window.select("c6.a3")
    page = window.view.activity
    page.status.setCurrentIndex(page.status.findData(Status.NOT_APPLICABLE.value))
    page.status.activated.emit(page.status.currentIndex())
    assert page.reason.isVisibleTo(page)
    page.reason.setText("The region does this for us")
    page.reason.editingFinished.emit()
    assert window.session is not None
    act = window.session.state().activity("c6.a3")
    assert act.status is Status.NOT_APPLICABLE and act.na_reason == "The region does this for us"
    assert "c6.a3" in window.session.progress().excluded
    nav = window.view.model
    assert nav.data(nav.index_of("c6.a3").siblingAtColumn(1)) == "n/a"
    window.act_undo.trigger()
    window.act_undo.trigger()
    assert window.session.state().activity("c6.a3").status is Status.NOT_STARTED


def test_demo_from_welcome_screen(window: MainWindow) -> None:
    window.welcome.demo_button.click()
    assert window.session is not None
    assert window.session.state().meta.municipality == "Kortrijk"
    overview = window.view.overview
    progress = window.session.progress()
    assert overview.overall_pct.text() == i18n.format_percent(progress.overall.fraction)
    assert 0 < progress.overall.fraction < 1
    overview.componentActivated.emit("c4")
    assert window.view.activity.activity_id == "c4.a1"
    assert "guidance" not in window.view.activity.guidance.toPlainText().lower()[:5]
    assert window.view.activity.guidance.toPlainText().strip()


def test_edit_project_details_is_undoable(window: MainWindow, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _create_through_wizard(window, tmp_path / "d.d4a", monkeypatch)

    def rename(dialog: dialogs.ProjectDetailsDialog) -> int:
        dialog.form.title.setText("Bike counts 2027")
        return dialogs.ProjectDetailsDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ProjectDetailsDialog, "exec", rename)
    window.act_details.trigger()
    assert window.session is not None
    assert window.session.state().meta.title == "Bike counts 2027"
    assert window.view.overview.title.text() == "Bike counts 2027"
    assert window.windowTitle().startswith("Bike counts 2027")
    window.act_undo.trigger()
    assert window.session.state().meta.title == "Cycling counts"


@pytest.mark.parametrize("kind", ["text", "empty", "missing", "newer", "locked"])
def test_bad_files_show_a_message_and_stay_untouched(window: MainWindow, errors: list[str],
                                                     tmp_path: Path, kind: str) -> None:
    import sqlite3

    from d4a_desktop.services.projects import NewProject, create_project
    from d4a_desktop.storage.projectfile import SCHEMA

    path = tmp_path / f"{kind}.d4a"
    holder = None
    if kind == "text":
        path.write_text("not a project")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind in ("newer", "locked", "readonly"):
        create_project(path, NewProject("T", "M", "BE")).close()
        if kind == "newer":
            with sqlite3.connect(path) as conn:
                conn.execute(f"PRAGMA user_version = {SCHEMA.version + 1}")
            conn.close()
        elif kind == "locked":
            holder = open_project(path)
        else:
            path.chmod(0o444)
    before = sha256(path) if path.exists() else None
    assert not window.open_path(path)
    assert len(errors) == 1 and str(path) in errors[0]
    assert window.session is None
    assert window.stack.currentWidget() is window.welcome
    if before is not None:
        assert sha256(path) == before
    if holder is not None:
        holder.close()
    assert str(path) not in window.settings.recent_files


def test_switch_language_in_preferences(qtbot, settings: Settings, errors: list[str],
                                        monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    window = MainWindow(settings)
    qtbot.addWidget(window)

    def choose_danish(dialog: dialogs.PreferencesDialog) -> int:
        dialog.language.setCurrentIndex(dialog.language.findData("da"))
        dialog.author.setText("Mette Jensen")
        return dialogs.PreferencesDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.PreferencesDialog, "exec", choose_danish)
    window.act_prefs.trigger()
    assert settings.language == "da" and settings.author_name == "Mette Jensen"
    english_file_menu = window.menuBar().actions()[0].text()
    window.close()

    # What the program does at the next start: the stored language is activated first.
    i18n.set_language(settings.language)
    restarted = MainWindow(settings)
    qtbot.addWidget(restarted)
    assert restarted.menuBar().actions()[0].text() == i18n._("&File")
    assert restarted.menuBar().actions()[0].text() != english_file_menu
    assert restarted.welcome.new_button.text() != "New project…"
    restarted.close()


def test_settings_survive_bad_values(tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store.setValue("ui/language", "xx")
    store.setValue("files/recent", 42)
    store.setValue("window/geometry", "garbage")
    settings = Settings(store)
    assert settings.language == ""
    assert settings.recent_files == []
    assert settings.geometry is None


def test_recent_menu_lists_opened_projects(window: MainWindow, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "recent.d4a"
    _create_through_wizard(window, path, monkeypatch)
    window.close_project()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert any("recent.d4a" in t for t in texts)
    assert window.welcome.recent.count() == 1
    window.recent_menu.actions()[0].trigger()
    assert window.session is not None and window.session.path == path


def test_demo_in_the_interface_language(window: MainWindow) -> None:
    i18n.set_language("da")
    assert window.open_demo()
    assert window.session is not None
    meta = window.session.state().meta
    assert (meta.title, meta.language) == ("Datadrevet cykelpolitik", "da")
    window.close_project()
    i18n.set_language("fr")
    assert window.open_demo()  # its own copy: the Danish one keeps its edits
    assert window.session.state().meta.title == "Politique cyclable fondée sur les données"
    window.close_project()
    texts = [window.welcome.recent.item(n).text() for n in range(window.welcome.recent.count())]
    assert texts[0].startswith("Politique cyclable fondée sur les données — Kortrijk")
    assert texts[1].startswith("Datadrevet cykelpolitik — Kortrijk")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_navigator_columns_are_as_wide_as_qts_own_fit(window: MainWindow, lang: str) -> None:
    """The progress and comments columns are sized from their widest cell alone; Qt's
    fit of every row must give the same widths (the demo has comments, so both show)."""
    i18n.set_language(lang)
    try:
        window.open_demo()
        view = window.view
        assert view.model.data(view.model.index_of(OVERVIEW).siblingAtColumn(2))
        view.fit_columns()
        ours = (view.tree.columnWidth(1), view.tree.columnWidth(2))
        view.tree.resizeColumnToContents(1)
        view.tree.resizeColumnToContents(2)
        assert ours == (view.tree.columnWidth(1), view.tree.columnWidth(2))
        assert min(ours) > 20
    finally:
        i18n.set_language("en")


def test_a_window_made_for_a_project_builds_its_welcome_screen_only_when_shown(
        qtbot, settings: Settings, errors: list[str], home: Path, tmp_path: Path) -> None:
    """A start with a file or the demo makes its window without the welcome screen; the
    screen is built when it is to be shown: the project could not be opened, or it was
    closed, and then it lists the recent projects as any welcome screen does."""
    opened = MainWindow(settings, welcome=False)
    qtbot.addWidget(opened)
    opened.show()
    assert opened.open_demo()
    qtbot.wait(1)
    assert opened._welcome is None and opened.stack.currentWidget() is opened.view
    assert opened.close_project()
    tasks.wait_for_all(5000)
    assert opened.stack.currentWidget() is opened.welcome
    assert opened.welcome.recent.count() == 1  # the demo, opened a moment ago

    damaged = tmp_path / "damaged.d4a"
    damaged.write_text("not a project")
    refused = MainWindow(settings, welcome=False)
    qtbot.addWidget(refused)
    refused.show()
    assert not refused.open_path(damaged)
    assert errors  # the user was told why
    qtbot.waitUntil(lambda: refused.stack.currentWidget() is not None)
    assert refused.stack.currentWidget() is refused.welcome
    assert refused.welcome.recent.count() == 1
    assert refused.welcome.demo_button.isVisible()
