"""SQLAlchemy 2.x typed models. Rows that travel between installations carry a stable UUID."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Travelling
from .types import Points, utcnow


class Organization(Travelling, Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    secretary: Mapped[str] = mapped_column(String(40), default="")
    contact: Mapped[str] = mapped_column(String(80), default="")
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str] = mapped_column(String(200), default="")
    established_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)  # 撤销/停用: the first day it no longer exists
    has_groups: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # 有党小组
    status: Mapped[str] = mapped_column(String(10), default="active")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Organization | None] = relationship(remote_side=[id])


class CommitteeMember(Travelling, Base):
    """支部委员会 member."""

    __tablename__ = "committee_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(30), default="")
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)  # 离任时间; empty: in office (or ended by a successor)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class PartyMember(Travelling, Base):
    """党员花名册 entry: only what the handbook needs; no national ID numbers."""

    __tablename__ = "party_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(2), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    education: Mapped[str] = mapped_column(String(20), default="")
    joined_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="正式党员")
    post: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    transferred_out_on: Mapped[date | None] = mapped_column(Date)
    transfer_note: Mapped[str] = mapped_column(String(200), default="")


class OrgClass(Travelling, Base):
    """The A/B/C class of an organisation for a year (initial, from last year's grade, or set by hand)."""

    __tablename__ = "org_classes"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(1))
    source: Mapped[str] = mapped_column(String(10), default="initial")  # initial | grade | manual
    note: Mapped[str] = mapped_column(String(200), default="")


class Pairing(Travelling, Base):
    """结对共建: a strong organisation paired with a weak one for a year."""

    __tablename__ = "pairings"
    __table_args__ = (UniqueConstraint("strong_org_id", "weak_org_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strong_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    weak_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")
    # 0010_pairings: the span, goals ("、"-joined), why a leader outside the preferred sector, year-end evaluation.
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    goals: Mapped[str] = mapped_column(String(200), default="", server_default="")
    reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    evaluation: Mapped[str] = mapped_column(Text, default="", server_default="")
    rating: Mapped[str] = mapped_column(String(10), default="", server_default="")


class SchemeRow(Travelling, Base):
    """积分细则 of one year, with its warning and grade thresholds."""

    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(120))
    yellow_below: Mapped[Decimal] = mapped_column(Points)
    orange_below: Mapped[Decimal] = mapped_column(Points)
    red_below: Mapped[Decimal] = mapped_column(Points)
    consecutive: Mapped[bool] = mapped_column(Boolean, default=True)
    # "25分以下" includes 25: a quarter at the line is warned. False keeps the strict reading (below only).
    lines_inclusive: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    grade_a_min: Mapped[Decimal] = mapped_column(Points)
    grade_b_min: Mapped[Decimal] = mapped_column(Points)

    categories: Mapped[list[SchemeCategoryRow]] = relationship(
        back_populates="scheme", order_by="SchemeCategoryRow.sort_order", cascade="all, delete-orphan"
    )


class SchemeCategoryRow(Travelling, Base):
    __tablename__ = "scheme_categories"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # normal | bonus | deduction
    max_points: Mapped[Decimal | None] = mapped_column(Points)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    scheme: Mapped[SchemeRow] = relationship(back_populates="categories")
    items: Mapped[list[SchemeItemRow]] = relationship(
        back_populates="category", order_by="SchemeItemRow.sort_order", cascade="all, delete-orphan"
    )


class SchemeItemRow(Travelling, Base):
    __tablename__ = "scheme_items"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("schemes.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("scheme_categories.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))  # normal | bonus | deduction | veto
    points: Mapped[Decimal] = mapped_column(Points)
    monthly_cap: Mapped[Decimal | None] = mapped_column(Points)
    yearly_cap: Mapped[Decimal | None] = mapped_column(Points)
    standard: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(String(200), default="")
    record_type: Mapped[str | None] = mapped_column(String(10))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # 需结对: points only for an organisation with a 结对共建 pairing that year (0010_pairings).
    needs_pairing: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    category: Mapped[SchemeCategoryRow] = relationship(back_populates="items")


class MonthlyScore(Travelling, Base):
    """One organisation × item × month cell of the ledger.

    ``manual_points``/``manual_count`` are what was set by hand; ``record_count`` is the number
    of linked work records that month; ``effective`` is the item's contribution after its
    monthly and yearly caps (a magnitude; the item's kind gives the sign). ``effective`` is
    derived and recomputed on every write, so quarter and year totals are plain SQL sums.
    """

    __tablename__ = "monthly_scores"
    __table_args__ = (
        UniqueConstraint("org_id", "item_id", "month"),
        Index("ix_scores_year_month_org", "year", "month", "org_id"),
        Index("ix_scores_org_year", "org_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("scheme_items.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    manual_points: Mapped[Decimal | None] = mapped_column(Points)
    manual_count: Mapped[int | None] = mapped_column(Integer)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    effective: Mapped[Decimal] = mapped_column(Points, default=Decimal("0.0"))
    # After the monthly cap only: quarter scores count this (before yearly and category caps).
    capped: Mapped[Decimal] = mapped_column(Points, default=Decimal("0.0"), server_default="0")
    note: Mapped[str] = mapped_column(String(200), default="")


class RecordSection(Base):
    """一本通 大项."""

    __tablename__ = "record_sections"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class RecordType(Base):
    """一本通 小项: the form it is entered and printed with, and how often it is due."""

    __tablename__ = "record_types"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    section_code: Mapped[str] = mapped_column(ForeignKey("record_sections.code", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(60), unique=True)
    form: Mapped[str] = mapped_column(String(30))
    source: Mapped[str] = mapped_column(String(10), default="record")  # record | register
    frequency: Mapped[str] = mapped_column(String(10), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class WorkRecord(Travelling, Base):
    """党务工作记录: one entry of the 一本通."""

    __tablename__ = "work_records"
    __table_args__ = (Index("ix_records_org_year", "org_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    type_code: Mapped[str] = mapped_column(ForeignKey("record_types.code", ondelete="RESTRICT"))
    date: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    host: Mapped[str] = mapped_column(String(40), default="")
    recorder: Mapped[str] = mapped_column(String(40), default="")
    attendance_expected: Mapped[int | None] = mapped_column(Integer)
    attendance_actual: Mapped[int | None] = mapped_column(Integer)
    absentees: Mapped[str] = mapped_column(Text, default="")
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON of form fields beyond the columns above


class WarningRow(Travelling, Base):
    """An issued quarterly warning (预警通报) and its rectification (整改)."""

    __tablename__ = "warnings"
    __table_args__ = (UniqueConstraint("org_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    quarter_score: Mapped[Decimal] = mapped_column(Points)
    reasons: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    notice_no: Mapped[str] = mapped_column(String(60), default="")
    rect_measures: Mapped[str] = mapped_column(Text, default="")
    rect_deadline: Mapped[date | None] = mapped_column(Date)
    rect_verified_by: Mapped[str] = mapped_column(String(40), default="")
    rect_closed_on: Mapped[date | None] = mapped_column(Date)


class AnnualGrade(Travelling, Base):
    """年度定级: computed class, final class and the reason for any override."""

    __tablename__ = "annual_grades"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column(Points)
    computed_class: Mapped[str] = mapped_column(String(1))
    final_class: Mapped[str] = mapped_column(String(1))
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_by: Mapped[str] = mapped_column(String(40), default="")


class MonthLock(Base):
    """A month checked and locked by a reviewer: no score or record of that month may change."""

    __tablename__ = "month_locks"
    __table_args__ = (UniqueConstraint("year", "month", "scope", name="uq_month_locks_year_month_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    locked_by: Mapped[str] = mapped_column(String(40))
    locked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")
    scope: Mapped[str] = mapped_column(String(40), default="", server_default="")  # an org code: that subtree only; "" = whole unit


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class AuditEntry(Base):
    """Append-only log of every write; hash-chained so an edited or deleted entry shows."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_uuid: Mapped[str] = mapped_column(String(36), default="")
    org_code: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="{}")  # JSON {field: [old, new]}
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")

