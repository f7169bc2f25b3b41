"""The declarative base every table derives from, and the mixin of rows that travel between installations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import UUIDStr, new_uuid, utcnow


class Base(DeclarativeBase):
    pass


class Travelling:
    """Mixin for rows exchanged between installations: stable id and change time."""

    uuid: Mapped[str] = mapped_column(UUIDStr, unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
