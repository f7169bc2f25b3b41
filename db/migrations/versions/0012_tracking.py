"""书记项目 and 重点任务 on one tracking engine: projects, tasks, milestones, dated logs, 例会.

Revision ID: 0012_tracking
Revises: 0009_compliance
Create Date: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_tracking"
down_revision = "0009_compliance"
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _owner(name: str) -> list:
    return [
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("secretary_projects.id", ondelete="CASCADE"), nullable=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("key_tasks.id", ondelete="CASCADE"), nullable=True),
        sa.CheckConstraint("(project_id IS NULL) <> (task_id IS NULL)", name=name),
    ]


def upgrade() -> None:
    op.create_table(
        "secretary_projects",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("type", sa.String(length=4), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=False),
        sa.Column("lead_org_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("lead_person", sa.String(length=40), nullable=False),
        sa.Column("partners", sa.String(length=400), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("review", sa.String(length=200), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=False),
        sa.Column("bonus_year", sa.Integer(), nullable=True),
        sa.Column("bonus_month", sa.Integer(), nullable=True),
        sa.Column("bonus_points", sa.Integer(), nullable=True),
        *_travelling(),
    )
    op.create_index("ix_projects_year", "secretary_projects", ["year"])
    op.create_index("ix_secretary_projects_lead_org_id", "secretary_projects", ["lead_org_id"])
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sites", sa.String(length=400), nullable=False),
        sa.Column("speakers", sa.Text(), nullable=False),
        sa.Column("leader", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_meetings_on", "meetings", ["on"])
    op.create_table(
        "key_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("owner_org_id", sa.Integer(), sa.ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("owner_person", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=4), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.String(length=400), nullable=False),
        sa.Column("verified_by", sa.String(length=40), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("list_month", sa.String(length=7), nullable=False),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id", ondelete="SET NULL"), nullable=True),
        sa.Column("deducted_year", sa.Integer(), nullable=True),
        sa.Column("deducted_month", sa.Integer(), nullable=True),
        *_travelling(),
    )
    op.create_index("ix_tasks_due", "key_tasks", ["due_on"])
    op.create_index("ix_tasks_list", "key_tasks", ["list_month"])
    op.create_index("ix_key_tasks_owner_org_id", "key_tasks", ["owner_org_id"])
    op.create_index("ix_key_tasks_meeting_id", "key_tasks", ["meeting_id"])
    op.create_table(
        "tracking_milestones",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_owner("ck_milestone_owner"),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.String(length=400), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_tracking_milestones_project_id", "tracking_milestones", ["project_id"])
    op.create_index("ix_tracking_milestones_task_id", "tracking_milestones", ["task_id"])
    op.create_table(
        "tracking_logs",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_owner("ck_log_owner"),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("by", sa.String(length=40), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_tracking_logs_project_id", "tracking_logs", ["project_id"])
    op.create_index("ix_tracking_logs_task_id", "tracking_logs", ["task_id"])


def downgrade() -> None:
    for table, indexes in (
        ("tracking_logs", ("ix_tracking_logs_project_id", "ix_tracking_logs_task_id")),
        ("tracking_milestones", ("ix_tracking_milestones_project_id", "ix_tracking_milestones_task_id")),
        ("key_tasks", ("ix_tasks_due", "ix_tasks_list", "ix_key_tasks_owner_org_id", "ix_key_tasks_meeting_id")),
        ("meetings", ("ix_meetings_on",)),
        ("secretary_projects", ("ix_projects_year", "ix_secretary_projects_lead_org_id")),
    ):
        for ix in indexes:
            op.drop_index(ix, table_name=table)
        op.drop_table(table)
