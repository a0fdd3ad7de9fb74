"""Comments on activities, checklist items, tools and KPIs; the open count in the navigator;
review marks; links shown but never fetched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from d4a_desktop import i18n
from d4a_desktop.gui.comments import CommentsPanel, linked
from d4a_desktop.gui.mainwindow import MainWindow
from d4a_desktop.gui.models import COMMENTS_COLUMN
from d4a_desktop.services.projects import NewProject, create_project


def _open(window: MainWindow, path: Path) -> None:
    assert window._open_with(lambda: create_project(path, NewProject("Talk", "Vejle", "DK")))


def _write(panel: CommentsPanel, text: str) -> None:
    panel.input.setPlainText(text)
    panel.add_button.click()


def _count(window: MainWindow, node: str) -> str | None:
    nav = window.view.model
    return nav.data(nav.index_of(node).siblingAtColumn(COMMENTS_COLUMN))


def test_comments_on_an_activity_are_added_resolved_and_deleted(window: MainWindow,
                                                                 tmp_path: Path) -> None:
    _open(window, tmp_path / "c.d4a")
    window.select("c3.a1")
    panel = window.view.activity.comments
    assert not panel.body.isVisibleTo(panel)  # collapsed until opened
    panel.toggle.click()
    _write(panel, "Night gaps in winter: count daylight hours only?")
    assert panel.input.toPlainText() == ""  # ready for the next one
    assert [c.comment.text for c in panel.cards()] == [
        "Night gaps in winter: count daylight hours only?"]
    assert window.session is not None
    author = window.program.author()
    assert panel.cards()[0].comment.author == author
    assert _count(window, "c3.a1") == "1" and _count(window, "c3") == "1"
    assert _count(window, "dashboard") == "1"
    assert panel.toggle.text() == "Comments (1 open)"
    panel.cards()[0].resolve.click()
    assert _count(window, "c3.a1") is None and panel.toggle.text() == "Comments (all resolved)"
    assert panel.cards()[0].comment.resolved
    panel.show_resolved.setChecked(False)
    assert panel.cards() == [] and panel.empty.text() == "Every comment is resolved."
    panel.show_resolved.setChecked(True)
    panel.cards()[0].delete.click()
    assert panel.cards() == []
    window.undo_stack.undo()  # the delete
    window.undo_stack.undo()  # the resolve
    assert _count(window, "c3.a1") == "1" and not panel.cards()[0].comment.resolved


def test_a_comment_on_a_checklist_item(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "c.d4a")
    window.select("c3.a1")
    page = window.view.activity
    page.table.commentRequested.emit("c3.a1.i6")  # the context menu's command
    panel = page.comments
    assert panel.body.isVisibleTo(panel) and panel.target() == ("item", "c3.a1.i6")
    _write(panel, "Screening done, see the tool.")
    card = panel.cards()[0]
    assert (card.comment.about_kind, card.comment.about) == ("item", "c3.a1.i6")
    assert card.comment.about_label.startswith("About the item: Run the DPIA screening")
    assert _count(window, "c3.a1") == "1"  # the item's activity counts it


def test_a_comment_on_a_tool_and_on_a_kpi(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "c.d4a")
    window.show_page("dpia-screening")
    form = window.monitor.tool_form
    _write(form.comments, "Add the S2 speed classes to the reasons.")
    assert form.tabs.tabText(2) == "Comments (1)"
    assert _count(window, "dpia-screening") == "1" and _count(window, "tools") == "1"
    from d4a_desktop.services import records

    assert window.session is not None
    window.edit(records.new_record("kpis", {"name": "Speed"}))
    window.show_page("kpis")
    panel = window.monitor.kpi_comments
    assert panel.isVisibleTo(window.monitor.kpi_page)
    _write(panel, "Police checks at the school gates?")
    assert _count(window, "kpis") == "1" and _count(window, "dashboard") == "2"


def test_links_are_shown_but_never_fetched() -> None:
    html = linked("See https://telraam.net/en/what-is-telraam. <b>not bold</b>")
    assert '<a href="https://telraam.net/en/what-is-telraam">' in html
    assert "what-is-telraam</a>." in html  # the full stop is not part of the address
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html


def test_link_in_a_comment_opens_only_when_clicked(window: MainWindow, tmp_path: Path,
                                                    monkeypatch) -> None:
    from d4a_desktop.gui import comments as comments_gui

    opened: list[str] = []
    monkeypatch.setattr(comments_gui, "open_url", lambda parent, url: opened.append(url))
    _open(window, tmp_path / "c.d4a")
    window.select("c1.a1")
    panel = window.view.activity.comments
    _write(panel, "Manual: https://telraam.net/en/what-is-telraam")
    card = panel.cards()[0]
    assert not card.body.openExternalLinks() and opened == []
    card.body.linkActivated.emit("https://telraam.net/en/what-is-telraam")
    assert opened == ["https://telraam.net/en/what-is-telraam"]


def test_mark_as_reviewed(window: MainWindow, tmp_path: Path) -> None:
    _open(window, tmp_path / "c.d4a")
    window.select("c2.a1")
    panel = window.view.activity.comments
    assert panel.review.text() == "Not reviewed yet"
    panel.review_button.click()
    today = i18n.format_date(dt.date.today())
    assert panel.review.text() == f"Reviewed by {window.program.author()} on {today}"
    assert window.undo_stack.undoText() == "Mark as reviewed"
    window.select("c2.a2")
    assert panel.review.text() == "Not reviewed yet"
    window.undo_stack.undo()
    window.select("c2.a1")
    assert panel.review.text() == "Not reviewed yet"


def test_read_only_projects_show_comments_but_take_none(window: MainWindow,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "c.d4a"
    _open(window, path)
    window.select("c1.a1")
    _write(window.view.activity.comments, "Kept")
    window.close_project()
    from d4a_desktop.services.projects import read_project

    assert window._open_with(lambda: read_project(path))
    window.select("c1.a1")
    panel = window.view.activity.comments
    panel.toggle.setChecked(True)
    assert [c.comment.text for c in panel.cards()] == ["Kept"]
    assert not panel.writer.isVisibleTo(panel) and not panel.review_button.isEnabled()
    assert not panel.cards()[0].resolve.isVisibleTo(panel)
    assert window.view.model.data(window.view.model.index_of("c1.a1").siblingAtColumn(
        COMMENTS_COLUMN), Qt.ItemDataRole.ToolTipRole) == "1 open comment"


def test_a_comment_on_a_register_record_follows_the_selection(window: MainWindow,
                                                            tmp_path: Path) -> None:
    from d4a_desktop.services import records

    _open(window, tmp_path / "c.d4a")
    assert window.session is not None
    first = records.new_record("risks", {"description": "Counters fail in winter"})
    second = records.new_record("risks", {"description": "No budget after the pilot"})
    window.edit(first)
    window.edit(second)
    window.show_page("risks")
    page = window.register("risks")
    page.table.clearSelection()
    assert "risks" not in window.monitor.record_comments  # made when first needed
    page.select(first.record_id)
    panel = window.monitor.record_comments["risks"]
    assert panel.isVisibleTo(page)
    _write(panel, "Ask Telraam about night counts.")
    stored = window.session.records("comments")
    assert [(c.get("about_kind"), c.get("about")) for c in stored] == \
        [("risks", first.record_id)]
    assert len(panel.cards()) == 1
    page.select(second.record_id)
    assert panel.cards() == []
    page.table.clearSelection()
    assert not panel.isVisibleTo(page)
    window.act_undo.trigger()  # the comment goes; back on the first record, none shows
    page.select(first.record_id)
    assert panel.cards() == []
