"""Search across the roadmap in the current language and the project's notes."""

from __future__ import annotations

from d4a_desktop import i18n
from d4a_desktop.core.project import ActivityState, ItemState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import Status
from d4a_desktop.services.roadmap import roadmap
from d4a_desktop.services.search import MARK_END, MARK_START, SearchIndex


def _state(**items: ItemState) -> ProjectState:
    meta = ProjectMeta(id="p", title="T", municipality="M", country="DK")
    return ProjectState(meta, {"c6.a3": ActivityState("c6.a3", Status.NOT_APPLICABLE,
                                                      "Handled by Vejle Kommune")}, items)


def test_finds_content_by_prefix_and_marks_the_match() -> None:
    index = SearchIndex(roadmap())
    hits = index.search("workshop")
    assert hits and hits[0].activity_id == "c1.a1"
    assert any(MARK_START in h.snippet and MARK_END in h.snippet for h in hits)
    assert index.search("worksh")[0].activity_id == "c1.a1", "prefixes match as you type"
    assert index.search("") == [] and index.search("  ,; ") == []
    assert index.search('"unbalanced') is not None


def test_searches_the_current_language_with_accents_folded() -> None:
    i18n.set_language("fr")
    index = SearchIndex(roadmap())
    french = index.search("donnees")  # typed without accents, the text has "données"
    assert french and "donn" in french[0].snippet.lower()
    assert index.search("workshop") == [] or all(
        "workshop" in h.snippet.lower() for h in index.search("workshop"))


def test_finds_the_projects_notes_and_owners_and_refreshes() -> None:
    state = _state(**{"c3.a1.i4": ItemState("c3.a1.i4", note="Telraam gaps at night",
                                            owner="Jonas")})
    index = SearchIndex(roadmap(), state)
    note = index.search("telraam gaps")
    assert note and (note[0].item_id, note[0].kind) == ("c3.a1.i4", "note")
    assert index.search("jonas")[0].kind == "owner"
    assert index.search("Vejle")[0].activity_id == "c6.a3"
    index.update_project(_state())
    assert index.search("telraam gaps") == []


def test_retired_items_are_not_offered_as_results() -> None:
    state = _state(**{"c9.a9.i9": ItemState("c9.a9.i9", note="zebra crossing survey")})
    assert SearchIndex(roadmap(), state).search("zebra") == []
