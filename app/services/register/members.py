"""支部委员会 and 党员花名册 of an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.enums import COMMITTEE_ROLES, GENDERS, MEMBER_STATUSES
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from db.models import CommitteeMember, PartyMember

from .orgs import get_org_row


@dataclass(frozen=True)
class CommitteeInfo:
    id: int
    uuid: str
    name: str
    role: str
    phone: str
    term_start: date | None
    term_end: date | None = None  # 离任时间 as entered (a successor in a one-person post also ends a term)


@dataclass(frozen=True)
class MemberInfo:
    id: int
    uuid: str
    name: str
    gender: str
    birth_date: date | None
    ethnicity: str
    education: str
    joined_on: date | None
    status: str
    post: str
    phone: str
    transferred_out_on: date | None
    transfer_note: str

    @property
    def active(self) -> bool:
        return self.transferred_out_on is None


MEMBER_FIELDS = ("name", "gender", "birth_date", "ethnicity", "education", "joined_on", "status", "post", "phone")
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中", "小学")


def _committee_info(r: CommitteeMember) -> CommitteeInfo:
    return CommitteeInfo(r.id, r.uuid, r.name, r.role, r.phone, r.term_start, r.term_end)


def _member_info(r: PartyMember) -> MemberInfo:
    return MemberInfo(
        r.id, r.uuid, r.name, r.gender, r.birth_date, r.ethnicity, r.education, r.joined_on, r.status,
        r.post, r.phone, r.transferred_out_on, r.transfer_note,
    )


def committee(ledger: Ledger, org_code: str) -> list[CommitteeInfo]:
    with ledger.db.read() as s:
        org = get_org_row(s, org_code)
        scope.ensure_covers(s, ledger, org, "查看")
        rows = s.scalars(
            select(CommitteeMember).where(CommitteeMember.org_id == org.id).order_by(CommitteeMember.sort_order)
        )
        return [_committee_info(r) for r in rows]


def clean_committee(name: object, role: object, phone: object, term_start: object, term_end: object = None,
                    *, today: date | None = None) -> dict:
    """A committee member's fields, for every path that writes one (the dialog, the CLI, a package)."""
    start = validate.parse_date(term_start, "任职时间", required=False)
    end = validate.parse_date(term_end, "离任时间", required=False)
    if start and end and end < start:
        raise ValidationError(f"离任时间 {end:%Y-%m-%d} 早于任职时间 {start:%Y-%m-%d}")
    if end and today and end > today:
        raise ValidationError(f"离任时间 {end:%Y-%m-%d} 晚于今天，尚未离任的请留空")
    return {
        "name": validate.text(name, "姓名", required=True, max_len=40),
        "role": validate.one_of(role, COMMITTEE_ROLES, "职务"),
        "phone": validate.text(phone, "联系电话", max_len=30),
        "term_start": start,
        "term_end": end,
    }


def save_committee_member(
    ledger: Ledger, org_code: str, *, name: str, role: str, phone: str = "", term_start: object = None,
    term_end: object = None, member_id: int | None = None,
) -> CommitteeInfo:
    permissions.require(ledger, "members")
    values = clean_committee(name, role, phone, term_start, term_end, today=ledger.today())
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        if member_id is None:
            sort = len(s.scalars(select(CommitteeMember.id).where(CommitteeMember.org_id == org.id)).all())
            row = CommitteeMember(org_id=org.id, sort_order=sort, **values)
            s.add(row)
            before: dict = {}
        else:
            row = s.get(CommitteeMember, member_id)
            if row is None or row.org_id != org.id:
                raise NotFoundError("该支委成员不存在")
            before = {k: getattr(row, k) for k in values}
            for k, v in values.items():
                setattr(row, k, v)
        s.flush()
        if values["role"] == "书记" and values["term_end"] is None:
            org.secretary = values["name"]
        audit.record(s, ledger, "保存支委成员", "committee_member", entity_uuid=row.uuid, org_code=org_code,
                     summary=f"{values['role']} {values['name']}", changes=audit.diff(before, values))
        return _committee_info(row)


def remove_committee_member(ledger: Ledger, org_code: str, member_id: int) -> None:
    permissions.require(ledger, "members")
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        row = s.get(CommitteeMember, member_id)
        if row is None or row.org_id != org.id:
            raise NotFoundError("该支委成员不存在")
        tombstones.committee_removed(s, ledger.user, row)
        s.delete(row)
        audit.record(s, ledger, "删除支委成员", "committee_member", entity_uuid=row.uuid, org_code=org_code,
                     summary=f"{row.role} {row.name}")


def roster(ledger: Ledger, org_code: str, *, include_transferred: bool = False) -> list[MemberInfo]:
    with ledger.db.read() as s:
        org = get_org_row(s, org_code)
        scope.ensure_covers(s, ledger, org, "查看")
        q = select(PartyMember).where(PartyMember.org_id == org.id).order_by(PartyMember.joined_on, PartyMember.id)
        if not include_transferred:
            q = q.where(PartyMember.transferred_out_on.is_(None))
        return [_member_info(r) for r in s.scalars(q)]


def clean_member(values: dict, today: date) -> dict:
    out = {
        "name": validate.text(values.get("name"), "姓名", required=True, max_len=40),
        "gender": validate.one_of(values.get("gender"), GENDERS, "性别") if values.get("gender") else "",
        "birth_date": validate.parse_date(values.get("birth_date"), "出生日期", required=False),
        "ethnicity": validate.text(values.get("ethnicity"), "民族", max_len=20),
        "education": validate.text(values.get("education"), "学历", max_len=20),
        "joined_on": validate.parse_date(values.get("joined_on"), "入党时间", required=False),
        "status": validate.one_of(values.get("status") or "正式党员", MEMBER_STATUSES, "党员类别"),
        "post": validate.text(values.get("post"), "工作岗位", max_len=60),
        "phone": validate.text(values.get("phone"), "联系电话", max_len=30),
    }
    for key, label in (("birth_date", "出生日期"), ("joined_on", "入党时间")):
        if out[key] is not None and out[key] > today:
            raise ValidationError(f"{label}不能晚于今天")
    if out["birth_date"] and out["joined_on"]:
        age = (out["joined_on"] - out["birth_date"]).days / 365.25
        if age < 18:
            raise ValidationError("入党时间早于年满十八周岁，请检查出生日期和入党时间")
    return out


def save_member(ledger: Ledger, org_code: str, values: dict, member_id: int | None = None) -> MemberInfo:
    permissions.require(ledger, "members")
    clean = clean_member(values, ledger.today())
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        if member_id is None:
            row = PartyMember(org_id=org.id, **clean)
            s.add(row)
            before: dict = {}
            org.member_count = (org.member_count or 0) + 1
        else:
            row = s.get(PartyMember, member_id)
            if row is None or row.org_id != org.id:
                raise NotFoundError("该党员不在本组织花名册中")
            before = {k: getattr(row, k) for k in clean}
            for k, v in clean.items():
                setattr(row, k, v)
        s.flush()
        audit.record(s, ledger, "保存党员信息", "party_member", entity_uuid=row.uuid, org_code=org_code,
                     summary=clean["name"], changes=audit.diff(before, clean))
        return _member_info(row)


def transfer_out(ledger: Ledger, org_code: str, member_id: int, on: object, note: str = "") -> MemberInfo:
    permissions.require(ledger, "members")
    when = validate.parse_date(on, "转出日期")
    note = validate.text(note, "转出去向", max_len=200)
    with ledger.db.write() as s:
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        row = s.get(PartyMember, member_id)
        if row is None or row.org_id != org.id:
            raise NotFoundError("该党员不在本组织花名册中")
        if row.transferred_out_on is not None:
            raise ValidationError(f"{row.name} 已于 {row.transferred_out_on} 转出")
        if when is not None and when > ledger.today():
            raise ValidationError("转出日期不能晚于今天")
        row.transferred_out_on, row.transfer_note = when, note
        org.member_count = max(0, (org.member_count or 0) - 1)
        audit.record(s, ledger, "党员转出", "party_member", entity_uuid=row.uuid, org_code=org_code,
                     summary=f"{row.name} 转出：{note}", changes={"transferred_out_on": (None, str(when))})
        return _member_info(row)


def log_personal_export(ledger: Ledger, summary: str, org_code: str = "") -> None:
    """Members' personal details left the file at the user's request: the audit log says so."""
    permissions.require(ledger, "export_personal")
    with ledger.db.write() as s:
        audit.record(s, ledger, "导出个人信息", "party_member", org_code=org_code, summary=summary)
