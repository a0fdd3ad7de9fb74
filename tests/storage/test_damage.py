"""Damage that SQLite's checks do not see: the rest is shown, the broken values are named.

A flipped byte inside a text or a time passes ``integrity_check`` and used to end in a
traceback (text that is not UTF-8, a time that does not parse). Every reader of the file
(``d4a info``, ``d4a check``, the program) now reads what it can, names the damaged
record and field, and never leaves the file locked after a failed open.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from d4a_desktop import cli
from d4a_desktop.services.demo import write_demo
from d4a_desktop.services.projects import open_project
from d4a_desktop.storage import ProjectFile, ProjectFileError, lock
from tests.storage.badfiles import make_project


def poke(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = make_project(tmp_path / "p.d4a")
    with ProjectFile.open(path) as f:
        f.update_item("c2.a1.i1", {"note": "fine", "due_date": __import__("datetime").date(
            2027, 3, 1)})
        f.create_record("team", "4c8e1f2a-0000-4000-8000-000000000001",
                        {"name": "Els", "role": "project-manager"})
        f.create_record("datasets", "4c8e1f2a-0000-4000-8000-000000000002",
                        {"title": "Counts", "themes": ("tran",)})
    return path


DAMAGE = {
    "note not UTF-8": ("UPDATE item_state SET note = CAST(x'ff41fe' AS TEXT) "
                       "WHERE item_id = 'c2.a1.i1'", "item_state c2.a1.i1: note"),
    "time does not parse": ("UPDATE item_state SET modified_at = '2026-13-45 99:00' "
                            "WHERE item_id = 'c2.a1.i1'", "item_state c2.a1.i1: modified_at"),
    "date does not parse": ("UPDATE item_state SET due_date = 'soon' "
                            "WHERE item_id = 'c2.a1.i1'", "item_state c2.a1.i1: due_date"),
    "unknown status": ("UPDATE activity_state SET status = 'flying' "
                       "WHERE activity_id = 'c1.a1'", "activity_state c1.a1: status"),
    "list not JSON": ("UPDATE dataset SET themes = '[tran' ",
                      "dataset 4c8e1f2a-0000-4000-8000-000000000002: themes"),
    "unknown choice": ("UPDATE team_member SET role = 'wizard'",
                       "team_member 4c8e1f2a-0000-4000-8000-000000000001: role"),
    "name not UTF-8": ("UPDATE team_member SET name = CAST(x'c328' AS TEXT)",
                       "team_member 4c8e1f2a-0000-4000-8000-000000000001: name"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_value_is_named_and_the_rest_is_read(case: str, project: Path,
                                                       home: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    sql, where = DAMAGE[case]
    poke(project, sql)
    # d4a info shows the project and names the damage on stderr
    assert cli.main(["info", str(project)]) == 0
    out, err = capsys.readouterr()
    assert "Cycling counts" in out and where in err and "Traceback" not in err
    # d4a check reports it (exit 1), instead of crashing
    assert cli.main(["check", str(project)]) == 1
    out, err = capsys.readouterr()
    assert where in err
    # the program opens it for work and can go on editing
    session = open_project(project)
    try:
        state = session.state()
        session.records("team")
        session.records("datasets")
        assert state.item("c1.a1.i1").owner == "Els"
        assert any(d.describe() == where for d in session.damage())
        session.file.update_item("c3.a1.i1", {"done": True})
    finally:
        session.close()


def test_a_healthy_file_has_no_damage(project: Path) -> None:
    with ProjectFile.open(project, read_only=True) as f:
        assert f.check_values() == []


def test_flipped_bytes_never_end_in_a_traceback(tmp_path: Path, home: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """50 single-byte flips at random offsets of the demo project (the issue's trial)."""
    source = tmp_path / "demo.d4a"
    write_demo(source).close()
    data = source.read_bytes()
    rnd = random.Random(188)
    outcomes: dict[str, int] = {}
    for n in range(50):
        path = tmp_path / f"flip-{n}.d4a"
        damaged = bytearray(data)
        offset = rnd.randrange(100, len(data))  # past the header, which has its own checks
        damaged[offset] ^= 1 << rnd.randrange(8)
        path.write_bytes(bytes(damaged))
        for command in ("info", "check"):
            code = cli.main([command, str(path)])
            _out, err = capsys.readouterr()
            assert code in (0, 1, 2) and "Traceback" not in err, (offset, command, err)
        try:
            session = open_project(path)
        except ProjectFileError as exc:
            outcomes[exc.kind] = outcomes.get(exc.kind, 0) + 1
            assert not lock.lock_path(path).exists()  # never left locked
        else:
            outcomes["opened"] = outcomes.get("opened", 0) + 1
            session.state()
            for kind in ("team", "decisions", "datasets", "risks", "milestones"):
                session.records(kind)
            session.close()
            assert not lock.lock_path(path).exists()
    assert outcomes.get("opened", 0) > 0, outcomes


def test_damage_that_stops_integrity_check_is_its_finding(
        tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A damaged page that leads to others stops ``PRAGMA integrity_check`` itself with
    "database disk image is malformed" (5 of 1,500 random flips of the demo did): Check
    Project File and ``d4a check`` report it as damage, never as a traceback."""
    path = tmp_path / "demo.d4a"
    write_demo(path).close()
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = "
                           "'sqlite_autoindex_alembic_version_1'").fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    page = (root - 1) * page_size
    assert data[page] == 0x0A  # an index leaf: its first cell's record is damaged
    cell = page + int.from_bytes(data[page + 8:page + 10], "big")
    data[cell + 1] = 0x7F  # the record's header claims more bytes than it has
    path.write_bytes(bytes(data))
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA quick_check").fetchone()[0] == "ok"  # so it opens
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("PRAGMA integrity_check").fetchall()
    raw.close()
    with ProjectFile.open(path, read_only=True) as f:
        assert f.integrity_check() == ["database disk image is malformed"]
    assert cli.main(["check", str(path)]) == 1
    _out, err = capsys.readouterr()
    assert "damaged" in err and "malformed" in err and "Traceback" not in err


def test_a_renamed_column_in_the_stored_schema_is_damage_at_open(project: Path) -> None:
    """A flipped byte in a CREATE statement passes quick_check; the file must be refused
    when it opens, not fail on the first register page that reads the column."""
    data = project.read_bytes()
    marker = b"organisation TEXT DEFAULT '' NOT NULL"
    assert data.count(marker) == 1
    project.write_bytes(data.replace(marker, marker.replace(b"organisation", b"organisatiom")))
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(project)
    assert caught.value.kind == "damaged"
    assert not lock.lock_path(project).exists()
    assert cli.main(["check", str(project)]) != 0


@pytest.mark.parametrize("read_only", [False, True])
def test_a_schema_byte_that_is_not_utf8_is_damage_at_open(
        project: Path, read_only: bool, capsys: pytest.CaptureFixture[str]) -> None:
    """A flipped byte in a CREATE statement makes SQLite's error message quote a byte that
    is not UTF-8, and Python's sqlite3 then raises UnicodeDecodeError, not DatabaseError
    (5 of 1,500 random flips of the demo): the file is damaged, never a traceback."""
    data = project.read_bytes()
    marker = b"organisation TEXT DEFAULT '' NOT NULL"
    assert data.count(marker) == 1
    project.write_bytes(data.replace(marker, marker[:-1] + b"\xac"))
    with pytest.raises(ProjectFileError) as caught:
        ProjectFile.open(project, read_only=read_only)
    assert caught.value.kind == "damaged"
    assert not lock.lock_path(project).exists()
    for command in ("info", "check"):
        assert cli.main([command, str(project)]) == 2
        _out, err = capsys.readouterr()
        assert "damaged" in err and "Traceback" not in err


def test_repeated_damage_is_named_for_every_record(project: Path) -> None:
    """Lists and dates are parsed once per distinct text; a damaged text must still be
    named for each record that holds it, and a good one decoded for each."""
    ids = [f"4c8e1f2a-0000-4000-8000-00000000001{n}" for n in range(4)]
    with ProjectFile.open(project) as f:
        for rid in ids:
            f.create_record("datasets", rid, {"title": rid[-2:], "themes": ("tran", "envi"),
                                              "temporal_start": __import__("datetime").date(
                                                  2026, 1, 1)})
    poke(project, f"UPDATE dataset SET themes = '[tran', temporal_start = 'soon' "
                  f"WHERE id IN ('{ids[0]}', '{ids[1]}')")
    with ProjectFile.open(project) as f:
        for _round in range(2):  # the second read meets the texts the first one parsed
            by_id = {r.id: r for r in f.records("datasets")}
            assert [by_id[rid].get("themes") for rid in ids] == [(), (), ("tran", "envi"),
                                                                 ("tran", "envi")]
            assert by_id[ids[0]].get("temporal_start") is None
            assert str(by_id[ids[3]].get("temporal_start")) == "2026-01-01"
        named = {d.describe() for d in f.damage}
    for rid in ids[:2]:
        assert f"dataset {rid}: themes" in named and f"dataset {rid}: temporal_start" in named
    assert not any(rid in text for text in named for rid in ids[2:])


def test_yes_no_values_and_a_few_fields(project: Path) -> None:
    """Yes/no columns take a short path for 0 and 1; anything else is still damage, named
    for its record. Reading some fields (a register's table) decodes and names only those."""
    ids = [f"4c8e1f2a-0000-4000-8000-00000000002{n}" for n in range(4)]
    with ProjectFile.open(project) as f:
        for n, rid in enumerate(ids):
            f.create_record("datasets", rid, {"title": f"t{n}", "personal_data": n % 2 == 0,
                                              "description": f"d{n}"})
    poke(project, f"UPDATE dataset SET personal_data = 2 WHERE id = '{ids[2]}'")
    poke(project, f"UPDATE dataset SET personal_data = 'yes', temporal_start = 'soon' "
                  f"WHERE id = '{ids[3]}'")
    with ProjectFile.open(project) as f:
        some = {r.id: r for r in f.records("datasets", fields=("personal_data", "title"))}
        assert [some[rid].get("personal_data") for rid in ids] == [True, False, None, None]
        assert set(some[ids[0]].values) == {"title", "personal_data"}
        named = {d.describe() for d in f.damage}
        assert named == {f"dataset {ids[2]}: personal_data", f"dataset {ids[3]}: personal_data"}
        whole = {r.id: r for r in f.records("datasets")}
        assert whole[ids[0]].get("description") == "d0"
        assert {r.id: {k: r.get(k) for k in ("title", "personal_data")}
                for r in whole.values()} == {r.id: dict(r.values) for r in some.values()}
        # A summary is the id and those fields, in the same order (oldest first); times
        # and author are the whole record's.
        assert list(some) == list(whole)
        assert some[ids[0]].created_at is None and some[ids[0]].author == ""
        assert whole[ids[0]].created_at is not None and whole[ids[0]].modified_at is not None
        # Some records by id (the rows a page is about to paint), oldest first.
        picked = f.records("datasets", fields=("title",), ids=[ids[3], ids[1], "no-such-id"])
        assert [(r.id, dict(r.values)) for r in picked] == [(ids[1], {"title": "t1"}),
                                                           (ids[3], {"title": "t3"})]
        assert [r.id for r in f.records("datasets", ids=[ids[2]])] == [ids[2]]
        assert f"dataset {ids[3]}: temporal_start" in {d.describe() for d in f.damage}
