"""The dashboard's monitoring side: a sparkline with status per KPI, the tool reviews that
are due and where the open comments are, each a link; all following the edits."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from d4a_desktop.core import commands as c
from d4a_desktop.core import kinds, kpi
from d4a_desktop.gui.dashboard import DashboardPage
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.tools import ToolForm
from d4a_desktop.services import assessments, monitoring
from d4a_desktop.services import records as records_service
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.projects import NewProject, create_project

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dash") / "demo.d4a"
    write_demo(path).close()
    return path


@pytest.fixture
def demo(window: MainWindow, template: Path, tmp_path: Path) -> MainWindow:
    assert window.open_path(shutil.copy(template, tmp_path / "demo.d4a"))
    assert window.view.pages.currentWidget() is window.view.dashboard
    return window


def _board(window: MainWindow) -> DashboardPage:
    return window.view.dashboard


def _kpi(window: MainWindow, name: str) -> monitoring.Measured:
    assert window.session is not None
    return next(m for m in monitoring.measured(window.session)
                if m.definition.name.startswith(name))


def test_each_kpi_has_a_sparkline_with_its_status(demo: MainWindow) -> None:
    board = _board(demo)
    session = demo.session
    assert session is not None
    measured = monitoring.measured(session)
    assert len(measured) >= 4
    assert set(board.kpis.sparklines) == {m.record.id for m in measured}
    for m in measured:
        line = board.kpis.sparklines[m.record.id]
        assert line.status is m.status.status
        assert len(line.line.points) == len(kpi.effective(m.measurements))
        assert m.definition.name in line.accessibleName()
    statuses = {m.status.status for m in measured}
    assert {kpi.Status.ON_TRACK, kpi.Status.OFF_TRACK} <= statuses
    assert board.kpis.grab().width() > 0


def test_reviews_due_and_open_comments_are_listed_as_links(demo: MainWindow) -> None:
    board = _board(demo)
    reviews = board.reviews.body.text()
    assert "tool:dpia-screening" in reviews and "DPIA screening" in reviews
    session = demo.session
    assert session is not None
    total = sum(assessments.open_comments(session).values())
    assert total >= 2
    assert board.comments.title.text() == f"{total} open comments"
    text = board.comments.body.text()
    assert "activity:c3.a1" in text and "tool:dpia-screening" in text
    speed = _kpi(demo, "Cars faster")
    assert f"kpi:{speed.record.id}" in text and speed.definition.name in text


def test_links_open_the_tool_and_the_kpi(demo: MainWindow) -> None:
    board = _board(demo)
    board.reviews.body.linkActivated.emit("tool:dpia-screening")
    form = demo.view.pages.currentWidget()
    assert isinstance(form, ToolForm) and form.view is not None
    assert form.view.tool.id == "dpia-screening"
    demo.show_overview()
    speed = _kpi(demo, "Cars faster")
    board.kpis.linkActivated.emit(f"kpi:{speed.record.id}")
    page = demo.monitor.kpi_page
    assert demo.view.pages.currentWidget() is page
    current = page.current()
    assert current is not None and current.record.id == speed.record.id
    demo.show_overview()
    board.registers.body.linkActivated.emit("kpis")
    assert demo.view.pages.currentWidget() is page
    assert 'href="kpis"' in board.registers.body.text()
    assert "register:kpis" not in board.registers.body.text()


def test_the_register_counts_show_whole_in_a_narrow_window(demo: MainWindow, qtbot) -> None:
    """The table of register counts is laid out once, unwrapped: in the narrowest window
    it must still show whole, each name beside its count."""
    demo.resize(demo.minimumSize())
    qtbot.wait(10)
    body = _board(demo).registers.body
    assert not body.wordWrap()
    assert body.width() >= body.sizeHint().width()
    assert body.height() >= body.sizeHint().height()
    assert body.text().count("<tr>") == len(kinds.REGISTERS)


def test_dashboard_follows_measurements_comments_and_reviews(demo: MainWindow) -> None:
    board = _board(demo)
    session = demo.session
    assert session is not None
    speed = _kpi(demo, "Cars faster")
    assert board.kpis.sparklines[speed.record.id].status is kpi.Status.OFF_TRACK
    points = len(board.kpis.sparklines[speed.record.id].line.points)
    # a measurement that reaches the target (fewer speeding cars is better)
    assert speed.definition.target is not None
    assert demo.edit(monitoring.new_measurement(session, speed.record.id, TODAY,
                                                speed.definition.target))
    line = board.kpis.sparklines[speed.record.id]
    assert line.status is kpi.Status.ON_TRACK and len(line.line.points) == points + 1
    demo.undo_stack.undo()
    assert board.kpis.sparklines[speed.record.id].status is kpi.Status.OFF_TRACK

    before = sum(assessments.open_comments(session).values())
    demo.edit(assessments.add_comment(session, "item", "c2.a1.i1", "Who signs this?", "An"))
    assert board.comments.title.text() == f"{before + 1} open comments"
    assert "item:c2.a1.i1" in board.comments.body.text()
    comment = next(r for r in session.records("comments") if r.get("about") == "c2.a1.i1")
    demo.edit(c.SetRecordFields("comments", comment.id, {"resolved": True}))
    assert board.comments.title.text() == f"{before} open comments"
    assert "item:c2.a1.i1" not in board.comments.body.text()

    demo.edit(assessments.set_details(session, "dpia-screening",
                                      {"next_review": TODAY + dt.timedelta(days=200)}))
    assert "dpia-screening" not in board.reviews.body.text()
    demo.edit(assessments.set_details(session, "ethics-canvas",
                                      {"next_review": TODAY - dt.timedelta(days=1)}))
    assert "tool:ethics-canvas" in board.reviews.body.text()


def test_comments_on_something_gone_are_counted_not_linked(demo: MainWindow) -> None:
    session = demo.session
    assert session is not None
    speed = _kpi(demo, "Cars faster")
    demo.edit(monitoring.delete_kpi(session, speed.record.id))
    board = _board(demo)
    assert speed.record.id not in board.kpis.sparklines
    text = board.comments.body.text()
    assert f"kpi:{speed.record.id}" not in text
    assert "1 on something no longer in the project" in text
    total = sum(assessments.open_comments(session).values())
    assert board.comments.title.text() == f"{total} open comments"
    assert records_service.dashboard_view(session).open_comments == total


def test_an_empty_project_says_what_to_do(window: MainWindow, tmp_path: Path) -> None:
    create_project(tmp_path / "e.d4a", NewProject("E", "Vejle", "DK")).close()
    assert window.open_path(tmp_path / "e.d4a")
    board = _board(window)
    assert board.kpis.sparklines == {}
    assert 'href="kpis"' in board.kpis.empty.text()
    assert "No tool is due for review" in board.reviews.body.text()
    assert board.comments.title.text() == "Open comments"
    assert "No open comments" in board.comments.body.text()
    board.kpis.empty.linkActivated.emit("kpis")
    assert window.view.pages.currentWidget() is window.monitor.kpi_page


def test_a_long_title_is_shortened_with_an_ellipsis(demo: MainWindow) -> None:
    text = ("The platform upgrade at the intermunicipal partner slips by half a year, and the "
            "public dashboard with it, which the council was promised for spring")
    demo.edit(records_service.new_record("risks", {"description": text, "likelihood": 5,
                                                    "impact": 5}))
    body = _board(demo).risks.body.text()
    assert text[:80] in body
    assert text[:89].rstrip() + "…" in body and text not in body


def test_tab_goes_through_the_cards_in_the_order_they_are_shown(demo: MainWindow) -> None:
    """The page is built from the outside in (quicker), which must not change the keyboard
    order: Tab visits the cards' lists row by row, left to right, as they are laid out."""
    board = _board(demo)
    cards = [board.overdue, board.late, board.milestones, board.risks, board.reviews,
             board.comments, board.decisions, board.registers]
    places = [(card.y(), card.x()) for card in cards]
    assert places == sorted(places)  # the list above is the order on screen
    board.edit_button.setFocus()
    visited = []
    for _step in range(40):
        demo.focusNextChild()
        focused = demo.focusWidget()
        if focused in [card.body for card in cards] and focused not in visited:
            visited.append(focused)
    assert visited == [card.body for card in cards]


def test_filling_the_page_lays_it_out_once_afterwards(
        demo: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Filling a page on show (as a start does) must not lay the page out there and then,
    once for each line or KPI row shown, while its text is still changing: it is laid out
    when the event loop runs. Then every line and row shows, in its place."""
    from d4a_desktop.gui.labels import WrappingLabel
    from d4a_desktop.services.roadmap import roadmap

    session = demo.session
    assert session is not None
    view = records_service.dashboard_view(session)
    assert view.progress.excluded and view.kpis  # the demo has both
    pages = demo.view.pages
    board = DashboardPage(roadmap(), pages)
    pages.addWidget(board)
    pages.setCurrentWidget(board)
    assert board.isVisible()
    asked: list[int] = []
    real = WrappingLabel.heightForWidth

    def counted(self: WrappingLabel, width: int) -> int:
        asked.append(width)
        return real(self, width)

    monkeypatch.setattr(WrappingLabel, "heightForWidth", counted)
    board.show_view(view)
    assert asked == []
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.wait(1)
    assert board.excluded.isVisible() and board.excluded.height() > 0
    assert board.excluded.y() > board.registers.geometry().bottom()
    for line in board.kpis.sparklines.values():
        assert line.isVisible() and line.width() > 0


def test_heat_cells_show_their_share_in_its_colour(demo: MainWindow, qtbot) -> None:
    """A cell is painted in the colour of its share, its text readable on it (white on
    the darker greens) and bold in the totals; where nothing applies, a dash in grey on
    white with an outline."""
    from PySide6.QtGui import QFont, QPalette

    from d4a_desktop import i18n
    from d4a_desktop.core.progress import Tally
    from d4a_desktop.gui.dashboard import heat_colour

    board = _board(demo)
    cells = board._heat_cells
    qtbot.wait(1)

    def centre_left(cell: object) -> str:  # inside the cell, clear of its text
        image = cell.grab().toImage()  # type: ignore[attr-defined]
        return image.pixelColor(3, image.height() // 2).name()

    cell = cells[("c1", "technology")]
    board._set_cell(cell, Tally(4, 5))
    assert cell.text() == i18n.format_percent(0.8)
    assert centre_left(cell) == heat_colour(0.8).name() == cell.background.name()
    assert cell.palette().color(QPalette.ColorRole.WindowText).name() == "#ffffff"
    assert cell.font().weight() == QFont.Weight.Normal
    assert cell.toolTip() == "4 of 5 items done"

    board._set_cell(cell, Tally(1, 5), bold=True)
    assert centre_left(cell) == heat_colour(0.2).name()
    assert cell.palette().color(QPalette.ColorRole.WindowText).name() == "#1f2d3a"
    assert cell.font().weight() == QFont.Weight.DemiBold

    board._set_cell(cell, Tally())
    assert cell.text() == "—" and cell.border is not None
    assert centre_left(cell) == "#ffffff"
    image = cell.grab().toImage()
    assert image.pixelColor(image.width() // 2, 0).name() == cell.border.name()
    assert cell.toolTip() == "No checklist items apply here."
