"""File → Print… and File → Export as PDF…: choose a document, build it, print or save it.

The document is always built as a PDF by the Qt-free printing service, in a worker thread
with a progress dialog that can cancel it; the window keeps repainting meanwhile. Printing
then renders the PDF's pages (QtPdf) onto the printer chosen in the system print dialog,
with a preview first, so paper and PDF look the same.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMarginsF, QSize, Qt, QThread, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from d4a_desktop.i18n import _
from d4a_desktop.services import printing
from d4a_desktop.services.printing import Cancelled, Pdf, PrintError, ProjectSnapshot, Request
from d4a_desktop.services.roadmap import roadmap

#: Paper sizes as the dialog names them; the names of the paper formats stay as they are.
PAPER_NAMES = {"a4": "A4", "letter": "US Letter", "a3": "A3"}
_QT_PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter,
              "a3": QPageSize.PageSizeId.A3}


@dataclass(frozen=True)
class Context:
    """What the window knows when the user asks to print."""

    project: ProjectSnapshot | None
    activity_id: str | None
    author: str
    folder: str
    #: The tool shown, if any: its worksheet is what the dialogs offer first.
    tool_id: str | None = None


class DocumentDialog(QDialog):
    """Which document to print or export: a checklist, a tool worksheet or the report."""

    def __init__(self, context: Context, action: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Print") if action == "print" else _("Export as PDF"))
        rm = roadmap()
        has_project = context.project is not None
        self.kind_group = QButtonGroup(self)
        self.checklist = QRadioButton(_("&Checklist"))
        self.worksheet = QRadioButton(_("Tool &worksheet"))
        self.report = QRadioButton(_("Project &report"))
        self.report.setEnabled(has_project)
        if not has_project:
            self.report.setToolTip(_("Open a project to print its report."))
        for n, button in enumerate((self.checklist, self.worksheet, self.report)):
            self.kind_group.addButton(button, n)
        self.checklist.setChecked(True)

        self.scope = QComboBox()
        self.scope.addItem(_("The whole roadmap"), "")
        for comp in rm.components:
            self.scope.addItem(f"{comp.number}. {comp.title}", comp.id)
            for act in comp.activities:
                self.scope.addItem(f"      {comp.number}.{act.number} {act.title}", act.id)
        if context.activity_id:
            self.scope.setCurrentIndex(max(0, self.scope.findData(context.activity_id)))
        self.blank = QCheckBox(_("&Blank, for a workshop"))
        self.blank.setChecked(not has_project)
        self.blank.setEnabled(has_project)
        self.tool = QComboBox()
        for tool in rm.tools:
            self.tool.addItem(tool.title, tool.id)
        if context.tool_id and self.tool.findData(context.tool_id) >= 0:
            self.tool.setCurrentIndex(self.tool.findData(context.tool_id))
            self.worksheet.setChecked(True)
        self.paper = QComboBox()

        checklist_box = QGroupBox()
        form = QFormLayout(checklist_box)
        form.addRow(_("&Steps:"), self.scope)
        form.addRow("", self.blank)
        tool_form = QFormLayout()
        tool_form.addRow(_("&Tool:"), self.tool)
        paper_form = QFormLayout()
        paper_form.addRow(_("&Paper:"), self.paper)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Print…") if action == "print" else _("Export…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.checklist)
        layout.addWidget(checklist_box)
        layout.addWidget(self.worksheet)
        layout.addLayout(tool_form)
        layout.addWidget(self.report)
        layout.addSpacing(8)
        layout.addLayout(paper_form)
        layout.addWidget(buttons)
        self._checklist_box = checklist_box
        self.kind_group.idToggled.connect(self._toggled)
        self.tool.currentIndexChanged.connect(lambda _i: self._update())
        self._update()
        self.resize(560, self.sizeHint().height())

    def _toggled(self, _id: int, on: bool) -> None:
        if on:
            self._update()

    def kind(self) -> str:
        return printing.KINDS[max(0, self.kind_group.checkedId())]

    def _update(self) -> None:
        kind = self.kind()
        self._checklist_box.setEnabled(kind == "checklist")
        self.tool.setEnabled(kind == "worksheet")
        current = self.paper.currentData()
        default = "a3" if kind == "worksheet" and self.tool.currentData() == "ethics-canvas" \
            else current or "a4"
        self.paper.blockSignals(True)
        self.paper.clear()
        for code in printing.papers(kind):
            self.paper.addItem(PAPER_NAMES[code], code)
        self.paper.setCurrentIndex(max(0, self.paper.findData(default)))
        self.paper.blockSignals(False)

    def request(self) -> Request:
        kind = self.kind()
        scope = {"checklist": self.scope.currentData(), "worksheet": self.tool.currentData(),
                 "report": ""}[kind] or ""
        return Request(kind, scope, blank=kind == "checklist" and self.blank.isChecked(),
                       paper=str(self.paper.currentData() or ""))


class PdfJob(QThread):
    """Builds one document off the UI thread; ``cancel()`` stops it at the next step."""

    progressed = Signal(int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, request: Request, context: Context, parent: QWidget | None = None):
        super().__init__(parent)
        self.request = request
        self.context = context
        self._stop = threading.Event()
        self.cancelled = False

    def cancel(self) -> None:
        self._stop.set()

    def _progress(self, fraction: float) -> None:
        if self._stop.is_set():
            raise Cancelled
        self.progressed.emit(int(fraction * 100))

    def run(self) -> None:
        try:
            pdf = printing.build(self.request, roadmap(), self.context.project,
                                 author=self.context.author, progress=self._progress)
        except Cancelled:
            self.cancelled = True
        except PrintError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # a bug must not take the window down with the thread
            self.failed.emit(_("The document could not be made: {reason}").format(reason=exc))
        else:
            self.succeeded.emit(pdf)


def build_with_progress(parent: QWidget, request: Request, context: Context) -> Pdf | None:
    """Build the document with a progress dialog; None when cancelled or failed."""
    job = PdfJob(request, context, parent)
    dialog = QProgressDialog(_("Preparing the document…"), _("Cancel"), 0, 100, parent)
    dialog.setWindowTitle(_("D4A Roadmap Desktop"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    result: list[Pdf] = []
    errors: list[str] = []
    loop = QEventLoop()
    job.progressed.connect(dialog.setValue)
    job.succeeded.connect(result.append)
    job.failed.connect(errors.append)
    job.finished.connect(loop.quit)
    dialog.canceled.connect(job.cancel)
    job.start()
    if not job.isFinished():
        loop.exec()
    job.wait()
    dialog.close()
    dialog.deleteLater()
    job.deleteLater()
    if errors:
        from d4a_desktop.gui.dialogs import show_error

        show_error(parent, errors[0], _("Cannot make the document"))
    return result[0] if result else None


def choose_request(parent: QWidget, context: Context, action: str) -> Request | None:
    dialog = DocumentDialog(context, action, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.request()


def export_pdf(parent: QWidget, context: Context) -> Path | None:
    """File → Export as PDF…: returns the file written, or None."""
    request = choose_request(parent, context, "export")
    if request is None:
        return None
    name = printing.suggested_name(request, roadmap(), context.project)
    path_text, _filter = QFileDialog.getSaveFileName(
        parent, _("Export as PDF"), str(Path(context.folder) / name),
        _("PDF documents (*.pdf)") + ";;" + _("All files (*)"))
    if not path_text:
        return None
    path = Path(path_text)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    return export_to(parent, request, context, path)


def export_to(parent: QWidget, request: Request, context: Context, path: Path) -> Path | None:
    pdf = build_with_progress(parent, request, context)
    if pdf is None:
        return None
    try:
        printing.write_pdf(path, pdf)
    except PrintError as exc:
        from d4a_desktop.gui.dialogs import show_error

        show_error(parent, exc.message, _("Cannot export the document"))
        return None
    return path


def print_document(parent: QWidget, context: Context) -> bool:
    """File → Print…: choose the document, build it, preview it and print it."""
    request = choose_request(parent, context, "print")
    if request is None:
        return False
    pdf = build_with_progress(parent, request, context)
    if pdf is None:
        return False
    printer = make_printer(request)
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle(_("Print preview"))
    preview.paintRequested.connect(lambda target: render_pdf(pdf, target))
    preview.resize(900, 1000)
    return preview.exec() == QDialog.DialogCode.Accepted


def make_printer(request: Request) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    paper = request.paper or ("a3" if request.scope == "ethics-canvas" else "a4")
    landscape = request.kind == "worksheet" and request.scope == "ethics-canvas"
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    printer.setPageLayout(QPageLayout(QPageSize(_QT_PAPERS[paper]), orientation,
                                      QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    printer.setDocName(printing.suggested_name(request, roadmap(), None)[:-4])
    return printer


def render_pdf(pdf: Pdf, printer: QPrinter) -> int:
    """Draw every page of ``pdf`` onto ``printer``, scaled to its paper; returns the pages."""
    from PySide6.QtPdf import QPdfDocument

    fd, name = tempfile.mkstemp(suffix=".pdf", prefix="d4a-print-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf.data)
        document = QPdfDocument()
        if document.load(name) != QPdfDocument.Error.None_:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        dpi = min(printer.resolution(), 300)
        pages = document.pageCount()
        for index in range(pages):
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(index, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(target.adjusted(0, 0, scaled.width() - target.width(),
                                              scaled.height() - target.height()), image)
        painter.end()
        document.close()
        return pages
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
