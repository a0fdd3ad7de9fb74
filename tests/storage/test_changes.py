"""Every committed edit stamps its record and lands in the change log, in one transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop.core import commands as c
from d4a_desktop.core import kinds
from d4a_desktop.core.project import state_id
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import ProjectFile
from tests.storage.badfiles import META, make_project

RID = "9a3e2b1c-0000-4000-8000-00000000000a"


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "p.d4a")
    with ProjectFile.open(path, author="setup") as f:
        f.create_record("team", RID, {"name": "Els"})
    return path


EDITS: dict[str, tuple[Any, str, str]] = {
    # name: (command, table, where)
    "item": (c.SetItemFields("c1.a1.i1", {"note": "n"}), "item_state", "item_id = 'c1.a1.i1'"),
    "new item": (c.SetItemFields("c5.a1.i1", {"done": True}), "item_state",
                 "item_id = 'c5.a1.i1'"),
    "activity": (c.SetActivityFields("c1.a1", {"planned_start": dt.date(2027, 1, 4)}),
                 "activity_state", "activity_id = 'c1.a1'"),
    "project": (c.SetProjectFields({"title": "New title"}), "project", "1 = 1"),
    "condition": (c.SetConditions(((Condition.GEODATA, True),)), "project_condition",
                  "condition = 'geodata'"),
    "record": (c.SetRecordFields("team", RID, {"organisation": "Stad"}), "team_member",
               f"id = '{RID}'"),
    "delete": (c.DeleteRecord("team", RID), "team_member", f"id = '{RID}'"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_every_edit_stamps_time_and_author_and_is_logged(name: str, project: Path) -> None:
    command, table, where = EDITS[name]
    before_log = rows(project, "SELECT count(*) FROM change_log")[0][0]
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    time.sleep(0.002)
    with ProjectFile.open(project, author="Pieter", installation="inst-1") as f:
        command.apply(f)
    stamped, author = rows(project, f"SELECT modified_at, author FROM {table} WHERE {where}")[0]
    assert author == "Pieter"
    assert dt.datetime.fromisoformat(stamped) >= start
    assert len(stamped.rsplit(".", 1)[1]) == 6 and stamped.endswith("000")  # milliseconds
    log = rows(project, "SELECT author, installation, at, op FROM change_log "
                        f"ORDER BY rowid LIMIT -1 OFFSET {before_log}")
    assert log and all(a == "Pieter" and i == "inst-1" for a, i, _at, _op in log)
    assert {at for _a, _i, at, _op in log} == {stamped}  # one edit, one time


def test_the_log_holds_old_and_new_values(project: Path) -> None:
    with ProjectFile.open(project, author="A") as f:
        f.update_item("c1.a1.i1", {"owner": "Bram"})
    entry = rows(project, "SELECT kind, record_id, key, op, field, old, new FROM change_log "
                          "ORDER BY rowid DESC LIMIT 1")[0]
    assert entry == ("item", state_id(META.id, "item", "c1.a1.i1"), "c1.a1.i1", "set",
                     "owner", '"Els"', '"Bram"')


def test_a_failed_edit_leaves_neither_the_change_nor_its_log(project: Path) -> None:
    before = rows(project, "SELECT count(*) FROM change_log")
    with ProjectFile.open(project) as f, pytest.raises(RuntimeError), f.transaction():
        f.update_item("c1.a1.i4", {"owner": "half"})
        raise RuntimeError("power cut in the middle")
    assert rows(project, "SELECT count(*) FROM change_log") == before
    assert rows(project, "SELECT count(*) FROM item_state WHERE item_id = 'c1.a1.i4'") == [(0,)]


def test_an_edit_that_changes_nothing_writes_nothing(project: Path) -> None:
    with ProjectFile.open(project) as f:
        f.update_item("c1.a1.i1", {"owner": "Els"})  # the same value
    assert rows(project, "SELECT author FROM item_state WHERE item_id = 'c1.a1.i1'") == [
        ("tester",)]


def test_following_a_roadmap_version_is_bookkeeping(project: Path) -> None:
    before = rows(project, "SELECT modified_at, author FROM project")
    log = rows(project, "SELECT count(*) FROM change_log")
    with ProjectFile.open(project, author="someone else") as f:
        f.follow_roadmap("2099.1")
    assert rows(project, "SELECT roadmap_version FROM project") == [("2099.1",)]
    assert rows(project, "SELECT modified_at, author FROM project") == before
    assert rows(project, "SELECT count(*) FROM change_log") == log


def test_undo_of_a_record_is_a_tombstone_and_redo_restores(project: Path) -> None:
    rid = str(uuid.uuid4())
    with ProjectFile.open(project) as f:
        create = c.CreateRecord("risks", rid, {"description": "Sensors fail", "impact": 4})
        undo, _ch = create.apply(f)
        redo, _ch = undo.apply(f)
        assert f.get_record("risks", rid).deleted is True
        assert f.records("risks") == []
        redo.apply(f)
        assert f.get_record("risks", rid).deleted is False
    ops = [r[0] for r in rows(project, f"SELECT op FROM change_log WHERE record_id = '{rid}' "
                                        "ORDER BY rowid")]
    assert ops == ["create", "delete", "restore"]


def test_at_most_one_accountable_per_activity(project: Path) -> None:
    member = RID
    with ProjectFile.open(project) as f:
        c.CreateRecord("responsibilities", str(uuid.uuid4()),
                       {"activity": "c2.a1", "member": member, "role": "accountable"}).apply(f)
        with pytest.raises(c.InvalidRecord) as info:
            c.CreateRecord("responsibilities", str(uuid.uuid4()),
                           {"activity": "c2.a1", "member": member, "role": "accountable"}
                           ).apply(f)
        assert "c2.a1" in str(info.value)
        c.CreateRecord("responsibilities", str(uuid.uuid4()),
                       {"activity": "c2.a2", "member": member, "role": "accountable"}).apply(f)
        assert len(f.records("responsibilities")) == 2


def test_every_declared_kind_round_trips_through_the_file(project: Path) -> None:
    """The parametrised suite of the record model: a new kind is tested by being declared."""
    import random

    from tests.storage.crashwork import _record_values

    rnd = random.Random(3)
    with ProjectFile.open(project) as f:
        for kind in kinds.KINDS:
            values = _record_values(kind, rnd, False)
            rid = str(uuid.uuid4())
            record = f.create_record(kind.name, rid, values)
            expected = {**kind.defaults(), **values}
            assert dict(record.values) == expected, kind.name
            again = f.get_record(kind.name, rid)
            assert again == record
    assert Status  # imported for the EDITS table
