"""When the sender made the last package merged from it (its own clock), for the exchange echo.

Revision ID: 0006_peer_sent_at
Revises: 0005_merge
Create Date: 2026-11-21 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_peer_sent_at"
down_revision = "0005_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_peers") as batch_op:
        batch_op.add_column(sa.Column("last_sent_at", sa.String(length=32), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("exchange_peers") as batch_op:
        batch_op.drop_column("last_sent_at")
