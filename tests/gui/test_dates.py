"""The due-date editor: the locale's own format, clearing, and never a date nobody typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCalendarWidget

from d4a_desktop import i18n
from d4a_desktop.gui.dates import CalendarPopup, DateEdit
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import ChecklistModel
from d4a_desktop.services.projects import NewProject, create_project

ACTIVITY = "c1.a1"
NOV_15 = dt.date(2026, 11, 15)


@pytest.fixture
def project(window: MainWindow, tmp_path: Path) -> MainWindow:
    assert window._open_with(lambda: create_project(
        tmp_path / "dates.d4a", NewProject("Dates", "Vejle", "DK")))
    window.select(ACTIVITY)
    return window


def _due(window: MainWindow, row: int = 0) -> dt.date | None:
    assert window.session is not None
    return window.session.state().item(f"{ACTIVITY}.i{row + 1}").due_date


def _open_editor(window: MainWindow, qtbot, row: int = 0) -> DateEdit:
    table = window.view.activity.table
    index = table.model().index(row, ChecklistModel.DUE)
    table.setCurrentIndex(index)
    table.edit(index)
    editors = [e for e in table.viewport().findChildren(DateEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    qtbot.waitUntil(editor.hasFocus)
    return editor


def _enter(editor: DateEdit, qtbot, closes: bool = True) -> None:
    """Press Enter; the view commits and closes the editor once the event loop runs."""
    QTest.keyClick(editor, Qt.Key.Key_Return)
    if closes:
        qtbot.waitUntil(lambda: not editor.isVisible())
    else:
        qtbot.wait(20)


def _type(window: MainWindow, qtbot, text: str, row: int = 0, closes: bool = True) -> DateEdit:
    editor = _open_editor(window, qtbot, row)
    editor.selectAll()
    QTest.keyClicks(editor, text)
    _enter(editor, qtbot, closes)
    return editor


@pytest.mark.parametrize(("lang", "typed"), [
    ("da", "15.11.2026"), ("de", "15.11.2026"), ("de", "15.11.26"), ("fr", "15/11/2026"),
    ("sv", "2026-11-15"), ("nb", "15.11.2026"), ("nl", "15-11-2026"), ("en", "11/15/2026"),
    ("da", "2026-11-15"), ("fr", "2026-11-15"),
])
def test_typed_in_the_locales_format(project: MainWindow, qtbot, lang: str, typed: str) -> None:
    i18n.set_language(lang)
    _type(project, qtbot, typed)
    assert _due(project) == NOV_15
    model = project.view.activity.checklist
    assert model.data(model.index(0, ChecklistModel.DUE)) == i18n.format_date(NOV_15)


@pytest.mark.parametrize("lang", ["da", "fr"])
def test_editor_shows_what_the_table_shows(project: MainWindow, qtbot, lang: str) -> None:
    i18n.set_language(lang)
    _type(project, qtbot, "2027-03-01")
    editor = _open_editor(project, qtbot)
    assert editor.text() == i18n.format_date(dt.date(2027, 3, 1))  # "1. mar. 2027", "1 mars 2027"
    _enter(editor, qtbot)  # taking the text as it is changes nothing
    assert _due(project) == dt.date(2027, 3, 1)
    assert project.undo_stack.count() == 1


def test_enter_on_an_empty_editor_stores_no_date(project: MainWindow, qtbot) -> None:
    i18n.set_language("da")
    editor = _open_editor(project, qtbot)
    assert editor.text() == ""  # not today's date
    _enter(editor, qtbot)
    assert _due(project) is None
    assert project.undo_stack.count() == 0


def test_text_that_is_not_a_date_is_never_stored(project: MainWindow, qtbot) -> None:
    i18n.set_language("da")
    editor = _type(project, qtbot, "31.02.2026", closes=False)
    assert editor.isVisible(), "Enter keeps the editor open on a wrong date"
    assert editor.property("invalid") is True
    assert _due(project) is None
    messages: list[str] = []
    project.view.activity.message.connect(messages.append)
    project.view.activity.table.setFocus()  # leaving the cell
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert _due(project) is None
    assert project.undo_stack.count() == 0
    assert messages and "31.02.2026" in messages[0]


def test_a_wrong_date_keeps_the_old_one(project: MainWindow, qtbot) -> None:
    i18n.set_language("fr")
    _type(project, qtbot, "15/11/2026")
    editor = _type(project, qtbot, "15/13/2026", closes=False)
    editor.clearFocus()
    project.view.activity.table.setFocus()
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert _due(project) == NOV_15


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_or_backspace_removes_the_date(project: MainWindow, qtbot, key: Qt.Key) -> None:
    i18n.set_language("da")
    _type(project, qtbot, "15.11.2026")
    table = project.view.activity.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, ChecklistModel.DUE))
    QTest.keyClick(table.viewport(), key)
    assert _due(project) is None
    assert not [e for e in table.viewport().findChildren(DateEdit) if e.isVisible()]
    project.act_undo.trigger()
    assert _due(project) == NOV_15


def test_emptying_the_field_removes_the_date(project: MainWindow, qtbot) -> None:
    _type(project, qtbot, "2026-11-15")
    editor = _open_editor(project, qtbot)
    editor.selectAll()
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    _enter(editor, qtbot)
    assert _due(project) is None


def test_no_date_in_the_calendar(project: MainWindow, qtbot) -> None:
    _type(project, qtbot, "2026-11-15")
    editor = _open_editor(project, qtbot)
    editor.show_calendar()
    assert editor.popup is not None and editor.popup.isVisible()
    assert editor.popup.calendar.selectedDate().toPython() == NOV_15
    editor.popup.no_date.click()
    assert _due(project) is None
    assert project.undo_stack.count() == 2


def test_picking_a_day_in_the_calendar(project: MainWindow, qtbot) -> None:
    editor = _open_editor(project, qtbot)
    editor.show_calendar()
    assert editor.popup is not None
    editor.popup.calendar.clicked.emit(editor.popup.calendar.selectedDate().addDays(3))
    assert _due(project) == dt.date.today() + dt.timedelta(days=3)


def test_context_menu_offers_no_date(project: MainWindow, qtbot) -> None:
    i18n.set_language("da")
    _type(project, qtbot, "15.11.2026")
    table = project.view.activity.table
    index = table.model().index(0, ChecklistModel.DUE)
    table.clear_cell(index)
    assert _due(project) is None


@pytest.mark.parametrize("lang", ["da", "de", "fr", "sv"])
def test_calendar_shows_week_numbers_and_whole_day_names(qtbot, lang: str) -> None:
    i18n.set_language(lang)
    popup = CalendarPopup()
    qtbot.addWidget(popup)
    calendar = popup.calendar
    assert calendar.verticalHeaderFormat() == QCalendarWidget.VerticalHeaderFormat.ISOWeekNumbers
    assert calendar.horizontalHeaderFormat() == \
        QCalendarWidget.HorizontalHeaderFormat.ShortDayNames
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    fm = QFontMetrics(calendar.font())
    locale = QLocale(i18n.locale())
    widest = max(fm.horizontalAdvance(locale.dayName(d, QLocale.FormatType.ShortFormat))
                 for d in range(1, 8))
    popup.show()
    qtbot.waitExposed(popup)
    assert calendar.width() >= 8 * widest  # seven day columns and the week numbers


def test_editor_fits_in_its_column(project: MainWindow, qtbot) -> None:
    i18n.set_language("da")
    _type(project, qtbot, "28.09.2026")
    editor = _open_editor(project, qtbot)
    fm = editor.fontMetrics()
    assert editor.width() >= fm.horizontalAdvance(editor.text()) + 20


def test_choose_due_date_from_the_menu_opens_the_calendar(project: MainWindow, qtbot) -> None:
    table = project.view.activity.table
    index = table.model().index(0, ChecklistModel.DUE)
    table._edit_from_menu(index)
    editors = [e for e in table.viewport().findChildren(DateEdit) if e.isVisible()]
    assert len(editors) == 1 and editors[0].popup is not None
    assert editors[0].popup.isVisible()
    editors[0].popup.today.click()
    qtbot.waitUntil(lambda: _due(project) is not None)
    assert _due(project) == dt.date.today()  # chosen, not assumed
