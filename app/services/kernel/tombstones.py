"""Tombstones: every deletion of a travelling row leaves one, so packages carry deletions too.

A deleted work record, a cleared score cell, a removed pairing or 支委 entry would otherwise stay on
the other side for ever (its absence in a package says nothing). The identifying fields are stored
as they are exported; the exchange collects the tombstones of a package's scope and period, and
drops those whose row exists again (re-entered after the deletion).
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.row_keys import row_key
from db.models import CommitteeMember, Organization, Pairing, SchemeItemRow, WorkRecord
from db.models_io import Tombstone
from db.types import utcnow


def bury(s: Session, who: str, entity: str, ident: dict, *, org_id: int | None, year: int | None) -> None:
    key = row_key(entity, ident)
    stone = s.scalar(select(Tombstone).where(Tombstone.entity == entity, Tombstone.row_key == key))
    if stone is None:
        stone = Tombstone(entity=entity, row_key=key)
        s.add(stone)
    stone.ident = json.dumps(ident, ensure_ascii=False, sort_keys=True)
    stone.org_id, stone.year, stone.deleted_at, stone.deleted_by = org_id, year, utcnow(), who


def _uuid(s: Session, org_id: int) -> str:
    return s.scalar(select(Organization.uuid).where(Organization.id == org_id))


def score_cleared(s: Session, who: str, org_id: int, item_id: int, year: int, month: int) -> None:
    """A hand-entered score cell was cleared (its record-earned points, if any, stay where they are)."""
    code = s.scalar(select(SchemeItemRow.code).where(SchemeItemRow.id == item_id))
    bury(s, who, "scores", {"org_uuid": _uuid(s, org_id), "year": year, "month": month, "item_code": code},
         org_id=org_id, year=year)


def record_deleted(s: Session, who: str, row: WorkRecord) -> None:
    bury(s, who, "records", {"uuid": row.uuid, "org_uuid": _uuid(s, row.org_id)}, org_id=row.org_id,
         year=row.year)


def pairing_removed(s: Session, who: str, row: Pairing) -> None:
    bury(s, who, "pairings", {"strong_uuid": _uuid(s, row.strong_org_id), "weak_uuid": _uuid(s, row.weak_org_id),
                                 "year": row.year}, org_id=row.strong_org_id, year=row.year)


def exemption_removed(s: Session, who: str, row) -> None:
    bury(s, who, "exemptions", {"uuid": row.uuid, "org_uuid": _uuid(s, row.org_id)}, org_id=row.org_id,
         year=row.last_month.year)


def committee_removed(s: Session, who: str, row: CommitteeMember) -> None:
    bury(s, who, "committee", {"uuid": row.uuid, "org_uuid": _uuid(s, row.org_id)}, org_id=row.org_id,
         year=None)


def tracking_removed(s: Session, who: str, entity: str, uuid: str, org_id: int | None, year: int | None) -> None:
    """A 书记项目, 重点任务, 节点 or 例会 was deleted (entity: projects | tasks | milestones | meetings)."""
    ident = {"uuid": uuid}
    if org_id is not None:
        ident["org_uuid"] = _uuid(s, org_id)
    bury(s, who, entity, ident, org_id=org_id, year=year)
