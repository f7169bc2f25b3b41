"""Assignments of instructors to party organisations and guidance targets, coverage (covered / all active,
by 党委 and overall, the uncovered listed) and a suggestion for the unassigned targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.errors import ConflictError, NotFoundError, ValidationError
from app.services.kernel import audit, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, get_org_row
from db.models import Organization
from db.models_instructors import Assignment, GuidanceTarget, Instructor, Station

from . import station_scope
from .register import find_instructor, target_row


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    uuid: str
    instructor: str
    station: str
    kind: str  # 党组织 / 指导对象
    code: str | None  # the organisation's code (党组织)
    name: str
    start_on: date
    end_on: date | None
    in_town: bool

    def active_on(self, day: date) -> bool:
        return self.start_on <= day and (self.end_on is None or day <= self.end_on)

    def as_dict(self) -> dict:
        return {"id": self.id, "instructor": self.instructor, "station": self.station, "kind": self.kind,
                "org": self.code, "name": self.name, "start": self.start_on.isoformat(),
                "end": self.end_on.isoformat() if self.end_on else None, "town": self.in_town}


@dataclass(frozen=True)
class Unit:
    kind: str  # 党组织 / 指导对象
    code: str | None
    name: str
    committee: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "org": self.code, "name": self.name, "committee": self.committee}


@dataclass(frozen=True)
class Coverage:
    on: date
    covered: int
    total: int
    uncovered: list[Unit]
    by_committee: list[tuple[str, int, int]] = field(default_factory=list)  # (党委, covered, total)

    @property
    def percent(self) -> Decimal | None:
        return rules.rate(self.covered, self.total)

    def as_dict(self) -> dict:
        pct = self.percent
        return {"on": self.on.isoformat(), "covered": self.covered, "total": self.total,
                "percent": None if pct is None else str(pct),
                "uncovered": [u.as_dict() for u in self.uncovered],
                "by_committee": [{"committee": c, "covered": n, "total": t,
                                  "percent": None if rules.rate(n, t) is None else str(rules.rate(n, t))}
                                 for c, n, t in self.by_committee]}


def check_span(start: object, end: object) -> tuple[date, date | None]:
    first = validate.parse_date(start, "指派开始日期")
    last = validate.parse_date(end, "指派结束日期", required=False)
    if last is not None and last < first:
        raise ValidationError(f"指派结束日期 {last} 早于开始日期 {first}")
    return first, last


def check_assignment(s: Session, instructor: Instructor, org: Organization | None, target: GuidanceTarget | None,
                     first: date, last: date | None, *, keep_uuid: str | None = None) -> str:
    """The rules of an assignment for every path (by hand, a package); returns the unit's name.
    The same organisation or target may not be assigned twice for overlapping dates."""
    if (org is None) == (target is None):
        raise ValidationError("指派对象应为一个党组织或一个指导对象（二者选一）")
    name = org.name if org is not None else target.name
    if org is not None and org.status != "active":
        raise ValidationError(f"“{org.name}”已停用，不能指派指导员")
    if target is not None and target.status != "active":
        raise ValidationError(f"“{target.name}”已停用，不能指派指导员")
    if instructor.term_end is not None and first > instructor.term_end:
        raise ValidationError(f"指导员“{instructor.name}”的任期已于 {instructor.term_end} 结束")
    q = select(Assignment, Instructor.name).join(Instructor, Instructor.id == Assignment.instructor_id)
    q = q.where(Assignment.org_id == org.id) if org is not None else q.where(Assignment.target_id == target.id)
    for other, who in s.execute(q):
        if other.uuid == keep_uuid:
            continue
        if other.start_on <= (last or date.max) and first <= (other.end_on or date.max):
            span = f"{other.start_on}—{other.end_on or '至今'}"
            raise ConflictError(f"“{name}”在 {span} 已指派给指导员“{who}”，与新的指派日期重叠")
    return name


def _info(s: Session, a: Assignment) -> AssignmentInfo:
    ins = s.get(Instructor, a.instructor_id)
    st = s.get(Station, ins.station_id)
    if a.org_id is not None:
        org = s.get(Organization, a.org_id)
        return AssignmentInfo(a.id, a.uuid, ins.name, st.name, "党组织", org.code, org.name, a.start_on, a.end_on,
                              a.in_town)
    t = s.get(GuidanceTarget, a.target_id)
    return AssignmentInfo(a.id, a.uuid, ins.name, st.name, "指导对象", None, t.name, a.start_on, a.end_on, a.in_town)


def assign(ledger: Ledger, instructor: str, *, org: str | None = None, target: str | None = None,
           start: object = None, end: object = None, in_town: bool = False,
           station: str | None = None) -> AssignmentInfo:
    permissions.require(ledger, "orgs")
    first, last = check_span(start if start is not None else ledger.today(), end)
    with ledger.db.write() as s:
        ins = find_instructor(s, ledger, instructor, station)
        org_row = get_org_row(s, org) if org else None
        permissions.require_org(s, ledger, org_row)
        target_row_ = target_row(s, target) if target else None
        if target_row_ is not None:
            station_scope.ensure_target(s, ledger, target_row_)
        name = check_assignment(s, ins, org_row, target_row_, first, last)
        row = Assignment(instructor_id=ins.id, org_id=org_row.id if org_row else None,
                         target_id=target_row_.id if target_row_ else None, start_on=first, end_on=last,
                         in_town=bool(in_town))
        s.add(row)
        s.flush()
        audit.record(s, ledger, "指派指导员", "instructor_assignment", entity_uuid=row.uuid,
                     org_code=org_row.code if org_row else "",
                     summary=f"{ins.name} → {name}（{first}—{last or '至今'}{'，镇域' if in_town else ''}）")
        return _info(s, row)


def unassign(ledger: Ledger, assignment_id: int, end: object = None, *, delete: bool = False) -> None:
    """End an assignment on a day (default today); ``delete``: remove one entered by mistake (travels as a deletion)."""
    permissions.require(ledger, "orgs")
    with ledger.db.write() as s:
        row = s.get(Assignment, int(assignment_id))
        if row is None:
            raise NotFoundError(f"找不到编号为 {assignment_id} 的指派")
        station_scope.ensure_instructor(s, ledger, s.get(Instructor, row.instructor_id))
        permissions.require_org(s, ledger, row.org_id)
        info = _info(s, row)
        if delete:
            tombstones.bury(s, ledger.user, "ins_assignments", {"uuid": row.uuid}, org_id=None, year=None)
            s.delete(row)
            audit.record(s, ledger, "删除指派", "instructor_assignment", entity_uuid=row.uuid,
                         summary=f"{info.instructor} → {info.name}")
            return
        last = validate.parse_date(end if end is not None else ledger.today(), "指派结束日期")
        if last < row.start_on:
            raise ValidationError(f"结束日期 {last} 早于指派开始日期 {row.start_on}")
        if row.end_on is not None and row.end_on <= last:
            raise ValidationError(f"该指派已于 {row.end_on} 结束")
        before, row.end_on = row.end_on, last
        audit.record(s, ledger, "结束指派", "instructor_assignment", entity_uuid=row.uuid,
                     summary=f"{info.instructor} → {info.name} 至 {last}", changes={"end_on": (before, last)})


def list_assignments(ledger: Ledger, instructor: str | None = None, *, on: date | None = None) -> list[AssignmentInfo]:
    """The assignments of the instructors inside the user's scope (an assignment follows its instructor)."""
    with ledger.db.read() as s:
        q = select(Assignment).order_by(Assignment.start_on, Assignment.id)
        if instructor:
            q = q.where(Assignment.instructor_id == find_instructor(s, ledger, instructor, action="查看").id)
        people = station_scope.instructor_ids(s, ledger)
        if people is not None:
            q = q.where(Assignment.instructor_id.in_(people))
        out = [_info(s, a) for a in s.scalars(q)]
    return [a for a in out if on is None or a.active_on(on)]


# ---- coverage ----
def _committees(s: Session) -> tuple[dict[int, str], dict[int, str]]:
    """Each organisation's 党委 (its nearest ancestor of a parent kind) by id, and names by id."""
    rows = s.execute(select(Organization.id, Organization.parent_id, Organization.kind, Organization.name)).all()
    parent = {r.id: r.parent_id for r in rows}
    kind = {r.id: r.kind for r in rows}
    names = {r.id: r.name for r in rows}
    out = {}
    for oid in parent:
        node, hops = parent[oid], 0
        while node is not None and kind.get(node) not in ("党委", "党总支", "工委") and hops < 50:
            node, hops = parent.get(node), hops + 1
        out[oid] = names.get(node, "未指定党委") if node is not None else "未指定党委"
    return out, names


def units(s: Session, ledger: Ledger | None = None) -> list[tuple[Unit, int | None, int | None]]:
    """Every active unit to be covered: 非公企业 / 社会组织 branches, and targets with no organisation among them,
    as (unit, organisation id, target id). Given ``ledger``: only those inside the user's scope (the branches of
    the subtree, the targets of station_scope)."""
    committee, _names = _committees(s)
    orgs = s.execute(select(Organization.id, Organization.code, Organization.name).where(
        Organization.status == "active", Organization.kind.in_(SCORED_KINDS),
        Organization.sector.in_(rules.TARGET_SECTORS)).order_by(Organization.sort_order, Organization.code)).all()
    visible_orgs = scope.visible_ids(s, ledger) if ledger is not None else None
    visible_targets = station_scope.target_ids(s, ledger) if ledger is not None else None
    org_ids = {o.id for o in orgs}
    out: list[tuple[Unit, int | None, int | None]] = [
        (Unit("党组织", o.code, o.name, committee[o.id]), o.id, None) for o in orgs
        if visible_orgs is None or o.id in visible_orgs]
    com_names = dict(s.execute(select(Organization.id, Organization.name)).all())
    for t in s.scalars(select(GuidanceTarget).where(GuidanceTarget.status == "active").order_by(GuidanceTarget.id)):
        if t.org_id in org_ids:
            continue  # counted as the organisation founded there
        if visible_targets is not None and t.id not in visible_targets:
            continue
        out.append((Unit("指导对象", None, t.name, com_names.get(t.committee_id, "未指定党委")), None, t.id))
    return out


def coverage(ledger: Ledger, on: date | None = None) -> Coverage:
    """Covered / all active on a day (default today): a unit is covered by an assignment running that day, to it
    or (for a branch) to the target it was founded in. A scoped user counts the units inside their scope (whoever
    covers them)."""
    on = on or ledger.today()
    with ledger.db.read() as s:
        target_org = dict(s.execute(select(GuidanceTarget.id, GuidanceTarget.org_id)).all())
        covered_orgs, covered_targets = set(), set()
        for a in s.scalars(select(Assignment).where(Assignment.start_on <= on)):
            if a.end_on is not None and a.end_on < on:
                continue
            if a.org_id is not None:
                covered_orgs.add(a.org_id)
            else:
                covered_targets.add(a.target_id)
                if target_org.get(a.target_id):
                    covered_orgs.add(target_org[a.target_id])
        all_units = units(s, ledger)
    uncovered: list[Unit] = []
    groups: dict[str, list[int]] = {}
    for unit, oid, tid in all_units:
        ok = (oid in covered_orgs) if oid is not None else (tid in covered_targets)
        g = groups.setdefault(unit.committee, [0, 0])
        g[0] += ok
        g[1] += 1
        if not ok:
            uncovered.append(unit)
    by = [(c, n, t) for c, (n, t) in sorted(groups.items())]
    return Coverage(on, len(all_units) - len(uncovered), len(all_units), uncovered, by)


@dataclass(frozen=True)
class Suggestion:
    target: str
    instructors: tuple[str, ...]  # best first
    reason: str

    def as_dict(self) -> dict:
        return {"target": self.target, "instructors": list(self.instructors), "reason": self.reason}


def suggest(ledger: Ledger, on: date | None = None, per_target: int = 3) -> list[Suggestion]:
    """For each uncovered target: instructors of the target's 党委's station first, then those already guiding
    the same sector and industry, then the least loaded (fewest running assignments)."""
    on = on or ledger.today()
    cov = coverage(ledger, on)
    wanted = {u.name for u in cov.uncovered if u.kind == "指导对象"}
    if not wanted:
        return []
    running = [a for a in list_assignments(ledger, on=on)]
    with ledger.db.read() as s:
        targets = {t.name: t for t in s.scalars(select(GuidanceTarget))}
        q = select(Instructor.name, Instructor.term_end, Station.org_id).join(Station, Station.id == Instructor.station_id)
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:  # a scoped user may assign their own instructors only
            q = q.where(Station.id.in_(visible))
        people = s.execute(q).all()
    load: dict[str, int] = {}
    sectors: dict[str, set[tuple[str, str]]] = {}
    for a in running:
        load[a.instructor] = load.get(a.instructor, 0) + 1
        t = targets.get(a.name) if a.kind == "指导对象" else None
        if t is not None:
            sectors.setdefault(a.instructor, set()).add((t.sector, t.industry))
    out = []
    for name in sorted(wanted):
        t = targets[name]
        ranked = sorted(
            (p for p in people if p.term_end is None or p.term_end >= on),
            key=lambda p: (p.org_id != t.committee_id or t.committee_id is None,
                           (t.sector, t.industry) not in sectors.get(p.name, set()), load.get(p.name, 0), p.name))
        best = tuple(p.name for p in ranked[:per_target])
        if best:
            first = ranked[0]
            why = [f"现负责 {load.get(first.name, 0)} 个"]
            if (t.sector, t.industry) in sectors.get(first.name, set()):
                why.insert(0, f"已指导同行业（{t.industry or t.sector}）")
            if t.committee_id is not None and first.org_id == t.committee_id:
                why.insert(0, "同属一个党委")
            out.append(Suggestion(name, best, "；".join(why)))
    return out
