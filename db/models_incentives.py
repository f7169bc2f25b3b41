"""结果运用: incentive rules per year (奖补兑现 / 绩效评定), the confirmed results, and the 表彰 and
补助经费 registers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Travelling
from .money import Money
from .types import Points


class IncentiveRule(Travelling, Base):
    """One year's rule for a sector and a final class (A/B/C, or 否决 for a year with a veto):
    a 奖补 amount in yuan, or a 绩效评定 result."""

    __tablename__ = "incentive_rules"
    __table_args__ = (UniqueConstraint("year", "sector", "grade"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str] = mapped_column(String(4))  # A | B | C | 否决
    kind: Mapped[str] = mapped_column(String(4))  # 奖补 | 绩效
    amount: Mapped[Decimal | None] = mapped_column(Money)  # yuan, for 奖补
    result: Mapped[str] = mapped_column(String(60), default="")


class IncentiveResult(Travelling, Base):
    """An organisation's confirmed 奖补 / 绩效 for a year, frozen as it was confirmed."""

    __tablename__ = "incentive_results"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    sector: Mapped[str] = mapped_column(String(20))
    score: Mapped[Decimal] = mapped_column(Points)
    final_class: Mapped[str] = mapped_column(String(1))
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(4))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    result: Mapped[str] = mapped_column(String(60), default="")
    confirmed_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_by: Mapped[str] = mapped_column(String(40), default="")


class Award(Travelling, Base):
    """表彰: an award to an organisation (collective) or to a person of it."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    person: Mapped[str] = mapped_column(String(40), default="")  # empty: the organisation itself
    level: Mapped[str] = mapped_column(String(4))  # 国家 | 省 | 市 | 县 | 乡镇
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    bonus_item: Mapped[str | None] = mapped_column(String(20))  # the scheme item its bonus point was counted on


class Grant(Travelling, Base):
    """补助经费: money granted to an organisation (e.g. 5,000 元/年 for a 培育 branch)."""

    __tablename__ = "grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(120))
    amount: Mapped[Decimal] = mapped_column(Money)
    date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
