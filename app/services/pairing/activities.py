"""结对共建活动: a work record (type 7.4) that names the pair; it earns the points of the scheme item it is
linked to (结对共建, marked 需结对), like any linked record. Each record names its partner organisation,
and every path that writes one (dialog, CLI, packages) checks here that the pair existed on its date."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from db.models import Organization, Pairing, WorkRecord

ACTIVITY_TYPE = "7.4"  # 一本通 7.4 结对共建活动 (resources/yibentong.json)
PARTNER = "partner"  # the extra field naming the partner organisation: "code name" once checked


def partner_code(value: object) -> str:
    """The partner's code from the stored "code name" (or a bare code)."""
    return str(value or "").strip().split(" ")[0]


def _partner(s: Session, ref: str) -> Organization | None:
    """By code, by "code name" as a picker shows it, or by a unique full name."""
    ref = ref.strip()
    for code in dict.fromkeys((ref, ref.split(" ")[0])):
        o = s.scalar(select(Organization).where(Organization.code == code))
        if o is not None:
            return o
    found = list(s.scalars(select(Organization).where(Organization.name == ref)))
    return found[0] if len(found) == 1 else None


def pair_on(s: Session, org_id: int, partner_id: int, on: date) -> Pairing | None:
    """The pairing of the two organisations (either side leading) in force on ``on``."""
    for p in s.scalars(select(Pairing).where(
            Pairing.year == on.year,
            or_((Pairing.strong_org_id == org_id) & (Pairing.weak_org_id == partner_id),
                (Pairing.strong_org_id == partner_id) & (Pairing.weak_org_id == org_id)))):
        if (p.start_on is None or p.start_on <= on) and (p.end_on is None or on <= p.end_on):
            return p
    return None


def check_activity(s: Session, org: Organization, type_code: str, on: date, extra: dict) -> dict:
    """The record's extra fields with its partner checked and named by code; other types pass unchanged."""
    if type_code != ACTIVITY_TYPE:
        return extra
    ref = str(extra.get(PARTNER) or "").strip()
    if not ref:
        raise ValidationError("结对共建活动须写明结对组织（编码或名称）")
    partner = _partner(s, ref)
    if partner is None:
        raise ValidationError(f"找不到结对组织“{ref}”（请填写组织编码或完整名称）")
    if pair_on(s, org.id, partner.id, on) is None:
        raise ValidationError(f"“{org.name}”与“{partner.name}”在 {on:%Y-%m-%d} 没有结对共建关系，"
                              "不能登记结对共建活动（请先在结对共建中登记）")
    return {**extra, PARTNER: f"{partner.code} {partner.name}"}


def activity_counts(s: Session, year: int) -> Counter[tuple[int, int]]:
    """Joint activities of each (leader id, helped id) pair in ``year``: records on either side naming the
    other, one joint activity recorded by both sides (same date and topic) counted once."""
    codes = dict(s.execute(select(Organization.code, Organization.id)).all())
    pairs = {(p.strong_org_id, p.weak_org_id) for p in s.scalars(select(Pairing).where(Pairing.year == year))}
    seen: set[tuple[int, int, date, str]] = set()
    out: Counter[tuple[int, int]] = Counter()
    for r in s.scalars(select(WorkRecord).where(WorkRecord.year == year, WorkRecord.type_code == ACTIVITY_TYPE)):
        other = codes.get(partner_code(json.loads(r.extra or "{}").get(PARTNER)))
        if other is None:
            continue
        key = (r.org_id, other) if (r.org_id, other) in pairs else (other, r.org_id)
        if key not in pairs or (*key, r.date, r.topic) in seen:
            continue
        seen.add((*key, r.date, r.topic))
        out[key] += 1
    return out


def records_of_pair(s: Session, p: Pairing) -> int:
    """Activity records on either side naming the other, in the pairing's year."""
    codes = dict(s.execute(select(Organization.id, Organization.code)).all())
    n = 0
    for r in s.scalars(select(WorkRecord).where(WorkRecord.year == p.year, WorkRecord.type_code == ACTIVITY_TYPE,
                                                WorkRecord.org_id.in_([p.strong_org_id, p.weak_org_id]))):
        other = p.weak_org_id if r.org_id == p.strong_org_id else p.strong_org_id
        if partner_code(json.loads(r.extra or "{}").get(PARTNER)) == codes.get(other):
            n += 1
    return n
