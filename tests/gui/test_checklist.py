"""The activity page from a small laptop to a wide monitor, and what its checklist offers:
roles, owner names, notes of several lines, plain-text tooltips and status suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QStyleOptionViewItem

from d4a_desktop import i18n
from d4a_desktop.core.project import ProjectState
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui.checklist import ITEM_MIN_CHARS, NOTE_PREVIEW_LINES, wrapped_lines
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import ChecklistModel, SuggestedRoleRole
from d4a_desktop.services.projects import NewProject, create_project
from d4a_desktop.services.roadmap import roadmap


@pytest.fixture
def project(window: MainWindow, tmp_path: Path) -> MainWindow:
    assert window._open_with(lambda: create_project(
        tmp_path / "list.d4a", NewProject("List", "Vejle", "DK")))
    return window


def _state(window: MainWindow) -> ProjectState:
    assert window.session is not None
    return window.session.state()


def _tick(window: MainWindow, row: int, done: bool = True) -> None:
    model = window.view.activity.checklist
    state = Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
    assert model.setData(model.index(row, ChecklistModel.ITEM), state.value,
                         Qt.ItemDataRole.CheckStateRole)


def _settle(qtbot) -> None:
    qtbot.wait(30)  # deferred row heights and reading width


# --- sizes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["da", "fr", "de"])
@pytest.mark.parametrize("size", [(900, 600), (1024, 600)])
def test_small_windows_keep_the_checklist_usable(window: MainWindow, tmp_path: Path, qtbot,
                                                 lang: str, size: tuple[int, int]) -> None:
    i18n.set_language(lang)
    from d4a_desktop.services.demo import write_demo

    assert window._open_with(lambda: write_demo(tmp_path / "demo.d4a"))
    window.resize(*size)
    window.select("c3.a1")
    _settle(qtbot)
    page = window.view.activity
    table = page.table
    header = table.horizontalHeader()
    fm = QFontMetrics(header.font())
    for column in range(ChecklistModel.COLUMNS):
        text = table.model().headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= fm.horizontalAdvance(text) + 8, text
    item_width = header.sectionSize(ChecklistModel.ITEM)
    assert item_width >= ITEM_MIN_CHARS * QFontMetrics(table.font()).averageCharWidth()
    # Every item's text is there, in a few lines, and the rows stay of a reasonable height.
    line = QFontMetrics(table.font()).lineSpacing()
    delegate = table.itemDelegateForColumn(ChecklistModel.ITEM)
    for row in range(table.model().rowCount()):
        assert table.rowHeight(row) <= 8 * line
        index = table.model().index(row, ChecklistModel.ITEM)
        text = index.data()
        assert len(wrapped_lines(text, table.font(), item_width - 40)) <= 6
        # Tall enough for its text and tag line at the width the column has now (a height
        # worked out for another width clipped the tag line).
        option = QStyleOptionViewItem()
        option.widget = table
        option.font = table.font()
        assert table.rowHeight(row) >= delegate.sizeHint(option, index).height(), (row, text)
    assert table.height() >= 150
    assert page.guidance.height() >= 60
    assert page.width() <= window.width()
    # The checklist columns fit the page: no sideways scrolling at these sizes.
    assert sum(header.sectionSize(c) for c in range(ChecklistModel.COLUMNS)) \
        <= table.viewport().width() + 1


def test_low_window_moves_the_purpose_into_the_guidance(project: MainWindow, qtbot) -> None:
    project.select("c1.a1")
    page = project.view.activity
    project.resize(1024, 600)
    _settle(qtbot)
    purpose = roadmap().activity("c1.a1").purpose
    assert not page.purpose.isVisible()
    assert purpose[:40] in page.guidance.toPlainText()
    project.resize(1280, 900)
    _settle(qtbot)
    assert page.purpose.isVisible()
    assert purpose[:40] not in page.guidance.toPlainText()


def test_wide_window_keeps_lines_readable(project: MainWindow, qtbot) -> None:
    project.resize(2560, 1440)
    project.select("c1.a1")
    _settle(qtbot)
    page = project.view.activity
    limit = 100 * QFontMetrics(page.guidance.font()).averageCharWidth()
    assert page.guidance.lineWrapColumnOrWidth() <= limit
    assert page.splitter.orientation() == Qt.Orientation.Horizontal  # side by side
    assert page.table.width() > page.guidance.width()
    project.resize(1280, 800)
    _settle(qtbot)
    assert page.splitter.orientation() == Qt.Orientation.Vertical


# --- what a row shows ---------------------------------------------------------------------------

def test_items_show_their_suggested_role(project: MainWindow) -> None:
    project.select("c1.a1")
    model = project.view.activity.checklist
    rm = roadmap()
    items = rm.activity("c1.a1").items
    with_role = [r for r, i in enumerate(items) if i.role]
    assert with_role
    row = with_role[0]
    title = rm.role(items[row].role).title  # type: ignore[union-attr]
    index = model.index(row, ChecklistModel.ITEM)
    assert model.data(index, SuggestedRoleRole) == title
    assert title in _plain(model.data(index, Qt.ItemDataRole.ToolTipRole))


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


@pytest.mark.parametrize("note", [
    "<b>bold?</b> no", "<script>alert(1)</script> kept", "a & b < c", "line one\nline two",
])
def test_tooltips_show_notes_as_typed(project: MainWindow, note: str) -> None:
    project.select("c1.a1")
    model = project.view.activity.checklist
    index = model.index(0, ChecklistModel.NOTE)
    model.setData(index, note, Qt.ItemDataRole.EditRole)
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert _plain(tip) == note
    assert "<b>" not in tip and "<script>" not in tip
    owner = model.index(0, ChecklistModel.OWNER)
    model.setData(owner, "<i>Mette</i>", Qt.ItemDataRole.EditRole)
    assert _plain(model.data(owner, Qt.ItemDataRole.ToolTipRole)) == "<i>Mette</i>"


def test_owner_completes_names_used_in_the_project(project: MainWindow, qtbot) -> None:
    project.select("c1.a1")
    model = project.view.activity.checklist
    for row, name in enumerate(["Mette Holm", "Søren Dal", "Mette Holm"]):
        model.setData(model.index(row, ChecklistModel.OWNER), name, Qt.ItemDataRole.EditRole)
    table = project.view.activity.table
    index = model.index(3, ChecklistModel.OWNER)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    completer = editor.completer()
    assert completer is not None
    names = completer.model().stringList()  # type: ignore[attr-defined]
    assert names == ["Mette Holm", "Søren Dal"]
    completer.setCompletionPrefix("søren")
    assert completer.currentCompletion() == "Søren Dal"


def test_owner_also_completes_the_team_register(project: MainWindow, qtbot) -> None:
    from d4a_desktop.services import records

    for name in ("Anja Krogh", "mette holm"):
        project.edit(records.new_record("team", {"name": name}))
    project.select("c1.a1")
    model = project.view.activity.checklist
    model.setData(model.index(0, ChecklistModel.OWNER), "Mette Holm", Qt.ItemDataRole.EditRole)
    # Names in use first; team members after them, a name already in use only once.
    assert model.owner_suggestions() == ["Mette Holm", "Anja Krogh"]


def test_notes_have_several_lines(project: MainWindow, qtbot) -> None:
    project.select("c1.a1")
    table = project.view.activity.table
    index = table.model().index(0, ChecklistModel.NOTE)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = next(e for e in table.viewport().findChildren(QPlainTextEdit) if e.isVisible())
    qtbot.waitUntil(editor.hasFocus)
    assert editor.height() >= 4 * editor.fontMetrics().lineSpacing()
    QTest.keyClicks(editor, "Booked room 2.14")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # a new line, not the end of editing
    QTest.keyClicks(editor, "Bring post-its")
    assert editor.isVisible()
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert _state(project).item("c1.a1.i1").note == "Booked room 2.14\nBring post-its"


def test_long_notes_are_previewed_in_a_few_lines(qtbot) -> None:
    from PySide6.QtGui import QFont

    lines = wrapped_lines("word " * 200, QFont(), 150, NOTE_PREVIEW_LINES)
    assert len(lines) == NOTE_PREVIEW_LINES
    assert lines[-1].endswith("…") and lines[-1].count("…") == 1
    short = wrapped_lines("a\nb\nc\nd", QFont(), 300, NOTE_PREVIEW_LINES)
    assert short == ["a", "b", "c …"]
    assert wrapped_lines("one\n\ntwo", QFont(), 300) == ["one", "", "two"]


def test_reason_shows_its_beginning(project: MainWindow, qtbot) -> None:
    project.select("c1.a2")
    page = project.view.activity
    reason = "Handled by the region for everyone; we take part in the sounding board. " * 2
    page.activityEditRequested.emit("c1.a2", {"status": Status.NOT_APPLICABLE,
                                              "na_reason": reason.strip()})
    assert page.reason.isVisible()
    assert page.reason.cursorPosition() == 0
    assert page.reason.text() == reason.strip()


# --- status from the checklist -------------------------------------------------------------------

def test_first_tick_starts_the_activity_in_one_undo_step(project: MainWindow) -> None:
    project.select("c1.a1")
    _tick(project, 0)
    assert _state(project).activity("c1.a1").status is Status.IN_PROGRESS
    bar = project.view.activity.suggestion
    assert bar.isVisible()
    assert project.undo_stack.count() == 1
    project.act_undo.trigger()  # one Ctrl+Z takes back the tick and the status with it
    state = _state(project)
    assert not state.item("c1.a1.i1").done
    assert state.activity("c1.a1").status is Status.NOT_STARTED
    project.act_redo.trigger()
    assert _state(project).activity("c1.a1").status is Status.IN_PROGRESS


def test_keep_the_old_status_with_one_click(project: MainWindow) -> None:
    project.select("c1.a1")
    _tick(project, 0)
    bar = project.view.activity.suggestion
    assert "Not started" in bar.keep_button.text()
    bar.keep_button.click()
    state = _state(project)
    assert state.activity("c1.a1").status is Status.NOT_STARTED
    assert state.item("c1.a1.i1").done
    assert not bar.isVisible()


def test_all_ticked_offers_done(project: MainWindow) -> None:
    project.select("c1.a1")
    rows = project.view.activity.checklist.rowCount()
    for row in range(rows):
        _tick(project, row)
    bar = project.view.activity.suggestion
    assert bar.isVisible() and bar.offered is Status.DONE
    assert _state(project).activity("c1.a1").status is Status.IN_PROGRESS  # only offered
    bar.accept_button.click()
    assert _state(project).activity("c1.a1").status is Status.DONE
    assert not bar.isVisible()
    # Done with an item open again: offer to go back, and let the user keep "Done".
    _tick(project, 2, done=False)
    assert bar.isVisible() and bar.offered is Status.IN_PROGRESS
    bar.keep_button.click()
    assert _state(project).activity("c1.a1").status is Status.DONE
    assert not bar.isVisible()


def test_suggestion_goes_when_the_user_sets_a_status(project: MainWindow) -> None:
    project.select("c1.a1")
    for row in range(project.view.activity.checklist.rowCount()):
        _tick(project, row)
    page = project.view.activity
    assert page.suggestion.isVisible()
    page.status.setCurrentIndex(page.status.findData(Status.DONE.value))
    page.status.activated.emit(page.status.currentIndex())
    assert not page.suggestion.isVisible()
    project.select("c1.a2")
    assert not page.suggestion.isVisible()


def test_not_applicable_is_never_questioned(project: MainWindow) -> None:
    project.select("c1.a1")
    project.view.activity.activityEditRequested.emit(
        "c1.a1", {"status": Status.NOT_APPLICABLE})
    _tick(project, 0)
    assert _state(project).activity("c1.a1").status is Status.NOT_APPLICABLE
    assert not project.view.activity.suggestion.isVisible()


def test_delete_clears_owner_and_note_too(project: MainWindow, qtbot) -> None:
    project.select("c1.a1")
    model = project.view.activity.checklist
    table = project.view.activity.table
    model.setData(model.index(0, ChecklistModel.OWNER), "Mette", Qt.ItemDataRole.EditRole)
    table.setFocus()
    table.setCurrentIndex(model.index(0, ChecklistModel.OWNER))
    QTest.keyClick(table.viewport(), Qt.Key.Key_Delete)
    assert _state(project).item("c1.a1.i1").owner == ""
    table.setCurrentIndex(model.index(0, ChecklistModel.ITEM))
    QTest.keyClick(table.viewport(), Qt.Key.Key_Delete)  # the item itself: nothing happens
    assert project.undo_stack.count() == 2
    assert table.currentIndex() != QModelIndex()


def test_columns_give_way_before_the_item_text(qtbot, tmp_path: Path, home: Path) -> None:
    from d4a_desktop.gui.checklist import ChecklistView
    from d4a_desktop.services.demo import write_demo

    session = write_demo(tmp_path / "demo.d4a")
    model = ChecklistModel(roadmap=roadmap())
    model.set_activity(roadmap().activity("c3.a1"), session.state())
    session.close()
    view = ChecklistView(model)
    qtbot.addWidget(view)
    view.show()
    minimum = view.minimum_widths()
    header = view.horizontalHeader()
    snug = sum(minimum.values()) + 40
    view.resize(snug + view.width() - view.viewport().width(), 400)
    qtbot.waitUntil(lambda: view.viewport().width() == snug)
    widths = [header.sectionSize(c) for c in range(ChecklistModel.COLUMNS)]
    assert sum(widths) <= snug, "owner and note gave way: no sideways scrolling"
    assert widths[ChecklistModel.ITEM] >= minimum[ChecklistModel.ITEM]
    view.resize(300, 400)
    qtbot.waitUntil(lambda: view.viewport().width() < 300)
    assert header.sectionSize(ChecklistModel.ITEM) == minimum[ChecklistModel.ITEM]
    assert view.horizontalScrollBar().maximum() > 0  # too narrow even so: it scrolls


def test_long_crumb_is_elided_not_cut(qtbot) -> None:
    from d4a_desktop.gui.activity import ElidedLabel

    label = ElidedLabel()
    qtbot.addWidget(label)
    text = "Composante 6 : Assistance, maintenance et passage à l'échelle, vertical et horizontal"
    label.setText(text)
    label.resize(120, 20)
    label.show()
    assert label.text().endswith("…") and label.full_text() == text
    assert label.toolTip() == text
    label.resize(2000, 20)
    assert label.text() == text
