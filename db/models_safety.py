"""Tables for accounts, backups and row seals (the data-safety area)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import utcnow


class User(Base):
    """An account: 管理员 / 审核员 / 录入员. Passwords are stored only as scrypt hashes."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    salt: Mapped[str] = mapped_column(String(64))  # hex
    pw_hash: Mapped[str] = mapped_column(String(128))  # hex
    kdf: Mapped[str] = mapped_column(String(60))  # e.g. "scrypt:n=16384,r=8,p=1", so parameters can grow later
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    scope: Mapped[str] = mapped_column(String(40), default="", server_default="")  # an org code: that subtree only; "" = whole unit


class BackupLog(Base):
    """One backup taken: where, why, and the audit head at that moment (to tell whether data changed since)."""

    __tablename__ = "backup_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    path: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer, default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")


class RowSeal(Base):
    """A keyed digest of the trusted columns of one row of a sealed table (see db/seals.py)."""

    __tablename__ = "row_seals"

    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(32))
