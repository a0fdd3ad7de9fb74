"""Schema changes cannot lose answers, and the migrated schema is what the code declares.

A revision that rebuilds a table (Alembic's batch mode on SQLite: copy, drop, rename) would
fire ``ON DELETE CASCADE`` and delete every answer that points at the dropped table if
foreign keys were on; the upgrade runs with them off and checks them before it commits.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from d4a_desktop.storage import ProjectFile, ProjectFileError, revision
from d4a_desktop.storage import projectfile as pf
from tests.storage import crashwork
from tests.storage.badfiles import META, make_project

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("schema-v*.d4a"))
NEXT = pf.SCHEMA.version + 1

REBUILD = '''"""Test revision: rebuilds the project table (which every answer points at)."""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project", recreate="always") as batch:
        batch.alter_column("country", type_=sa.String(3), existing_nullable=False)
{tail}
'''

ORPHAN = '''
    op.get_bind().exec_driver_sql(
        "INSERT INTO item_state (id, created_at, modified_at, author, project_id, item_id, "
        "done, owner, note) VALUES ('x', '2026-01-01', '2026-01-01', '', 'nobody', "
        "'c9.a9.i9', 0, '', '')")
'''


def migrations_with(folder: Path, body: str) -> Path:
    source = Path(pf.__file__).parent / "migrations"
    (folder / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(source / name, folder / name)
    for rev in sorted((source / "versions").glob("0*.py")):
        shutil.copy(rev, folder / "versions")
    (folder / "versions" / f"{NEXT:04d}_test.py").write_text(body, encoding="utf-8")
    return folder


def answers(file: ProjectFile) -> dict[str, object]:
    snap = crashwork.snapshot(file)
    snap.pop("title")
    return snap


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_a_table_rebuilding_revision_keeps_every_answer(golden: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    current = tmp_path / "current.d4a"
    shutil.copyfile(golden, current)
    with ProjectFile.open(current) as f:  # today's program: the answers as they are
        expected = answers(f)
    assert expected["items"] and expected["activities"], "the golden file has answers"
    rebuilt = tmp_path / "rebuilt.d4a"
    shutil.copyfile(golden, rebuilt)
    mig = migrations_with(tmp_path / "mig", REBUILD.format(revision=f"{NEXT:04d}",
                                                            down=f"{NEXT - 1:04d}", tail=""))
    monkeypatch.setattr(pf, "SCHEMA", pf.Schema(NEXT, mig))
    with ProjectFile.open(rebuilt) as f:
        assert answers(f) == expected
        assert f.integrity_check() == []
    columns = sqlite3.connect(rebuilt).execute("PRAGMA table_info(project)").fetchall()
    assert any(c[1] == "country" and c[2] == "VARCHAR(3)" for c in columns)


def test_a_revision_that_leaves_dangling_rows_is_rolled_back(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    path = make_project(tmp_path / "p.d4a")
    before = sqlite3.connect(path).execute("SELECT count(*) FROM item_state").fetchone()
    mig = migrations_with(tmp_path / "mig", REBUILD.format(revision=f"{NEXT:04d}",
                                                            down=f"{NEXT - 1:04d}",
                                                            tail=ORPHAN))
    monkeypatch.setattr(pf, "SCHEMA", pf.Schema(NEXT, mig))
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(path)
    assert info.value.kind == "upgrade-failed"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (NEXT - 1,)
    assert conn.execute("SELECT count(*) FROM item_state").fetchone() == before
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def _pending(path: Path) -> list[object]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return revision.pending_operations(conn)
    finally:
        conn.close()


def test_a_new_file_has_exactly_the_declared_schema(tmp_path: Path) -> None:
    path = make_project(tmp_path / "new.d4a")
    assert _pending(path) == []


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=lambda p: p.stem)
def test_an_upgraded_file_has_exactly_the_declared_schema(golden: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.d4a"
    shutil.copyfile(golden, path)
    ProjectFile.open(path).close()
    assert _pending(path) == []


def test_the_drift_check_sees_a_missing_column(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A field declared without a revision is found (the check can fail)."""
    import sqlalchemy as sa

    from d4a_desktop.storage import schema

    path = make_project(tmp_path / "new.d4a")
    extra = sa.Column("shoe_size", sa.Integer(), nullable=True)
    schema.KIND_TABLES["team"].append_column(extra)
    try:
        found = _pending(path)
    finally:
        schema.KIND_TABLES["team"]._columns.remove(extra)
    assert any("shoe_size" in str(diff) for diff in found), found


def test_golden_files_are_versions_this_program_upgrades() -> None:
    versions = sorted(int(p.stem.split("-v")[1]) for p in GOLDEN_FILES)
    assert versions == list(range(1, pf.SCHEMA.version)), \
        "add a golden file for every released schema version before raising it"


def test_deterministic_ids_are_the_same_in_two_copies(tmp_path: Path) -> None:
    """Two copies that each create the row of one item give it the same id."""
    a = make_project(tmp_path / "a.d4a")
    b = tmp_path / "b.d4a"
    shutil.copyfile(a, b)
    for path in (a, b):
        with ProjectFile.open(path) as f:
            f.update_item("c4.a2.i1", {"owner": path.stem})
            f.update_activity("c4.a2", {"status": pf.Status.IN_PROGRESS})
    rows = [sqlite3.connect(p).execute(
        "SELECT id FROM item_state WHERE item_id = 'c4.a2.i1' UNION ALL "
        "SELECT id FROM activity_state WHERE activity_id = 'c4.a2'").fetchall() for p in (a, b)]
    assert rows[0] == rows[1]
    assert META.id not in str(rows[0])  # derived, not the project id itself


def test_a_new_file_is_made_from_the_schema_the_migrations_make(tmp_path: Path) -> None:
    """New files are made from ``storage/schema.sql`` (no SQLAlchemy needed); it must be
    exactly what running every migration makes (run ``python -m
    d4a_desktop.storage.revision --dump`` after adding a revision)."""
    assert pf.SCHEMA_SQL.read_text(encoding="utf-8") == revision.dump_schema()
    path = make_project(tmp_path / "new.d4a")
    conn = sqlite3.connect(path)
    try:
        assert pf.schema_sql(conn) == revision.dump_schema()
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (f"{pf.SCHEMA.version:04d}",)]
    finally:
        conn.close()
