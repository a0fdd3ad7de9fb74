"""Schema version 1: project metadata, activity status, checklist item state.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "project",
        *_record_columns(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("municipality", sa.String(300), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("domain", sa.String(300), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("tandem_partner", sa.String(300), nullable=False),
        sa.Column("roadmap_version", sa.String(40), nullable=False),
    )
    op.create_table(
        "activity_state",
        *_record_columns(),
        sa.Column("project_id", sa.String(36),
                  sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("activity_id", sa.String(40), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("na_reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "item_state",
        *_record_columns(),
        sa.Column("project_id", sa.String(36),
                  sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.String(40), nullable=False, unique=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded")
