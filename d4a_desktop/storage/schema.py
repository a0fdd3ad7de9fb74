"""The project file's tables as SQLAlchemy Core metadata, for migrations only.

The program reads and writes the file with the standard library's sqlite3 (plain SQL in
``projectfile.py``): importing SQLAlchemy costs more than opening a project. This module is
imported only to create or upgrade a file, by ``python -m d4a_desktop.storage.revision``
(which writes the Alembic revision a new kind or field needs, by comparing this metadata
with the newest schema) and by the test that the migrated schema matches it.

The record kinds' tables are derived from their declarations in ``core/kinds.py``; the
naming convention gives every constraint a name, so that Alembic's batch mode can drop and
recreate constraints when a revision rebuilds a table.
"""

from __future__ import annotations

import sqlalchemy as sa

from d4a_desktop.core import kinds
from d4a_desktop.core.records import FieldType, Kind

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def record_columns() -> list[sa.Column]:
    """Every table has these: a UUID key, when it was created and last changed, by whom."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
    ]


def _project_fk() -> sa.Column:
    return sa.Column("project_id", sa.String(36),
                     sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False)


project = sa.Table(
    "project", metadata, *record_columns(),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("municipality", sa.String(300), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("domain", sa.String(300), nullable=False),
    sa.Column("language", sa.String(10), nullable=False),
    sa.Column("tandem_partner", sa.String(300), nullable=False),
    sa.Column("roadmap_version", sa.String(40), nullable=False),
    # The project this one was started from (JSON: id, title, file), "" when new.
    sa.Column("derived_from", sa.Text(), nullable=False, server_default=sa.text("''")),
)

activity_state = sa.Table(
    "activity_state", metadata, *record_columns(), _project_fk(),
    sa.Column("activity_id", sa.String(40), nullable=False, unique=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("na_reason", sa.Text(), nullable=False),
    sa.Column("planned_start", sa.Date(), nullable=True),
    sa.Column("planned_end", sa.Date(), nullable=True),
)

item_state = sa.Table(
    "item_state", metadata, *record_columns(), _project_fk(),
    sa.Column("item_id", sa.String(40), nullable=False, unique=True),
    sa.Column("done", sa.Boolean(), nullable=False),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("due_date", sa.Date(), nullable=True),
    sa.Column("note", sa.Text(), nullable=False),
)

project_condition = sa.Table(
    "project_condition", metadata, *record_columns(), _project_fk(),
    sa.Column("condition", sa.String(40), nullable=False, unique=True),
    sa.Column("applies", sa.Boolean(), nullable=True),
)

#: Every committed edit, field by field: the project's history and the base of merging.
change_log = sa.Table(
    "change_log", metadata,
    sa.Column("id", sa.String(36), primary_key=True),        # the change's own id
    sa.Column("edit", sa.String(36), nullable=False),        # changes committed together
    sa.Column("kind", sa.String(40), nullable=False),        # project, item, team …
    sa.Column("record_id", sa.String(36), nullable=False),
    sa.Column("key", sa.String(80), nullable=False),         # content id of state rows
    sa.Column("op", sa.String(10), nullable=False),          # create set delete restore baseline
    sa.Column("field", sa.String(80), nullable=False),
    sa.Column("old", sa.Text(), nullable=True),              # JSON
    sa.Column("new", sa.Text(), nullable=True),              # JSON
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("installation", sa.String(36), nullable=False),
    sa.Index(None, "kind", "record_id"),
)


def _column(f: object) -> sa.Column:
    from d4a_desktop.core.records import Field

    assert isinstance(f, Field)
    t = f.type
    if t in (FieldType.CHOICES, FieldType.ACTIVITIES):
        return sa.Column(f.name, sa.Text(), nullable=False, server_default=sa.text("'[]'"))
    if t is FieldType.DATE:
        return sa.Column(f.name, sa.Date(), nullable=True)
    if t is FieldType.INTEGER:
        return sa.Column(f.name, sa.Integer(), nullable=True)
    if t is FieldType.NUMBER:
        return sa.Column(f.name, sa.Float(), nullable=True)
    if t is FieldType.JSON:
        return sa.Column(f.name, sa.Text(), nullable=True)
    if t is FieldType.YESNO:
        return sa.Column(f.name, sa.Boolean(), nullable=True)
    return sa.Column(f.name, sa.Text(), nullable=False, server_default=sa.text("''"))


def kind_table(kind: Kind, target: sa.MetaData = metadata) -> sa.Table:
    return sa.Table(
        kind.table, target, *record_columns(),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.text("0")),
        *(_column(f) for f in kind.fields),
    )


KIND_TABLES = {k.name: kind_table(k) for k in kinds.KINDS}
