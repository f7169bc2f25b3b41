"""结果运用: incentive rules per year, confirmed incentive results, 表彰 and 补助经费 registers.

Revision ID: 0011_incentives
Revises: 0010_pairings
Create Date: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_incentives"
down_revision = "0010_pairings"
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _org() -> sa.Column:
    return sa.Column("org_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "incentive_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.String(length=4), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=60), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("year", "sector", "grade"),
    )
    op.create_table(
        "incentive_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("final_class", sa.String(length=1), nullable=False),
        sa.Column("veto", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=60), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=40), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("org_id", "year"),
    )
    op.create_index("ix_incentive_results_org_id", "incentive_results", ["org_id"])
    op.create_table(
        "awards",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=4), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("issuer", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("bonus_item", sa.String(length=20), nullable=True),
        *_travelling(),
    )
    op.create_index("ix_awards_org_id", "awards", ["org_id"])
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), primary_key=True),
        _org(),
        sa.Column("purpose", sa.String(length=120), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_grants_org_id", "grants", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_grants_org_id", table_name="grants")
    op.drop_table("grants")
    op.drop_index("ix_awards_org_id", table_name="awards")
    op.drop_table("awards")
    op.drop_index("ix_incentive_results_org_id", table_name="incentive_results")
    op.drop_table("incentive_results")
    op.drop_table("incentive_rules")
