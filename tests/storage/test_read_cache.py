"""Whole reads are kept until the file changes, by any writer: a kept read is never stale.

Showing a project asks for its state and records from several places; the file keeps each
whole read until SQLite says the file changed (a row changed through this connection, a
commit of another connection, a schema change)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import ProjectFile
from tests.storage.badfiles import make_project


@pytest.fixture
def project(tmp_path: Path) -> ProjectFile:
    f = ProjectFile.open(make_project(tmp_path / "p.d4a"))
    yield f
    f.close()


def _fresh(f: ProjectFile) -> tuple[object, object]:
    """What a read straight from the file gives (another connection, nothing kept)."""
    with ProjectFile.open(f.path, read_only=True) as other:
        return other.state(), other.records("risks")


def test_an_unchanged_file_gives_the_kept_read(project: ProjectFile) -> None:
    project.create_record("risks", str(uuid.uuid4()), {"description": "Late data"})
    assert project.state() is project.state()
    first, second = project.records("risks"), project.records("risks")
    assert first == second and first is not second  # a list of one's own each time
    assert all(a is b for a, b in zip(first, second, strict=True))
    first.clear()  # what a caller does with its list does not touch the kept read
    assert len(project.records("risks")) == 1


@pytest.mark.parametrize("edit", ["item", "activity", "meta", "conditions", "new record",
                                  "record", "deleted", "batch", "rolled back"])
def test_every_kind_of_edit_is_seen_by_the_next_read(project: ProjectFile, edit: str) -> None:
    rid = str(uuid.uuid4())
    project.create_record("risks", rid, {"description": "Late data"})
    before_state, before_risks = project.state(), project.records("risks")
    if edit == "item":
        project.update_item("c2.a1.i1", {"done": True})
    elif edit == "activity":
        project.update_activity("c2.a1", {"status": Status.DONE})
    elif edit == "meta":
        project.update_meta({"title": "Another title"})
    elif edit == "conditions":
        project.update_conditions({Condition.PERSONAL_DATA: False})
    elif edit == "new record":
        project.create_record("risks", str(uuid.uuid4()), {"description": "Budget"})
    elif edit == "record":
        project.update_record("risks", rid, {"description": "Late and partial data"})
    elif edit == "deleted":
        project.set_deleted("risks", rid, True)
    elif edit == "batch":
        with project.transaction():
            project.update_item("c2.a1.i2", {"owner": "Ann"})
            project.update_record("risks", rid, {"likelihood": 4})
    elif edit == "rolled back":
        with pytest.raises(RuntimeError), project.transaction():
            project.update_item("c2.a1.i2", {"owner": "Ann"})
            raise RuntimeError("the edit fails half-way")
    state, risks = project.state(), project.records("risks")
    assert (state, risks) == _fresh(project)
    if edit in ("item", "activity", "meta", "conditions", "batch"):
        assert state != before_state
    if edit in ("new record", "record", "deleted", "batch"):
        assert risks != before_risks


def test_a_commit_by_another_connection_is_seen(project: ProjectFile) -> None:
    project.state()
    other = sqlite3.connect(project.path, isolation_level=None, timeout=5)
    try:
        other.execute("UPDATE project SET title = 'Changed elsewhere'")
    finally:
        other.close()
    assert project.state().meta.title == "Changed elsewhere"


def test_a_change_of_the_schema_is_seen(project: ProjectFile) -> None:
    kept = project.state()
    other = sqlite3.connect(project.path, isolation_level=None, timeout=5)
    try:
        other.execute("CREATE TABLE added_later (x INTEGER)")
    finally:
        other.close()
    assert project.state() is not kept


def test_work_off_the_main_thread_reads_afresh_and_keeps_nothing(
        project: ProjectFile) -> None:
    kept = project.state()
    seen: list[object] = []
    worker = threading.Thread(target=lambda: seen.append(project.state()))
    worker.start()
    worker.join()
    assert seen[0] == kept and seen[0] is not kept
    assert project.state() is kept


def test_a_check_of_the_values_reads_them_all_again(project: ProjectFile) -> None:
    project.state()
    project.records("risks")
    assert project.check_values() == []
    other = sqlite3.connect(project.path, isolation_level=None, timeout=5)
    try:
        other.execute("UPDATE item_state SET note = CAST(x'ff41fe' AS TEXT) "
                      "WHERE rowid = (SELECT min(rowid) FROM item_state)")
    finally:
        other.close()
    project.state()  # kept again after the change
    assert [d.field for d in project.check_values()] == ["note"]


def _counted(f: ProjectFile, calls: list[int]) -> tuple[object, ...]:
    calls.append(1)
    return tuple(r.get("description") for r in f.records("risks"))


def test_a_derived_value_is_worked_out_once_until_the_file_changes(
        project: ProjectFile) -> None:
    project.create_record("risks", str(uuid.uuid4()), {"description": "Late data"})
    calls: list[int] = []
    first = project.derived("descriptions", lambda: _counted(project, calls))
    assert project.derived("descriptions", lambda: _counted(project, calls)) is first
    assert first == ("Late data",) and len(calls) == 1
    project.create_record("risks", str(uuid.uuid4()), {"description": "Budget"})  # an edit
    assert project.derived("descriptions", lambda: _counted(project, calls)) == (
        "Late data", "Budget")
    other = sqlite3.connect(project.path, isolation_level=None, timeout=5)
    try:  # another program's commit
        other.execute("UPDATE risk SET description = 'Changed elsewhere'")
    finally:
        other.close()
    assert project.derived("descriptions", lambda: _counted(project, calls)) == (
        "Changed elsewhere", "Changed elsewhere")
    assert len(calls) == 3
    assert project.derived("another key", lambda: _counted(project, calls)) is not None
    assert len(calls) == 4  # each key is its own value


def test_a_value_worked_out_while_the_file_changed_is_not_kept(
        project: ProjectFile) -> None:
    calls: list[int] = []

    def changing() -> tuple[object, ...]:
        value = _counted(project, calls)
        project.create_record("risks", str(uuid.uuid4()), {"description": "Meanwhile"})
        project.records("risks")  # a read after the change: the file is "as of" it now
        return value  # worked out from before the change

    assert project.derived("descriptions", changing) == ()
    # Not kept: the next ask works it out again and sees the record made meanwhile.
    assert project.derived("descriptions", lambda: _counted(project, calls)) == ("Meanwhile",)
    assert len(calls) == 2


def test_a_derived_value_off_the_main_thread_is_not_kept(project: ProjectFile) -> None:
    calls: list[int] = []
    worker = threading.Thread(
        target=lambda: project.derived("descriptions", lambda: _counted(project, calls)))
    worker.start()
    worker.join()
    project.derived("descriptions", lambda: _counted(project, calls))
    assert len(calls) == 2
