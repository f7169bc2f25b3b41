"""支委会成员 离任时间: a committee member's term can end without a successor (a post left empty).

Revision ID: 0015_committee_term_end
Revises: 0011_incentives
Create Date: 2026-12-02 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_committee_term_end"
down_revision = "0011_incentives"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("committee_members") as batch_op:
        batch_op.add_column(sa.Column("term_end", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("committee_members") as batch_op:
        batch_op.drop_column("term_end")
