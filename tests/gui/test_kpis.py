"""The KPIs page: measurements typed, pasted and imported, the chart following them, every
edit undoable; the status with its rule; a KPI's definition checked before it is saved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from d4a_desktop.core import kpi
from d4a_desktop.gui import kpis as kpis_gui
from d4a_desktop.gui.charts import KpiChart
from d4a_desktop.gui.kpis import KpiDialog, KpiListModel, KpiPage, MeasurementsModel
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.services import monitoring, records
from d4a_desktop.services.projects import NewProject, create_project

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=200)


def _open(window: MainWindow, path: Path, **values: object) -> str:
    session = create_project(path, NewProject("KPIs", "Kortrijk", "BE"))
    command = records.new_record("kpis", {
        "name": "Cyclists a day", "unit": "cyclists", "baseline": 400, "baseline_date": START,
        "target": 600, "target_date": START + dt.timedelta(days=400), "direction": "higher",
        **values})
    session.execute(command)
    session.close()
    assert window.open_path(path)
    assert window.show_page("kpis")
    return command.record_id


def _page(window: MainWindow) -> KpiPage:
    page = window.monitor.kpi_page
    assert window.view.pages.currentWidget() is page
    return page


def _points(page: KpiPage) -> int:
    series = page.chart.measured_series
    return series.count() if series is not None else -1


def test_entering_a_measurement_updates_the_chart_and_the_status(window: MainWindow,
                                                                 tmp_path: Path) -> None:
    kpi_id = _open(window, tmp_path / "k.d4a")
    page = _page(window)
    assert page.current() is not None and page.current().record.id == kpi_id
    assert _points(page) == 0
    assert page.explanation.text().startswith("No data")
    page.new_date.setText((START + dt.timedelta(days=100)).isoformat())
    page.new_value.setText("480")
    page.new_note.setText("Spring")
    page.add_button.click()
    assert _points(page) == 1
    assert page.explanation.text().startswith("On track")
    assert page.new_value.text() == "" and not page.problem.isVisibleTo(page)
    assert page.measurements.rowCount() == 1
    assert page.measurements.data(page.measurements.index(0, MeasurementsModel.NOTE)) \
        == "Spring"
    # a second measurement on the same day is refused at the page, nothing written
    page.new_date.setText((START + dt.timedelta(days=100)).isoformat())
    page.new_value.setText("490")
    page.add_button.click()
    assert page.problem.isVisibleTo(page) and "already a measurement" in page.problem.text()
    assert _points(page) == 1
    page.new_date.setText((START + dt.timedelta(days=150)).isoformat())
    page.new_value.setText("many")
    page.add_button.click()
    assert "not a number" in page.problem.text()
    window.undo_stack.undo()
    assert _points(page) == 0 and page.explanation.text().startswith("No data")
    window.undo_stack.redo()
    assert _points(page) == 1


def test_editing_a_value_in_the_table(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    page.new_date.setText((START + dt.timedelta(days=30)).isoformat())
    page.new_value.setText("410")
    page.add_button.click()
    model = page.measurements
    messages: list[str] = []
    model.message.connect(messages.append)
    assert not model.setData(model.index(0, MeasurementsModel.VALUE), "lots")
    assert messages and "not a number" in messages[0]
    assert model.setData(model.index(0, MeasurementsModel.VALUE), "415")
    assert model.data(model.index(0, MeasurementsModel.VALUE)) == "415\N{NO-BREAK SPACE}cyclists"
    future = TODAY + dt.timedelta(days=3)
    assert model.setData(model.index(0, MeasurementsModel.DATE), future)
    assert "in the future" in page.problem.text()
    assert model.data(model.index(0, MeasurementsModel.VALUE)).startswith("415")
    window.undo_stack.undo()
    assert model.data(model.index(0, MeasurementsModel.VALUE)).startswith("410")


def test_pasting_from_a_spreadsheet_is_one_edit(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    rows = [(START + dt.timedelta(days=30 * n), 400 + 10 * n) for n in range(1, 6)]
    QGuiApplication.clipboard().setText("Date\tValue\n" + "\n".join(
        f"{day.isoformat()}\t{value}" for day, value in rows))
    page.values.setFocus()
    page.paste_button.click()
    assert _points(page) == 5 and window.undo_stack.undoText() == "Paste 5 measurements"
    window.undo_stack.undo()
    assert _points(page) == 0


def test_a_paste_with_a_bad_row_writes_nothing(window: MainWindow, tmp_path: Path,
                                                errors: list[str]) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    QGuiApplication.clipboard().setText(
        f"{(START + dt.timedelta(days=10)).isoformat()}\t410\n"
        f"{(TODAY + dt.timedelta(days=40)).isoformat()}\t420\n")
    page.paste_button.click()
    assert _points(page) == 0 and window.undo_stack.count() == 0
    assert errors and "row 2" in errors[0] and "in the future" in errors[0]


def test_importing_a_csv_file(window: MainWindow, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    table = tmp_path / "counts.csv"
    table.write_text("date,value,note\n" + "\n".join(
        f"{(START + dt.timedelta(days=7 * n)).isoformat()},{450 + n},week {n}"
        for n in range(1, 13)), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(table), ""))
    page.import_button.click()
    assert _points(page) == 12 and window.undo_stack.undoText() == "Import 12 measurements"
    assert page.measurements.rowCount() == 12


def test_deleting_measurements_and_a_kpi(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    for n in (1, 2):
        page.new_date.setText((START + dt.timedelta(days=30 * n)).isoformat())
        page.new_value.setText(str(400 + n))
        page.add_button.click()
    page.values.selectRow(0)
    page.delete_values.click()
    assert _points(page) == 1
    page.delete_button.click()
    assert page.model.rowCount() == 0 and page.empty.isVisibleTo(page)
    window.undo_stack.undo()
    assert page.model.rowCount() == 1 and _points(page) == 1


def test_a_new_kpi_is_checked_in_its_dialog(window: MainWindow, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    seen: list[str] = []

    def fill(dialog: KpiDialog) -> int:
        dialog.name.setText("Car speed in school streets")
        dialog.unit.setText("%")
        dialog.baseline.setText("46")
        dialog.baseline_date.setText(START.isoformat())
        dialog.target.setText("60")  # above the baseline, but lower is better
        dialog.target_date.setText((START + dt.timedelta(days=500)).isoformat())
        dialog.direction.setCurrentIndex(dialog.direction.findData("lower"))
        dialog._accept()
        seen.append(dialog.problems.text())
        dialog.target.setText("30")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(KpiDialog, "exec", fill)
    page.new_button.click()
    assert seen and "cannot be above the baseline" in seen[0]
    assert page.model.rowCount() == 2
    current = page.current()
    assert current is not None and current.definition.name == "Car speed in school streets"
    assert current.definition.direction is kpi.Direction.LOWER


def test_the_status_shows_its_rule(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    tip = page.model.data(page.model.index(0, KpiListModel.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "How the status is worked out" in tip
    assert kpi.status_rule_help().split(":")[0] in page.rule_button.toolTip()


def test_sparkline_widget_for_the_dashboard(window: MainWindow, tmp_path: Path) -> None:
    kpi_id = _open(window, tmp_path / "k.d4a")
    page = _page(window)
    for n in (1, 2, 3):
        page.new_date.setText((START + dt.timedelta(days=40 * n)).isoformat())
        page.new_value.setText(str(420 + 20 * n))
        page.add_button.click()
    assert window.session is not None
    measured = monitoring.measured_one(window.session, kpi_id)
    assert measured is not None
    row = kpis_gui.kpi_sparkline_widget(measured)
    chart = row.findChild(kpis_gui.KpiSparkline)
    assert chart is not None and len(chart.line.points) == 3
    assert chart.status is measured.status.status
    assert "How the status is worked out" in chart.toolTip()
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(image.width())
               for y in range(image.height())}
    assert kpis_gui.STATUS_COLOURS[measured.status.status].name() in colours


def test_read_only_projects_show_kpis_but_take_no_measurement(window: MainWindow,
                                                              tmp_path: Path) -> None:
    path = tmp_path / "ro.d4a"
    _open(window, path)
    page = _page(window)
    page.new_date.setText((START + dt.timedelta(days=10)).isoformat())
    page.new_value.setText("401")
    page.add_button.click()
    window.close_project()
    from d4a_desktop.services.projects import read_project

    assert window._open_with(lambda: read_project(path))
    window.show_page("kpis")
    page = _page(window)
    assert not page.add_row.isVisibleTo(page) and not page.paste_button.isVisibleTo(page)
    assert not page.new_button.isEnabled() and not page.edit_button.isEnabled()
    model = page.measurements
    assert model.rowCount() == 1
    assert not model.flags(model.index(0, MeasurementsModel.VALUE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, MeasurementsModel.VALUE), "500")


def test_kpi_models_pass_the_model_tester(window: MainWindow, tmp_path: Path,
                                          qtmodeltester) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    page.new_date.setText((START + dt.timedelta(days=10)).isoformat())
    page.new_value.setText("401")
    page.add_button.click()
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.measurements)


def test_the_reason_names_the_status_once(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "k.d4a")
    page = _page(window)
    assert page.explanation.text() == "No data: Nothing has been measured yet."
    page.new_date.setText((START + dt.timedelta(days=100)).isoformat())
    page.new_value.setText("480")
    page.add_button.click()
    text = page.explanation.text()
    assert text.startswith("On track: ") and text.count("On track") == 1


def test_the_date_axis_shows_as_many_dates_as_fit(window: MainWindow, tmp_path: Path) -> None:
    """Dates on the axis are never cut short ("sept. …"): a narrow chart shows fewer."""
    from PySide6.QtCharts import QDateTimeAxis

    _open(window, tmp_path / "k.d4a")
    chart = _page(window).chart

    def ticks(width: int) -> int:
        chart.resize(width, 300)
        window.repaint()
        axis = next(a for a in chart.chart_.axes() if isinstance(a, QDateTimeAxis))
        assert chart.chart_.plotArea().width() / max(axis.tickCount() - 1, 1) >= \
            KpiChart.TICK_WIDTH
        return axis.tickCount()

    assert ticks(1200) > ticks(420) >= 2


def test_the_legend_names_the_measured_line_apart_from_the_frequency(
        window: MainWindow, tmp_path: Path) -> None:
    from d4a_desktop import i18n

    i18n.set_language("fr")
    _open(window, tmp_path / "k.d4a")
    series = _page(window).chart.measured_series
    assert series is not None and series.name() == "Mesures"
    assert i18n._("Measured") != "Mesures"   # the KPI's "Measured: monthly" field
