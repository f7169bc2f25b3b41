"""结对共建 with rules: a pairing's span, goals, reason and year-end evaluation; scheme items marked 需结对;
the work-record type 结对共建活动 (7.4) whose records earn the 结对共建 item's points.

Existing files keep their behaviour: an item whose name holds "结对" (the old name rule) is marked
需结对 and, where it has no linked record type yet, is linked to 7.4.

Revision ID: 0010_pairings
Revises: 0014_instructors
Create Date: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_pairings"
down_revision = "0014_instructors"
branch_labels = None
depends_on = None

ACTIVITY_TYPE = "7.4"


def upgrade() -> None:
    with op.batch_alter_table("pairings") as batch_op:
        batch_op.add_column(sa.Column("start_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("goals", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("reason", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("evaluation", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("rating", sa.String(length=10), nullable=False, server_default=""))
    with op.batch_alter_table("scheme_items") as batch_op:
        batch_op.add_column(sa.Column("needs_pairing", sa.Boolean(), nullable=False, server_default="0"))
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE scheme_items SET needs_pairing = :t WHERE name LIKE '%结对%'"), {"t": True})
    has_section = conn.execute(sa.text("SELECT count(*) FROM record_sections WHERE code = '7'")).scalar()
    has_type = conn.execute(sa.text("SELECT count(*) FROM record_types WHERE code = :c"), {"c": ACTIVITY_TYPE}).scalar()
    if has_section and not has_type:
        conn.execute(sa.text(
            "INSERT INTO record_types (code, section_code, name, form, source, frequency, sort_order) "
            "VALUES (:c, '7', '结对共建活动', 'pairing', 'record', '', 3)"), {"c": ACTIVITY_TYPE})
    if has_section:
        # One item per scheme may take a record type: the first 需结对 item with none, where 7.4 is still free.
        rows = conn.execute(sa.text(
            "SELECT id, scheme_id FROM scheme_items WHERE needs_pairing = :t AND record_type IS NULL ORDER BY id"),
            {"t": True}).all()
        taken = {r[0] for r in conn.execute(sa.text(
            "SELECT scheme_id FROM scheme_items WHERE record_type = :c"), {"c": ACTIVITY_TYPE})}
        for item_id, scheme_id in rows:
            if scheme_id not in taken:
                conn.execute(sa.text("UPDATE scheme_items SET record_type = :c WHERE id = :i"),
                             {"c": ACTIVITY_TYPE, "i": item_id})
                taken.add(scheme_id)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE scheme_items SET record_type = NULL WHERE record_type = :c"), {"c": ACTIVITY_TYPE})
    with op.batch_alter_table("scheme_items") as batch_op:
        batch_op.drop_column("needs_pairing")
    with op.batch_alter_table("pairings") as batch_op:
        for name in ("rating", "evaluation", "reason", "goals", "end_on", "start_on"):
            batch_op.drop_column(name)
