"""Rows of an exchange package as plain JSON dicts, the same shape on the sending and receiving side.

Each entity has a natural key that is stable across installations (a uuid, or e.g. organisation
uuid + year + quarter for a warning) and a hash of its content, so a merge can tell new, same and
changed rows, and who changed what since the last exchange.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.points import fmt
from app.domain.row_keys import row_key
from app.domain.scheme import scheme_rules_dict
from app.services.scoring.schemes import to_domain
from db.models import (
    AnnualGrade,
    CommitteeMember,
    MonthlyScore,
    Organization,
    OrgClass,
    Pairing,
    PartyMember,
    SchemeItemRow,
    SchemeRow,
    WarningRow,
    WorkRecord,
)
from db.models_compliance import ComplianceExemption, MeetingRequirement
from db.models_io import Tombstone

from . import rows_results, tracking_rows
from .instructor_rows import (
    INSTRUCTOR_DELETABLE,
    INSTRUCTOR_ENTITIES,
    INSTRUCTOR_FIELDS,
    INSTRUCTOR_LABELS,
    NATURAL_KEYED,
    collect_instructors,
)

# Order matters on import: what later rows point at comes first.
ENTITIES = ("organizations", "org_classes", "schemes", "scores", "records", *rows_results.BEFORE_GRADES,
            "warnings", "grades", "pairings", "committee", "members", "requirements", "exemptions",
            *tracking_rows.ENTITIES, *INSTRUCTOR_ENTITIES, *rows_results.AFTER_GRADES)
ROSTER_ENTITIES = ("committee", "members")
ENTITY_LABELS = {
    "organizations": "党组织", "org_classes": "组织分类", "schemes": "积分细则", "scores": "月度积分",
    "records": "工作记录", "warnings": "预警与整改", "grades": "年度定级", "pairings": "结对共建",
    "committee": "支委会成员", "members": "党员花名册", "requirements": "组织生活要求", "exemptions": "组织生活豁免",
    **tracking_rows.LABELS,
    **INSTRUCTOR_LABELS,
    **rows_results.LABELS,
}
FIELD_LABELS = {
    "code": "编码", "name": "名称", "kind": "类型", "sector": "领域", "parent_uuid": "上级组织", "secretary": "书记",
    "contact": "联系方式", "member_count": "党员数", "address": "地址", "established_on": "成立时间", "status": "状态",
    "sort_order": "排序", "category": "分类", "source": "来源", "note": "备注", "fingerprint": "细则内容",
    "manual_points": "分值", "manual_count": "次数", "type_code": "记录类型", "date": "日期", "topic": "主题",
    "content": "内容", "place": "地点", "host": "主持人", "recorder": "记录人", "attendance_expected": "应到",
    "attendance_actual": "实到", "absentees": "缺席", "extra": "其他栏目", "level": "预警等级",
    "quarter_score": "季度得分", "reasons": "预警原因", "issued_on": "通报日期", "notice_no": "文号",
    "rect_measures": "整改措施", "rect_deadline": "整改期限", "rect_verified_by": "验收人", "rect_closed_on": "销号日期",
    "score": "年度得分", "computed_class": "计算定级", "final_class": "最终定级", "veto": "一票否决",
    "override_reason": "调整理由", "confirmed_at": "确认时间", "confirmed_by": "确认人", "role": "职务",
    "phone": "电话", "term_start": "任职时间", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "education": "学历", "joined_on": "入党时间", "post": "工作岗位", "transferred_out_on": "转出日期",
    "transfer_note": "转出去向", "period": "周期", "minimum": "最少次数", "applies": "适用范围", "sectors": "领域",
    "due_month": "截止月", "due_day": "截止日", "first_month": "起始月份", "last_month": "截止月份", "reason": "理由",
    **tracking_rows.FIELDS,
    **INSTRUCTOR_FIELDS,
    "start_on": "开始日期", "end_on": "结束日期", "goals": "共建内容", "evaluation": "年终评价", "rating": "评价等次",
    **rows_results.FIELDS,
}
CONTEXT_FIRST_MONTH = 1  # the whole previous year travels too: Q1/Q2 warnings look back at its Q3/Q4, whose capped points depend on its earlier months


def d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def dt(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value is not None else None


def p(value: Decimal | None) -> str | None:
    return fmt(value) if value is not None else None


def _content(entity: str, row: dict) -> dict:
    # A row's uuid is part of its identity only where it is the key; for natural-keyed rows the two
    # installations may have made the same row under different uuids.
    if entity in ("org_classes", "grades", "warnings", "pairings", "requirements", *NATURAL_KEYED, *rows_results.NATURAL):
        return {k: v for k, v in row.items() if k != "uuid"}
    if entity == "schemes":
        return {"fingerprint": row["fingerprint"]}
    return row


def pairing_fields(pr: Pairing) -> dict:
    """The fields 0010_pairings added; a package from an earlier version has none of them."""
    return {"start_on": d(pr.start_on), "end_on": d(pr.end_on), "goals": pr.goals or "", "reason": pr.reason or "",
            "evaluation": pr.evaluation or "", "rating": pr.rating or ""}


def row_hash(entity: str, row: dict) -> str:
    text = json.dumps(_content(entity, row), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def subtree_ids(session: Session, root_id: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for oid, parent in session.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent, []).append(oid)
    out, todo = [], [root_id]
    while todo:
        oid = todo.pop()
        out.append(oid)
        todo.extend(children.get(oid, []))
    return out


def collect(session: Session, root_id: int, org_ids: list[int], year: int, *, with_roster: bool,
            only: Iterable[str] = ENTITIES) -> dict[str, list[dict]]:
    """Every travelling row of the scope, as JSON dicts, entity by entity."""
    only = set(only)
    uuid_of = dict(session.execute(select(Organization.id, Organization.uuid)).all())
    ids = list(org_ids)
    idset = set(ids)
    period = or_(MonthlyScore.year == year, (MonthlyScore.year == year - 1) & (MonthlyScore.month >= CONTEXT_FIRST_MONTH))
    rperiod = or_(WorkRecord.year == year, (WorkRecord.year == year - 1) & (WorkRecord.month >= CONTEXT_FIRST_MONTH))
    out: dict[str, list[dict]] = {e: [] for e in ENTITIES if e in only}
    if "organizations" in only:
        for o in session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.id)):
            out["organizations"].append({
                "uuid": o.uuid, "code": o.code, "name": o.name, "kind": o.kind, "sector": o.sector,
                # The scope's top is placed by the receiver; where it hangs there is not the sender's concern.
                "parent_uuid": None if o.id == root_id else uuid_of.get(o.parent_id),
                "secretary": o.secretary, "contact": o.contact, "member_count": o.member_count,
                "address": o.address, "established_on": d(o.established_on), "status": o.status,
                "sort_order": o.sort_order,
            })
    if "org_classes" in only:
        for c in session.scalars(select(OrgClass).where(OrgClass.org_id.in_(ids), OrgClass.year <= year + 1)):
            out["org_classes"].append({"uuid": c.uuid, "org_uuid": uuid_of[c.org_id], "year": c.year,
                                       "category": c.category, "source": c.source, "note": c.note})
    if "schemes" in only:
        for row in session.scalars(select(SchemeRow).where(SchemeRow.year.in_([year - 1, year]))):
            scheme = to_domain(row)
            out["schemes"].append({"uuid": row.uuid, "year": row.year, "name": row.name,
                                   "rules": scheme_rules_dict(scheme), "fingerprint": scheme.fingerprint()})
    if "scores" in only:
        t, i = MonthlyScore.__table__, SchemeItemRow.__table__
        q = (select(t.c.org_id, t.c.year, t.c.month, i.c.code, t.c.manual_points, t.c.manual_count, t.c.note)
             .select_from(t.join(i, i.c.id == t.c.item_id))
             .where(t.c.org_id.in_(ids), period, or_(t.c.manual_points.is_not(None), t.c.manual_count.is_not(None)))
             .order_by(t.c.org_id, t.c.year, t.c.month, i.c.code))
        for oid, y, m, code, mp, mc, note in session.execute(q):
            out["scores"].append({"org_uuid": uuid_of[oid], "year": y, "month": m, "item_code": code,
                                  "manual_points": p(mp), "manual_count": mc, "note": note})
    if "records" in only:
        for r in session.scalars(select(WorkRecord).where(WorkRecord.org_id.in_(ids), rperiod).order_by(WorkRecord.id)):
            out["records"].append({
                "uuid": r.uuid, "org_uuid": uuid_of[r.org_id], "type_code": r.type_code, "date": d(r.date),
                "topic": r.topic, "content": r.content, "place": r.place, "host": r.host, "recorder": r.recorder,
                "attendance_expected": r.attendance_expected, "attendance_actual": r.attendance_actual,
                "absentees": r.absentees, "extra": r.extra,
            })
    if "warnings" in only:
        for w in session.scalars(select(WarningRow).where(WarningRow.org_id.in_(ids), WarningRow.year == year)):
            out["warnings"].append({
                "uuid": w.uuid, "org_uuid": uuid_of[w.org_id], "year": w.year, "quarter": w.quarter,
                "level": w.level, "quarter_score": p(w.quarter_score), "reasons": w.reasons,
                "issued_on": d(w.issued_on), "notice_no": w.notice_no, "rect_measures": w.rect_measures,
                "rect_deadline": d(w.rect_deadline), "rect_verified_by": w.rect_verified_by,
                "rect_closed_on": d(w.rect_closed_on),
            })
    if "grades" in only:
        for g in session.scalars(select(AnnualGrade).where(AnnualGrade.org_id.in_(ids), AnnualGrade.year == year)):
            out["grades"].append({
                "uuid": g.uuid, "org_uuid": uuid_of[g.org_id], "year": g.year, "score": p(g.score),
                "computed_class": g.computed_class, "final_class": g.final_class, "veto": g.veto,
                "override_reason": g.override_reason, "confirmed_at": dt(g.confirmed_at),
                "confirmed_by": g.confirmed_by,
            })
    if "pairings" in only:
        for pr in session.scalars(select(Pairing).where(Pairing.year.in_([year - 1, year]), Pairing.strong_org_id.in_(ids))):
            if pr.weak_org_id in idset:
                out["pairings"].append({"uuid": pr.uuid, "strong_uuid": uuid_of[pr.strong_org_id],
                                        "weak_uuid": uuid_of[pr.weak_org_id], "year": pr.year, "note": pr.note,
                                        **pairing_fields(pr)})
    if with_roster and "committee" in only:
        for c in session.scalars(select(CommitteeMember).where(CommitteeMember.org_id.in_(ids))):
            out["committee"].append({"uuid": c.uuid, "org_uuid": uuid_of[c.org_id], "name": c.name, "role": c.role,
                                     "phone": c.phone, "term_start": d(c.term_start), "term_end": d(c.term_end),
                                     "sort_order": c.sort_order})
    if with_roster and "members" in only:
        for m in session.scalars(select(PartyMember).where(PartyMember.org_id.in_(ids))):
            out["members"].append({
                "uuid": m.uuid, "org_uuid": uuid_of[m.org_id], "name": m.name, "gender": m.gender,
                "birth_date": d(m.birth_date), "ethnicity": m.ethnicity, "education": m.education,
                "joined_on": d(m.joined_on), "status": m.status, "post": m.post, "phone": m.phone,
                "transferred_out_on": d(m.transferred_out_on), "transfer_note": m.transfer_note,
            })
    if "requirements" in only:  # the 组织生活 rules of the package's years travel like the scheme
        for r in session.scalars(select(MeetingRequirement).where(MeetingRequirement.year.in_([year - 1, year]))
                                 .order_by(MeetingRequirement.year, MeetingRequirement.sort_order)):
            out["requirements"].append({"uuid": r.uuid, "year": r.year, "type_code": r.type_code, "period": r.period,
                                        "minimum": r.minimum, "applies": r.applies, "sectors": r.sectors,
                                        "due_month": r.due_month, "due_day": r.due_day, "sort_order": r.sort_order})
    if "exemptions" in only:
        for e in session.scalars(select(ComplianceExemption).where(ComplianceExemption.org_id.in_(ids))
                                 .order_by(ComplianceExemption.id)):
            if e.first_month.year <= year and e.last_month.year >= year - 1:
                out["exemptions"].append({"uuid": e.uuid, "org_uuid": uuid_of[e.org_id], "type_code": e.type_code,
                                          "first_month": d(e.first_month), "last_month": d(e.last_month),
                                          "reason": e.reason})
    out.update(tracking_rows.collect(session, root_id, ids, year, uuid_of, only))
    if any(e in only for e in INSTRUCTOR_ENTITIES):
        found = collect_instructors(session, ids, year, uuid_of)
        out.update({e: rows for e, rows in found.items() if e in only})
    out.update(rows_results.collect(session, ids, year, uuid_of, only))
    return out


# kinds of rows whose deletion travels
DELETABLE = ("scores", "records", "pairings", "committee", "exemptions", "projects", "tasks", "milestones", "meetings",
             *INSTRUCTOR_DELETABLE, *rows_results.DELETABLE, "tracking_logs")


def deletions(session: Session, org_ids: list[int], year: int, live: dict[str, list[dict]]) -> list[dict]:
    """The scope's tombstones for the package's period, as {"entity", "row", "deleted_at"}; a row that
    exists again (entered after its deletion) is live, not deleted."""
    alive = {(e, row_key(e, r)) for e, rows in live.items() if e in DELETABLE for r in rows}
    ids = set(org_ids)
    out = []
    q = (select(Tombstone).where(or_(Tombstone.year.is_(None), Tombstone.year.in_([year - 1, year])))
         .order_by(Tombstone.id))
    for t in session.scalars(q):
        # 指导员 rows belong to no one organisation: their deletions travel with the scope's stations.
        here = t.org_id in ids or (t.org_id is None and t.entity in INSTRUCTOR_DELETABLE and live.get("ins_stations"))
        if not here or t.entity not in live or (t.entity, t.row_key) in alive:
            continue
        out.append({"entity": t.entity, "row": json.loads(t.ident), "deleted_at": dt(t.deleted_at)})
    return out
