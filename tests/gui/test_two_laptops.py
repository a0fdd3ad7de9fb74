"""The exchange's "Done when" through the window: two copies of the demo edited apart on two
laptops (colleagues of one team, so names and owners travel too) sync through a shared
folder both ways; on the second laptop the three conflicts
are decided in the real merge dialog (one kept, one taken, one typed), and both copies end
equal, record by record and field by field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from d4a_desktop.gui.consortium import SyncDialog
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.merge import MergeDialog
from d4a_desktop.services.exchange import sync as sync_mod
from tests.services.exchange import laptops as lp
from tests.services.exchange.test_two_laptops import check_outcome


def sync_in_window(window: MainWindow, share: Path) -> tuple[SyncDialog,
                                                            sync_mod.SyncResult]:
    dialog = SyncDialog(window)
    dialog.target.setText(str(share))
    # two copies of one team's project: the names and owners travel too
    if dialog.choices.boxes["personal"].isChecked():
        dialog.choices.boxes["personal"].click()
    assert dialog.choices.chosen() == ()
    result = dialog.run_sync()
    assert result is not None and result.reachable
    return dialog, result


def merge_from(dialog: SyncDialog, name: str) -> None:
    """Select a fetched copy of the project in the sync dialog and press Merge…"""
    row = next(r for r in range(dialog.received.rowCount()) if dialog.received.text(r, 0) == name)
    dialog.table.selectRow(row)
    assert dialog.merge_button.isEnabled()
    dialog.merge_button.click()


def test_two_laptops_sync_through_a_folder_and_decide_in_the_merge_dialog(
        window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot,
        qtmodeltester) -> None:
    laptops = lp.make(tmp_path / "laptops", monkeypatch)
    a, b = laptops.open("a"), laptops.open("b")
    lp.edit_apart(laptops, a, b)
    a.close()
    b.close()
    share = tmp_path / "share"
    share.mkdir()
    dialogs: list[MergeDialog] = []

    def decide_as_the_user(dialog: MergeDialog) -> int:
        dialogs.append(dialog)
        qtmodeltester.check(dialog.conflict_model)
        rows = {(x.kind, x.field): n for n, x in enumerate(dialog.plan.conflicts)}
        view = dialog.conflict_view
        assert len(rows) == 3 and not dialog.merge_button.isEnabled()
        view.setCurrentIndex(dialog.conflict_model.index(rows[("risks", "likelihood")], 0))
        assert "Anna Jensen" in dialog.theirs_who.text()
        assert "Bo Lindqvist" in dialog.mine_who.text()
        assert not dialog.edit_radio.isEnabled()  # a number is chosen, not typed
        dialog.mine_radio.click()
        view.setCurrentIndex(dialog.conflict_model.index(rows[("activity", "status")], 0))
        dialog.theirs_radio.click()
        view.setCurrentIndex(dialog.conflict_model.index(rows[("item", "note")], 0))
        assert dialog.mine_value.text() == lp.NOTES["b"]
        assert dialog.theirs_value.text() == lp.NOTES["a"]
        assert dialog.edit_radio.isEnabled() and not dialog.merge_button.isEnabled()
        dialog.editor.selectAll()
        qtbot.keyClicks(dialog.editor, lp.TYPED_NOTE)
        assert dialog.edit_radio.isChecked() and dialog.undecided() == 0
        decisions = [dialog.conflict_model.text(r, 4) for r in range(3)]
        assert all(decisions) and lp.TYPED_NOTE in " ".join(decisions)
        assert dialog.merge_button.isEnabled()
        dialog.merge_button.click()
        return dialog.result()

    def accept_without_conflicts(dialog: MergeDialog) -> int:
        dialogs.append(dialog)
        assert dialog.plan.conflicts == [] and dialog.merge_button.isEnabled()
        dialog.merge_button.click()
        return dialog.result()

    def open_as(side: str) -> None:
        window.settings.author_name = lp.AUTHORS[side]
        assert window.open_path(laptops.paths[side])

    def fetch_and_merge(name: str, decide: Callable[[MergeDialog], int]) -> SyncDialog:
        """Sync, see the other laptop's package arrive, and merge it from the sync dialog."""
        dialog, fetched = sync_in_window(window, share)
        assert [r.name for r in fetched.received] == [name]
        monkeypatch.setattr(MergeDialog, "exec", decide)
        merge_from(dialog, name)
        assert window.undo_stack.count() == 1  # one undoable edit
        assert f"Merged {name}" in dialog.summary.text()
        return dialog

    with laptops.on("a"):  # A sends
        open_as("a")
        own_a = sync_in_window(window, share)[1].sent[0]
        window.close_project()
    with laptops.on("b"):  # B fetches, merges deciding the three conflicts, and sends back
        open_as("b")
        dialog = fetch_and_merge(own_a, decide_as_the_user)
        own_b = sync_in_window(window, share)[1].sent[0]
        assert own_b != own_a and len(dialogs) == 1
        dialog.close()
        window.close_project()
    with laptops.on("a"):  # A fetches B's copy and merges it: nothing left to decide
        open_as("a")
        fetch_and_merge(own_b, accept_without_conflicts).close()
        assert len(dialogs) == 2
        window.close_project()

    a, b = laptops.open("a"), laptops.open("b")
    try:
        assert lp.differences(lp.dump(a), lp.dump(b)) == []
        check_outcome(laptops, a)
    finally:
        a.close()
        b.close()
    assert QDialog.DialogCode.Accepted == dialogs[0].result()
