"""指导站月度任务清单 (issue 19.5): a 重点任务 may be owned by a 指导站 or one of its instructors; and the
instructors' grades may be signed off station by station (instructor_station_signoffs).

Revision ID: 0016_station_tasks
Revises: 0015_committee_term_end
Create Date: 2026-12-02 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_station_tasks"
down_revision = "0015_committee_term_end"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("key_tasks") as batch_op:
        batch_op.add_column(sa.Column("station_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("instructor_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_key_tasks_station_id", "instructor_stations", ["station_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_foreign_key("fk_key_tasks_instructor_id", "instructors", ["instructor_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index("ix_key_tasks_station_id", ["station_id"])
        batch_op.create_index("ix_key_tasks_instructor_id", ["instructor_id"])
    op.create_table(
        "instructor_station_signoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("station_id", sa.Integer(), sa.ForeignKey("instructor_stations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=6), nullable=False),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by", sa.String(length=40), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("station_id", "year", "step"),
    )
    op.create_index("ix_instructor_station_signoffs_station_id", "instructor_station_signoffs", ["station_id"])


def downgrade() -> None:
    op.drop_table("instructor_station_signoffs")
    with op.batch_alter_table("key_tasks") as batch_op:
        batch_op.drop_index("ix_key_tasks_instructor_id")
        batch_op.drop_index("ix_key_tasks_station_id")
        batch_op.drop_constraint("fk_key_tasks_instructor_id", type_="foreignkey")
        batch_op.drop_constraint("fk_key_tasks_station_id", type_="foreignkey")
        batch_op.drop_column("instructor_id")
        batch_op.drop_column("station_id")
