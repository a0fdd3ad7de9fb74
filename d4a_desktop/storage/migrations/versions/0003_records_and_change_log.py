"""Schema version 3: the project's own records, planned dates, copy-proof ids, the change log.

- Tables for the record kinds of core/kinds.py as they were declared for this version
  (team, responsibilities, decisions, datasets, risks, milestones, KPIs and measurements,
  comments and review marks, filled tools with their answers and saved versions);
  deleting a record keeps a tombstone (``deleted``).
- Activities get a planned start and end date.
- Rows that hold a project's answer about a roadmap object get ids derived from the project
  id and the content id, so two copies of one project agree on them.
- The change log starts with one "baseline" entry per existing record; its ids are derived
  from the record and its last change, so two copies of a file upgraded separately share
  the same baseline, and a merge finds their common history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


#: Frozen copy of storage/schema.py's convention as of this revision.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _record(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text("''"), nullable=False)


def _list(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), server_default=sa.text("'[]'"), nullable=False)


def _number(name: str) -> sa.Column:
    return sa.Column(name, sa.Float(), nullable=True)


def _json(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=True)


def _date(name: str) -> sa.Column:
    return sa.Column(name, sa.Date(), nullable=True)


def _tables() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("edit", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("installation", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index(op.f("ix_change_log_kind_record_id"), "change_log", ["kind", "record_id"])
    _record("team_member", _text("name"), _text("organisation"), _text("role"),
            _text("contact"), _text("influence"), _text("interest"), _text("notes"))
    _record("responsibility", _text("activity"), _text("member"), _text("role"))
    _record("decision", _text("question"), _text("options"), _text("choice"),
            _text("rationale"), _date("date"), _text("decided_by"), _text("activity"))
    _record("dataset", _text("title"), _text("description"), _text("publisher"),
            _text("contact_point"), _text("keywords"), _list("themes"),
            _text("spatial_coverage"), _date("temporal_start"), _date("temporal_end"),
            _text("update_frequency"), _text("source"), _text("access_url"), _text("format"),
            _text("licence"), _text("licence_name"), _text("access_rights"), _text("quality"),
            _text("owner_department"), _text("owner_person"), _text("etl_process"),
            _text("projects"), sa.Column("personal_data", sa.Boolean(), nullable=True),
            _list("personal_data_kinds"), _text("legal_basis"), _text("publication_status"),
            _date("status_checked"), _list("activities"), _text("notes"))
    _record("risk", _text("description"), _text("category"),
            sa.Column("likelihood", sa.Integer(), nullable=True),
            sa.Column("impact", sa.Integer(), nullable=True), _text("owner"),
            _text("mitigation"), _text("status"), _date("review_date"))
    _record("milestone", _text("name"), _date("date"), _list("activities"),
            sa.Column("done", sa.Boolean(), nullable=True), _text("notes"))
    _record("kpi", _text("name"), _text("code"), _text("unit"), _number("baseline"),
            _date("baseline_date"), _number("target"), _date("target_date"),
            _text("direction"), _text("frequency"), _text("source_dataset"), _text("owner"),
            _text("notes"))
    _record("measurement", _text("kpi"), _date("date"), _number("value"), _text("note"))
    _record("comment", _text("about_kind"), _text("about"), _text("text"),
            _text("written_by"), sa.Column("resolved", sa.Boolean(), nullable=True))
    _record("review", _text("activity"), _text("reviewed_by"), _date("date"))
    _record("assessment", _text("tool"), _text("status"), _date("next_review"),
            _text("notes"))
    _record("answer", _text("assessment"), _text("path"), _json("value"))
    _record("assessment_version", _text("assessment"),
            sa.Column("number", sa.Integer(), nullable=True), _date("saved_on"),
            _text("status"), _json("answers"), _text("note"))
    with op.batch_alter_table("project") as batch:
        batch.add_column(_text("derived_from"))
    # Rebuild the state tables so their constraints get the names of the naming convention
    # (version 1 created them unnamed); later revisions can then drop and recreate them.
    for table in ("activity_state", "item_state", "project_condition"):
        with op.batch_alter_table(table, recreate="always",
                                  naming_convention=NAMING_CONVENTION) as batch:
            if table == "activity_state":
                batch.add_column(_date("planned_start"))
                batch.add_column(_date("planned_end"))


def _base(project_id: str) -> uuid.UUID:
    """Frozen copy of core.project.state_id's namespace: ids must never change."""
    try:
        return uuid.UUID(project_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, project_id)


# table, change-log kind, key column, namespace of the derived id, value columns
_STATE = (
    ("activity_state", "activity", "activity_id", "activity", ("status", "na_reason")),
    ("item_state", "item", "item_id", "item", ("done", "owner", "due_date", "note")),
    ("project_condition", "condition", "condition", "condition", ("applies",)),
)
_PROJECT_FIELDS = ("title", "municipality", "country", "domain", "language", "tandem_partner")


def _data() -> None:
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id FROM project").fetchall()
    if not rows:
        return
    project_id = str(rows[0][0])
    base = _base(project_id)
    edit = str(uuid.uuid5(base, "baseline"))
    log = []

    def baseline(kind: str, record_id: str, key: str, values: dict, at: str,
                 author: str) -> None:
        change = uuid.uuid5(base, f"baseline:{kind}:{key or record_id}:{at}")
        log.append((str(change), edit, kind, record_id, key, "baseline", "",
                    json.dumps(values, ensure_ascii=False), at, author or ""))

    project = conn.exec_driver_sql(
        f"SELECT modified_at, author, {', '.join(_PROJECT_FIELDS)} FROM project").one()
    baseline("project", project_id, "", dict(zip(_PROJECT_FIELDS, project[2:], strict=True)),
             str(project[0]), str(project[1]))
    for table, kind, key_col, namespace, columns in _STATE:
        found = conn.exec_driver_sql(
            f"SELECT id, {key_col}, modified_at, author, {', '.join(columns)} "
            f"FROM {table}").fetchall()
        for old_id, key, at, author, *values in found:
            new_id = str(uuid.uuid5(base, f"{namespace}:{key}"))
            if new_id != old_id:
                conn.exec_driver_sql(f"UPDATE {table} SET id = ? WHERE id = ?",
                                     (new_id, old_id))
            data = dict(zip(columns, values, strict=True))
            if "done" in data:
                data["done"] = bool(data["done"])
            if "applies" in data and data["applies"] is not None:
                data["applies"] = bool(data["applies"])
            baseline(kind, new_id, str(key), data, str(at), str(author))
    for entry in log:
        conn.exec_driver_sql(
            "INSERT INTO change_log (id, edit, kind, record_id, key, op, field, new, at, "
            "author, installation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')", entry)


def upgrade() -> None:
    _tables()
    _data()


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded")
