"""问题帮办: a ticket for each problem collected, moved 收集 → 交办 → 办理中 → 办结 → 回访 (forward only),
with the closing date and the satisfaction asked at 回访; 办结率 per instructor, station and overall."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, validate
from app.services.kernel.context import Ledger
from db.models_instructors import Instructor, Station, Ticket

from . import station_scope
from .register import find_instructor
from .weekly import resolve_place


@dataclass(frozen=True)
class TicketInfo:
    id: int
    instructor: str
    station: str
    place: str
    raised_by: str
    raised_on: date
    content: str
    status: str
    handled_by: str
    closed_on: date | None
    satisfaction: str
    note: str

    def as_dict(self) -> dict:
        return {"id": self.id, "instructor": self.instructor, "station": self.station, "target": self.place,
                "raised_by": self.raised_by, "raised_on": self.raised_on.isoformat(), "content": self.content,
                "status": self.status, "handled_by": self.handled_by,
                "closed_on": self.closed_on.isoformat() if self.closed_on else None,
                "satisfaction": self.satisfaction or None, "note": self.note}


@dataclass(frozen=True)
class Rate:
    label: str  # instructor, station or 合计
    level: str  # 指导员 / 指导站 / 全部
    total: int
    closed: int

    @property
    def percent(self) -> Decimal | None:
        return rules.rate(self.closed, self.total)

    def as_dict(self) -> dict:
        pct = self.percent
        return {"name": self.label, "level": self.level, "total": self.total, "closed": self.closed,
                "percent": None if pct is None else str(pct)}


def check_state(status: str, raised_on: date, closed_on: date | None, satisfaction: str) -> None:
    """What each state needs, for every path: 办结/回访 have a closing date not before the problem was raised;
    a satisfaction only at 回访, where it is required."""
    if status not in rules.TICKET_FLOW:
        raise ValidationError(f"状态“{status}”无效，可选：{'、'.join(rules.TICKET_FLOW)}")
    if status in rules.CLOSED:
        if closed_on is None:
            raise ValidationError(f"“{status}”需要办结日期")
        if closed_on < raised_on:
            raise ValidationError(f"办结日期 {closed_on} 早于收集日期 {raised_on}")
    elif closed_on is not None:
        raise ValidationError(f"问题尚在“{status}”，不能填写办结日期")
    if status == "回访":
        if satisfaction not in rules.SATISFACTION:
            raise ValidationError(f"回访需要填写满意度：{'、'.join(rules.SATISFACTION)}")
    elif satisfaction:
        raise ValidationError("满意度在回访时填写")


def _info(s: Session, t: Ticket) -> TicketInfo:
    ins = s.get(Instructor, t.instructor_id)
    st = s.get(Station, ins.station_id)
    return TicketInfo(t.id, ins.name, st.name, t.place, t.raised_by, t.raised_on, t.content, t.status, t.handled_by,
                      t.closed_on, t.satisfaction, t.note)


def add(ledger: Ledger, instructor: str, target: str, content: str, *, raised_on: object = None,
        raised_by: str = "", station: str | None = None) -> TicketInfo:
    permissions.require(ledger, "records")
    content = validate.text(content, "问题内容", required=True, max_len=500)
    raised_by = validate.text(raised_by, "提出人", max_len=40)
    on = validate.parse_date(raised_on if raised_on is not None else ledger.today(), "收集日期")
    with ledger.db.write() as s:
        ins = find_instructor(s, ledger, instructor, station)
        locks.ensure_open(s, on.year, on.month)
        tid, oid, name = resolve_place(s, target)
        row = Ticket(instructor_id=ins.id, target_id=tid, org_id=oid, place=name, raised_by=raised_by,
                     raised_on=on, content=content, status="收集", handled_by="", satisfaction="", note="")
        s.add(row)
        s.flush()
        audit.record(s, ledger, "收集问题", "instructor_ticket", entity_uuid=row.uuid,
                     summary=f"{ins.name}：{name} {on} {content[:40]}")
        return _info(s, row)


def update(ledger: Ledger, ticket_id: int, *, status: str | None = None, closed_on: object = None,
           satisfaction: str | None = None, handled_by: str | None = None, note: str | None = None) -> TicketInfo:
    """Move a ticket on (never back) and fill what the new state needs; 办结 without a date closes it today."""
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        row = s.get(Ticket, int(ticket_id))
        if row is None:
            raise NotFoundError(f"找不到编号为 {ticket_id} 的问题")
        station_scope.ensure_instructor(s, ledger, s.get(Instructor, row.instructor_id))
        new = status or row.status
        try:
            rules.check_move(row.status, new)
        except ValueError as e:
            raise ValidationError(str(e)) from None
        closed = validate.parse_date(closed_on, "办结日期", required=False) if closed_on not in (None, "") else row.closed_on
        if new in rules.CLOSED and closed is None:
            closed = ledger.today()
        sat = validate.text(satisfaction, "满意度", max_len=6) if satisfaction is not None else row.satisfaction
        check_state(new, row.raised_on, closed, sat)
        if closed is not None and closed != row.closed_on:
            locks.ensure_open(s, closed.year, closed.month)
        before = {"status": row.status, "closed_on": row.closed_on, "satisfaction": row.satisfaction,
                  "handled_by": row.handled_by, "note": row.note}
        row.status, row.closed_on, row.satisfaction = new, closed, sat
        if handled_by is not None:
            row.handled_by = validate.text(handled_by, "承办单位", max_len=80)
        if note is not None:
            row.note = validate.text(note, "备注")
        after = {"status": row.status, "closed_on": row.closed_on, "satisfaction": row.satisfaction,
                 "handled_by": row.handled_by, "note": row.note}
        audit.record(s, ledger, "问题帮办", "instructor_ticket", entity_uuid=row.uuid,
                     summary=f"{row.place}：{before['status']} → {new}", changes=audit.diff(before, after))
        return _info(s, row)


def listing(ledger: Ledger, *, year: int | None = None, instructor: str | None = None,
            status: str | None = None) -> list[TicketInfo]:
    """The tickets of the instructors inside the user's scope (a ticket follows its instructor's station)."""
    t = Ticket.__table__
    q = (select(t, Instructor.name.label("who"), Station.name.label("st"))
         .join(Instructor, Instructor.id == t.c.instructor_id).join(Station, Station.id == Instructor.station_id)
         .order_by(t.c.raised_on, t.c.id))
    with ledger.db.read() as s:
        if instructor:
            q = q.where(t.c.instructor_id == find_instructor(s, ledger, instructor, action="查看").id)
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:
            q = q.where(Station.id.in_(visible))
        if status:
            q = q.where(t.c.status == validate.one_of(status, rules.TICKET_FLOW, "状态"))
        if year is not None:
            y = validate.year(year)
            q = q.where(t.c.raised_on >= date(y, 1, 1), t.c.raised_on <= date(y, 12, 31))
        return [TicketInfo(r.id, r.who, r.st, r.place, r.raised_by, r.raised_on, r.content, r.status, r.handled_by,
                           r.closed_on, r.satisfaction, r.note) for r in s.execute(q)]


def rates(ledger: Ledger, year: int | None = None) -> list[Rate]:
    """办结率 (办结 and 回访 over all collected) per instructor, then per station, then overall — of the stations
    inside the user's scope (合计 is then the subtree's)."""
    rows = listing(ledger, year=year)
    with ledger.db.read() as s:
        q = (select(Instructor.name, Station.name).join(Station, Station.id == Instructor.station_id)
             .order_by(Station.id, Instructor.id))
        visible = station_scope.station_ids(s, ledger)
        if visible is not None:
            q = q.where(Station.id.in_(visible))
        people = s.execute(q).all()
    total: dict[tuple[str, str], int] = {}
    closed: dict[tuple[str, str], int] = {}
    for t in rows:  # one pass: a county year is a few thousand tickets
        for key in ((t.station, t.instructor), (t.station, ""), ("", "")):
            total[key] = total.get(key, 0) + 1
            closed[key] = closed.get(key, 0) + (t.status in rules.CLOSED)

    def count(key: tuple[str, str]) -> tuple[int, int]:
        return total.get(key, 0), closed.get(key, 0)

    out = [Rate(n, "指导员", *count((st, n))) for n, st in people]
    for st in dict.fromkeys(st for _n, st in people):
        out.append(Rate(st, "指导站", *count((st, ""))))
    out.append(Rate("合计", "全部", *count(("", ""))))
    return out
