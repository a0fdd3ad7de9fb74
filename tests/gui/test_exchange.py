"""Exchange packages in the window: export, the partner view, opening a package to merge,
the merge dialog, and packages that must be refused."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from d4a_desktop.core import commands as c
from d4a_desktop.core import merge
from d4a_desktop.gui import exchange as exchange_gui
from d4a_desktop.gui.exchange import ExportDialog, LeaveOutChoices, TableModel
from d4a_desktop.gui.instance import Request
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.merge import EDITED, MINE, THEIRS, MergeDialog
from d4a_desktop.services import merging
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.projects import NewProject, create_project, open_project
from d4a_desktop.storage import snapshot
from tests.storage.badfiles import make_project

TEAM = "5d7e0a4c-0000-4000-8000-000000000001"
RISK = "5d7e0a4c-0000-4000-8000-000000000002"
DECISION = "5d7e0a4c-0000-4000-8000-000000000003"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def copies(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """Mine and a colleague's copy of one project, edited apart; the colleague's sent as a
    package. Three fields conflict (a text, a number, a deletion against an edit)."""
    base = make_project(tmp_path / "mine.d4a")
    s = open_project(base, author="base")
    s.execute(c.CreateRecord("team", TEAM, {"name": "Els", "role": "project-manager"}))
    s.execute(c.CreateRecord("risks", RISK, {"description": "Sensors fail", "impact": 3}))
    s.close()
    theirs_path = tmp_path / "theirs.d4a"
    shutil.copyfile(base, theirs_path)
    mine, theirs = open_project(base, author="Anna"), open_project(theirs_path, author="Bo")
    mine.execute(c.SetRecordFields("risks", RISK, {"impact": 4, "description": "Sensors die"}))
    mine.execute(c.DeleteRecord("team", TEAM))
    theirs.execute(c.SetRecordFields("risks", RISK, {"impact": 2,
                                                     "description": "Sensors break"}))
    theirs.execute(c.SetRecordFields("team", TEAM, {"organisation": "Stad Kortrijk"}))
    theirs.execute(c.SetItemFields("c1.a1.i2", {"done": True, "owner": "Bo"}))
    theirs.execute(c.CreateRecord("decisions", DECISION, {"question": "Go or no-go?"}))
    package = tmp_path / "theirs.d4ax"
    pkg.export_package(theirs, package, author="Bo")
    mine.close()
    theirs.close()
    return base, package


@pytest.fixture
def other_package(tmp_path: Path, home: Path) -> Path:
    """A package of another municipality's project."""
    path = tmp_path / "aalborg.d4a"
    session = create_project(path, NewProject("Parking sensors", "Aalborg", "DK"),
                             author="Mette")
    session.execute(c.SetItemFields("c1.a1.i3", {"done": True}))
    package = tmp_path / "aalborg.d4ax"
    pkg.export_package(session, package, author="Mette Hansen")
    session.close()
    return package


def accept_merge(decide: Callable[[MergeDialog], None]) -> Callable[[MergeDialog], int]:
    def run(dialog: MergeDialog) -> int:
        decide(dialog)
        assert dialog.merge_button.isEnabled()
        dialog.accept()
        return QDialog.DialogCode.Accepted

    return run


# --- export ---------------------------------------------------------------------------------

def test_export_dialog_says_plainly_what_is_withheld(qtbot) -> None:
    choices = LeaveOutChoices(("personal",))
    qtbot.addWidget(choices)
    assert choices.chosen() == ("personal",)
    assert "Personal data stays on this computer" in choices.summary.text()
    assert "works on a copy of this project needs the names" in choices.summary.text()
    choices.boxes["personal"].setChecked(False)
    assert choices.chosen() == ()
    assert "The package holds personal data" in choices.summary.text()
    choices.boxes["notes"].setChecked(True)
    assert "Left out: notes." in choices.summary.text()
    dialog = ExportDialog("Cycling counts", ("comments",))
    qtbot.addWidget(dialog)
    assert dialog.choices.chosen() == ("comments",)
    assert "Cycling counts" in dialog.findChild(type(choices.summary)).text()


def test_export_writes_a_package_without_personal_data(
        window: MainWindow, copies: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _package = copies
    assert window.open_path(mine)
    target = tmp_path / "out" / "shared"
    target.parent.mkdir()
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    before = sha256(mine)
    window.export_package()
    written = target.with_name("shared.d4ax")  # the suffix is added
    package = pkg.read_package(written)
    assert package.manifest.left_out == ("personal",)
    assert package.project_id == window.session.file.project_id
    assert "Exported the package" in window.statusBar().currentMessage()
    assert window.settings.export_leave_out == ("personal",)
    window.close_project()
    assert sha256(mine) == before  # exporting never changes the project


def test_export_to_a_place_that_cannot_be_written_says_why(
        window: MainWindow, copies: tuple[Path, Path], tmp_path: Path, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _package = copies
    assert window.open_path(mine)
    before = sha256(mine)
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(blocker / "x.d4ax"), ""))
    window.export_package()
    assert len(errors) == 1 and "x.d4ax" in errors[0]
    assert window.session is not None and not window.read_only
    window.close_project()
    assert sha256(mine) == before


# --- the partner view -------------------------------------------------------------------------

def test_a_package_of_another_project_opens_read_only_in_a_partner_view(
        window: MainWindow, other_package: Path, copies: tuple[Path, Path]) -> None:
    mine, _package = copies
    assert window.open_path(mine)
    before = sha256(mine)
    partner_window = window.program.open_package(other_package, window)
    assert partner_window is not None and partner_window is not window
    assert partner_window.partner is not None
    session = partner_window.session
    assert session is not None and session.read_only
    bar = partner_window.notice
    assert bar.isVisible()
    assert "Aalborg's package “Parking sensors”" in bar.text.text()
    assert "Mette Hansen" in bar.text.text()
    assert "Nothing in it can be changed" in bar.text.text()
    assert "Aalborg's package (read-only)" in partner_window.windowTitle()
    assert not partner_window.act_export_package.isEnabled()
    assert not partner_window.act_details.isEnabled()
    # every page of the program reads
    for page in ("dashboard", "timeline", "c1.a1", "datasets", "risks", "kpis", "tools"):
        assert partner_window.show_page(page), page
    assert partner_window.view.activity.checklist.index(0, 0).isValid()
    assert partner_window.program.settings.recent_files == [str(mine.absolute())]
    # the same package again raises its window
    assert window.program.open_package(other_package, window) is partner_window
    folder = partner_window.partner.folder
    assert folder.exists()
    partner_window.close_project()
    assert not folder.exists()  # nothing of the package is kept
    window.close_project()
    assert sha256(mine) == before


def test_a_second_start_with_a_package_opens_it(window: MainWindow, other_package: Path) -> None:
    window.program.handle(Request((str(other_package),), False))
    assert window.partner is not None  # the free window took it
    assert window.partner.package.path == other_package.absolute()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip",
                                     b"plain text, not a package\n" * 50])
def test_a_broken_package_is_refused_and_the_project_untouched(
        window: MainWindow, copies: tuple[Path, Path], tmp_path: Path, errors: list[str],
        content: bytes) -> None:
    mine, _package = copies
    assert window.open_path(mine)
    bad = tmp_path / "bad.d4ax"
    bad.write_bytes(content)
    before = sha256(mine)
    assert window.program.open_package(bad, window) is None
    assert len(errors) == 1 and "bad.d4ax" in errors[0]
    assert window.program.windows == [window]
    assert window.partner is None and window.session is not None
    window.close_project()
    assert sha256(mine) == before


def test_a_tampered_package_is_refused(window: MainWindow, copies: tuple[Path, Path],
                                       tmp_path: Path, errors: list[str]) -> None:
    _mine, package = copies
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x40
    bad = tmp_path / "tampered.d4ax"
    bad.write_bytes(bytes(data))
    assert window.program.open_package(bad, window) is None
    assert errors and "tampered.d4ax" in errors[0]
    assert window.session is None


# --- merging ------------------------------------------------------------------------------------

def test_a_package_of_the_same_project_merges_as_one_undoable_edit(
        window: MainWindow, copies: tuple[Path, Path], asked, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, package = copies
    assert window.open_path(mine)
    session = window.session
    assert session is not None
    # An edit of the risk before the merge: once the merge is in, undo must not be able to
    # put its old value back over what the merge brought.
    window.edit(c.SetRecordFields("risks", RISK, {"mitigation": "Heated housings"}))
    assert window.undo_stack.count() == 1
    seen: list[MergeDialog] = []

    def decide(dialog: MergeDialog) -> None:
        seen.append(dialog)
        fields = {(x.kind, x.field): n for n, x in enumerate(dialog.plan.conflicts)}
        assert set(fields) == {("risks", "impact"), ("risks", "description"),
                               ("team", merge.DELETED)}
        assert not dialog.merge_button.isEnabled()  # nothing decided yet
        assert dialog.undecided() == 3
        dialog.decide(fields[("risks", "impact")], THEIRS)
        dialog.decide(fields[("risks", "description")], EDITED, "Sensors fail in frost")
        dialog.decide(fields[("team", merge.DELETED)], MINE)
        # nothing is written before Merge
        assert session.file.get_record("risks", RISK).values["impact"] == 4

    asked.answers.append(0)  # Merge…
    monkeypatch.setattr(MergeDialog, "exec", accept_merge(decide))
    assert window.program.open_package(package, window) is window
    assert asked[0]["title"] == "Merge the package?"
    dialog = seen[0]
    shown = {dialog.conflict_model.text(r, 1) for r in range(dialog.conflict_model.rowCount())}
    assert {"Deleted"} <= shown
    risk = session.file.get_record("risks", RISK)
    assert (risk.values["impact"], risk.values["description"]) == (2, "Sensors fail in frost")
    assert session.file.get_record("team", TEAM).deleted
    assert session.file.get_record("decisions", DECISION) is not None
    assert session.state().item("c1.a1.i2").owner == "Bo"
    assert window.undo_stack.count() == 1
    assert "Merged theirs.d4ax" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    risk = session.file.get_record("risks", RISK)
    assert risk.values["impact"] == 4
    assert session.file.get_record("decisions", DECISION) is None
    window.undo_stack.redo()
    assert session.file.get_record("risks", RISK).values["impact"] == 2
    # the same package again has nothing left to merge
    asked.answers.append(0)
    window.program.open_package(package, window)
    assert asked[-1]["title"] == "Nothing to merge"


def test_a_cancelled_merge_writes_nothing(window: MainWindow, copies: tuple[Path, Path],
                                          asked, monkeypatch: pytest.MonkeyPatch) -> None:
    mine, package = copies
    assert window.open_path(mine)
    asked.answers.append(0)
    monkeypatch.setattr(MergeDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.program.open_package(package, window)
    assert window.undo_stack.count() == 0
    window.close_project()
    # closing writes a backup elsewhere, never the project's own records
    session = open_project(mine)
    try:
        assert session.file.get_record("risks", RISK).values["impact"] == 4
        assert session.file.get_record("decisions", DECISION) is None
    finally:
        session.close()


def test_choosing_to_read_a_copy_of_ones_project_opens_the_partner_view(
        window: MainWindow, copies: tuple[Path, Path], asked) -> None:
    mine, package = copies
    assert window.open_path(mine)
    asked.answers.append(1)  # Open Read-Only
    other = window.program.open_package(package, window)
    assert other is not None and other is not window and other.partner is not None


def test_merge_dialog_models_and_edited_values(qtbot, qtmodeltester, copies: tuple[Path, Path],
                                               home: Path) -> None:
    mine, package = copies
    session = open_project(mine)
    try:
        theirs = pkg.read_package(package).snapshot
        plan = merging.preview(session, theirs)
        dialog = MergeDialog(plan, merging.Labels(session, theirs), "From a test")
        qtbot.addWidget(dialog)
        qtmodeltester.check(dialog.conflict_model)
        qtmodeltester.check(dialog.arriving_model)
        arriving = [dialog.arriving_model.text(r, 0)
                    for r in range(dialog.arriving_model.rowCount())]
        assert any("Go or no-go?" in text for text in arriving)
        assert any(text.startswith("c1.a1.i2 ") for text in arriving)
        row = next(n for n, x in enumerate(plan.conflicts) if x.field == "description")
        dialog.conflict_view.selectRow(row)
        assert dialog.current_row() == row
        assert dialog.mine_value.text() == "Sensors die"
        assert dialog.theirs_value.text() == "Sensors break"
        assert dialog.mine_who.text().startswith("changed by Anna, ")
        assert dialog.theirs_who.text().startswith("changed by Bo, ")
        assert dialog.edit_radio.isEnabled()
        dialog.edit_radio.click()
        dialog.editor.setText("")
        dialog.editor.textEdited.emit("two\nlines")
        assert "one line" in dialog.edit_problem.text() or dialog.edit_problem.text()
        dialog.accept()  # undecided conflicts: Merge does nothing
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog._decide_all(MINE)
        assert dialog.merge_button.isEnabled()
        dialog.decide(row, EDITED, "bad\x00text")
        assert not dialog.merge_button.isEnabled()
        assert dialog.conflict_model.text(row, 4).startswith("Edited: ")
        dialog.decide(row, THEIRS)
        assert dialog.merge_button.isEnabled()
        number = next(n for n, x in enumerate(plan.conflicts) if x.field == "impact")
        dialog.conflict_view.selectRow(number)
        assert not dialog.edit_radio.isEnabled()  # a number is chosen, never typed
        decisions = dict(dialog.command().decisions)
        assert decisions[plan.conflicts[row].ident] == "Sensors break"
        before = snapshot.take(session.file)
        assert snapshot.take(session.file) == before  # the dialog wrote nothing
    finally:
        session.close()


def test_table_model_passes_the_model_tester(qtmodeltester) -> None:
    model = TableModel(["A", "B"])
    model.set_rows([["x", ("1 %", 0.01, "tip")], ["y", "z"]], numeric=[1])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1), exchange_gui.SORT_ROLE) == 0.01


# --- the tandem comparison ---------------------------------------------------------------------

def test_tandem_comparison_from_ones_project(window: MainWindow, copies: tuple[Path, Path],
                                             other_package: Path, qtmodeltester,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from d4a_desktop.gui.tandem import GAP, MINE, THEIRS, TandemDialog

    mine, _package = copies
    assert window.open_path(mine)
    before = sha256(mine)
    assert window.act_compare.isEnabled()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(other_package), ""))
    window.compare_dialog()
    dialog = window.tandem
    assert isinstance(dialog, TandemDialog) and dialog.isVisible()
    for model in (dialog.components, dialog.dimensions, dialog.activities, dialog.differences):
        qtmodeltester.check(model)
    comparison = dialog.comparison
    assert comparison.theirs.meta.municipality == "Aalborg"
    assert not comparison.same_project
    # the first row is overall, then one row per component
    assert dialog.components.rowCount() == 1 + len(comparison.components)
    assert dialog.dimensions.rowCount() == len(comparison.dimensions)
    row = next(n for n, r in enumerate(comparison.activities) if r.id == "c1.a1")
    assert dialog.activities.data(dialog.activities.index(row, THEIRS),
                                  exchange_gui.SORT_ROLE) == \
        comparison.activities[row].theirs.fraction
    gap = dialog.activities.text(row, GAP)
    assert gap == "=" or gap[0] in "+−"
    # the differences say what each side answered, and filter as one types
    items = [dialog.differences.text(r, 1) for r in range(dialog.differences.rowCount())]
    assert any(text.startswith("c1.a1.i3 ") for text in items)
    assert dialog.tabs.tabText(2).endswith("differences")
    dialog.filter.setText("c1.a1.i3")
    assert 1 <= dialog.proxy.rowCount() < dialog.differences.rowCount()
    assert dialog.components.text(0, MINE).endswith("%")
    # nothing was written, no window was opened for the package, and the read-only
    # project made of it for the comparison is gone
    assert window.program.windows == [window]
    assert not list(pkg._views_dir().iterdir())
    dialog.close()
    window.close_project()
    assert sha256(mine) == before


def test_tandem_comparison_from_the_partner_view(window: MainWindow, copies: tuple[Path, Path],
                                                 other_package: Path) -> None:
    from d4a_desktop.gui.tandem import TandemDialog

    mine, _package = copies
    assert window.open_path(mine)
    partner_window = window.program.open_package(other_package, window)
    assert partner_window is not None
    assert partner_window.notice.button.text() == "Compare with My Project…"
    partner_window.notice.button.click()
    dialog = partner_window.tandem
    assert isinstance(dialog, TandemDialog)
    # mine is the project open in the other window; theirs the package
    assert dialog.comparison.mine.meta.id == window.session.file.project_id
    assert dialog.comparison.theirs.meta.municipality == "Aalborg"
    dialog.close()
    assert partner_window.session is not None  # the partner view stays open


def test_comparing_with_a_broken_file_says_why(window: MainWindow, copies: tuple[Path, Path],
                                               tmp_path: Path, errors: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    mine, _package = copies
    assert window.open_path(mine)
    for name, content in (("broken.d4ax", b"PK\x05\x06" + bytes(18)),
                          ("broken.d4a", b"SQLite format 3\x00" + bytes(100))):
        bad = tmp_path / name
        bad.write_bytes(content)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, b=bad, **k: (str(b), ""))
        window.compare_dialog()
        assert window.tandem is None
    assert len(errors) == 2
    assert window.session is not None and window.partner is None


# --- packages of one's own project that must not be merged ---------------------------------------

def _own_package(mine: Path, tmp_path: Path, change: Callable[[dict], None],
                 manifest_change: Callable[[dict], None] | None = None) -> Path:
    import io
    import json
    import zipfile

    from tests.services.exchange.test_hostile import zipped

    session = open_project(mine)
    try:
        snap = json.loads(pkg.project_bytes(snapshot.take(session.file)))
    finally:
        session.close()
    change(snap)
    data, _manifest = pkg.pack(snap)
    path = tmp_path / "own.d4ax"
    if manifest_change is None:
        path.write_bytes(data)
        return path
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    manifest_change(manifest)
    path.write_bytes(zipped([("manifest.json", json.dumps(manifest).encode()),
                             ("project.json", archive.read("project.json"))]))
    return path


def test_a_copy_from_a_newer_program_opens_read_only_and_is_never_merged(
        window: MainWindow, copies: tuple[Path, Path], tmp_path: Path, asked) -> None:
    mine, _package = copies
    path = _own_package(mine, tmp_path, lambda snap: None,
                        lambda manifest: manifest.update(project_schema=99))
    assert window.open_path(mine)
    before = sha256(mine)
    other = window.program.open_package(path, window)
    assert asked == []  # no merge offered
    assert other is not None and other is not window and other.partner is not None
    assert "newer version of the program" in other.notice.text.text()
    window.close_project()
    assert sha256(mine) == before


def test_a_copy_whose_ids_collide_across_kinds_is_refused(
        window: MainWindow, copies: tuple[Path, Path], tmp_path: Path, asked,
        errors: list[str]) -> None:
    mine, _package = copies

    def collide(snap: dict) -> None:
        risk = snap["records"]["risks"].pop()
        snap["records"]["decisions"].append(risk | {"values": {"question": "Moved"}})

    path = _own_package(mine, tmp_path, collide)
    assert window.open_path(mine)
    before = sha256(mine)
    asked.answers.append(0)  # Merge…
    window.program.open_package(path, window)
    assert len(errors) == 1 and window.undo_stack.count() == 0
    window.close_project()
    assert sha256(mine) == before
