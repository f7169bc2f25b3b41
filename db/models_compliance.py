"""组织生活 compliance: the required meetings per year, and exemptions granted to an organisation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Travelling


class MeetingRequirement(Travelling, Base):
    """One year's rule for one kind of work record: how many per month/quarter/year, for whom, due when."""

    __tablename__ = "meeting_requirements"
    __table_args__ = (UniqueConstraint("year", "type_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    type_code: Mapped[str] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(10))  # month | quarter | year
    minimum: Mapped[int] = mapped_column(Integer, default=1)
    applies: Mapped[str] = mapped_column(String(10), default="all")  # all | groups | sectors
    sectors: Mapped[str] = mapped_column(String(200), default="")  # "、"-joined, when applies == sectors
    due_month: Mapped[int | None] = mapped_column(Integer)  # a yearly rule due in the next year, e.g. 3
    due_day: Mapped[int | None] = mapped_column(Integer)  # …on this day, e.g. 31
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ComplianceExemption(Travelling, Base):
    """An organisation need not hold a kind of meeting in these months (new branch, merger, postponement…)."""

    __tablename__ = "compliance_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    type_code: Mapped[str] = mapped_column(String(10))
    first_month: Mapped[date] = mapped_column(Date)  # the 1st of the first exempt month
    last_month: Mapped[date] = mapped_column(Date)  # the 1st of the last exempt month
    reason: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(40), default="")
