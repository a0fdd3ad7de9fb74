"""Use cases of one project: create, open, edit with undo, close with backups, the demo."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from d4a_desktop import i18n, paths
from d4a_desktop.core.commands import Change, SetActivityFields, SetItemFields, SetProjectFields
from d4a_desktop.core.vocab import Status
from d4a_desktop.services.demo import demo_description, demo_path, write_demo
from d4a_desktop.services.projects import (
    NewProject,
    ProjectSession,
    create_project,
    open_project,
)
from d4a_desktop.services.roadmap import english_roadmap
from d4a_desktop.storage import ProjectFileError

DETAILS = NewProject(title="  Climate dashboard ", municipality="Vejle", country=" dk ",
                     domain="Climate", language="da", tandem_partner="Eigersund")


def backups(home: Path) -> list[Path]:
    folder = home / "data" / "backups"
    return sorted(folder.rglob("*.d4a")) if folder.exists() else []


def test_backups_go_to_the_test_home(home: Path) -> None:
    assert paths.backups_dir() == home / "data" / "backups"


def test_create_and_open(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "climate.d4a"
    session = create_project(path, DETAILS, author="Mette")
    try:
        assert isinstance(session, ProjectSession)
        assert session.path == path
        meta = session.state().meta
    finally:
        assert session.close().healthy is True
    assert (meta.title, meta.municipality, meta.country, meta.domain, meta.language,
            meta.tandem_partner) == ("Climate dashboard", "Vejle", "DK", "Climate", "da",
                                     "Eigersund")
    assert meta.roadmap_version == english_roadmap().version
    assert meta.author == "Mette"

    again = open_project(path, author="Lars")
    try:
        assert again.state().meta == meta
        assert again.progress().overall.done == 0
        assert again.progress().overall.total == sum(1 for _i in english_roadmap().items())
    finally:
        again.close()


def test_create_refuses_an_existing_file(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "p.d4a"
    create_project(path, DETAILS).close()
    with pytest.raises(ProjectFileError):
        create_project(path, DETAILS)
    create_project(path, DETAILS, overwrite=True).close()


def test_open_missing_file(tmp_path: Path, home: Path) -> None:
    with pytest.raises(ProjectFileError) as info:
        open_project(tmp_path / "nope.d4a")
    assert "nope.d4a" in info.value.message


def test_execute_and_undo_via_inverse(tmp_path: Path, home: Path) -> None:
    session = create_project(tmp_path / "p.d4a", DETAILS, author="A")
    try:
        item_id = "c4.a1.i2"
        total = session.progress().overall.total
        undo, change = session.execute(SetItemFields(item_id, {"done": True, "owner": "Ole"}))
        assert change == Change("item", item_id)
        assert session.state().item(item_id).owner == "Ole"
        assert session.progress().overall.done == 1
        assert session.progress().activities["c4.a1"].done == 1

        redo, _c = session.execute(undo)
        assert session.state().item(item_id).done is False
        assert session.state().item(item_id).owner == ""
        assert session.progress().overall.done == 0

        session.execute(redo)
        assert session.state().item(item_id).done is True

        undo_na, change = session.execute(SetActivityFields(
            "c4.a1", {"status": Status.NOT_APPLICABLE, "na_reason": "Not ours."}))
        assert change == Change("activity", "c4.a1")
        progress = session.progress()
        assert "c4.a1" in progress.excluded
        assert progress.overall.total == total - len(english_roadmap().activity("c4.a1").items)
        session.execute(undo_na)
        assert session.state().activity("c4.a1").status is Status.NOT_STARTED

        undo_meta, change = session.execute(SetProjectFields({"title": "Renamed"}))
        assert change.kind == "meta"
        assert session.state().meta.title == "Renamed"
        session.execute(undo_meta)
        assert session.state().meta.title == "Climate dashboard"
    finally:
        session.close()


def test_edits_are_stored_at_once(tmp_path: Path, home: Path) -> None:
    """Every edit is committed: a reader sees it after close without any "save"."""
    path = tmp_path / "p.d4a"
    session = create_project(path, DETAILS)
    session.execute(SetItemFields("c1.a1.i1", {"note": "kept",
                                               "due_date": dt.date(2027, 5, 1)}))
    session.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT note, due_date FROM item_state").fetchall() == [
            ("kept", "2027-05-01")]
    finally:
        conn.close()


def test_close_without_changes_writes_no_backup(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "p.d4a"
    create_project(path, DETAILS).close()
    assert backups(home) == []  # a fresh project is not "modified" by being created
    session = open_project(path)
    session.state()
    session.progress()
    assert session.close().healthy is True
    assert backups(home) == []


def test_close_after_changes_writes_a_rotated_backup(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "p.d4a"
    create_project(path, DETAILS).close()
    session = open_project(path)
    project_id = session.state().meta.id
    session.execute(SetItemFields("c1.a2.i1", {"done": True}))
    closed = session.close()
    assert closed.healthy is True and closed.backup_error == ""
    found = backups(home)
    assert found == [closed.backup]
    assert found[0].parent.parent == home / "data" / "backups" / project_id
    conn = sqlite3.connect(found[0])
    try:
        assert conn.execute("SELECT item_id, done FROM item_state").fetchall() == [
            ("c1.a2.i1", 1)]
    finally:
        conn.close()
    # No stray files beside the project itself.
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["p.d4a"]


def test_close_twice(tmp_path: Path, home: Path) -> None:
    session = create_project(tmp_path / "p.d4a", DETAILS)
    assert session.close().healthy is True
    assert session.close().healthy is True
    assert session.file.closed


def test_a_backup_that_fails_is_reported_and_the_project_still_closes(
        tmp_path: Path, home: Path) -> None:
    path = tmp_path / "p.d4a"
    session = create_project(path, DETAILS)
    session.execute(SetItemFields("c1.a2.i1", {"done": True}))
    (home / "data").mkdir(parents=True, exist_ok=True)
    (home / "data" / "backups").write_text("not a folder")
    closed = session.close()
    assert closed.healthy is True and closed.backup is None
    assert closed.backup_error and "\n" not in closed.backup_error
    assert session.file.closed
    open_project(path).close()  # not left locked


def test_check_of_a_healthy_project(tmp_path: Path, home: Path) -> None:
    session = create_project(tmp_path / "p.d4a", DETAILS)
    try:
        assert session.check() == []
    finally:
        session.close()


# --- the demo project ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_state(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    path = tmp_path_factory.mktemp("demo") / "demo.d4a"
    session = write_demo(path)
    try:
        assert session.file.modified is False
        return session.state(), session.progress()
    finally:
        session.close()


def test_demo_ids_exist_in_the_roadmap(demo_state: tuple) -> None:
    state, _progress = demo_state
    roadmap = english_roadmap()
    assert state.activities and state.items
    for activity_id in state.activities:
        assert roadmap.has(activity_id) and roadmap.activity(activity_id).id == activity_id
    for item_id in state.items:
        assert roadmap.has(item_id) and roadmap.item(item_id).id == item_id
    # And the description it was written from names only known ids.
    description = demo_description()
    # (the records file plans more activities: tests/services/test_demo_records.py)
    assert set(description["activities"]) <= set(state.activities)
    assert set(description["items"]) == set(state.items)


def test_demo_is_part_way(demo_state: tuple) -> None:
    state, progress = demo_state
    assert 0.1 < progress.overall.fraction < 0.9
    fractions = progress.as_fractions()
    activities = fractions["activities"].values()
    assert any(v == 1.0 for v in activities)  # some work finished,
    assert any(0.0 < v < 1.0 for v in activities)  # some under way,
    assert any(v == 0.0 for v in activities)  # some not started
    statuses = {a.status for a in state.activities.values()}
    assert {Status.DONE, Status.IN_PROGRESS} <= statuses


def test_demo_has_people_and_notes(demo_state: tuple) -> None:
    state, _progress = demo_state
    meta = state.meta
    assert meta.municipality and meta.title and meta.country == "BE"
    owners = {i.owner for i in state.items.values() if i.owner}
    notes = [i.note for i in state.items.values() if i.note]
    assert len(owners) >= 3
    assert len(notes) >= 5
    assert any(i.due_date is not None for i in state.items.values())
    na = [a for a in state.activities.values() if a.status is Status.NOT_APPLICABLE]
    assert all(a.na_reason for a in na)


def test_write_demo_refuses_an_existing_file(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "demo.d4a"
    write_demo(path).close()
    before = path.read_bytes()
    with pytest.raises(ProjectFileError):
        write_demo(path)
    assert path.read_bytes() == before
    write_demo(path, overwrite=True).close()
    assert backups(home) == []  # writing the demo is not an edit that needs a backup


def test_demo_path_is_in_the_user_folder(home: Path) -> None:
    assert demo_path().is_relative_to(home)
    assert demo_path().suffix == ".d4a"


def _texts(value: object) -> list[dict[str, str]]:
    """Every text the demo gives per language."""
    if isinstance(value, dict) and "en" in value:
        return [value]  # type: ignore[list-item]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    return []


def test_demo_texts_are_written_in_every_language() -> None:
    texts = _texts(demo_description())
    assert len(texts) >= 15  # title, domain, a reason and the notes
    for text in texts:
        assert set(text) == set(i18n.LANGUAGES), text["en"]
        for lang, value in text.items():
            assert value.strip(), (lang, text["en"])
            if lang != "en":
                assert value != text["en"], (lang, text["en"])


@pytest.mark.parametrize("lang", ["da", "fr", "de"])
def test_demo_in_the_interface_language(tmp_path: Path, home: Path, lang: str) -> None:
    i18n.set_language(lang)
    session = write_demo(tmp_path / f"demo-{lang}.d4a")
    state = session.state()
    session.close()
    description = demo_description()
    assert state.meta.language == lang
    assert state.meta.title == description["project"]["title"][lang]
    assert state.meta.domain == description["project"]["domain"][lang]
    assert state.item("c3.a1.i2").note == description["items"]["c3.a1.i2"]["note"][lang]
    assert state.activity("c6.a3").na_reason == \
        description["activities"]["c6.a3"]["reason"][lang]
    assert state.item("c3.a1.i2").owner == "Jonas Verhaeghe"  # names stay names
    assert demo_path().name != demo_path("en").name


def test_demo_language_can_be_chosen(tmp_path: Path, home: Path) -> None:
    session = write_demo(tmp_path / "d.d4a", language="sv")
    assert session.state().meta.title == "Datadriven cykelpolitik"
    session.close()


def test_progress_is_worked_out_once_per_state_of_the_file(tmp_path: Path,
                                                            home: Path) -> None:
    session = create_project(tmp_path / "p.d4a", DETAILS, author="A")
    try:
        first = session.progress()
        assert session.progress() is first  # nothing changed: the same answer
        session.execute(SetItemFields("c4.a1.i2", {"done": True}))
        after = session.progress()
        assert after is not first and after.overall.done == first.overall.done + 1
    finally:
        session.close()
