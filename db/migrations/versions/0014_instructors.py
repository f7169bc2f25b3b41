"""党建指导员: stations, instructors, guidance targets, assignments, weekly logs and visits, tickets,
the yearly scheme, grades and sign-offs.

Revision ID: 0014_instructors
Revises: 0012_tracking
Create Date: 2026-12-02 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_instructors"
down_revision = "0012_tracking"
branch_labels = None
depends_on = None


def _travelling() -> list[sa.Column]:
    return [
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _fk(column: str, target: str, ondelete: str, *, nullable: bool = True) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "instructor_stations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=80), nullable=False, unique=True),
        _fk("org_id", "organizations.id", "SET NULL"),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_instructor_stations_org_id", "instructor_stations", ["org_id"])
    op.create_table(
        "instructors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("mode", sa.String(length=4), nullable=False),
        _fk("station_id", "instructor_stations.id", "RESTRICT", nullable=False),
        sa.Column("group_name", sa.String(length=40), nullable=False),
        sa.Column("post", sa.String(length=10), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("station_id", "name"),
    )
    op.create_index("ix_instructors_station_id", "instructors", ["station_id"])
    op.create_table(
        "guidance_targets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False, unique=True),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("tags", sa.String(length=100), nullable=False),
        sa.Column("industry", sa.String(length=40), nullable=False),
        _fk("committee_id", "organizations.id", "SET NULL"),
        _fk("org_id", "organizations.id", "SET NULL"),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_guidance_targets_committee_id", "guidance_targets", ["committee_id"])
    op.create_index("ix_guidance_targets_org_id", "guidance_targets", ["org_id"])
    op.create_table(
        "instructor_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("instructor_id", "instructors.id", "CASCADE", nullable=False),
        _fk("org_id", "organizations.id", "CASCADE"),
        _fk("target_id", "guidance_targets.id", "CASCADE"),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("in_town", sa.Boolean(), nullable=False),
        *_travelling(),
    )
    for col in ("instructor_id", "org_id", "target_id"):
        op.create_index(f"ix_instructor_assignments_{col}", "instructor_assignments", [col])
    op.create_table(
        "instructor_weekly_logs",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("instructor_id", "instructors.id", "CASCADE", nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        *[sa.Column(c, sa.Integer(), nullable=False) for c in (
            "a_days", "b_days", "visits", "orgs_founded", "mass_orgs", "problems", "solved", "experiences", "briefs")],
        sa.Column("note", sa.String(length=200), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("instructor_id", "week"),
    )
    op.create_index("ix_instructor_weekly_logs_instructor_id", "instructor_weekly_logs", ["instructor_id"])
    op.create_table(
        "instructor_visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("log_id", "instructor_weekly_logs.id", "CASCADE", nullable=False),
        _fk("target_id", "guidance_targets.id", "SET NULL"),
        _fk("org_id", "organizations.id", "SET NULL"),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_instructor_visits_log_id", "instructor_visits", ["log_id"])
    op.create_table(
        "instructor_tickets",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("instructor_id", "instructors.id", "CASCADE", nullable=False),
        _fk("target_id", "guidance_targets.id", "SET NULL"),
        _fk("org_id", "organizations.id", "SET NULL"),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("raised_by", sa.String(length=40), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("content", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("handled_by", sa.String(length=80), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.String(length=6), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        *_travelling(),
    )
    op.create_index("ix_instructor_tickets_instructor_id", "instructor_tickets", ["instructor_id"])
    op.create_table(
        "instructor_schemes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False, unique=True),
        sa.Column("rules", sa.Text(), nullable=False),
        *_travelling(),
    )
    op.create_table(
        "instructor_grades",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("instructor_id", "instructors.id", "CASCADE", nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=6), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("instructor_id", "year"),
    )
    op.create_index("ix_instructor_grades_instructor_id", "instructor_grades", ["instructor_id"])
    op.create_table(
        "instructor_grade_signoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=6), nullable=False),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by", sa.String(length=40), nullable=False),
        *_travelling(),
        sa.UniqueConstraint("year", "step"),
    )


def downgrade() -> None:
    for table in ("instructor_grade_signoffs", "instructor_grades", "instructor_schemes", "instructor_tickets",
                  "instructor_visits", "instructor_weekly_logs", "instructor_assignments", "guidance_targets",
                  "instructors", "instructor_stations"):
        op.drop_table(table)
