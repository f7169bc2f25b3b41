"""The register: 指导站, instructors (source, 专职/兼职, station and 小组, post, term, phone) and guidance
targets (enterprises and social organisations, tagged; linked later to the party organisation founded there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from db.models import Organization
from db.models_instructors import GuidanceTarget, Instructor, Station

from . import station_scope


@dataclass(frozen=True)
class StationInfo:
    id: int
    name: str
    org_code: str | None
    org_name: str | None
    note: str
    instructors: int

    def as_dict(self) -> dict:
        return {"name": self.name, "org": self.org_code, "org_name": self.org_name, "note": self.note,
                "instructors": self.instructors}


@dataclass(frozen=True)
class InstructorInfo:
    id: int
    name: str
    source: str
    mode: str
    station: str
    group: str
    post: str
    term_start: date | None
    term_end: date | None
    phone: str

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "source": self.source, "mode": self.mode, "station": self.station,
                "group": self.group, "post": self.post,
                "term_start": self.term_start.isoformat() if self.term_start else None,
                "term_end": self.term_end.isoformat() if self.term_end else None, "phone": self.phone}


@dataclass(frozen=True)
class TargetInfo:
    id: int
    name: str
    sector: str
    tags: tuple[str, ...]
    industry: str
    committee_code: str | None
    committee_name: str | None
    org_code: str | None
    org_name: str | None
    status: str
    note: str

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "sector": self.sector, "tags": list(self.tags),
                "industry": self.industry, "committee": self.committee_code, "org": self.org_code,
                "org_name": self.org_name, "status": self.status, "note": self.note}


# ---- checks, one place for every entry path ----
def clean_tags(value: object) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        parts = [str(x).strip() for x in value]
    else:
        parts = [x.strip() for x in str(value or "").replace(",", "、").replace("，", "、").split("、")]
    tags = tuple(dict.fromkeys(x for x in parts if x))
    bad = [t for t in tags if t not in rules.TAGS]
    if bad:
        raise ValidationError(f"标签“{'、'.join(bad)}”无效，可选：{'、'.join(rules.TAGS)}")
    return tags


def check_term(start: object, end: object) -> tuple[date | None, date | None]:
    first = validate.parse_date(start, "任期开始", required=False)
    last = validate.parse_date(end, "任期结束", required=False)
    if first and last and last < first:
        raise ValidationError(f"任期结束 {last} 早于任期开始 {first}")
    return first, last


def station_row(s: Session, name: str) -> Station:
    row = s.scalar(select(Station).where(Station.name == str(name or "").strip()))
    if row is None:
        raise NotFoundError(f"找不到指导站“{name}”")
    return row


def instructor_row(s: Session, name: str, station: str | None = None) -> Instructor:
    """By name (and station, where two stations have an instructor of the same name)."""
    q = select(Instructor).where(Instructor.name == str(name or "").strip())
    if station:
        q = q.where(Instructor.station_id == station_row(s, station).id)
    found = list(s.scalars(q))
    if not found:
        raise NotFoundError(f"找不到指导员“{name}”")
    if len(found) > 1:
        raise ValidationError(f"有 {len(found)} 位名叫“{name}”的指导员，请同时指定指导站")
    return found[0]


def find_station(s: Session, ledger: Ledger, name: str, action: str = "修改") -> Station:
    """``station_row``, refused outside the user's scope (station_scope)."""
    row = station_row(s, name)
    station_scope.ensure_station(s, ledger, row, action)
    return row


def find_instructor(s: Session, ledger: Ledger, name: str, station: str | None = None,
                    action: str = "修改") -> Instructor:
    """``instructor_row``, refused outside the user's scope. A name shared with an instructor of another township
    means the user's own one (the other is not theirs to name)."""
    try:
        row = instructor_row(s, name, station)
    except ValidationError:
        visible = station_scope.instructor_ids(s, ledger)
        if visible is None:
            raise
        mine = [r for r in s.scalars(select(Instructor).where(Instructor.name == str(name or "").strip()))
                if r.id in visible]
        if len(mine) != 1:
            raise
        row = mine[0]
    station_scope.ensure_instructor(s, ledger, row, action)
    return row


def target_row(s: Session, name: str) -> GuidanceTarget:
    row = s.scalar(select(GuidanceTarget).where(GuidanceTarget.name == str(name or "").strip()))
    if row is None:
        raise NotFoundError(f"找不到指导对象（企业或社会组织）“{name}”")
    return row


def _committee(s: Session, code: str | None) -> Organization | None:
    if not code:
        return None
    org = get_org_row(s, code)
    if org.kind not in ("工委", "党委", "党总支"):
        raise ValidationError(f"“{org.name}”是{org.kind}，所属党委应为工委、党委或党总支")
    return org


# ---- stations ----
def add_station(ledger: Ledger, name: str, org_code: str | None = None, note: str = "") -> StationInfo:
    permissions.require(ledger, "orgs")
    name = validate.text(name, "指导站名称", required=True, max_len=80)
    note = validate.text(note, "备注")
    with ledger.db.write() as s:
        if s.scalar(select(Station.id).where(Station.name == name)) is not None:
            raise ConflictError(f"指导站“{name}”已经登记")
        org = _committee(s, org_code)
        station_scope.ensure_new_home(s, ledger, org, "指导站")
        row = Station(name=name, org_id=org.id if org else None, note=note)
        s.add(row)
        s.flush()
        audit.record(s, ledger, "登记指导站", "instructor_station", entity_uuid=row.uuid,
                     org_code=org.code if org else "", summary=name)
        return StationInfo(row.id, name, org.code if org else None, org.name if org else None, note, 0)


def stations(ledger: Ledger) -> list[StationInfo]:
    """The stations inside the user's scope (all of them for a whole-unit user)."""
    with ledger.db.read() as s:
        counts: dict[int, int] = {}
        for sid in s.scalars(select(Instructor.station_id)):
            counts[sid] = counts.get(sid, 0) + 1
        q = (select(Station, Organization.code, Organization.name)
             .outerjoin(Organization, Organization.id == Station.org_id).order_by(Station.id))
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:
            q = q.where(Station.id.in_(visible))
        return [StationInfo(st.id, st.name, code, oname, st.note, counts.get(st.id, 0)) for st, code, oname in s.execute(q)]


# ---- instructors ----
def check_instructor(values: dict) -> dict:
    """Clean an instructor's fields (all entry paths); raises ValidationError naming the field."""
    out = {
        "name": validate.text(values.get("name"), "姓名", required=True, max_len=40),
        "source": validate.one_of(values.get("source"), rules.SOURCES, "选派来源"),
        "mode": validate.one_of(values.get("mode"), rules.MODES, "专职/兼职"),
        "group_name": validate.text(values.get("group"), "小组", max_len=40),
        "post": validate.one_of(values.get("post") or "指导员", rules.POSTS, "职务"),
        "phone": validate.text(values.get("phone"), "电话", max_len=30),
    }
    out["term_start"], out["term_end"] = check_term(values.get("term_start"), values.get("term_end"))
    return out


def _info(r: Instructor, station: str) -> InstructorInfo:
    return InstructorInfo(r.id, r.name, r.source, r.mode, station, r.group_name, r.post, r.term_start, r.term_end,
                          r.phone)


def add_instructor(ledger: Ledger, station: str, **values: object) -> InstructorInfo:
    permissions.require(ledger, "orgs")
    fields = check_instructor(values)
    with ledger.db.write() as s:
        st = find_station(s, ledger, station)
        if s.scalar(select(Instructor.id).where(Instructor.station_id == st.id,
                                                Instructor.name == fields["name"])) is not None:
            raise ConflictError(f"“{st.name}”已有指导员“{fields['name']}”")
        row = Instructor(station_id=st.id, **fields)
        s.add(row)
        s.flush()
        audit.record(s, ledger, "登记指导员", "instructor", entity_uuid=row.uuid,
                     summary=f"{st.name} {row.name}（{row.source}，{row.mode}，{row.post}）")
        return _info(row, st.name)


def update_instructor(ledger: Ledger, name: str, station: str | None = None, **changes: object) -> InstructorInfo:
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        row = find_instructor(s, ledger, name, station)
        current = {"name": row.name, "source": row.source, "mode": row.mode, "group": row.group_name,
                   "post": row.post, "phone": row.phone, "term_start": row.term_start, "term_end": row.term_end}
        fields = check_instructor({**current, **{k: v for k, v in changes.items() if v is not None}})
        before = {k: getattr(row, k) for k in fields}
        for k, v in fields.items():
            setattr(row, k, v)
        st = s.get(Station, row.station_id)
        audit.record(s, ledger, "修改指导员", "instructor", entity_uuid=row.uuid, summary=f"{st.name} {row.name}",
                     changes=audit.diff(before, fields))
        return _info(row, st.name)


def list_instructors(ledger: Ledger, station: str | None = None) -> list[InstructorInfo]:
    """The instructors of the stations inside the user's scope (or of one of them)."""
    with ledger.db.read() as s:
        q = (select(Instructor, Station.name).join(Station, Station.id == Instructor.station_id)
             .order_by(Station.id, Instructor.id))
        if station:
            q = q.where(Station.id == find_station(s, ledger, station, "查看").id)
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:
            q = q.where(Station.id.in_(visible))
        return [_info(r, st) for r, st in s.execute(q)]


# ---- guidance targets ----
def check_target(values: dict) -> dict:
    return {
        "name": validate.text(values.get("name"), "企业或社会组织名称", required=True, max_len=120),
        "sector": validate.one_of(values.get("sector") or "非公企业", rules.TARGET_SECTORS, "领域"),
        "tags": "、".join(clean_tags(values.get("tags"))),
        "industry": validate.text(values.get("industry"), "行业", max_len=40),
        "note": validate.text(values.get("note"), "备注"),
    }


def _target_info(s: Session, t: GuidanceTarget) -> TargetInfo:
    com = s.get(Organization, t.committee_id) if t.committee_id else None
    org = s.get(Organization, t.org_id) if t.org_id else None
    return TargetInfo(t.id, t.name, t.sector, tuple(x for x in t.tags.split("、") if x), t.industry,
                      com.code if com else None, com.name if com else None, org.code if org else None,
                      org.name if org else None, t.status, t.note)


def add_target(ledger: Ledger, *, committee: str | None = None, **values: object) -> TargetInfo:
    permissions.require(ledger, "orgs")
    fields = check_target(values)
    with ledger.db.write() as s:
        if s.scalar(select(GuidanceTarget.id).where(GuidanceTarget.name == fields["name"])) is not None:
            raise ConflictError(f"指导对象“{fields['name']}”已经登记")
        com = _committee(s, committee)
        station_scope.ensure_new_home(s, ledger, com, "指导对象")
        row = GuidanceTarget(committee_id=com.id if com else None, status="active", **fields)
        s.add(row)
        s.flush()
        audit.record(s, ledger, "登记指导对象", "guidance_target", entity_uuid=row.uuid,
                     org_code=com.code if com else "", summary=f"{row.name}（{row.sector}；{row.tags or '无标签'}）")
        return _target_info(s, row)


def link_target(ledger: Ledger, name: str, org_code: str) -> TargetInfo:
    """The party organisation founded in a target: from now on the target is covered as that organisation."""
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        row = target_row(s, name)
        station_scope.ensure_target(s, ledger, row)
        org = get_org_row(s, org_code)
        permissions.require_org(s, ledger, org)
        other = s.scalar(select(GuidanceTarget).where(GuidanceTarget.org_id == org.id, GuidanceTarget.id != row.id))
        if other is not None:
            raise ConflictError(f"“{org.name}”已关联指导对象“{other.name}”")
        before = row.org_id
        row.org_id = org.id
        audit.record(s, ledger, "指导对象关联党组织", "guidance_target", entity_uuid=row.uuid, org_code=org.code,
                     summary=f"{row.name} 组建 {org.name}", changes={"org": (before, org.code)})
        return _target_info(s, row)


def list_targets(ledger: Ledger, *, tag: str | None = None) -> list[TargetInfo]:
    """The guidance targets inside the user's scope (station_scope: by 党委, founded organisation or assignment)."""
    with ledger.db.read() as s:
        q = select(GuidanceTarget).order_by(GuidanceTarget.id)
        visible = station_scope.target_ids(s, ledger)
        if visible is not None:
            q = q.where(GuidanceTarget.id.in_(visible))
        out = [_target_info(s, t) for t in s.scalars(q)]
    return [t for t in out if tag is None or tag in t.tags]
