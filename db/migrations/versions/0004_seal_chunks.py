"""Chunk seals (one per 1,024 rows of each sealed table), so the start-up check reads each table once.

Revision ID: 0004_seal_chunks
Revises: 0003_safety
Create Date: 2026-11-21 09:20:00
"""

from alembic import op

revision = "0004_seal_chunks"
down_revision = "0003_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.seals import seal_all_chunks

    seal_all_chunks(op.get_bind().connection.dbapi_connection)


def downgrade() -> None:
    op.execute("DELETE FROM row_seals WHERE tbl LIKE '%#chunk'")
