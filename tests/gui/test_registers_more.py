"""The responsibility matrix, spreadsheet import and export, the dashboard, the timeline and
opening on a page."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Status
from d4a_desktop.gui import spreadsheet, timeline
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.matrix import ResponsibilitiesPage
from d4a_desktop.gui.spreadsheet import ImportDialog
from d4a_desktop.gui.timeline import PlannedDatesDialog, TimelinePage, build_rows
from d4a_desktop.services import records as records_service
from d4a_desktop.services import spreadsheets
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.projects import NewProject, create_project
from d4a_desktop.services.roadmap import roadmap


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    create_project(folder / "empty.d4a", NewProject("R", "Vejle", "DK"), author="t").close()
    write_demo(folder / "demo.d4a").close()
    return {"empty": folder / "empty.d4a", "demo": folder / "demo.d4a"}


@pytest.fixture
def demo(window: MainWindow, templates: dict[str, Path], tmp_path: Path) -> MainWindow:
    assert window.open_path(shutil.copy(templates["demo"], tmp_path / "demo.d4a"))
    return window


@pytest.fixture
def empty(window: MainWindow, templates: dict[str, Path], tmp_path: Path) -> MainWindow:
    assert window.open_path(shutil.copy(templates["empty"], tmp_path / "empty.d4a"))
    return window


# --- the responsibility matrix -----------------------------------------------------------

def _cell(page: ResponsibilitiesPage, member: str, activity: str):  # type: ignore[no-untyped-def]
    model = page.matrix_model
    row = next(n for n, m in enumerate(model.members) if m.get("name") == member)
    col = next(n for n, a in enumerate(page.lookups.activities) if a.id == activity)
    return page.matrix_proxy.mapFromSource(model.index(row, col))


def test_matrix_is_filled_by_typing_letters(demo: MainWindow, qtbot) -> None:
    demo.select("responsibilities")
    page = demo.register("responsibilities")
    assert isinstance(page, ResponsibilitiesPage) and page.matrix_mode
    session = demo.session
    assert session is not None
    assert page.matrix_model.rowCount() == len(session.records("team"))
    index = _cell(page, "Bram Maes", "c6.a1")
    assert index.data() == ""
    page.matrix.setCurrentIndex(index)
    before = len(session.records("responsibilities"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_R)
    assert _cell(page, "Bram Maes", "c6.a1").data() == "R"
    assert len(session.records("responsibilities")) == before + 1
    page.matrix.setCurrentIndex(_cell(page, "Bram Maes", "c6.a1"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_A)
    assert _cell(page, "Bram Maes", "c6.a1").data() == "A"
    assert len(session.records("responsibilities")) == before + 1
    page.matrix.setCurrentIndex(_cell(page, "Bram Maes", "c6.a1"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_Delete)
    assert _cell(page, "Bram Maes", "c6.a1").data() == ""
    assert len(session.records("responsibilities")) == before
    demo.act_undo.trigger()  # the delete
    demo.act_undo.trigger()  # the change to A
    assert _cell(page, "Bram Maes", "c6.a1").data() == "R"


def test_matrix_keeps_one_accountable_person_per_activity(demo: MainWindow, qtbot) -> None:
    demo.select("responsibilities")
    page = demo.register("responsibilities")
    session = demo.session
    assert session is not None
    assert _cell(page, "Els Vandenberghe", "c1.a1").data() == "A"
    before = len(session.records("responsibilities"))
    page.matrix.setCurrentIndex(_cell(page, "Bram Maes", "c1.a1"))
    qtbot.keyClick(page.matrix, Qt.Key.Key_A)
    assert len(session.records("responsibilities")) == before
    assert page.banner.isVisibleTo(page) and "accountable" in page.banner.text()
    assert _cell(page, "Bram Maes", "c1.a1").data() == ""


def test_matrix_follows_the_team(demo: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    demo.select("responsibilities")
    page = demo.register("responsibilities")
    session = demo.session
    assert session is not None
    rows = page.matrix_model.rowCount()
    demo.edit(records_service.new_record("team", {"name": "Aagje Nieuw"}))
    assert page.matrix_model.rowCount() == rows + 1
    page.filter.setText("nieuw")
    assert page.matrix_proxy.rowCount() == 1
    page.show_list.click()
    assert page.views.currentWidget() is page.table


def test_matrix_without_a_team_points_to_the_team(empty: MainWindow) -> None:
    empty.select("responsibilities")
    page = empty.register("responsibilities")
    assert page.stack.currentWidget() is page.empty
    assert page.go_team.isVisibleTo(page) and not page.add_first.isVisibleTo(page)
    page.go_team.click()
    assert empty.view.pages.currentWidget() is empty.register("team")


# --- spreadsheets --------------------------------------------------------------------------

def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_import_preview_lists_every_rejected_row_and_writes_nothing(
        empty: MainWindow, tmp_path: Path, qtbot) -> None:
    session = empty.session
    assert session is not None
    path = _write_csv(tmp_path / "risks.csv", [
        ["description", "likelihood", "impact", "review_date"],
        ["Counters fail", "4", "3", "2027-03-31"],
        ["", "4", "3", "yesterday"],
        ["Budget", "two", "5", ""],
        ["Flood", "9", "3", ""],
    ])
    dialog = ImportDialog(session, spreadsheets.kind_named("risks"))
    qtbot.addWidget(dialog)
    assert dialog.plan_file(path)
    assert dialog.plan is not None and not dialog.plan.ok
    table = dialog.problems
    rows = {(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())}
    assert rows == {("3", "Next review (review_date)"), ("4", "Likelihood (likelihood)"),
                    ("5", "Likelihood (likelihood)")}
    assert "between 1 and 5" in table.item(2, 2).text()
    assert not dialog.import_button.isEnabled()
    assert "Nothing will be imported" in dialog.explain.text()
    assert session.records("risks") == []


def test_import_applies_as_one_undo_step(empty: MainWindow, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    session = empty.session
    assert session is not None
    path = _write_csv(tmp_path / "ms.csv", [
        ["name", "date", "done"],
        ["Council", "2027-03-09", "no"],
        ["Launch", "2027-06-01", ""],
    ])
    empty.select("milestones")
    page = empty.register("milestones")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def accept(dialog: ImportDialog) -> int:
        assert dialog.summary.text() == "2 new, 0 changed, 0 unchanged"
        assert dialog.import_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", accept)
    page.import_()
    assert sorted(r.get("name") for r in session.records("milestones")) == ["Council", "Launch"]
    assert page.model.rowCount() == 2
    empty.act_undo.trigger()
    assert session.records("milestones") == [] and page.model.rowCount() == 0


def test_a_large_file_is_read_off_the_ui_thread(empty: MainWindow, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    session = empty.session
    assert session is not None
    threads: list[str] = []
    real = spreadsheets.read_table

    def spy(path: Path):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(path)

    monkeypatch.setattr(spreadsheets, "read_table", spy)
    monkeypatch.setattr(spreadsheet, "BACKGROUND_BYTES", 10)
    rows = [["title"]] + [[f"Dataset {n}"] for n in range(300)]
    path = _write_csv(tmp_path / "big.csv", rows)
    dialog = ImportDialog(session, spreadsheets.kind_named("datasets"))
    assert dialog.plan_file(path)
    assert dialog.plan is not None and len(dialog.plan.creates) == 300
    assert threads and threads[0] != threading.main_thread().name
    dialog.deleteLater()


def test_an_unreadable_file_says_why(empty: MainWindow, tmp_path: Path, errors: list[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(spreadsheet, "show_error", lambda parent, m, t=None: shown.append(m))
    session = empty.session
    assert session is not None
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    dialog = ImportDialog(session, spreadsheets.kind_named("datasets"))
    assert not dialog.plan_file(path)
    assert shown and "broken.xlsx" in shown[0]
    dialog.deleteLater()


def test_export_writes_the_rows_shown(demo: MainWindow, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    demo.select("datasets")
    page = demo.register("datasets")
    page.filter.setText("telraam")
    shown = page.model.rowCount()
    target = tmp_path / "inventory"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "CSV table (*.csv)"))
    page.export()
    written = target.with_suffix(".csv")
    table = spreadsheets.read_table(written)
    assert len(table) == shown + 1 and table[0][0] == "id"
    page.filter.clear()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "all.xlsx"), ""))
    page.export()
    assert len(spreadsheets.read_table(tmp_path / "all.xlsx")) == page.model.rowCount() + 1


# --- the dashboard -------------------------------------------------------------------------

def test_dashboard_is_the_first_page_and_lists_what_needs_attention(demo: MainWindow) -> None:
    board = demo.view.dashboard
    assert demo.view.pages.currentWidget() is board
    session = demo.session
    assert session is not None
    view = records_service.dashboard_view(session)
    assert view.dashboard.late_activities and view.dashboard.upcoming_milestones
    assert view.dashboard.open_high_risks and view.dashboard.recent_decisions
    assert "item:" in board.overdue.body.text()
    assert "replan:c3.a1" in board.late.body.text()
    for card, kind in ((board.milestones, "milestones"), (board.risks, "risks"),
                       (board.decisions, "decisions")):
        assert f"record:{kind}:" in card.body.text()
    assert "register:datasets" in board.registers.body.text()
    assert board.title.text() == session.state().meta.title


def test_dashboard_links_jump_to_what_they_name(demo: MainWindow,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    session = demo.session
    assert session is not None
    view = records_service.dashboard_view(session)
    risk = view.dashboard.open_high_risks[0]
    demo.view.dashboard.risks.body.linkActivated.emit(f"record:risks:{risk}")
    page = demo.register("risks")
    assert demo.view.pages.currentWidget() is page and page.current_id() == risk
    item = "c3.a1.i5"
    demo.open_link(f"item:{item}")
    assert demo.view.activity.activity_id == "c3.a1"
    demo.open_link("register:team")
    assert demo.view.pages.currentWidget() is demo.register("team")
    monkeypatch.setattr(timeline.PlannedDatesDialog, "exec", _set_end(dt.date(2027, 9, 30)))
    demo.open_link("replan:c3.a1")
    assert session.state().activity("c3.a1").planned_end == dt.date(2027, 9, 30)
    assert "planned" in demo.act_undo.text().lower()


def _set_end(day: dt.date):  # type: ignore[no-untyped-def]
    def exec_(dialog: PlannedDatesDialog) -> int:
        dialog.end.setDate(day)
        return QDialog.DialogCode.Accepted
    return exec_


def test_dashboard_follows_record_edits(demo: MainWindow) -> None:
    demo.show_overview()
    session = demo.session
    assert session is not None
    before = demo.view.dashboard.registers.body.text()
    demo.edit(records_service.new_record("risks", {"description": "Brand new risk",
                                                    "likelihood": 5, "impact": 5}))
    assert "Brand new risk" in demo.view.dashboard.risks.body.text()
    assert demo.view.dashboard.registers.body.text() != before


# --- the timeline --------------------------------------------------------------------------

def _state(**activities: ActivityState) -> ProjectState:
    meta = ProjectMeta(id="p", title="T", municipality="M", country="BE")
    items = {"c3.a1.i1": ItemState("c3.a1.i1", due_date=dt.date(2027, 1, 10))}
    return ProjectState(meta, dict(activities), items)


def test_timeline_rows_mark_late_work() -> None:
    today = dt.date(2027, 3, 1)
    state = _state(**{
        "c3.a1": ActivityState("c3.a1", Status.IN_PROGRESS, planned_start=dt.date(2026, 9, 7),
                               planned_end=dt.date(2027, 2, 12)),
        "c3.a2": ActivityState("c3.a2", Status.DONE, planned_start=dt.date(2026, 6, 1),
                               planned_end=dt.date(2026, 10, 9)),
        "c4.a1": ActivityState("c4.a1", Status.IN_PROGRESS, planned_end=dt.date(2027, 3, 26)),
    })
    rows = {r.id: r for r in build_rows(roadmap(), state, today)}
    assert rows["c3"].kind == "component" and rows["c3"].start == dt.date(2026, 6, 1)
    assert rows["c3.a1"].late and not rows["c3.a2"].late and not rows["c4.a1"].late
    assert rows["c3.a1"].ticks == [(dt.date(2027, 1, 10), "c3.a1.i1", False,
                                    roadmap().item("c3.a1.i1").text)]
    assert rows["c1.a1"].start is None


def test_timeline_page_plans_dates_by_keys(demo: MainWindow, qtbot,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    demo.select("timeline")
    page = demo.view.timeline
    assert isinstance(page, TimelinePage) and demo.view.pages.currentWidget() is page
    chart = page.chart
    chart.resize(900, 600)
    session = demo.session
    assert session is not None
    n = next(i for i, r in enumerate(chart.rows) if r.id == "c2.a2")
    chart.current = n - 1
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.current == n
    monkeypatch.setattr(PlannedDatesDialog, "exec", _set_end(dt.date(2028, 2, 1)))
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert session.state().activity("c2.a2").planned_end == dt.date(2028, 2, 1)
    assert chart.rows[n].end == dt.date(2028, 2, 1)  # the chart followed the edit
    demo.act_undo.trigger()
    assert chart.rows[n].end != dt.date(2028, 2, 1)
    value = chart.horizontalScrollBar().value()
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    assert chart.horizontalScrollBar().value() > value
    qtbot.keyClick(chart, Qt.Key.Key_Plus)
    assert chart.zoom == "week"
    qtbot.keyClick(chart, Qt.Key.Key_Minus)
    assert chart.zoom == "month"
    assert chart.tooltip_at(QPoint(chart.LABEL_W + 5, chart.row_top(n) + 5))


def test_timeline_milestone_double_click_opens_it(demo: MainWindow, qtbot) -> None:
    demo.select("timeline")
    chart = demo.view.timeline.chart
    chart.resize(1000, 600)
    chart.scroll_to_today()
    visible = [(m, c) for m, c, _room in chart._mark_positions()
               if chart.LABEL_W < c.x() < chart.viewport().width()]
    assert visible
    mark, centre = visible[0]
    qtbot.mouseDClick(chart.viewport(), Qt.MouseButton.LeftButton,
                      pos=centre.toPoint())
    page = demo.register("milestones")
    assert demo.view.pages.currentWidget() is page and page.current_id() == mark.id


def test_planned_dates_dialog_refuses_an_end_before_the_start(qtbot) -> None:
    dialog = PlannedDatesDialog("2.1 Team", dt.date(2027, 3, 1), None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    dialog.end.setDate(dt.date(2027, 2, 1))
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.error.isVisibleTo(dialog)
    dialog.end.setDate(dt.date(2027, 4, 1))
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.changes() == {"planned_end": dt.date(2027, 4, 1)}
    assert ok is not None


# --- opening on a page ---------------------------------------------------------------------

@pytest.mark.parametrize("name, page", [("dashboard", "dashboard"), ("timeline", "timeline"),
                                        ("datasets", "register"), ("c2.a1", "activity"),
                                        ("c4", "activity")])
def test_show_opens_on_a_page(demo: MainWindow, name: str, page: str) -> None:
    assert demo.show_page(name)
    current = demo.view.pages.currentWidget()
    if page == "register":
        assert current is demo.register(name)
    else:
        assert current is getattr(demo.view, page)


def test_show_refuses_an_unknown_page(demo: MainWindow) -> None:
    assert not demo.show_page("c9.a9")
    assert not demo.show_page("nonsense")


def test_show_is_a_command_line_option() -> None:
    from d4a_desktop.app import _parse

    args = _parse(["project.d4a", "--show", "c2.a1"])
    assert args.show == "c2.a1" and args.files == [Path("project.d4a")]
