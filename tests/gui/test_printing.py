"""File → Print… and Export as PDF…: the dialog, the worker thread, printing and saving."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from d4a_desktop.gui import printing as gui_printing
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.printing import Context, DocumentDialog, PdfJob
from d4a_desktop.services import printing
from d4a_desktop.services.printing import Request

BLANK = Context(None, None, "Tester", "")


def test_file_menu_offers_print_and_export(window: MainWindow) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "&Print…" in texts and "&Export as PDF…" in texts
    assert window.act_print.isEnabled() and window.act_export_pdf.isEnabled()
    assert window.act_print.shortcut().toString() == "Ctrl+P"


def test_dialog_without_a_project(qtbot) -> None:
    dialog = DocumentDialog(BLANK, "export")
    qtbot.addWidget(dialog)
    assert not dialog.report.isEnabled()
    assert dialog.blank.isChecked() and not dialog.blank.isEnabled()
    assert dialog.request() == Request("checklist", "", blank=True, paper="a4")
    assert [dialog.paper.itemData(i) for i in range(dialog.paper.count())] == ["a4", "letter"]
    dialog.worksheet.setChecked(True)
    dialog.tool.setCurrentIndex(dialog.tool.findData("ethics-canvas"))
    assert dialog.request() == Request("worksheet", "ethics-canvas", paper="a3")
    dialog.tool.setCurrentIndex(dialog.tool.findData("dpia-screening"))
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    assert dialog.request() == Request("worksheet", "dpia-screening", paper="letter")
    dialog.checklist.setChecked(True)
    assert dialog.request().paper == "letter"  # the choice survives a change of kind


def test_dialog_starts_from_the_activity_shown(window: MainWindow, qtbot) -> None:
    assert window.open_demo()
    window.select("c3.a1")
    context = window.print_context()
    assert context.activity_id == "c3.a1"
    assert context.project is not None and context.project.meta.municipality == "Kortrijk"
    dialog = DocumentDialog(context, "print")
    qtbot.addWidget(dialog)
    assert dialog.report.isEnabled() and dialog.blank.isEnabled()
    assert dialog.request() == Request("checklist", "c3.a1", blank=False, paper="a4")
    dialog.report.setChecked(True)
    assert dialog.request() == Request("report", "", paper="a4")
    window.show_overview()
    assert window.print_context().activity_id is None


def test_dialog_starts_from_the_tool_shown(window: MainWindow, qtbot) -> None:
    assert window.open_demo()
    window.select("dpia-screening")
    context = window.print_context()
    assert context.tool_id == "dpia-screening"
    assert context.project is not None and context.project.tool("dpia-screening") is not None
    dialog = DocumentDialog(context, "export")
    qtbot.addWidget(dialog)
    assert dialog.worksheet.isChecked()
    assert dialog.request() == Request("worksheet", "dpia-screening", paper="a4")
    window.select("c3.a1")
    assert window.print_context().tool_id is None


def test_document_is_built_off_the_ui_thread(qtbot) -> None:
    pdf = gui_printing.build_with_progress(None, Request("checklist", "c1", blank=True),
                                           BLANK)
    assert pdf is not None and pdf.pages >= 2
    assert pdf.data.startswith(b"%PDF-")


def test_cancelling_stops_the_job(qtbot) -> None:
    job = PdfJob(Request("checklist", blank=True), BLANK)
    results: list[object] = []
    job.succeeded.connect(results.append)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        job.start()
    assert job.cancelled and results == []


def test_a_failed_build_is_reported(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("d4a_desktop.gui.dialogs.show_error",
                        lambda parent, message, title=None: shown.append(message))
    pdf = gui_printing.build_with_progress(None, Request("checklist", "c9.a9"), BLANK)
    assert pdf is None
    assert shown and "c9.a9" in shown[0]


def test_export_writes_the_file_or_says_why_not(qtbot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("d4a_desktop.gui.dialogs.show_error",
                        lambda parent, message, title=None: shown.append(message))
    request = Request("worksheet", "role-matrix")
    target = tmp_path / "roles.pdf"
    assert gui_printing.export_to(None, request, BLANK, target) == target
    assert pypdf.PdfReader(target).pages
    assert gui_printing.export_to(None, request, BLANK, tmp_path / "no" / "x.pdf") is None
    assert shown and "does not exist" in shown[0]


def test_export_from_the_window(window: MainWindow, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.open_demo()
    target = tmp_path / "report"
    monkeypatch.setattr(gui_printing, "choose_request",
                        lambda parent, context, action: Request("report"))
    monkeypatch.setattr(gui_printing.QFileDialog, "getSaveFileName",
                        lambda *args: (str(target), ""))
    window.export_pdf()
    written = target.with_name("report.pdf")  # the extension is added
    assert written.is_file()
    assert "Kortrijk" in pypdf.PdfReader(written).pages[0].extract_text()
    assert str(written) in window.statusBar().currentMessage()


def test_pages_are_rendered_onto_the_printer(qtbot, tmp_path: Path) -> None:
    request = Request("worksheet", "ethics-canvas", paper="a4")
    pdf = printing.build(request, gui_printing.roadmap())
    printer = gui_printing.make_printer(request)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    assert gui_printing.render_pdf(pdf, printer) == 1
    printed = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 1
    box = printed.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape, as the canvas is
