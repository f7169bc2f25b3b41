"""Deletions travel: a tombstone per deleted travelling row.

Revision ID: 0008_tombstones
Revises: 0007_rules
Create Date: 2026-12-02 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_tombstones"
down_revision = "0007_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("row_key", sa.String(length=300), nullable=False),
        sa.Column("ident", sa.Text(), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(length=40), nullable=False),
        sa.UniqueConstraint("entity", "row_key"),
    )
    op.create_index("ix_tombstones_org_id", "tombstones", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_tombstones_org_id", table_name="tombstones")
    op.drop_table("tombstones")
