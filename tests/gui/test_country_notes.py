"""The activity page shows the notes for the project's own country, in the reader's language."""

from __future__ import annotations

import dataclasses

import pytest

from d4a_desktop import i18n
from d4a_desktop.core.project import ProjectMeta, ProjectState
from d4a_desktop.gui.activity import ActivityPage
from d4a_desktop.services.roadmap import roadmap


def _state(country: str) -> ProjectState:
    return ProjectState(ProjectMeta(id="p", title="T", municipality="M", country=country))


def _plain(text: str) -> str:
    """As QTextDocument.toPlainText gives it: no-break spaces become spaces."""
    return text.replace("\u00a0", " ")


def _page(qtbot) -> ActivityPage:
    page = ActivityPage(roadmap())
    qtbot.addWidget(page)
    return page


def test_swedish_project_reads_the_swedish_notes_in_swedish(qtbot) -> None:
    i18n.set_language("sv")
    rm = roadmap()
    page = _page(qtbot)
    page.show_activity(rm.activity("c2.a3"), _state("SE"))
    text = page.guidance.toPlainText()
    notes = rm.activity("c2.a3").notes_for("SE")
    assert len(notes) == 2
    assert "I Sverige" in text
    for note in notes:
        assert _plain(note.text) in text
    assert "Källa: imy.se, kontrollerad 4 december 2026" in text
    assert "IMY (Integritetsskyddsmyndigheten)" in text
    for other in ("I Belgien", "I Danmark", "I Tyskland", "I Frankrike", "I Nederländerna",
                  "I Norge"):
        assert other not in text
    html = page.guidance.toHtml()
    assert f'href="{notes[0].source}"' in html


def test_belgian_project_reads_the_belgian_notes_in_french(qtbot) -> None:
    i18n.set_language("fr")
    rm = roadmap()
    page = _page(qtbot)
    page.show_activity(rm.activity("c2.a3"), _state("BE"))
    text = page.guidance.toPlainText()
    assert "En Belgique" in text
    for note in rm.activity("c2.a3").notes_for("BE"):
        assert _plain(note.text) in text
    assert "Autorité de protection des données" in text
    assert "Source : autoriteprotectiondonnees.be, vérifiée le 4 décembre 2026" in text
    assert "En Suède" not in text and "IMY" not in text


def test_notes_follow_a_change_of_the_project_country(qtbot) -> None:
    rm = roadmap()
    page = _page(qtbot)
    page.show_activity(rm.activity("c4.a5"), _state("NL"))
    assert "In the Netherlands" in page.guidance.toPlainText()
    assert "Algoritmeregister" in page.guidance.toPlainText()
    page.update_state(_state("DE"))
    text = page.guidance.toPlainText()
    assert "In Germany" in text and "In the Netherlands" not in text
    assert "Datenschutzkonferenz" in text


@pytest.mark.parametrize("country", ["AT", "", "be"])
def test_no_notes_for_other_countries_and_case_does_not_matter(qtbot, country: str) -> None:
    rm = roadmap()
    page = _page(qtbot)
    page.show_activity(rm.activity("c2.a3"), _state(country))
    text = page.guidance.toPlainText()
    assert ("In Belgium" in text) == (country == "be")
    assert ("Source: " in text) == (country == "be")
    assert "In Sweden" not in text


def test_activity_without_notes_shows_no_heading(qtbot) -> None:
    rm = roadmap()
    activity = next(a for a in rm.activities() if not a.notes_for("SE"))
    page = _page(qtbot)
    page.show_activity(activity, _state("SE"))
    text = page.guidance.toPlainText()
    assert "In Sweden" not in text and "checked" not in text
    bare = dataclasses.replace(rm.activity("c2.a3"), country_notes=())
    page.show_activity(bare, _state("SE"))
    assert "In Sweden" not in page.guidance.toPlainText()


def test_header_link_says_there_are_notes_and_scrolls_to_them(qtbot) -> None:
    i18n.set_language("da")
    rm = roadmap()
    page = _page(qtbot)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    page.show_activity(rm.activity("c1.a3"), _state("DK"))
    assert not page.notes_link.isHidden()
    assert "I Danmark" in page.notes_link.text()
    assert page.notes_link.toolTip().startswith("2 noter om")
    bar = page.guidance.verticalScrollBar()
    assert bar.value() == 0
    assert page.show_country_notes()
    assert bar.value() > 0
    first_visible = page.guidance.cursorForPosition(page.guidance.viewport().rect().topLeft())
    assert first_visible.block().text() == "I Danmark"
    page.show_activity(rm.activity("c1.a1"), _state("DK"))  # no Danish note here
    assert page.notes_link.isHidden() and not page.show_country_notes()
