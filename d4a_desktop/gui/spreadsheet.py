"""A register to and from a spreadsheet: export, and import with a preview.

Import first reads and checks the whole file (``services.spreadsheets.plan_import``) and
shows what it would do: how many records are new, changed and unchanged, and every row
that cannot be taken, with its column and the reason. Nothing is written while any row is
rejected; an accepted import is one edit that one Undo takes back.

Reading and checking a large file runs on a worker thread (QThreadPool) behind a progress
dialog, so the window keeps painting; a small file is read at once, which is faster than
starting a thread. The project file itself is only read on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop import i18n
from d4a_desktop.core.records import Kind, Record
from d4a_desktop.gui import tasks
from d4a_desktop.gui.dialogs import show_error
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services import spreadsheets
from d4a_desktop.services.projects import ProjectSession
from d4a_desktop.storage import ProjectFileError

#: Files from this size on are read on a worker thread. Measured on the large benchmark
#: project: 2,000 datasets as CSV (680 kB) take 0.7 s to read and check, as .xlsx (260 kB)
#: 1.9 s; under 128 kB (some 400 rows of CSV) it is over before a progress dialog would show.
BACKGROUND_BYTES = 128 * 1024


class _Done(QObject):
    """Lives on the UI thread, so the worker's result arrives through the event loop."""

    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.result: Any = None
        self.error: BaseException | None = None

    @Slot(object, object)
    def done(self, result: Any, error: Any) -> None:
        self.result, self.error = result, error
        self.finished.emit()


def run_in_background(parent: QWidget | None, text: str, work: Callable[[], Any], *,
                      cancellable: bool = True) -> tuple[bool, Any]:
    """Run ``work`` on a worker thread while the window stays responsive; a progress
    dialog appears when it takes longer than a moment. Returns (finished, result);
    finished is False when the user cancelled (the result is then dropped). An exception
    of ``work`` is raised here, on the UI thread."""
    receiver = _Done()
    loop = QEventLoop()
    receiver.finished.connect(loop.quit)
    dialog = QProgressDialog(text, _("Cancel") if cancellable else "", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    cancelled: list[bool] = []

    def cancel() -> None:
        cancelled.append(True)
        loop.quit()

    dialog.canceled.connect(cancel)
    # Through gui/tasks.py: a worker there holds no Qt object of its own (see its _Hub).
    tasks.run_in_background(work, lambda result: receiver.done(result, None),
                            lambda error: receiver.done(None, error))
    loop.exec()
    dialog.reset()
    dialog.close()
    if cancelled and receiver.error is None and receiver.result is None:
        return False, None
    if receiver.error is not None:
        raise receiver.error
    return True, receiver.result


# --- export ------------------------------------------------------------------------------------

def _filters() -> tuple[str, str]:
    return (_("Excel workbook (*.xlsx)"), _("CSV table (*.csv)"))


def export_register(parent: QWidget, session: ProjectSession, kind: Kind,
                    records: Sequence[Record], *, filtered: bool = False) -> Path | None:
    """Ask where to write ``records`` (the rows the page shows) and write them."""
    xlsx, csv = _filters()
    start = session.path.parent / f"{kind.plural_text()}.xlsx"
    title = ngettext("Export the {count} record shown", "Export the {count} records shown",
                     len(records)).format(count=len(records)) if filtered \
        else _("Export {register}").format(register=kind.plural_text())
    name, chosen = QFileDialog.getSaveFileName(parent, title, str(start), f"{xlsx};;{csv}")
    if not name:
        return None
    ctx = spreadsheets.context(session)  # references written by name
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if chosen == csv else ".xlsx")
    try:
        run_in_background(parent, _("Writing {name}…").format(name=path.name),
                          lambda: spreadsheets.export(path, kind, records, ctx),
                          cancellable=False)
    except OSError as exc:
        show_error(parent, _("{name} could not be written: {reason}").format(
            name=path, reason=exc.strerror or exc))
        return None
    status = getattr(parent, "statusMessage", None)
    if status is not None:
        status.emit(ngettext("Wrote {count} record to {file}", "Wrote {count} records to {file}",
                             len(records)).format(count=len(records), file=path))
    return path


# --- import ------------------------------------------------------------------------------------

class ImportDialog(QDialog):
    """What an import would do, and the Import button when it can be done."""

    def __init__(self, session: ProjectSession, kind: Kind, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.kind = kind
        self.plan: spreadsheets.ImportPlan | None = None
        self.setWindowTitle(_("Import into {register}").format(register=kind.plural_text()))
        layout = QVBoxLayout(self)
        self.file_label = QLabel()
        self.file_label.setObjectName("hint")
        self.file_label.setWordWrap(True)
        layout.addWidget(self.file_label)
        self.summary = QLabel()
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.problems = QTableWidget(0, 3)
        self.problems.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.problems.verticalHeader().hide()
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setWordWrap(True)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 180)
        header.setStretchLastSection(True)
        layout.addWidget(self.problems, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("Import"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 460)

    def choose_and_plan(self) -> bool:
        """Ask for a file and check it; False when cancelled or unreadable."""
        name, _filter = QFileDialog.getOpenFileName(
            self.parentWidget(), self.windowTitle(), str(self.session.path.parent),
            _("Spreadsheets (*.xlsx *.csv)") + ";;" + _("All files (*)"))
        return bool(name) and self.plan_file(Path(name))

    def plan_file(self, path: Path) -> bool:
        """Read and check ``path`` against the register; False when it cannot be read."""
        try:
            ctx = spreadsheets.context(self.session)
        except ProjectFileError as exc:
            show_error(self.parentWidget(), exc.message)
            return False
        kind = self.kind

        def work() -> spreadsheets.ImportPlan:
            table = spreadsheets.read_table(path)
            return spreadsheets.plan_import(kind, table, ctx)

        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        try:
            # A workbook is compressed and slower to read: some seven times per byte.
            limit = BACKGROUND_BYTES // 7 if path.suffix.lower() == ".xlsx" \
                else BACKGROUND_BYTES
            if size >= limit:
                finished, plan = run_in_background(
                    self.parentWidget(), _("Reading {name}…").format(name=path.name), work)
                if not finished:
                    return False
            else:
                plan = work()
        except spreadsheets.SpreadsheetError as exc:
            show_error(self.parentWidget(), exc.message, _("Cannot import the file"))
            return False
        self.show_plan(path, plan)
        return True

    def show_plan(self, path: Path, plan: spreadsheets.ImportPlan) -> None:
        self.plan = plan
        self.file_label.setText(str(path))
        self.summary.setText(plan.summary())
        labels = {f.name: f.label_text() for f in self.kind.fields}
        self.problems.setRowCount(len(plan.problems))
        for n, problem in enumerate(plan.problems):
            column = labels.get(problem.column, problem.column)
            if problem.column in labels:
                column = f"{column} ({problem.column})"
            for c, text in enumerate((i18n.format_number(problem.row), column,
                                      problem.message)):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.problems.setItem(n, c, item)
        self.problems.resizeRowsToContents()
        self.problems.setVisible(bool(plan.problems))
        changes = len(plan.creates) + len(plan.updates)
        if plan.problems:
            self.explain.setText(ngettext(
                "{count} problem was found. Nothing will be imported until it is corrected "
                "in the file.",
                "{count} problems were found. Nothing will be imported until they are "
                "corrected in the file.", len(plan.problems)).format(
                count=i18n.format_number(len(plan.problems))))
            self.explain.setObjectName("fieldError")
        elif not changes:
            self.explain.setText(_("The register already holds everything in this file; "
                                   "there is nothing to import."))
            self.explain.setObjectName("")
        else:
            self.explain.setText(_("The import is one step: Undo takes all of it back."))
            self.explain.setObjectName("hint")
        self.explain.style().unpolish(self.explain)
        self.explain.style().polish(self.explain)
        self.import_button.setEnabled(plan.ok and changes > 0)
