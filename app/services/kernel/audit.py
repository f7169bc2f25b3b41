"""The audit trail: every write appends an entry, hash-chained to the one before."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry
from db.types import utcnow

from .context import Ledger

GENESIS = "0" * 64


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def entry_hash(prev_hash: str, at: datetime, user: str, action: str, entity: str, entity_uuid: str,
               org_code: str, summary: str, changes: str) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="milliseconds"), user, action, entity, entity_uuid, org_code, summary, changes],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head(session: Session) -> str:
    """Hash of the last audit entry ("" for an empty log): every change through this software moves it."""
    return session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or ""


def record(
    session: Session,
    ledger: Ledger,
    action: str,
    entity: str,
    *,
    entity_uuid: str = "",
    org_code: str = "",
    summary: str = "",
    changes: dict[str, tuple[object, object]] | None = None,
) -> None:
    """Append one audit entry inside the caller's transaction (so it commits or rolls back with it)."""
    changes_json = json.dumps(
        {k: [_jsonable(old), _jsonable(new)] for k, (old, new) in (changes or {}).items()},
        ensure_ascii=False,
        sort_keys=True,
    )
    prev = head(session) or GENESIS
    at = utcnow()
    digest = entry_hash(prev, at, ledger.user, action, entity, entity_uuid, org_code, summary, changes_json)
    session.add(
        AuditEntry(
            at=at, user=ledger.user, action=action, entity=entity, entity_uuid=entity_uuid,
            org_code=org_code, summary=summary, changes=changes_json, prev_hash=prev, hash=digest,
        )
    )
    session.flush()


def diff(before: dict[str, object], after: dict[str, object]) -> dict[str, tuple[object, object]]:
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    org_code: str
    summary: str
    changes: str


def recent(ledger: Ledger, limit: int = 200) -> list[AuditLine]:
    with ledger.db.read() as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).all()
        return [AuditLine(r.id, r.at, r.user, r.action, r.entity, r.org_code, r.summary, r.changes) for r in rows]


def verify_chain(ledger: Ledger) -> tuple[bool, str]:
    """Walk the chain; (ok, message naming the first broken entry)."""
    prev = GENESIS
    with ledger.db.read() as s:
        for r in s.scalars(select(AuditEntry).order_by(AuditEntry.id)):
            if r.prev_hash != prev:
                return False, f"审计记录 #{r.id} 的前序哈希不符：其前面的记录被删除或修改"
            expected = entry_hash(prev, r.at, r.user, r.action, r.entity, r.entity_uuid, r.org_code, r.summary, r.changes)
            if r.hash != expected:
                return False, f"审计记录 #{r.id} 的内容与其哈希不符：该记录被修改"
            prev = r.hash
    return True, "审计链完整"
