"""党建指导员: 指导站, instructors, guidance targets, assignments, weekly logs and visits, 问题帮办 tickets,
the yearly scoring scheme, the year's grades and their three sign-offs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Travelling
from .types import Points


class Station(Travelling, Base):
    """党建工作指导站; ``org_id``: the 党委 it works for (decides which packages carry it)."""

    __tablename__ = "instructor_stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class Instructor(Travelling, Base):
    __tablename__ = "instructors"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10))  # 省派 / 市派 / 县(区)派
    mode: Mapped[str] = mapped_column(String(4))  # 专职 / 兼职
    station_id: Mapped[int] = mapped_column(ForeignKey("instructor_stations.id", ondelete="RESTRICT"), index=True)
    group_name: Mapped[str] = mapped_column(String(40), default="")  # 小组
    post: Mapped[str] = mapped_column(String(10), default="指导员")  # 站长 / 副站长 / 联络员 / 指导员
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(30), default="")


class GuidanceTarget(Travelling, Base):
    """An enterprise or social organisation to be guided (often with no party organisation yet)."""

    __tablename__ = "guidance_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sector: Mapped[str] = mapped_column(String(20))  # 非公企业 / 社会组织
    tags: Mapped[str] = mapped_column(String(100), default="")  # "、"-joined: 规上、产业链、新招商、互联网、新业态
    industry: Mapped[str] = mapped_column(String(40), default="")  # 行业 (for suggestions)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    note: Mapped[str] = mapped_column(String(200), default="")


class Assignment(Travelling, Base):
    """An instructor assigned to a party organisation or a guidance target, from a date (to a date)."""

    __tablename__ = "instructor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructors.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("guidance_targets.id", ondelete="CASCADE"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)  # the last day (None: open)
    in_town: Mapped[bool] = mapped_column(Boolean, default=False)  # 派驻镇域企业 (交通补助)


class WeeklyLog(Travelling, Base):
    """《党建指导员积分考核工作周记录表》: one instructor, one ISO week."""

    __tablename__ = "instructor_weekly_logs"
    __table_args__ = (UniqueConstraint("instructor_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructors.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))  # 2026-W05
    year: Mapped[int] = mapped_column(Integer)  # the ISO year (of the week's Thursday)
    month: Mapped[int] = mapped_column(Integer)  # the month of the week's Thursday (月调度)
    a_days: Mapped[int] = mapped_column(Integer, default=0)  # A岗驻站
    b_days: Mapped[int] = mapped_column(Integer, default=0)  # B岗走访
    visits: Mapped[int] = mapped_column(Integer, default=0)  # 走访企业
    orgs_founded: Mapped[int] = mapped_column(Integer, default=0)  # 组建党组织
    mass_orgs: Mapped[int] = mapped_column(Integer, default=0)  # 组建群团组织
    problems: Mapped[int] = mapped_column(Integer, default=0)  # 收集问题
    solved: Mapped[int] = mapped_column(Integer, default=0)  # 帮办解决
    experiences: Mapped[int] = mapped_column(Integer, default=0)  # 典型经验
    briefs: Mapped[int] = mapped_column(Integer, default=0)  # 工作简报
    note: Mapped[str] = mapped_column(String(200), default="")


class Visit(Travelling, Base):
    """One visit of a weekly log: where, when (inside the week), what for."""

    __tablename__ = "instructor_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("instructor_weekly_logs.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("guidance_targets.id", ondelete="SET NULL"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    place: Mapped[str] = mapped_column(String(120))  # the target's or organisation's name as entered
    date: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(200), default="")


class Ticket(Travelling, Base):
    """问题帮办: a problem collected from a target, followed 收集 → 交办 → 办理中 → 办结 → 回访."""

    __tablename__ = "instructor_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructors.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("guidance_targets.id", ondelete="SET NULL"))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"))
    place: Mapped[str] = mapped_column(String(120))
    raised_by: Mapped[str] = mapped_column(String(40), default="")
    raised_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(6), default="收集")
    handled_by: Mapped[str] = mapped_column(String(80), default="")  # 交办 to whom
    closed_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str] = mapped_column(String(6), default="")  # 满意 / 基本满意 / 不满意
    note: Mapped[str] = mapped_column(String(200), default="")


class InstructorScheme(Travelling, Base):
    """The year's 积分+等级 rules and subsidy amounts (JSON, see app.domain.instructors.Scheme)."""

    __tablename__ = "instructor_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    rules: Mapped[str] = mapped_column(Text)


class InstructorGrade(Travelling, Base):
    """An instructor's points and grade for a year as 小组统计 recorded them."""

    __tablename__ = "instructor_grades"
    __table_args__ = (UniqueConstraint("instructor_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instructor_id: Mapped[int] = mapped_column(ForeignKey("instructors.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Points)
    grade: Mapped[str] = mapped_column(String(6))


class GradeSignoff(Travelling, Base):
    """One of the three sign-offs of a year's grades (小组统计 → 站内核实 → 党支部认定) by a named person."""

    __tablename__ = "instructor_grade_signoffs"
    __table_args__ = (UniqueConstraint("year", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(6))
    person: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(40), default="")  # the account that entered it


class StationSignoff(Travelling, Base):
    """A sign-off of one station's grades for a year (小组统计 → 站内核实 → 党支部认定, station by station, as a
    county with many stations signs); a year is signed either this way or for all stations at once (GradeSignoff)."""

    __tablename__ = "instructor_station_signoffs"
    __table_args__ = (UniqueConstraint("station_id", "year", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("instructor_stations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(6))
    person: Mapped[str] = mapped_column(String(40))
    signed_at: Mapped[datetime] = mapped_column(DateTime)
    signed_by: Mapped[str] = mapped_column(String(40), default="")
