"""Search results: a model and a delegate, and nothing left over from another project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.search import HitModel, RowRole, SearchResults, split_marks
from d4a_desktop.services.projects import NewProject, create_project
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.services.search import MARK_END, MARK_START, SearchIndex


def _open(window: MainWindow, path: Path) -> None:
    assert window._open_with(lambda: create_project(path, NewProject("S", "Vejle", "DK")))


def test_search_is_cleared_when_the_project_closes(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "a.d4a")
    window.view.search.setText("dashboard")
    assert window.view.left_stack.currentWidget() is window.view.results
    assert window.view.results.count() > 0
    window.close_project()
    assert window.view.search.text() == ""
    assert window.view.results.count() == 0
    _open(window, tmp_path / "b.d4a")
    assert window.view.left_stack.currentWidget() is window.view.tree
    assert window.view.search.text() == ""


def test_search_is_cleared_when_another_project_opens(window: MainWindow,
                                                      tmp_path: Path) -> None:
    _open(window, tmp_path / "a.d4a")
    window.view.search.setText("dashboard")
    window.close_project()
    _open(window, tmp_path / "b.d4a")
    assert window.view.left_stack.currentWidget() is window.view.tree
    assert window.view.results.count() == 0


def test_hit_model_is_valid(qtmodeltester) -> None:
    index = SearchIndex(roadmap())
    model = HitModel()
    model.set_hits(roadmap(), index.search("data"))
    qtmodeltester.check(model, force_py=True)
    model.set_hits(roadmap(), [])
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "Nothing found."
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    model.clear()
    assert model.rowCount() == 0
    index.close()


def test_hits_show_title_kind_and_marked_words(qtbot) -> None:
    index = SearchIndex(roadmap())
    hits = index.search("dashboard")
    view = SearchResults()
    qtbot.addWidget(view)
    view.resize(300, 500)
    view.show()
    view.show_hits(roadmap(), hits)
    title, kind, text, spans = view.hits.index(0, 0).data(RowRole)
    act = roadmap().activity(hits[0].activity_id)
    assert act.title in title and kind
    assert MARK_START not in text and spans
    assert all(text[s:s + n].lower().startswith("dashboard") for s, n in spans)
    tip = view.hits.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "<p" in tip  # shown as plain text
    view.grab()  # paints every visible hit through the delegate
    chosen: list[object] = []
    view.hitChosen.connect(chosen.append)
    view.clicked.emit(view.hits.index(1, 0))
    assert chosen == [hits[1]]
    index.close()


def test_split_marks() -> None:
    assert split_marks(f"a {MARK_START}bc{MARK_END} d {MARK_START}e{MARK_END}") == \
        ("a bc d e", [(2, 2), (7, 1)])
    assert split_marks("plain") == ("plain", [])
    assert split_marks(f"{MARK_END}x{MARK_START}") == ("x", [])
