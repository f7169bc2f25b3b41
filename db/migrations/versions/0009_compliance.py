"""组织生活 compliance: 有党小组 on organisations, meeting requirements per year, exemptions.

Revision ID: 0009_compliance
Revises: 0008_tombstones
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_compliance"
down_revision = "0008_tombstones"
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.add_column(sa.Column("has_groups", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "meeting_requirements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=10), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("applies", sa.String(length=10), nullable=False),
        sa.Column("sectors", sa.String(length=200), nullable=False),
        sa.Column("due_month", sa.Integer(), nullable=True),
        sa.Column("due_day", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("year", "type_code"),
    )
    op.create_table(
        "compliance_exemptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("type_code", sa.String(length=10), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_compliance_exemptions_org_id", "compliance_exemptions", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_compliance_exemptions_org_id", table_name="compliance_exemptions")
    op.drop_table("compliance_exemptions")
    op.drop_table("meeting_requirements")
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.drop_column("has_groups")
