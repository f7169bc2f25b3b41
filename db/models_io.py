"""Tables for Excel import batches, remembered column mappings and exchange-package state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import utcnow


class ImportBatch(Base):
    """One applied import (scores, roster or register), kept so 撤销上次导入 can restore it exactly."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # scores | roster | orgs | package
    file_name: Mapped[str] = mapped_column(String(260), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    backup_path: Mapped[str] = mapped_column(Text, default="")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportBatchRow(Base):
    """One row changed by a batch: its table, primary key and the exact values before and after (JSON)."""

    __tablename__ = "import_batch_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(40))  # table name
    row_key: Mapped[str] = mapped_column(String(200))  # JSON of the natural key
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the row's columns; NULL = did not exist
    after: Mapped[str | None] = mapped_column(Text)


class ColumnMapping(Base):
    """A column mapping the user chose for a sheet with their own headers, remembered by header set."""

    __tablename__ = "column_mappings"
    __table_args__ = (UniqueConstraint("kind", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    signature: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[str] = mapped_column(Text)  # JSON {header: field}
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ExchangePeer(Base):
    """Another installation packages came from, and when its last one was merged."""

    __tablename__ = "exchange_peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80), unique=True)  # the sending unit's code (or name)
    source_name: Mapped[str] = mapped_column(String(120), default="")
    last_import_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_package_sha: Mapped[str] = mapped_column(String(64), default="")
    # When the sender made the last package merged from it (UTC ISO, the sender's clock): echoed back
    # to the sender, which compares it with its own last import from us (see services/exchange.py).
    last_sent_at: Mapped[str] = mapped_column(String(32), default="", server_default="")
    package_count: Mapped[int] = mapped_column(Integer, default=0)


class ExchangeRowState(Base):
    """Hash of each row as it stood after the last exchange with a peer: tells who changed what since."""

    __tablename__ = "exchange_row_states"
    __table_args__ = (UniqueConstraint("peer_id", "entity", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("exchange_peers.id", ondelete="CASCADE"))
    entity: Mapped[str] = mapped_column(String(40))
    row_key: Mapped[str] = mapped_column(String(200))
    row_hash: Mapped[str] = mapped_column(String(64))


class Tombstone(Base):
    """A deleted travelling row (a work record, a cleared score cell, a pairing, a 支委 entry), kept so
    the deletion travels in packages like any other change. ``ident`` holds the row's identifying
    fields as they are exported (organisation uuids, year, month, item code or the row's uuid)."""

    __tablename__ = "tombstones"
    __table_args__ = (UniqueConstraint("entity", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    row_key: Mapped[str] = mapped_column(String(300))
    ident: Mapped[str] = mapped_column(Text)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_by: Mapped[str] = mapped_column(String(40), default="")
