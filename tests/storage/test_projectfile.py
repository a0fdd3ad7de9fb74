"""The .d4a project file: creating, reopening, locking, checks, backups, bad input, upgrades."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from d4a_desktop import i18n
from d4a_desktop.core.project import ProjectMeta
from d4a_desktop.core.vocab import Condition, Status
from d4a_desktop.storage import ProjectFile, ProjectFileError
from d4a_desktop.storage import projectfile as pf
from tests.conftest import sha256
from tests.storage.badfiles import (
    EXPECTED_WORDS,
    MAKERS,
    META,
    held_by_other_process,
    make_bad,
    make_project,
    snapshot,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture(scope="module")
def real_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a healthy, closed project file."""
    return make_project(tmp_path_factory.mktemp("real") / "real.d4a").read_bytes()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project.d4a")


def sidecars(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name != path.name and p.name.startswith(path.name))


def sql(path: Path, query: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


# --- creating and reopening --------------------------------------------------------------

def test_create_then_reopen_keeps_state(tmp_path: Path) -> None:
    path = tmp_path / "cycling.d4a"
    due = dt.date(2027, 2, 28)
    with ProjectFile.create(path, META, author="Els") as f:
        assert f.path == path
        f.update_activity("c6.a3", {"status": Status.NOT_APPLICABLE,
                                    "na_reason": "Handled by the region."})
        f.update_activity("c1.a1", {"status": Status.DONE})
        f.update_item("c3.a1.i4", {"done": True, "owner": "Jonas", "due_date": due,
                                   "note": "Counters drop out at night — flag the gaps."})
        f.update_meta({"title": "Safer cycling"})
    assert f.closed

    with ProjectFile.open(path, author="Pieter") as f:
        state = f.state()
        assert f.upgraded_from is None
    meta = state.meta
    assert (meta.id, meta.title, meta.municipality, meta.country, meta.domain, meta.language,
            meta.tandem_partner, meta.roadmap_version) == (
        META.id, "Safer cycling", "Kortrijk", "BE", "Mobility", "nl", "KielRegion", "2026.1")
    assert meta.author == "Els"
    assert state.activity("c6.a3").status is Status.NOT_APPLICABLE
    assert state.activity("c6.a3").na_reason == "Handled by the region."
    assert state.activity("c1.a1").status is Status.DONE
    assert state.activity("c2.a1").status is Status.NOT_STARTED  # never touched
    item = state.item("c3.a1.i4")
    assert (item.done, item.owner, item.due_date, item.note) == (
        True, "Jonas", due, "Counters drop out at night — flag the gaps.")
    assert isinstance(item.due_date, dt.date)
    assert state.item("c3.a1.i5").done is False


def test_get_and_update_return_plain_data(project: Path) -> None:
    with ProjectFile.open(project, author="A") as f:
        before = f.get_item("c2.a1.i1")
        assert before.done is False and before.modified_at is None
        after = f.update_item("c2.a1.i1", {"done": True})
        assert after.done is True and after.author == "A"
        assert f.get_item("c2.a1.i1") == after
        assert f.get_activity("c1.a1").status is Status.IN_PROGRESS
        assert f.update_meta({"domain": "Climate"}).domain == "Climate"
        assert f.get_meta().domain == "Climate"


def test_conditions_round_trip(project: Path) -> None:
    with ProjectFile.open(project, author="Sofie") as f:
        assert f.get_conditions() == {}
        f.update_conditions({Condition.PERSONAL_DATA: False, Condition.GEODATA: True})
        f.update_conditions({Condition.GEODATA: None})
        assert f.modified is True
    with ProjectFile.open(project) as f:
        assert f.state().conditions == {Condition.PERSONAL_DATA: False,
                                        Condition.GEODATA: None}
    rows = sql(project, "SELECT id, author FROM project_condition ORDER BY condition")
    assert len(rows) == 2
    for rid, author in rows:
        assert str(uuid.UUID(str(rid))) == rid and author == "Sofie"


def test_modified_flag(project: Path) -> None:
    with ProjectFile.open(project) as f:
        f.state()
        assert f.modified is False
        f.update_item("c1.a1.i2", {"note": "x"})
        assert f.modified is True


def test_markers_in_the_header(project: Path) -> None:
    assert sql(project, "PRAGMA application_id") == [(pf.APPLICATION_ID,)]
    assert sql(project, "PRAGMA user_version") == [(pf.SCHEMA.version,)]
    assert sql(project, "SELECT version_num FROM alembic_version") == [
        (f"{pf.SCHEMA.version:04d}",)]
    header = pf.read_header(project)
    assert header.application_id == pf.APPLICATION_ID
    assert header.schema_version == pf.SCHEMA.version


def test_foreign_keys_are_enforced_while_open(project: Path) -> None:
    with ProjectFile.open(project) as f:
        conn = f._conn  # the one connection the file is used through
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO item_state (id, created_at, modified_at, author, project_id, "
                "item_id, done, owner, note) VALUES (?, '2026-01-01', '2026-01-01', '', "
                "'no-such-project', 'c1.a1.i7', 0, '', '')", (str(uuid.uuid4()),))
        assert f.get_item("c1.a1.i7").done is False
    assert sql(project, "SELECT count(*) FROM item_state WHERE item_id = 'c1.a1.i7'") == [(0,)]


def test_records_have_uuid_times_and_author(tmp_path: Path) -> None:
    path = tmp_path / "p.d4a"
    with ProjectFile.create(path, META, author="Els") as f:
        f.update_activity("c1.a1", {"status": Status.DONE})
        f.update_item("c1.a1.i1", {"done": True})
    with ProjectFile.open(path, author="Pieter") as f:
        f.update_item("c1.a1.i2", {"owner": "Bram"})
    rows = {}
    for table in ("project", "activity_state", "item_state"):
        rows[table] = sql(path, f"SELECT id, created_at, modified_at, author FROM {table}")
        assert rows[table], table
        for rid, created, modified, _author in rows[table]:
            assert str(uuid.UUID(str(rid))) == rid
            assert dt.datetime.fromisoformat(str(created)) <= dt.datetime.fromisoformat(
                str(modified))
    ids = [r[0] for table in rows.values() for r in table]
    assert len(ids) == len(set(ids))
    authors = dict(sql(path, "SELECT item_id, author FROM item_state"))
    assert authors == {"c1.a1.i1": "Els", "c1.a1.i2": "Pieter"}
    assert sql(path, "SELECT author FROM activity_state") == [("Els",)]
    assert sql(path, "SELECT id, author FROM project") == [(META.id, "Els")]


def test_no_journal_or_wal_after_close(project: Path) -> None:
    with ProjectFile.open(project) as f:
        f.update_item("c1.a1.i3", {"done": True})
        f.update_meta({"title": "Changed"})
    assert sidecars(project) == []
    assert sql(project, "PRAGMA journal_mode") == [("delete",)]


def test_open_file_is_self_contained_while_idle(project: Path, tmp_path: Path) -> None:
    """A copy of the .d4a alone, taken while the program has it open, has every edit."""
    copy = tmp_path / "copy.d4a"
    with ProjectFile.open(project) as f:
        f.update_item("c1.a1.i3", {"done": True, "note": "copied"})
        # Copy from another process: closing a file descriptor in this process would
        # drop this process's SQLite locks.
        subprocess.run([sys.executable, "-c", "import shutil, sys; shutil.copy(*sys.argv[1:])",
                        str(project), str(copy)], check=True)
    with ProjectFile.open(copy) as g:
        assert g.get_item("c1.a1.i3").note == "copied"


# --- one holder at a time ------------------------------------------------------------------

OPEN_IN_CHILD = """
import sys
from d4a_desktop.storage import ProjectFile, ProjectFileError
try:
    ProjectFile.open(sys.argv[1]).close()
except ProjectFileError as exc:
    print(exc.message)
    sys.exit(3)
print("opened")
"""


def open_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(path)],
                          capture_output=True, text=True, timeout=60)


def test_second_open_fails_in_another_process_and_in_this_one(project: Path) -> None:
    with ProjectFile.open(project) as f:
        child = open_in_child(project)
        assert child.returncode == 3, child.stdout + child.stderr
        assert "already open" in child.stdout and str(project) in child.stdout
        with pytest.raises(ProjectFileError) as info:
            ProjectFile.open(project)
        assert "already open" in info.value.message
        assert str(project) in info.value.message
        assert f.get_meta().title == META.title  # the holder is unharmed
    with ProjectFile.open(project):  # and after close, the file opens again
        pass


def test_a_refused_second_open_keeps_the_file_locked(project: Path) -> None:
    """After this process tried (and failed) to open the file again, other processes
    must still be kept out: the first holder's lock must survive the attempt."""
    with ProjectFile.open(project) as f:
        with pytest.raises(ProjectFileError):
            ProjectFile.open(project)
        child = open_in_child(project)
        assert child.returncode == 3, "another process opened a file that is held open"
        f.update_item("c1.a1.i4", {"done": True})


def test_create_refuses_the_path_of_an_open_project(project: Path) -> None:
    with ProjectFile.open(project), pytest.raises(ProjectFileError):
        ProjectFile.create(project, META)


def test_create_overwrite_refuses_a_file_open_in_another_process(project: Path) -> None:
    """Replacing a held file would send the holder's later edits to a deleted inode."""
    with held_by_other_process(project):
        before = snapshot(project)
        with pytest.raises(ProjectFileError) as info:
            ProjectFile.create(project, META, overwrite=True)
        assert "already open" in info.value.message
        assert snapshot(project) == before


# --- creating safely --------------------------------------------------------------------

def test_create_refuses_an_existing_path(project: Path) -> None:
    before = snapshot(project)
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.create(project, META)
    assert "already exists" in info.value.message and str(project) in info.value.message
    assert snapshot(project) == before


def test_create_overwrites_when_asked(project: Path) -> None:
    other = ProjectMeta(id=str(uuid.uuid4()), title="New", municipality="Vejle", country="DK")
    with ProjectFile.create(project, other, overwrite=True) as f:
        state = f.state()
    assert state.meta.title == "New" and state.items == {} and state.activities == {}
    assert sidecars(project) == []


def test_create_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError):
        ProjectFile.create(tmp_path / "nowhere" / "p.d4a", META)
    assert list(tmp_path.iterdir()) == []


def test_failed_create_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "taken.d4a"
    target.mkdir()  # os.replace onto a folder fails after the project was written
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.create(target, META, overwrite=True)
    assert str(target) in info.value.message
    assert [p.name for p in tmp_path.iterdir()] == ["taken.d4a"]
    assert target.is_dir() and list(target.iterdir()) == []


def test_create_failing_midway_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pf, "_create_schema", broken)
    with pytest.raises(RuntimeError):
        ProjectFile.create(tmp_path / "p.d4a", META)
    assert list(tmp_path.iterdir()) == []


# --- checks and backups ----------------------------------------------------------------------

def test_integrity_check_of_a_healthy_file(project: Path) -> None:
    with ProjectFile.open(project) as f:
        assert f.integrity_check() == []
        assert f.close() is True
    assert f.close() is True  # closing twice is harmless


def test_backup_to_is_a_complete_copy(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "b.d4a"
    with ProjectFile.open(project) as f:
        f.update_item("c1.a1.i5", {"owner": "Lotte"})
        assert f.backup_to(target) == target
    with ProjectFile.open(target) as b:
        assert b.get_item("c1.a1.i5").owner == "Lotte"
    assert [p.name for p in target.parent.iterdir()] == ["b.d4a"]


# --- bad input -------------------------------------------------------------------------------

def _attempt(kind: str, path: Path) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(path)
    return info.value


@pytest.mark.parametrize("kind", list(MAKERS))
def test_bad_file_is_refused_and_left_alone(kind: str, tmp_path: Path, real_bytes: bytes) -> None:
    path = make_bad(kind, tmp_path, real_bytes)
    holder = held_by_other_process(path) if kind == "locked" else contextlib.nullcontext()
    with holder:
        before = snapshot(path)
        error = _attempt(kind, path)
        after = snapshot(path)
    assert after == before  # same bytes, nothing created beside it
    message = error.message
    assert "\n" not in message
    assert str(path) in message or path.name in message
    assert EXPECTED_WORDS[kind] in message
    assert error.path == path
    if kind == "newer":
        assert str(pf.SCHEMA.version + 1) in message


def test_bad_files_get_different_messages(tmp_path: Path, real_bytes: bytes) -> None:
    messages = set()
    for kind in MAKERS:
        if kind == "locked":
            continue
        folder = tmp_path / kind
        folder.mkdir()
        path = make_bad(kind, folder, real_bytes)
        messages.add(_attempt(kind, path).message.replace(str(path), "FILE"))
    assert len(messages) == len(MAKERS) - 1


def _da_translates(msgid: str) -> bool:
    i18n.set_language("da")
    try:
        return i18n._(msgid) != msgid
    finally:
        i18n.set_language("en")


_LOCKED_MSGID = ("The project file {name} is already open in another window or program. "
                 "Close it there first.")


@pytest.mark.parametrize("kind", list(MAKERS))
def test_bad_file_messages_are_translated(kind: str, tmp_path: Path,
                                          real_bytes: bytes) -> None:
    if not _da_translates(_LOCKED_MSGID):
        pytest.skip("the Danish ui catalog (translations/ui/da.po) has no translations "
                    "of the project file errors yet")
    path = make_bad(kind, tmp_path, real_bytes)
    holder = held_by_other_process(path) if kind == "locked" else contextlib.nullcontext()
    with holder:
        before = snapshot(path)
        english = _attempt(kind, path).message
        i18n.set_language("da")
        danish = _attempt(kind, path).message
        after = snapshot(path)
    assert danish != english
    assert str(path) in danish and "\n" not in danish
    assert after == before


def test_header_check_reads_nothing_but_the_header(project: Path) -> None:
    before = sha256(project)
    header = pf.read_header(project)
    assert header.page_size >= 512 and header.pages >= 1
    assert sha256(project) == before


def test_damaged_page_is_refused(tmp_path: Path, real_bytes: bytes) -> None:
    """A complete file whose pages after the header are garbage."""
    path = tmp_path / "garbage.d4a"
    page = int.from_bytes(real_bytes[16:18], "big")
    path.write_bytes(real_bytes[:page] + bytes(range(256)) * ((len(real_bytes) - page) // 256))
    assert len(path.read_bytes()) == len(real_bytes)
    before = snapshot(path)
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(path)
    assert "damaged" in info.value.message
    assert snapshot(path) == before


def test_project_missing_its_tables_is_refused(tmp_path: Path, real_bytes: bytes) -> None:
    path = tmp_path / "stripped.d4a"
    path.write_bytes(real_bytes)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE item_state")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    before = snapshot(path)
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(path)
    assert "damaged" in info.value.message
    assert snapshot(path) == before


# --- upgrades ------------------------------------------------------------------------------

NEXT = pf.SCHEMA.version + 1

MIGRATION_NEXT = '''"""Test revision: a nullable column on project."""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("project", sa.Column("test_extra", sa.Text(), nullable=True))
{tail}
'''


def migrations_next(folder: Path, *, fail: bool = False) -> Path:
    """A copy of the real migrations plus one test revision on top of the newest."""
    source = Path(pf.__file__).parent / "migrations"
    (folder / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(source / name, folder / name)
    for revision in sorted((source / "versions").glob("0*.py")):
        shutil.copy(revision, folder / "versions")
    tail = '    raise RuntimeError("test migration failed halfway")' if fail else ""
    (folder / "versions" / f"{NEXT:04d}_test.py").write_text(
        MIGRATION_NEXT.format(revision=f"{NEXT:04d}", down=f"{NEXT - 1:04d}", tail=tail),
        encoding="utf-8")
    return folder


def columns(path: Path) -> list[str]:
    return [str(r[1]) for r in sql(path, "PRAGMA table_info(project)")]


@pytest.fixture
def old_project(tmp_path: Path) -> Path:
    """A project of the current schema, which the test migrations make "old"."""
    return make_project(tmp_path / "old.d4a")


def test_upgrade_takes_a_backup_then_migrates(old_project: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    original = old_project.read_bytes()
    monkeypatch.setattr(pf, "SCHEMA", pf.Schema(NEXT, migrations_next(tmp_path / "mig")))
    with ProjectFile.open(old_project, author="upgrader") as f:
        assert f.upgraded_from == NEXT - 1
        state = f.state()
        f.update_item("c2.a1.i2", {"done": True})
    backup = old_project.with_name(f"old.before-upgrade-v{NEXT - 1}.d4a")
    assert f.upgrade_backup == backup
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "mig", f"old.before-upgrade-v{NEXT - 1}.d4a", "old.d4a"]
    # The backup is the old file with the same data.
    assert sql(backup, "PRAGMA user_version") == [(NEXT - 1,)]
    assert sql(backup, "PRAGMA application_id") == [(pf.APPLICATION_ID,)]
    assert "test_extra" not in columns(backup)
    copy = tmp_path / "original.d4a"
    copy.write_bytes(original)
    for query in ("SELECT * FROM project", "SELECT * FROM activity_state",
                  "SELECT * FROM item_state", "SELECT version_num FROM alembic_version"):
        assert sql(backup, query) == sql(copy, query), query
    copy.unlink()
    # The file itself now has the new version.
    assert sql(old_project, "PRAGMA user_version") == [(NEXT,)]
    assert "test_extra" in columns(old_project)
    assert sql(old_project, "SELECT version_num FROM alembic_version") == [(f"{NEXT:04d}",)]
    assert state.item("c1.a1.i1").owner == "Els"  # data survived the upgrade
    assert sidecars(old_project) == []
    # Opening again does not upgrade again.
    with ProjectFile.open(old_project) as g:
        assert g.upgraded_from is None
        assert g.get_item("c2.a1.i2").done is True


def test_upgrade_from_version_1_runs_every_step(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A version-1 file goes through every real revision and the test one, in one go."""
    path = tmp_path / "first.d4a"
    shutil.copyfile(GOLDEN / "schema-v1.d4a", path)
    assert sql(path, "PRAGMA user_version") == [(1,)]
    monkeypatch.setattr(pf, "SCHEMA", pf.Schema(NEXT, migrations_next(tmp_path / "mig")))
    with ProjectFile.open(path) as f:
        assert f.upgraded_from == 1
        assert f.state().item("c1.a1.i1").owner == "An"
    assert sql(path, "PRAGMA user_version") == [(NEXT,)]
    assert sql(path, "SELECT version_num FROM alembic_version") == [(f"{NEXT:04d}",)]
    assert "test_extra" in columns(path)
    backup = path.with_name("first.before-upgrade-v1.d4a")
    assert sql(backup, "PRAGMA user_version") == [(1,)]
    assert sql(backup, "SELECT version_num FROM alembic_version") == [("0001",)]


def test_current_file_is_not_backed_up(project: Path) -> None:
    with ProjectFile.open(project) as f:
        assert f.upgraded_from is None and f.upgrade_backup is None
    assert [p.name for p in project.parent.iterdir()] == ["project.d4a"]


FAILING_UPGRADE_IN_CHILD = """
import sys
from pathlib import Path
from d4a_desktop.storage import projectfile as pf
pf.SCHEMA = pf.Schema(int(sys.argv[3]), Path(sys.argv[2]))
try:
    pf.ProjectFile.open(sys.argv[1])
except Exception as exc:
    print(type(exc).__name__)
    sys.exit(3)
print("opened")
"""


def test_failed_upgrade_changes_nothing(old_project: Path, tmp_path: Path) -> None:
    """A migration that fails halfway is rolled back as a whole (one transaction)."""
    mig = migrations_next(tmp_path / "mig", fail=True)
    before = sql(old_project, "SELECT * FROM project")
    child = subprocess.run([sys.executable, "-c", FAILING_UPGRADE_IN_CHILD, str(old_project),
                            str(mig), str(NEXT)], capture_output=True, text=True, timeout=60)
    assert child.returncode == 3, child.stdout + child.stderr
    assert sql(old_project, "PRAGMA user_version") == [(NEXT - 1,)]
    assert "test_extra" not in columns(old_project)
    assert sql(old_project, "SELECT version_num FROM alembic_version") == [
        (f"{NEXT - 1:04d}",)]
    assert sql(old_project, "SELECT * FROM project") == before
    assert sql(old_project, "PRAGMA integrity_check") == [("ok",)]
    assert sidecars(old_project) == []
    with ProjectFile.open(old_project) as f:  # still a good project of the old version
        assert f.get_item("c1.a1.i1").done is True


def test_failed_upgrade_reports_and_releases_the_file(old_project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The user gets a ProjectFileError (one line, no traceback), the file is not left
    locked, and no journal is left beside it."""
    failing = migrations_next(tmp_path / "mig", fail=True)
    monkeypatch.setattr(pf, "SCHEMA", pf.Schema(NEXT, failing))
    try:
        ProjectFile.open(old_project)
    except ProjectFileError as exc:
        assert str(old_project) in exc.message
    except Exception as exc:
        pytest.fail(f"a failed upgrade raised {type(exc).__name__}, not ProjectFileError")
    else:
        pytest.fail("the failing upgrade was not noticed")
    assert sidecars(old_project) == []
    assert sql(old_project, "PRAGMA user_version") == [(NEXT - 1,)]
