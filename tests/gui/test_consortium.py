"""Sync with the consortium and the portfolio, through the window."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from d4a_desktop.core import commands as c
from d4a_desktop.gui import consortium
from d4a_desktop.gui.consortium import PortfolioDialog, SyncDialog
from d4a_desktop.gui.exchange import SORT_ROLE
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.merge import THEIRS, MergeDialog
from d4a_desktop.services.exchange import Cancelled, credentials
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.exchange import sync as sync_mod
from d4a_desktop.services.projects import NewProject, create_project, open_project
from tests.services.exchange.davserver import PASSWORD, USER, DavServer
from tests.services.exchange.test_sync import MemoryKeyring
from tests.storage.badfiles import make_project

RISK = "5d7e0a4c-0000-4000-8000-000000000002"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def share(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """My project, and a shared folder with a colleague's copy of it (one conflict), a
    partner's package of another project and a broken file."""
    mine = make_project(tmp_path / "mine.d4a")
    s = open_project(mine, author="base")
    s.execute(c.CreateRecord("risks", RISK, {"description": "Sensors fail", "impact": 3}))
    s.close()
    copy = tmp_path / "copy.d4a"
    shutil.copyfile(mine, copy)
    a, b = open_project(mine, author="Anna"), open_project(copy, author="Bo")
    a.execute(c.SetRecordFields("risks", RISK, {"impact": 4}))
    b.execute(c.SetRecordFields("risks", RISK, {"impact": 2}))
    b.execute(c.SetItemFields("c1.a1.i2", {"done": True}))
    folder = tmp_path / "share"
    folder.mkdir()
    pkg.export_package(b, folder / "d4a_copy_bo.d4ax", author="Bo")
    a.close()
    b.close()
    other = create_project(tmp_path / "o.d4a", NewProject("Parking", "Aalborg", "DK"),
                           author="Mette")
    other.execute(c.SetItemFields("c1.a1.i3", {"done": True}))
    pkg.export_package(other, folder / "d4a_aalborg.d4ax", author="Mette")
    other.close()
    (folder / "d4a_broken.d4ax").write_bytes(b"PK\x03\x04 broken")
    return mine, folder


def test_sync_with_a_folder_sends_fetches_and_offers_the_merge(
        window: MainWindow, share: tuple[Path, Path], qtmodeltester,
        monkeypatch: pytest.MonkeyPatch) -> None:
    mine, folder = share
    assert window.open_path(mine)
    assert window.act_sync.isEnabled()
    dialog = SyncDialog(window)
    dialog.target.setText(str(folder))
    assert not dialog.user.isEnabled()  # a folder needs no password
    result = dialog.run_sync()
    assert result is not None and result.reachable
    assert len(result.sent) == 1 and (folder / result.sent[0]).is_file()
    assert sorted(r.name for r in result.received) == ["d4a_aalborg.d4ax", "d4a_copy_bo.d4ax"]
    assert [name for name, _reason in result.rejected] == ["d4a_broken.d4ax"]
    text = dialog.summary.text()
    assert "1 package sent" in text and "2 packages fetched" in text
    assert "d4a_broken.d4ax was not taken" in text
    qtmodeltester.check(dialog.received)
    assert window.settings.sync_target == str(folder)
    rows = {dialog.received.text(r, 0): r for r in range(dialog.received.rowCount())}
    assert set(rows) == {"d4a_aalborg.d4ax", "d4a_copy_bo.d4ax"}
    dialog.table.selectRow(rows["d4a_aalborg.d4ax"])
    assert not dialog.merge_button.isEnabled() and dialog.open_button.isEnabled()
    dialog.table.selectRow(rows["d4a_copy_bo.d4ax"])
    assert dialog.merge_button.isEnabled()

    def decide(merge_dialog: MergeDialog) -> int:
        assert len(merge_dialog.plan.conflicts) == 1
        merge_dialog.decide(0, THEIRS)
        merge_dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MergeDialog, "exec", decide)
    dialog.merge_button.click()
    session = window.session
    assert session is not None
    assert session.file.get_record("risks", RISK).values["impact"] == 2
    assert session.state().item("c1.a1.i2").done
    assert window.undo_stack.count() == 1
    assert "Merged d4a_copy_bo.d4ax" in dialog.summary.text()
    # the other project opens read-only in a partner view
    dialog.table.selectRow(rows["d4a_aalborg.d4ax"])
    dialog.open_button.click()
    partner = [w for w in window.program.windows if w.partner is not None]
    assert len(partner) == 1 and partner[0].partner.package.project["municipality"] == "Aalborg"
    dialog.close()


def test_a_folder_that_cannot_be_reached_keeps_the_package_waiting(
        window: MainWindow, share: tuple[Path, Path], tmp_path: Path, errors: list[str]) -> None:
    mine, _folder = share
    assert window.open_path(mine)
    dialog = SyncDialog(window)
    dialog.target.setText(str(tmp_path / "network drive" / "gone"))
    result = dialog.run_sync()
    assert result is not None and not result.reachable and result.waiting
    assert "cannot be reached now" in dialog.summary.text()
    assert errors == []
    dialog.close()


def test_a_cancelled_sync_says_so_and_changes_nothing(
        window: MainWindow, share: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    mine, folder = share
    assert window.open_path(mine)
    before = sorted(p.name for p in folder.iterdir())

    def cancelled(*args: object, **kw: object) -> None:
        raise Cancelled()

    monkeypatch.setattr(sync_mod, "sync", cancelled)
    dialog = SyncDialog(window)
    dialog.target.setText(str(folder))
    assert dialog.run_sync() is None
    assert "Sync cancelled" in dialog.summary.text()
    assert sorted(p.name for p in folder.iterdir()) == before
    assert window.undo_stack.count() == 0
    dialog.close()


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    server = DavServer(tmp_path / "dav").start()
    yield server
    server.close()


def test_webdav_password_is_kept_in_the_keyring_only_when_asked(
        window: MainWindow, share: tuple[Path, Path], dav: DavServer, errors: list[str],
        settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _folder = share
    store = MemoryKeyring()
    monkeypatch.setattr(credentials, "_keyring", lambda: store)
    monkeypatch.setattr(credentials, "keyring_available", lambda: True)
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
    assert window.open_path(mine)
    dialog = SyncDialog(window)
    dialog.target.setText(dav.url)
    assert dialog.user.isEnabled() and dialog.password.isEnabled()
    dialog.user.setText(USER)
    dialog.password.setText("wrong")
    assert dialog.run_sync() is None
    assert len(errors) == 1  # the refused password, said plainly
    assert store.store == {}
    dialog.password.setText(PASSWORD)
    dialog.remember.setChecked(True)
    result = dialog.run_sync()
    assert result is not None and result.sent
    assert list(store.store.values()) == [PASSWORD]
    settings.sync()
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert PASSWORD not in stored and USER in stored
    # the next sync finds the password in the keyring
    dialog.password.clear()
    assert dialog.run_sync() is not None
    dialog.close()


def test_sync_is_not_offered_for_a_partner_view(window: MainWindow,
                                                share: tuple[Path, Path]) -> None:
    _mine, folder = share
    shown = window.program.open_package(folder / "d4a_aalborg.d4ax", window)
    assert shown is window and window.partner is not None
    assert not window.act_sync.isEnabled()
    window.sync_dialog()  # does nothing


# --- the portfolio ------------------------------------------------------------------------------

def test_portfolio_of_a_folder(window: MainWindow, share: tuple[Path, Path], tmp_path: Path,
                               qtmodeltester, monkeypatch: pytest.MonkeyPatch) -> None:
    _mine, folder = share
    dialog = PortfolioDialog(window, folder)
    assert dialog.load()
    qtmodeltester.check(dialog.model)
    municipalities = {dialog.model.text(r, 0) for r in range(dialog.model.rowCount())}
    assert municipalities >= {"Aalborg"}
    assert "d4a_broken.d4ax was not read" in dialog.problems.text()
    # shortened component headers carry the full title as a tooltip
    header = [dialog.model.headerData(n, Qt.Orientation.Horizontal)
              for n in range(dialog.model.columnCount())]
    assert "1." in header
    tip = dialog.model.headerData(header.index("1."), Qt.Orientation.Horizontal,
                                  Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("1. ")
    overall = header.index("Overall")
    assert isinstance(dialog.model.data(dialog.model.index(0, overall), SORT_ROLE), float)
    dialog.table.sortByColumn(overall, Qt.SortOrder.DescendingOrder)
    values = [dialog.proxy.data(dialog.proxy.index(r, overall), SORT_ROLE)
              for r in range(dialog.proxy.rowCount())]
    assert values == sorted(values, reverse=True)
    assert window.settings.portfolio_folder == str(folder)
    target = tmp_path / "overview"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    written = dialog.export()
    assert written == tmp_path / "overview.xlsx" and written.stat().st_size > 0
    # a double click opens the package read-only
    dialog.table.doubleClicked.emit(dialog.proxy.index(0, 0))
    assert any(w.partner is not None for w in window.program.windows)
    dialog.close()


def test_portfolio_of_a_missing_folder_says_why(window: MainWindow, tmp_path: Path,
                                                errors: list[str]) -> None:
    dialog = consortium.PortfolioDialog(window, tmp_path / "nowhere")
    assert not dialog.load()
    assert len(errors) == 1 and "nowhere" in errors[0]
    dialog.close()


def test_portfolio_from_the_menu_reads_the_last_folder(window: MainWindow,
                                                       share: tuple[Path, Path]) -> None:
    _mine, folder = share
    before = {p.name: sha256(p) for p in folder.iterdir()}
    window.settings.portfolio_folder = str(folder)
    window.act_portfolio.trigger()
    dialog = window.portfolio
    assert isinstance(dialog, PortfolioDialog) and dialog.model.rowCount() == 2
    dialog.close()
    assert {p.name: sha256(p) for p in folder.iterdir()} == before  # read, never changed


def test_portfolio_exports_a_pdf_in_the_order_shown(window: MainWindow, share: tuple[Path, Path],
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.services.pdfcheck import Doc, squeeze

    _mine, folder = share
    dialog = PortfolioDialog(window, folder)
    assert dialog.load()
    header = [dialog.model.headerData(n, Qt.Orientation.Horizontal)
              for n in range(dialog.model.columnCount())]
    overall = header.index("Overall")
    dialog.table.sortByColumn(overall, Qt.SortOrder.DescendingOrder)
    assert dialog.sort_order() == ("overall", True)
    shown = [dialog.proxy.data(dialog.proxy.index(r, 0)) for r in range(dialog.proxy.rowCount())]
    asked: list[tuple[str, ...]] = []

    def save_as(_parent: object, _title: str, start: str, filters: str,
                selected: str = "") -> tuple[str, str]:
        asked.append((start, filters, selected))
        return str(tmp_path / "overview"), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    written = dialog.export()
    assert written == tmp_path / "overview.pdf"
    assert "PDF documents (*.pdf)" in asked[0][1] and asked[0][0].endswith("portfolio.xlsx")
    text = Doc(written.read_bytes()).squeezed()
    places = [text.index(squeeze(name)) for name in shown]
    assert places == sorted(places) and len(shown) == 2  # in the order of the table
    assert "Sorted by “Overall”, descending." in Doc(written.read_bytes()).text
    assert window.settings.portfolio_format == ".pdf"
    assert "Saved" in dialog.problems.text() and "was not read" in dialog.problems.text()
    dialog.table.sortByColumn(header.index("2."), Qt.SortOrder.AscendingOrder)
    assert dialog.sort_order() == ("component:c2", False)
    dialog.export()  # the next export offers PDF first
    assert asked[1][0].endswith("portfolio.pdf") and asked[1][2] == "PDF documents (*.pdf)"
    dialog.close()


@pytest.mark.parametrize(("where", "words"), [("full", "disk is full"),
                                              ("missing", "does not exist")])
def test_a_portfolio_export_that_cannot_be_written_says_why(
        window: MainWindow, share: tuple[Path, Path], tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch, where: str, words: str) -> None:
    import errno
    import os

    _mine, folder = share
    dialog = PortfolioDialog(window, folder)
    assert dialog.load()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "overview.pdf" if where == "full" else tmp_path / "gone" / "overview.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PDF documents (*.pdf)"))
    if where == "full":
        def full(_fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", full)
    assert dialog.export() is None
    assert len(errors) == 1 and words in errors[0] and "overview.pdf" in errors[0]
    assert list(out.iterdir()) == [] and not (tmp_path / "gone").exists()
    assert window.settings.portfolio_format == ".xlsx"  # nothing written: nothing learnt
    dialog.close()
