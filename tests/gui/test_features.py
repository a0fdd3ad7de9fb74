"""Conditions, search, tools and roadmap versions in the desktop program."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl

from d4a_desktop.core.vocab import Condition
from d4a_desktop.gui import dialogs, mainwindow
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import ChecklistModel
from d4a_desktop.services.projects import NewProject, create_project


def _open_new(window: MainWindow, path: Path, **conditions: bool | None) -> None:
    answers = {Condition(k.replace("_", "-")): v for k, v in conditions.items()}
    assert window._open_with(lambda: create_project(
        path, NewProject("Features", "Vejle", "DK", conditions=answers)))


def test_wizard_asks_what_applies(window: MainWindow, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(wizard: dialogs.NewProjectWizard) -> int:
        wizard.restart()
        wizard.form.title.setText("Climate dashboard")
        wizard.form.municipality.setText("Eigersund")
        wizard.form.country.setCurrentIndex(wizard.form.country.findData("NO"))
        wizard.next()
        combos = wizard.conditions.combos
        combos[Condition.PERSONAL_DATA].setCurrentIndex(2)  # no
        combos[Condition.GEODATA].setCurrentIndex(1)  # yes
        wizard.next()
        wizard.location.path.setText(str(tmp_path / "climate.d4a"))
        return dialogs.NewProjectWizard.DialogCode.Accepted

    monkeypatch.setattr(dialogs.NewProjectWizard, "exec", answer)
    window.new_project()
    assert window.session is not None
    answers = window.session.state().conditions
    assert answers[Condition.PERSONAL_DATA] is False
    assert answers[Condition.GEODATA] is True
    assert answers.get(Condition.ALGORITHMS_AI) is None  # not answered


def test_conditional_items_follow_the_answers(window: MainWindow, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _open_new(window, tmp_path / "c.d4a", personal_data=False)
    assert window.session is not None
    window.select("c2.a1")
    model = window.view.activity.checklist
    rm = window.view.model._roadmap
    items = rm.activity("c2.a1").items
    row = next(r for r, i in enumerate(items) if i.condition is Condition.PERSONAL_DATA)
    index = model.index(row, ChecklistModel.ITEM)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert "not apply" in model.data(index, Qt.ItemDataRole.ToolTipRole).lower()
    applicable = sum(1 for i in items if i.condition is not Condition.PERSONAL_DATA)
    assert window.view.activity.count.text() == f"0 of {applicable} items done"

    def say_yes(dialog: dialogs.ProjectDetailsDialog) -> int:
        dialog.conditions.combos[Condition.PERSONAL_DATA].setCurrentIndex(1)
        dialog.form.tandem.setText("Kungsbacka")
        return dialogs.ProjectDetailsDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.ProjectDetailsDialog, "exec", say_yes)
    window.edit_details()
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert window.view.activity.count.text() == f"0 of {len(items)} items done"
    assert window.undo_stack.count() == 1, "details and answers are one undo step"
    window.act_undo.trigger()
    state = window.session.state()
    assert state.conditions[Condition.PERSONAL_DATA] is False
    assert state.meta.tandem_partner == ""


def test_activity_condition_shows_a_banner(window: MainWindow, tmp_path: Path) -> None:
    rm = window.view.model._roadmap
    conditional = [a for a in rm.activities() if a.condition is not None]
    if not conditional:
        pytest.skip("no activity carries a condition")
    act = conditional[0]
    _open_new(window, tmp_path / "b.d4a", **{act.condition.value.replace("-", "_"): False})
    window.select(act.id)
    assert window.view.activity.banner.isVisibleTo(window.view.activity)
    assert window.session is not None
    assert act.id in window.session.progress().excluded
    nav = window.view.model
    assert nav.data(nav.index_of(act.id).siblingAtColumn(1)) == "n/a"


def test_search_jumps_to_the_match(window: MainWindow, tmp_path: Path, qtbot) -> None:
    _open_new(window, tmp_path / "s.d4a")
    window.act_find.trigger()
    window.view.search.setText("worksh")
    assert window.view.left_stack.currentWidget() is window.view.results
    results = window.view.results
    assert results.count() > 0
    results.activated.emit(results.hits.index(0, 0))
    hit = results.hit(0)
    assert hit is not None
    assert window.view.activity.activity_id == hit.activity_id
    if hit.item_id is None:
        assert window.view.activity.guidance.extraSelections()
    else:
        selected = window.view.activity.table.selectionModel().selectedRows()
        assert selected
    window.view.search.clear()
    assert window.view.left_stack.currentWidget() is window.view.tree


def test_search_finds_a_fresh_note(window: MainWindow, tmp_path: Path) -> None:
    _open_new(window, tmp_path / "n.d4a")
    window.select("c4.a2")
    model = window.view.activity.checklist
    model.setData(model.index(1, ChecklistModel.NOTE), "Ask Kungsbacka about licences",
                  Qt.ItemDataRole.EditRole)
    window.view.search.setText("kungsbacka licences")
    hit = window.view.results.hit(0)
    assert hit is not None and (hit.item_id, hit.kind) == ("c4.a2.i2", "note")


def test_tool_link_opens_the_form_and_the_form_the_worksheet(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _open_new(window, tmp_path / "t.d4a")
    shown: list[str] = []
    monkeypatch.setattr(dialogs.ToolDialog, "exec",
                        lambda self: shown.append(self.browser.toPlainText()) or 0)
    window.select("c2.a1")
    window.view.activity._link(QUrl("tool:role-matrix"))
    form = window.monitor.tool_form
    assert window.view.pages.currentWidget() is form and form.tool.id == "role-matrix"
    form.worksheet.click()
    assert shown and window.view.model._roadmap.tool("role-matrix").title in shown[0]


def test_opening_a_project_on_a_newer_roadmap_says_so(window: MainWindow, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.d4a"
    session = create_project(path, NewProject("Old plan", "Emmen", "NL"))
    session.file.update_meta({"roadmap_version": "2025.9"})
    session.file.update_item("c9.a1.i1", {"done": True, "owner": "Piet"})  # a retired item
    session.close()
    told: list[str] = []
    monkeypatch.setattr(mainwindow.QMessageBox, "information",
                        lambda parent, title, text: told.append(text))
    assert window.open_path(path)
    assert told and "2025.9" in told[0]
    overview = window.view.overview
    assert overview.retired.isVisibleTo(overview) and "c9.a1.i1" in overview.retired.text()
    assert "Piet" in overview.retired.text()
