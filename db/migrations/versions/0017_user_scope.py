"""Township scope: a user may be limited to a subtree (users.scope, an organisation code; "" = the
whole unit), and a month may be locked for a subtree (month_locks.scope; "" = the whole unit).

Revision ID: 0017_user_scope
Revises: 0016_station_tasks
Create Date: 2026-12-02 17:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_user_scope"
down_revision = "0016_station_tasks"
branch_labels = None
depends_on = None

_UNIQUE = "uq_month_locks_year_month_scope"


def _old_month_locks(unique: tuple[str, ...]) -> sa.Table:
    """month_locks as 0001 made it, for SQLite's copy-and-rename (its unique constraint has no name)."""
    cols = [sa.Column("id", sa.Integer(), primary_key=True), sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False), sa.Column("locked_by", sa.String(40), nullable=False),
            sa.Column("locked_at", sa.DateTime(), nullable=False), sa.Column("note", sa.String(200), nullable=False)]
    if "scope" in unique:
        cols.append(sa.Column("scope", sa.String(40), nullable=False, server_default=""))
    return sa.Table("month_locks", sa.MetaData(), *cols)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(40), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("month_locks", copy_from=_old_month_locks(()), recreate="always") as batch_op:
            batch_op.add_column(sa.Column("scope", sa.String(40), nullable=False, server_default=""))
            batch_op.create_unique_constraint(_UNIQUE, ["year", "month", "scope"])
    else:
        op.drop_constraint("month_locks_year_month_key", "month_locks", type_="unique")
        op.add_column("month_locks", sa.Column("scope", sa.String(40), nullable=False, server_default=""))
        op.create_unique_constraint(_UNIQUE, "month_locks", ["year", "month", "scope"])


def downgrade() -> None:
    op.execute("DELETE FROM month_locks WHERE scope <> ''")
    if op.get_bind().dialect.name == "sqlite":
        old = _old_month_locks(("scope",))
        with op.batch_alter_table("month_locks", copy_from=old, recreate="always") as batch_op:
            batch_op.drop_column("scope")
            batch_op.create_unique_constraint("month_locks_year_month_key", ["year", "month"])
    else:
        op.drop_constraint(_UNIQUE, "month_locks", type_="unique")
        op.drop_column("month_locks", "scope")
        op.create_unique_constraint("month_locks_year_month_key", "month_locks", ["year", "month"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("scope")
