"""History… on a register's record and on a checklist item."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from d4a_desktop.gui.history import HistoryDialog
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import ChecklistModel
from d4a_desktop.services import records
from d4a_desktop.services.projects import NewProject, create_project


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[HistoryDialog]:
    dialogs: list[HistoryDialog] = []

    def exec_(dialog: HistoryDialog) -> int:
        dialogs.append(dialog)
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", exec_)
    return dialogs


def test_history_of_a_record_and_of_an_item(window: MainWindow, tmp_path: Path,
                                            shown: list[HistoryDialog]) -> None:
    assert window._open_with(lambda: create_project(
        tmp_path / "h.d4a", NewProject("History", "Vejle", "DK")))
    session = window.session
    assert session is not None
    new = records.new_record("risks", {"description": "Counters fail", "impact": 3})
    window.edit(new)
    window.edit(records.edit_record(session.records("risks")[0], {"impact": 5}))
    window.show_page("risks")
    page = window.register("risks")
    page.select(new.record_id)
    page.historyRequested.emit("risks", new.record_id)
    dialog = shown[-1]
    texts = [dialog.tree.topLevelItem(n).text(2) for n in range(dialog.tree.topLevelItemCount())]
    assert texts == ["Impact: “3” → “5”", "added"]  # the latest first
    assert "Counters fail" in dialog.windowTitle() and dialog.empty.isHidden()

    window.select("c1.a1")
    model = window.view.activity.checklist
    model.setData(model.index(0, ChecklistModel.OWNER), "Bram", Qt.ItemDataRole.EditRole)
    item_id = window.view.activity.activity_id + ".i1"
    window.view.activity.table.historyRequested.emit(item_id)
    dialog = shown[-1]
    assert dialog.tree.topLevelItem(0).text(2) == "Owner: “” → “Bram”"
    window.view.activity.table.historyRequested.emit("c6.a4.i1")  # never changed
    assert shown[-1].tree.topLevelItemCount() == 0 and not shown[-1].empty.isHidden()
