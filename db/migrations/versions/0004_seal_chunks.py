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
    from db.seal_columns import BEFORE_SCOPE, sealed_as
    from db.seals import seal_all_chunks

    with sealed_as(BEFORE_SCOPE):  # the accounts and locks as sealed before 0018 added their scope
        seal_all_chunks(op.get_bind().connection.dbapi_connection)


def downgrade() -> None:
    op.execute("DELETE FROM row_seals WHERE tbl LIKE '%#chunk'")
