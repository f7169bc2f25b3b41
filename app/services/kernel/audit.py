"""The audit trail: every write appends an entry, chained to the one before by a keyed hash.

The chain's key is the installation's (db/keys.py), so an entry rewritten and the chain recomputed
with a SQLite tool does not verify. Truncation (the last entries, or all of them) leaves a shorter
chain that is consistent in itself; the anchor (entry count and head hash with a keyed MAC, in the
key folder, updated after each committed write) catches it.
"""

from __future__ import annotations

import hashlib
import hmac
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


def entry_hash(key: bytes | None, prev_hash: str, at: datetime, user: str, action: str, entity: str,
               entity_uuid: str, org_code: str, summary: str, changes: str) -> str:
    """HMAC-SHA256 with the installation's key; ``key=None`` is the plain SHA-256 of files made before keys."""
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="milliseconds"), user, action, entity, entity_uuid, org_code, summary, changes],
        ensure_ascii=False,
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


_HEAD = "audit_head"  # session.info key: the hash of the entry this transaction appended last


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
    # The head is read once per transaction and then carried: only this function appends entries, and the write
    # transaction holds the single-writer lock, so nobody else moves the head meanwhile (12,000 tasks issued at
    # once would otherwise read it 12,000 times).
    # Inside a savepoint that may roll back, the head is read afresh and not carried.
    nested = session.in_nested_transaction()
    prev = (None if nested else session.info.get(_HEAD)) or head(session) or GENESIS
    at = utcnow()
    digest = entry_hash(ledger.db.seal_key, prev, at, ledger.user, action, entity, entity_uuid, org_code, summary, changes_json)
    session.add(
        AuditEntry(
            at=at, user=ledger.user, action=action, entity=entity, entity_uuid=entity_uuid,
            org_code=org_code, summary=summary, changes=changes_json, prev_hash=prev, hash=digest,
        )
    )
    if nested:
        session.info.pop(_HEAD, None)
        session.flush()
    else:
        session.info[_HEAD] = digest


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


def _walk(s: Session, key: bytes | None) -> tuple[str, list[str]]:
    """("" or the first break, every entry's hash in order)."""
    prev, hashes = GENESIS, []
    for r in s.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if r.prev_hash != prev:
            return f"审计记录 #{r.id} 的前序哈希不符：其前面的记录被删除或修改", hashes
        expected = entry_hash(key, prev, r.at, r.user, r.action, r.entity, r.entity_uuid, r.org_code, r.summary, r.changes)
        if r.hash != expected:
            return f"审计记录 #{r.id} 的内容与其哈希不符：该记录在软件之外被修改", hashes
        prev = r.hash
        hashes.append(r.hash)
    return "", hashes


def verify_chain(ledger: Ledger) -> tuple[bool, str]:
    """Walk the chain and compare it with the anchor; (ok, message naming the first problem)."""
    from db import keys

    with ledger.db.read() as s:
        broken, hashes = _walk(s, ledger.db.seal_key)
    if broken:
        return False, broken
    anchor = keys.read_anchor(ledger.path, ledger.db.seal_key)
    if str(ledger.path) == ":memory:":
        return True, "审计链完整"
    if anchor is None:
        return False, "找不到审计记录的锚点（数据文件旁 .keys 文件夹中的 audit.anchor）：无法确认审计记录末尾没有被删除"
    if anchor == "forged":
        return False, "审计记录的锚点被改动或损坏（.keys/audit.anchor）"
    count, head = anchor
    if len(hashes) < count:
        return False, (f"审计记录比上次记下的少了 {count - len(hashes)} 条（应有 {count} 条，现有 {len(hashes)} 条）："
                       "末尾的记录在软件之外被删除")
    if count and hashes[count - 1] != head:
        return False, f"第 {count} 条审计记录与上次记下的不同：审计记录在软件之外被改写"
    return True, f"审计链完整（{len(hashes)} 条，与锚点一致）"


def rekey(session: Session, key: bytes) -> tuple[int, str]:
    """Re-chain the whole log with ``key`` (a file from before per-installation keys, or an administrator
    accepting the data after the key folder was lost). Returns (entries, what the old chain said)."""
    broken, _ = _walk(session, None)
    legacy = broken or "旧审计链完整"
    prev = GENESIS
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    for r in entries:
        r.prev_hash = prev
        r.hash = entry_hash(key, prev, r.at, r.user, r.action, r.entity, r.entity_uuid, r.org_code, r.summary, r.changes)
        prev = r.hash
    session.flush()
    return len(entries), legacy
