"""The row seals cover the township scope: users.scope (which subtree an account sees and changes) and
month_locks.scope (which subtree a lock closes). Before this, an account's scope widened to the whole unit
with a database tool went unnoticed. Rows are judged by their old seals first (db/seal_columns.py).

Revision ID: 0018_seal_scope
Revises: 0017_user_scope
Create Date: 2026-12-02 22:30:00
"""

from alembic import op

revision = "0018_seal_scope"
down_revision = "0017_user_scope"
branch_labels = None
depends_on = None


def _move(to_scope: bool) -> None:
    from db.seal_columns import BEFORE_SCOPE, WITH_SCOPE, reseal_columns
    from db.seal_spec import KEY_INFO, LEGACY_KEY

    bind = op.get_bind()
    if not _has_seals(bind):
        return  # a file before the seals (migration 0003) has nothing to move
    src, dst = (BEFORE_SCOPE, WITH_SCOPE) if to_scope else (WITH_SCOPE, BEFORE_SCOPE)
    for table in src:
        reseal_columns(bind.connection.dbapi_connection, bind.info.get(KEY_INFO, LEGACY_KEY), table,
                       src[table], dst[table])


def _has_seals(bind) -> bool:
    import sqlalchemy as sa

    return "row_seals" in sa.inspect(bind).get_table_names()


def upgrade() -> None:
    _move(True)


def downgrade() -> None:
    # The locks of a subtree have no place before 0017: removed here, and their seals with them while the scope
    # column is still there to be read (0017's downgrade then drops the column).
    from db import seals
    from db.seal_spec import KEY_INFO, LEGACY_KEY

    bind = op.get_bind()
    op.execute("DELETE FROM month_locks WHERE scope <> ''")
    if _has_seals(bind):
        seals.flush_pending(bind.connection.dbapi_connection, bind.info.get(KEY_INFO, LEGACY_KEY))
    _move(False)
