"""Write the Alembic revision that a changed declaration needs (a developer tool).

    python -m d4a_desktop.storage.revision "short description"
    python -m d4a_desktop.storage.revision --dump    # storage/schema.sql after a revision

Builds a project file at the newest existing revision in a temporary folder, compares its
schema with the metadata derived from the declarations (``storage/schema.py``), and writes
``migrations/versions/000N_<slug>.py`` with the operations that close the gap, in batch
mode (SQLite rebuilds a table to change a column; the upgrade runs with foreign keys off
and checks them before it commits). Review the file, add any data steps, then raise
``SCHEMA.version`` in ``projectfile.py`` and add a golden file of the old version.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import tempfile
from pathlib import Path

from d4a_desktop.storage import projectfile as pf

TEMPLATE = '''"""{message}

Revision ID: {revision}
Revises: {down}
Create Date: {date}
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded")
'''


def pending_operations(conn: sqlite3.Connection) -> list[object]:
    """Alembic's diff between the file behind ``conn`` and the declared metadata."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from d4a_desktop.storage.schema import metadata

    engine = pf._engine(conn)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        diffs = compare_metadata(context, metadata)
    return [d for d in diffs if not _ignored(d)]


def _ignored(diff: object) -> bool:
    """Alembic's own bookkeeping table is not part of the declarations."""
    return isinstance(diff, tuple) and len(diff) > 1 and \
        getattr(diff[1], "name", None) == "alembic_version"


def dump_schema() -> str:
    """The newest schema as the migrations make it, for ``storage/schema.sql``."""
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "new.d4a", isolation_level=None)
        try:
            pf._run_migrations(conn, pf.SCHEMA.version)
            return pf.schema_sql(conn)
        finally:
            conn.close()


def dump() -> int:
    from d4a_desktop.storage import atomic

    atomic.write_text(pf.SCHEMA_SQL, dump_schema())
    print(f"Wrote {pf.SCHEMA_SQL}")
    return 0


def newest_revision() -> int:
    versions = pf.SCHEMA.script_location / "versions"
    numbers = [int(m.group(1)) for p in versions.glob("0*.py")
               if (m := re.match(r"^(\d{4})_", p.name))]
    return max(numbers)


def main(argv: list[str] | None = None) -> int:
    import datetime as dt

    from alembic.autogenerate import produce_migrations, render_python_code
    from alembic.migration import MigrationContext

    from d4a_desktop.storage.schema import metadata

    args = sys.argv[1:] if argv is None else argv
    if args == ["--dump"]:
        return dump()
    message = " ".join(args) or "schema change"
    head = newest_revision()
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "head.d4a", isolation_level=None)
        pf._run_migrations(conn, head)
        engine = pf._engine(conn)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            script = produce_migrations(context, metadata)
        conn.close()
    ops = script.upgrade_ops
    assert ops is not None
    ops.ops = [op for op in ops.ops
               if getattr(op, "table_name", None) != "alembic_version"]
    if ops.is_empty():
        print("The schema matches the declarations; no revision needed.")
        return 0
    body = render_python_code(ops, render_as_batch=True)
    body = "\n".join(line if line.startswith(" ") or not line else "    " + line
                     for line in body.splitlines())
    revision = f"{head + 1:04d}"
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40]
    path = pf.SCHEMA.script_location / "versions" / f"{revision}_{slug}.py"
    path.write_text(TEMPLATE.format(message=message, revision=revision, down=f"{head:04d}",
                                     date=dt.date.today().isoformat(), body=body),
                    encoding="utf-8")
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
