"""Schema version 2: the project's answers to the roadmap's conditions.

A project says whether it processes personal data, uses algorithms or AI, handles geodata
or hires external consultants; items and activities that depend on an answer count
towards progress only when it holds. One row per condition; ``applies`` is NULL until
the project has answered.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_condition",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("project_id", sa.String(36),
                  sa.ForeignKey("project.id", ondelete="CASCADE"), nullable=False),
        sa.Column("condition", sa.String(40), nullable=False, unique=True),
        sa.Column("applies", sa.Boolean(), nullable=True),
    )


def downgrade() -> None:
    raise NotImplementedError("project files are never downgraded")
