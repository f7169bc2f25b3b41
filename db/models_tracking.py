"""书记项目 and 重点任务 on one tracking engine: projects, tasks, their milestones and dated logs, and 例会."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Travelling
from .types import Points


class SecretaryProject(Travelling, Base):
    """书记项目: one project of the 书记项目清单 with its 方案 and 立项 trail."""

    __tablename__ = "secretary_projects"
    __table_args__ = (Index("ix_projects_year", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(30))
    type: Mapped[str] = mapped_column(String(4))  # 重点 | 提升 | 改薄
    theme: Mapped[str] = mapped_column(String(100), default="")
    lead_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    lead_person: Mapped[str] = mapped_column(String(40), default="")  # 领衔书记
    partners: Mapped[str] = mapped_column(String(400), default="")  # 责任单位, "、"-joined codes
    problem: Mapped[str] = mapped_column(Text, default="")  # 解决的问题
    goal: Mapped[str] = mapped_column(Text, default="")  # 目标任务
    measures: Mapped[str] = mapped_column(Text, default="")  # 工作举措
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    declared_on: Mapped[date | None] = mapped_column(Date)  # 申报
    decided_on: Mapped[date | None] = mapped_column(Date)  # 会议定
    filed_on: Mapped[date | None] = mapped_column(Date)  # 审核备案
    status: Mapped[str] = mapped_column(String(6), default="申报")
    summary: Mapped[str] = mapped_column(Text, default="")  # 成效总结
    review: Mapped[str] = mapped_column(String(200), default="")  # 述职评议结果
    finished_on: Mapped[date | None] = mapped_column(Date)  # completed or terminated on
    end_reason: Mapped[str] = mapped_column(String(200), default="")  # why terminated
    bonus_year: Mapped[int | None] = mapped_column(Integer)  # the 书记项目 bonus added on completion
    bonus_month: Mapped[int | None] = mapped_column(Integer)
    bonus_points: Mapped[Decimal | None] = mapped_column(Points)


class KeyTask(Travelling, Base):
    """重点任务: one task of the 重点任务台账 for one owner organisation."""

    __tablename__ = "key_tasks"
    __table_args__ = (Index("ix_tasks_due", "due_on"), Index("ix_tasks_list", "list_month"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(10))
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    owner_person: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(4), default="待办")  # 待办 | 办理中 | 已完成 | 销号 (逾期 is derived)
    done_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(String(400), default="")
    verified_by: Mapped[str] = mapped_column(String(40), default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    list_month: Mapped[str] = mapped_column(String(7), default="")  # "2026-11" for a monthly list's task
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    deducted_year: Mapped[int | None] = mapped_column(Integer)  # the 上级交办 deduction, once
    deducted_month: Mapped[int | None] = mapped_column(Integer)
    # The owner kind (issue 19.5): a 指导站's month list task is owned by the station (``station_id``) or by one of
    # its instructors (``instructor_id`` too); ``owner_org_id`` is then the station's 党委, whose scope carries it.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("instructor_stations.id", ondelete="CASCADE"), index=True)
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("instructors.id", ondelete="CASCADE"), index=True)


class Milestone(Travelling, Base):
    """A milestone of a project or a task (exactly one of the two)."""

    __tablename__ = "tracking_milestones"
    __table_args__ = (CheckConstraint("(project_id IS NULL) <> (task_id IS NULL)", name="ck_milestone_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("secretary_projects.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("key_tasks.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(String(400), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class TrackingLog(Travelling, Base):
    """A dated 调度/跟踪 entry of a project or a task: progress, problems, next steps, by whom."""

    __tablename__ = "tracking_logs"
    __table_args__ = (CheckConstraint("(project_id IS NULL) <> (task_id IS NULL)", name="ck_log_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("secretary_projects.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("key_tasks.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(String(200), default="")  # why progress went down
    by: Mapped[str] = mapped_column(String(40), default="")


class Meeting(Travelling, Base):
    """例会: 观摩, 正反发言 and the problems assigned (which become tasks)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(200))
    sites: Mapped[str] = mapped_column(String(400), default="")  # 观摩点, "、"-joined
    speakers: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[name, 经验交流|表态发言], …]
    leader: Mapped[str] = mapped_column(String(40), default="")  # 领办 leader
    notes: Mapped[str] = mapped_column(Text, default="")
