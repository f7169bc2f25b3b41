"""Accounts, backup log and row seals; seals every existing row as it stands.

Revision ID: 0003_safety
Revises: 0001
Create Date: 2026-11-21 08:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_safety"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("pw_hash", sa.String(length=128), nullable=False),
        sa.Column("kdf", sa.String(length=60), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "backup_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "row_seals",
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "row_id"),
    )
    # Rows written before this version are trusted as they stand.
    from db.seal_columns import BEFORE_SCOPE, sealed_as
    from db.seals import seal_all

    raw = op.get_bind().connection.dbapi_connection
    with sealed_as(BEFORE_SCOPE):  # the accounts and locks as sealed before 0018 added their scope
        seal_all(raw)


def downgrade() -> None:
    op.drop_table("row_seals")
    op.drop_table("backup_log")
    op.drop_table("users")
