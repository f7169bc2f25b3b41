"""Rules at the edges: closing dates of organisations, inclusive warning lines, monthly-capped points.

- organizations.closed_on: the 撤销/停用 date (its first day of no longer existing).
- schemes.lines_inclusive: "25分以下" includes 25. Years that already issued a warning notice or
  confirmed their grades keep the old strict reading, so no result already acted on changes;
  every other year (and every new one) reads the lines inclusively.
- monthly_scores.capped: a cell's points after the monthly cap only (quarter scores are counted
  before yearly and category caps), filled from the existing cells.

Revision ID: 0007_rules
Revises: 0006_peer_sent_at
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_rules"
down_revision = "0006_peer_sent_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("schemes") as batch_op:
        batch_op.add_column(sa.Column("lines_inclusive", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("monthly_scores") as batch_op:
        batch_op.add_column(sa.Column("capped", sa.Integer(), nullable=False, server_default="0"))
    # The county server (PostgreSQL) has real booleans and LEAST for a two-value minimum; SQLite gets
    # exactly the statements it always got.
    server = op.get_bind().dialect.name == "postgresql"
    false, least = ("false", "LEAST") if server else ("0", "MIN")
    op.execute(
        f"""UPDATE schemes SET lines_inclusive = {false} WHERE year IN (
               SELECT year FROM warnings WHERE issued_on IS NOT NULL
               UNION SELECT year FROM annual_grades WHERE confirmed_at IS NOT NULL)"""
    )
    op.execute(
        f"""UPDATE monthly_scores SET capped = (
               SELECT {least}(COALESCE(monthly_scores.manual_points, 0) + monthly_scores.record_count * i.points,
                          COALESCE(i.monthly_cap, 1000000000000))
               FROM scheme_items i WHERE i.id = monthly_scores.item_id)"""
    )


def downgrade() -> None:
    with op.batch_alter_table("monthly_scores") as batch_op:
        batch_op.drop_column("capped")
    with op.batch_alter_table("schemes") as batch_op:
        batch_op.drop_column("lines_inclusive")
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.drop_column("closed_on")
