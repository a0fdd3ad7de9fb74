"""A tool filled in through its form: saved as typed, undone field by field, versions and
what changed since, the result with its reasons, repeating entries, read-only projects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from d4a_desktop import i18n
from d4a_desktop.core import rules
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui import tools as tools_gui
from d4a_desktop.gui.fields import ChoiceEditor, LineEditor, TextEditor, YesNoEditor
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import NodeRole, ProgressRole, status_icon
from d4a_desktop.gui.tools import ToolForm, ToolsModel
from d4a_desktop.services import assessments
from d4a_desktop.services.projects import NewProject, create_project


def _open(window: MainWindow, path: Path) -> None:
    assert window._open_with(lambda: create_project(path, NewProject("Tools", "Brest", "FR")))


def _form(window: MainWindow, tool_id: str) -> ToolForm:
    assert window.show_page(tool_id)
    form = window.monitor.tool_form
    assert window.view.pages.currentWidget() is form and form.tool.id == tool_id
    return form


def _yes(form: ToolForm, path: str, value: bool | None) -> None:
    editor = form.editors[path]
    assert isinstance(editor, YesNoEditor)
    button = editor.buttons[0 if value else 1][0]
    button.click()


def _answers(window: MainWindow, tool_id: str) -> dict[str, object]:
    assert window.session is not None
    return assessments.filled(window.session, tool_id).answers


def test_answers_are_saved_at_once_and_undone_one_by_one(window: MainWindow,
                                                          tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "dpia-screening")
    _yes(form, "criteria/large-scale", True)
    _yes(form, "criteria/innovative-use", True)
    assert _answers(window, "dpia-screening") == {"criteria/large-scale": True,
                                                  "criteria/innovative-use": True}
    assert window.undo_stack.undoText().startswith("Answer “Does it use new technology")
    choice = form.editors["decision/decision"]
    assert isinstance(choice, ChoiceEditor)
    choice.combo.setCurrentIndex(choice.combo.findData("dpia-required"))
    choice.combo.activated.emit(choice.combo.currentIndex())
    assert _answers(window, "dpia-screening")["decision/decision"] == "dpia-required"
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert _answers(window, "dpia-screening") == {"criteria/large-scale": True}
    # the form follows the undo
    yes_no = form.editors["criteria/innovative-use"]
    assert isinstance(yes_no, YesNoEditor)
    assert not any(b.isChecked() for b, _v in yes_no.buttons)
    # a second click on the chosen answer clears it
    _yes(form, "criteria/large-scale", True)
    assert _answers(window, "dpia-screening") == {"criteria/large-scale": None}
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.session is not None
    assert assessments.filled(window.session, "dpia-screening").record is None


def test_typing_is_one_undo_step_per_field_edit(window: MainWindow, tmp_path: Path,
                                                 qtbot) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "ethics-canvas")
    editor = form.editors["know/data-sources"]
    assert isinstance(editor, TextEditor)
    editor.edit.setFocus()
    editor.edit.setPlainText("Telraam")
    assert editor.busy()  # saved after a pause, not at once
    qtbot.waitUntil(lambda: not editor.busy(), timeout=3000)
    assert _answers(window, "ethics-canvas") == {"know/data-sources": "Telraam"}
    editor.edit.setPlainText("Telraam counts per street")
    editor.save()  # a second pause in the same edit
    assert _answers(window, "ethics-canvas") == {"know/data-sources":
                                                 "Telraam counts per street"}
    steps = window.undo_stack.count()
    editor.end_edit()  # the user leaves the field
    other = form.editors["know/rights"]
    assert isinstance(other, TextEditor)
    other.edit.setPlainText("Residents agree to Telraam's terms")
    other.save()
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    window.undo_stack.undo()  # both saves of the first field at once
    assert _answers(window, "ethics-canvas") == {}
    assert editor.edit.toPlainText() == ""
    window.undo_stack.redo()
    assert editor.edit.toPlainText() == "Telraam counts per street"


def test_a_value_that_does_not_fit_is_refused_at_the_field(window: MainWindow,
                                                            tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "technology-scorecard")
    editor = form.editors["weights/weight-openness"]
    assert isinstance(editor, LineEditor)
    editor.edit.setText("lots")
    editor.save()
    frame = form.frames["weights/weight-openness"]
    assert frame.error.isVisibleTo(form) and "not a number" in frame.error.text()
    assert _answers(window, "technology-scorecard") == {}
    editor.edit.setText("2.5")
    editor.save()
    assert _answers(window, "technology-scorecard") == {"weights/weight-openness": 2.5}
    assert not frame.error.isVisibleTo(form)


def test_the_result_is_shown_with_its_reasons_and_marks(window: MainWindow,
                                                         tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "dpia-screening")
    assert form.outcome.verdict.text().startswith("Answer every question")
    _yes(form, "criteria/large-scale", True)
    _yes(form, "criteria/systematic-monitoring", True)
    assert form.outcome.verdict.text() == "A DPIA is required."
    assert form.outcome.card.property("tone") == "attention"
    details = form.outcome.details.text()
    assert "Is the data processed on a large scale?" in details and "Why" in details
    assert form.frames["criteria/large-scale"].property("mark") == "decisive"
    assert form.frames["criteria/sensitive-data"].property("mark") == ""
    # the Tools page and the navigator say the same
    assert window.show_page("tools")
    model = window.monitor.tools_page.model
    row = model.row_of("dpia-screening")
    assert model.data(model.index(row, ToolsModel.RESULT)) == "A DPIA is required."
    nav = window.view.model
    index = nav.index_of("dpia-screening")
    assert nav.data(index, NodeRole) == "dpia-screening"
    assert nav.data(index.siblingAtColumn(1)) == i18n.format_percent(2 / 23)
    tip = nav.data(index, Qt.ItemDataRole.ToolTipRole)  # the verdict, asked on hover
    assert "A DPIA is required." in tip and tip == nav.data(index.siblingAtColumn(1),
                                                             Qt.ItemDataRole.ToolTipRole)
    lines = [line for line in tip.replace("<br>", "\n").split("\n") if line]
    assert "A DPIA is required." not in lines[0]


def test_saving_a_version_and_seeing_what_changed(window: MainWindow, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "dpia-screening")
    assert not form.save_version.isEnabled()  # nothing to keep yet
    _yes(form, "criteria/large-scale", True)
    name = form.editors["processing/processing-name"]
    assert isinstance(name, LineEditor)
    name.edit.setText("Cycling counts")
    name.save()

    def note(dialog: tools_gui.SaveVersionDialog) -> int:
        dialog.note.setPlainText("Before the DPO's advice")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(tools_gui.SaveVersionDialog, "exec", note)
    form.save_version.click()
    assert window.undo_stack.undoText() == "Save version 1 of “DPIA screening”"
    assert window.session is not None
    versions = assessments.filled(window.session, "dpia-screening").versions
    assert len(versions) == 1 and versions[0].get("note") == "Before the DPO's advice"
    assert "Nothing has changed since then." in form.changes.text.text()
    _yes(form, "criteria/large-scale", False)
    name.edit.setText("Telraam cycling counts")
    name.save()
    _yes(form, "criteria/innovative-use", True)
    text = form.changes.text.text()
    assert "Is the data processed on a large scale?" in text and "from “Yes” to “No”" in text
    assert "Telraam cycling counts" in text and "Answered" in text
    assert form.tabs.tabText(1) == "Changes (3)"
    assert form.frames["criteria/large-scale"].note.text() == \
        "Changed since version 1; it was “Yes”."
    assert form.frames["criteria/innovative-use"].note.text() == "New since version 1."
    # a saved version is shown as it was, and cannot be changed
    form.show_version(1)
    assert "version 1" in form.banner.text().lower() and form.banner.isVisibleTo(form)
    yes_no = form.editors["criteria/large-scale"]
    assert isinstance(yes_no, YesNoEditor)
    assert yes_no.buttons[0][0].isChecked() and not yes_no.widget.isEnabled()
    assert name.edit.text() == "Cycling counts" and name.edit.isReadOnly()
    assert not form.save_version.isEnabled() and not form.status.isEnabled()
    form.show_version(0)
    assert name.edit.text() == "Telraam cycling counts" and not name.edit.isReadOnly()
    # undo of the version takes it away again
    for _step in range(3):
        window.undo_stack.undo()
    window.undo_stack.undo()
    assert assessments.filled(window.session, "dpia-screening").versions == ()


def test_status_and_next_review(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "ethics-canvas")
    form.status.setCurrentIndex(form.status.findData("complete"))
    form.status.activated.emit(form.status.currentIndex())
    assert window.session is not None
    assert assessments.filled(window.session, "ethics-canvas").status == "complete"
    assert window.undo_stack.undoText() == "Set “Data ethics canvas” to Complete"
    yesterday = dt.date.today() - dt.timedelta(days=1)
    form.next_review.setText(yesterday.isoformat())
    form.next_review.editingFinished.emit()
    assert assessments.filled(window.session, "ethics-canvas").next_review == yesterday
    assert form.review_due.isVisibleTo(form)
    tip = window.view.model.data(window.view.model.index_of("ethics-canvas"),
                                 Qt.ItemDataRole.ToolTipRole)
    assert "The review is due." in tip
    window.show_page("tools")
    assert "Data ethics canvas" in window.monitor.tools_page.due.text()


def test_entries_of_a_repeating_section(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "technology-scorecard")
    box = next(b for b in form.repeating if b.section.id == "options")
    assert box.keys == () and box.empty.isVisibleTo(form)
    box.add.click()
    box.add.click()
    assert box.keys is not None and len(box.keys) == 2
    first, second = box.keys
    name = form.editors[f"options/{second}/option-name"]
    assert isinstance(name, LineEditor)
    name.edit.setText("Regional platform")
    name.save()
    assert box.frames[1].title.text() == "Regional platform"
    assert box.frames[0].title.text() == "Option 1"
    box.frames[1].up.click()
    assert box.keys == (second, first)
    box.frames[0].remove.click()
    assert box.keys == (first,)
    assert f"options/{second}/option-name" not in form.editors
    window.undo_stack.undo()
    assert box.keys == (second, first)
    assert form.editors[f"options/{second}/option-name"].edit.text() == "Regional platform"


def test_the_maturity_radar_overlays_two_versions(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    session = window.session
    assert session is not None
    tool = session.roadmap.tool("maturity-self-check")
    assert tool is not None
    paths = [f"{s.id}/{f.id}" for s in rules.maturity_dimensions(tool) for f in s.fields]
    for level, day in ((2, dt.date(2025, 11, 20)), (3, dt.date(2026, 11, 19))):
        for path in paths:
            command = assessments.set_answer(session, tool.id, path, level)
            if command is not None:
                session.execute(command)
        session.execute(assessments.save_version(session, tool.id, today=day))
    form = _form(window, "maturity-self-check")
    outcome = form.outcome
    assert outcome.radar.isVisibleTo(form) and outcome.compare.isVisibleTo(form)
    assert [outcome.first.itemData(i) for i in range(outcome.first.count())] == [1, 2]
    radar = outcome.radar.radar
    assert radar is not None and [s.values for s in radar.series] == [(2, 2, 2), (3, 3, 3)]
    assert "Version 1" in outcome.legend.text() and "Version 2" in outcome.legend.text()
    assert "from 2 to 3" in outcome.movement.text()
    # the current answers join the choice once they differ from the last version
    form.editors[paths[0]].buttons[4][0].click()  # type: ignore[attr-defined]
    assert outcome.second.itemData(outcome.second.count() - 1) == 0
    radar = outcome.radar.radar
    assert radar is not None and radar.series[-1].values[0] == pytest.approx(3.4)


def test_read_only_projects_show_tools_but_change_nothing(window: MainWindow,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "ro.d4a"
    session = create_project(path, NewProject("Tools", "Brest", "FR"))
    session.execute(assessments.set_answer(session, "technology-scorecard",
                                           "weights/weight-openness", 3))
    _key, command = assessments.add_entry(session, "technology-scorecard", "options")
    session.execute(command)
    session.close()
    from d4a_desktop.services.projects import read_project

    assert window._open_with(lambda: read_project(path))
    assert window.read_only
    form = _form(window, "technology-scorecard")
    editor = form.editors["weights/weight-openness"]
    assert isinstance(editor, LineEditor) and editor.edit.isReadOnly()
    box = next(b for b in form.repeating if b.section.id == "options")
    assert not box.add.isVisibleTo(form) and not box.frames[0].remove.isVisibleTo(form)
    assert not form.save_version.isEnabled() and not form.status.isEnabled()
    assert not form.comments.writer.isVisibleTo(form)
    editor.edit.setText("5")
    editor.save()
    assert window.undo_stack.count() == 0


def test_answers_a_newer_tool_no_longer_asks_are_listed(window: MainWindow,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "t.d4a"
    session = create_project(path, NewProject("Tools", "Brest", "FR"))
    session.execute(assessments.set_answer(session, "dpia-screening",
                                           "criteria/old-question", True))
    session.close()
    assert window.open_path(path)
    form = _form(window, "dpia-screening")
    assert form.retired_text.isVisibleTo(form)
    assert "criteria/old-question" in form.retired_text.text()
    assert "no longer asks" in form.retired_text.text()


def test_the_data_inventory_is_a_register(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "data-inventory")
    assert form.register_note.isVisibleTo(form) and not form.splitter.isVisibleTo(form)
    wanted: list[str] = []
    form.registerRequested.connect(wanted.append)
    form.register_button.click()
    assert wanted == ["datasets"]


def test_models_pass_the_model_tester(window: MainWindow, tmp_path: Path, qtmodeltester) -> None:
    _open(window, tmp_path / "t.d4a")
    _form(window, "dpia-screening")
    _yes(window.monitor.tool_form, "criteria/large-scale", True)
    window.show_page("tools")
    qtmodeltester.check(window.monitor.tools_page.model)
    qtmodeltester.check(window.view.model)
    nav = window.view.model
    assert nav.data(nav.index_of("tools"), ProgressRole) is None
    icon = nav.data(nav.index_of("dpia-screening"), Qt.ItemDataRole.DecorationRole)
    assert icon is status_icon(Status.IN_PROGRESS)


def test_a_tool_opens_from_its_activity(window: MainWindow, tmp_path: Path) -> None:
    """The activity's guidance lists its tools as links; a click opens the tool's form."""
    from PySide6.QtCore import QUrl

    _open(window, tmp_path / "t.d4a")
    window.select("c2.a3")
    page = window.view.activity
    assert window.view.pages.currentWidget() is page
    html = page.guidance.toHtml()
    for tool_id in ("ethics-canvas", "dpia-screening", "ai-impact-screening"):
        assert f'href="tool:{tool_id}"' in html
    page.guidance.anchorClicked.emit(QUrl("tool:dpia-screening"))
    form = window.monitor.tool_form
    assert window.view.pages.currentWidget() is form and form.tool.id == "dpia-screening"
    window.select("c2.a3")
    page.guidance.anchorClicked.emit(QUrl("tool:no-such-tool"))
    assert window.view.pages.currentWidget() is page


def test_a_question_that_follows_a_yes_shows_after_it(window: MainWindow,
                                                       tmp_path: Path) -> None:
    """"Which item of the list applies?" shows once the processing is said to be on the
    national list, and the count of questions follows."""
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "dpia-screening")
    item, on_list = "national-list/national-list-item", "national-list/on-national-list"
    assert form.frames[item].isHidden() and not form.frames[on_list].isHidden()
    total = window.view.model.data(window.view.model.index_of("dpia-screening"),
                                   Qt.ItemDataRole.ToolTipRole)
    _yes(form, on_list, True)
    assert not form.frames[item].isHidden()
    assert _answers(window, "dpia-screening") == {on_list: True}
    asked = window.view.model.data(window.view.model.index_of("dpia-screening"),
                                   Qt.ItemDataRole.ToolTipRole)
    assert "1 of 23" in asked and total != asked
    _yes(form, on_list, False)
    assert form.frames[item].isHidden()


def test_verdict_tooltip_follows_a_changed_answer(window: MainWindow, tmp_path: Path) -> None:
    """The navigator asks a tool's verdict on hover; an answer that changes the verdict but
    not how many questions are answered must not leave the old one in its tooltip."""
    _open(window, tmp_path / "t.d4a")
    form = _form(window, "dpia-screening")
    _yes(form, "criteria/large-scale", True)
    _yes(form, "criteria/systematic-monitoring", True)
    nav = window.view.model
    index = nav.index_of("dpia-screening")
    assert "A DPIA is required." in nav.data(index, Qt.ItemDataRole.ToolTipRole)
    _yes(form, "criteria/large-scale", False)  # as many answered, another verdict
    _yes(form, "criteria/systematic-monitoring", False)
    assert form.outcome.verdict.text() != "A DPIA is required."
    assert "A DPIA is required." not in nav.data(index, Qt.ItemDataRole.ToolTipRole)


def test_the_inventory_count_follows_datasets_and_an_edit_reads_no_tools(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The navigator counts the data inventory's datasets; an edited title changes none of
    what it shows, so the tools, KPIs and comments are not read again for it."""
    from d4a_desktop.core.commands import CreateRecord
    from d4a_desktop.services import records as records_service

    _open(window, tmp_path / "t.d4a")
    nav = window.view.model
    (inventory,) = [t.id for t in window.session.roadmap.tools  # type: ignore[union-attr]
                    if t.kind == "register"]
    assert nav.monitor_text(inventory) == "0"
    assert window.edit(CreateRecord("datasets", "4c8e1f2a-0000-4000-8000-000000000001",
                                    {"title": "Counts", "publisher": "Mobility"}))
    assert nav.monitor_text(inventory) == "1"
    refreshed: list[int] = []
    real = window.monitor.refresh_navigator
    monkeypatch.setattr(window.monitor, "refresh_navigator",
                        lambda: (refreshed.append(1), real())[1])
    record = records_service.get(window.session, "datasets",  # type: ignore[arg-type]
                                 "4c8e1f2a-0000-4000-8000-000000000001")
    assert record is not None
    assert window.edit(records_service.edit_record(record, {"title": "Counts per hour"}))
    assert refreshed == []
    window.undo_stack.undo()  # back to "Counts"
    window.undo_stack.undo()  # the dataset goes: the count follows
    assert nav.monitor_text(inventory) == "0" and refreshed == [1]
