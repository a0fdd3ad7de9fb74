"""File › New from Existing Project, and ``--show`` for the monitoring pages."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from d4a_desktop.gui import carryover
from d4a_desktop.gui.carryover import NewFromExistingDialog
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.services import assessments, monitoring, records
from d4a_desktop.services.projects import CARRY_DEFAULT, NewProject, create_project


def _earlier(path: Path) -> str:
    session = create_project(path, NewProject("Cycling 2026", "Kortrijk", "BE",
                                              domain="Mobility"))
    kpi = records.new_record("kpis", {"name": "Cyclists a day"})
    session.execute(kpi)
    session.execute(monitoring.new_measurement(session, kpi.record_id,
                                               dt.date(2026, 5, 31), 440))
    session.execute(assessments.set_answer(session, "dpia-screening",
                                           "criteria/large-scale", True))
    session.execute(assessments.set_details(session, "dpia-screening",
                                            {"status": "complete"}))
    session.execute(assessments.save_version(session, "dpia-screening"))
    session.execute(assessments.add_comment(session, "activity", "c1.a1", "Old talk", "Els"))
    session.close()
    return kpi.record_id


def test_new_from_existing_carries_what_is_chosen(window: MainWindow, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old = tmp_path / "2026.d4a"
    old_kpi = _earlier(old)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(old), ""))
    seen: dict[str, object] = {}

    def choose(dialog: NewFromExistingDialog) -> int:
        seen["defaults"] = dialog.carry()
        seen["path"] = dialog.path.text()
        dialog.title.setText("Cycling 2027")
        dialog.boxes["measurements"].setChecked(True)
        dialog.path.setText(str(tmp_path / "2027.d4a"))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(NewFromExistingDialog, "exec", choose)
    window.act_new_from.trigger()
    assert seen["defaults"] == CARRY_DEFAULT
    assert seen["path"] == str(tmp_path / "Cycling 2026.d4a")
    session = window.session
    assert session is not None and session.path == tmp_path / "2027.d4a"
    assert session.state().meta.title == "Cycling 2027"
    assert session.state().meta.domain == "Mobility"
    kpis = monitoring.measured(session)
    assert [k.definition.name for k in kpis] == ["Cyclists a day"]
    assert kpis[0].record.id != old_kpi and len(kpis[0].measurements) == 1
    dpia = assessments.filled(session, "dpia-screening")
    assert dpia.status == "draft" and dpia.versions == ()
    assert dpia.answers == {"criteria/large-scale": True}
    assert session.records("comments") == []  # not ticked


def test_measurements_need_their_kpis(tmp_path: Path, qtbot) -> None:
    from d4a_desktop.core.project import ProjectMeta

    dialog = NewFromExistingDialog(tmp_path / "old.d4a", ProjectMeta(
        id="x", title="Old", municipality="Vejle", country="DK", language="da"))
    qtbot.addWidget(dialog)
    dialog.boxes["kpis"].setChecked(False)
    dialog.boxes["measurements"].setChecked(True)
    assert dialog.boxes["kpis"].isChecked()
    dialog.boxes["kpis"].setChecked(False)
    assert not dialog.boxes["measurements"].isChecked()
    assert carryover.carry_label("tools").startswith("Filled tools")


def test_the_earlier_project_is_never_replaced(tmp_path: Path, qtbot, errors: list[str]) -> None:
    from d4a_desktop.core.project import ProjectMeta

    old = tmp_path / "old.d4a"
    _earlier(old)
    dialog = NewFromExistingDialog(old, ProjectMeta(
        id="x", title="Old", municipality="Vejle", country="DK", language="da"))
    qtbot.addWidget(dialog)
    dialog.path.setText(str(old))
    dialog._accept()
    assert errors and "only read" in errors[0] and not dialog.result()


def test_show_opens_a_tool_or_the_kpis(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "p.d4a"
    create_project(path, NewProject("Show", "Vejle", "DK")).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "D4A_EXIT_WHEN_IDLE": "1",
           "D4A_HOME": str(home)}
    for page, error in (("dpia-screening", False), ("kpis", False), ("nope", True)):
        done = subprocess.run([sys.executable, "-m", "d4a_desktop", "gui", str(path),
                               "--show", page], env=env, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        assert ("there is no page “nope”" in done.stderr) is error, done.stderr


def test_show_page_names(window: MainWindow, tmp_path: Path) -> None:
    assert window._open_with(lambda: create_project(tmp_path / "p.d4a",
                                                    NewProject("Show", "Vejle", "DK")))
    assert window.show_page("kpis")
    assert window.view.pages.currentWidget() is window.monitor.kpi_page
    assert window.show_page("maturity-self-check")
    assert window.monitor.tool_form.tool.id == "maturity-self-check"
    assert window.show_page("tools")
    assert window.view.pages.currentWidget() is window.monitor.tools_page
    assert window.show_page("c2.a1") and not window.show_page("nope")
