"""周记录: per instructor per ISO week the duty days (A岗驻站 / B岗走访), the counted items of the weekly form
and the visits (target, date inside the week, purpose); and the 月调度 roll-up of the weeks of a month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.errors import LockedError, NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, tombstones, validate
from app.services.kernel.context import Ledger
from db.models import Organization
from db.models_instructors import GradeSignoff, GuidanceTarget, Instructor, Station, Ticket, Visit, WeeklyLog

from . import station_scope, station_steps
from .register import find_instructor, find_station

FIELDS = tuple(rules.COUNTS)


@dataclass(frozen=True)
class VisitInfo:
    place: str
    date: date
    purpose: str

    def as_dict(self) -> dict:
        return {"target": self.place, "date": self.date.isoformat(), "purpose": self.purpose}


@dataclass(frozen=True)
class LogInfo:
    instructor: str
    station: str
    group: str
    week: str
    counts: dict[str, int]
    visits: tuple[VisitInfo, ...] = ()
    note: str = ""

    def as_dict(self) -> dict:
        return {"instructor": self.instructor, "station": self.station, "group": self.group, "week": self.week,
                **self.counts, "visits": [v.as_dict() for v in self.visits], "note": self.note}


def parse_week(text: object) -> tuple[int, int]:
    try:
        return rules.parse_week(text)
    except ValueError as e:
        raise ValidationError(str(e)) from None


def check_counts(values: dict) -> dict[str, int]:
    """Whole, non-negative counts; duty days at most 7 together."""
    out = {}
    for key in FIELDS:
        out[key] = validate.count(values.get(key) or 0, rules.COUNTS[key])
    if out["a_days"] + out["b_days"] > 7:
        raise ValidationError(f"A岗与B岗天数合计 {out['a_days'] + out['b_days']} 天，一周最多 7 天")
    return out


def ensure_writable(s: Session, year: int, week: int, instructor_id: int | None = None) -> None:
    """A week's log is closed when its month is locked, or once the year's grades were counted (小组统计) — for all
    stations at once, or for the instructor's station when signing station by station."""
    monday, sunday = rules.week_days(year, week)
    for day in (monday, sunday):
        locks.ensure_open(s, day.year, day.month)
    signed = s.scalar(select(GradeSignoff).where(GradeSignoff.year == year, GradeSignoff.step == "小组统计"))
    if signed is not None:
        raise LockedError(f"{year} 年指导员考核已于 {signed.signed_at:%Y-%m-%d} 由 {signed.person} 小组统计，"
                          f"该年的周记录不能再修改")
    ensure_station_open(s, year, instructor_id)


def ensure_station_open(s: Session, year: int, instructor_id: int | None) -> None:
    """The instructor's station counted (小组统计) for the year: its logs of that year are closed."""
    signed = station_steps.counted(s, year, instructor_id) if instructor_id is not None else None
    if signed is not None:
        st = s.get(Station, signed.station_id)
        raise LockedError(f"{year} 年“{st.name}”指导员考核已于 {signed.signed_at:%Y-%m-%d} 由 {signed.person} "
                          f"小组统计，该站该年的周记录不能再修改")


def resolve_place(s: Session, place: str) -> tuple[int | None, int | None, str]:
    """A visited place: a guidance target by name, or a party organisation by code or name."""
    place = validate.text(place, "走访对象", required=True, max_len=120)
    t = s.scalar(select(GuidanceTarget).where(GuidanceTarget.name == place))
    if t is not None:
        return t.id, None, t.name
    org = s.scalar(select(Organization).where((Organization.code == place) | (Organization.name == place)))
    if org is not None:
        return None, org.id, org.name
    raise NotFoundError(f"走访对象“{place}”不是已登记的指导对象或党组织")


def check_visits(s: Session, year: int, week: int, visits: list[dict]) -> list[tuple[int | None, int | None, str, date, str]]:
    monday, sunday = rules.week_days(year, week)
    out = []
    for n, v in enumerate(visits, start=1):
        on = validate.parse_date(v.get("date"), f"第 {n} 次走访的日期")
        if not monday <= on <= sunday:
            raise ValidationError(f"第 {n} 次走访的日期 {on} 不在 {rules.week_label(year, week)}"
                                  f"（{monday}—{sunday}）之内")
        tid, oid, name = resolve_place(s, v.get("target") or v.get("place"))
        out.append((tid, oid, name, on, validate.text(v.get("purpose"), f"第 {n} 次走访的事由")))
    return out


def _visits(s: Session, log_id: int) -> tuple[VisitInfo, ...]:
    return tuple(VisitInfo(v.place, v.date, v.purpose)
                 for v in s.scalars(select(Visit).where(Visit.log_id == log_id).order_by(Visit.date, Visit.id)))


def save_log(ledger: Ledger, instructor: str, week: object, counts: dict, *, visits: list[dict] | None = None,
             note: str | None = None, station: str | None = None) -> LogInfo:
    """Enter or change one instructor's week (counts replace the week's; visits, when given, replace its visits)."""
    permissions.require(ledger, "records")
    year, wk = parse_week(week)
    values = check_counts(counts)
    label = rules.week_label(year, wk)
    with ledger.db.write() as s:
        ins = find_instructor(s, ledger, instructor, station)
        ensure_writable(s, year, wk, ins.id)
        checked = check_visits(s, year, wk, visits) if visits is not None else None
        row = s.scalar(select(WeeklyLog).where(WeeklyLog.instructor_id == ins.id, WeeklyLog.week == label))
        before = {k: getattr(row, k) for k in FIELDS} if row is not None else {}
        if row is None:
            _y, month = rules.week_month(year, wk)
            row = WeeklyLog(instructor_id=ins.id, week=label, year=year, month=month, note="")
            s.add(row)
        for k, v in values.items():
            setattr(row, k, v)
        if note is not None:
            row.note = validate.text(note, "备注")
        s.flush()
        if checked is not None:
            for old in s.scalars(select(Visit).where(Visit.log_id == row.id)):
                tombstones.bury(s, ledger.user, "ins_visits", {"uuid": old.uuid}, org_id=None, year=year)
                s.delete(old)
            for tid, oid, name, on, purpose in checked:
                s.add(Visit(log_id=row.id, target_id=tid, org_id=oid, place=name, date=on, purpose=purpose))
            s.flush()
        audit.record(s, ledger, "指导员周记录", "instructor_log", entity_uuid=row.uuid,
                     summary=f"{ins.name} {label}：" + "，".join(f"{rules.COUNTS[k]} {v}" for k, v in values.items() if v),
                     changes=audit.diff(before, values))
        st = s.get(Station, ins.station_id)
        return LogInfo(ins.name, st.name, ins.group_name, label, values, _visits(s, row.id), row.note)


def save_week(ledger: Ledger, week: object, rows: dict[str, dict]) -> int:
    """The grid's save: several instructors' counts for one week in one transaction (all or nothing).
    ``rows``: instructor id (as text) → counts."""
    permissions.require(ledger, "records")
    year, wk = parse_week(week)
    label = rules.week_label(year, wk)
    checked = {}
    for key, counts in rows.items():
        try:
            checked[int(key)] = check_counts(counts)
        except ValidationError as e:
            raise ValidationError(f"{label}：{e}") from None
    with ledger.db.write() as s:
        ensure_writable(s, year, wk)
        for ins_id, values in checked.items():
            ins = s.get(Instructor, ins_id)
            if ins is None:
                raise NotFoundError(f"找不到编号为 {ins_id} 的指导员")
            station_scope.ensure_instructor(s, ledger, ins)
            ensure_station_open(s, year, ins_id)
            row = s.scalar(select(WeeklyLog).where(WeeklyLog.instructor_id == ins_id, WeeklyLog.week == label))
            before = {k: getattr(row, k) for k in FIELDS} if row is not None else {}
            if row is None:
                row = WeeklyLog(instructor_id=ins_id, week=label, year=year, month=rules.week_month(year, wk)[1], note="")
                s.add(row)
            for k, v in values.items():
                setattr(row, k, v)
            s.flush()
            audit.record(s, ledger, "指导员周记录", "instructor_log", entity_uuid=row.uuid,
                         summary=f"{ins.name} {label}", changes=audit.diff(before, values))
    return len(checked)


def _within(q, s: Session, ledger: Ledger):
    """A query joined to ``Station``, narrowed to the stations inside the user's scope (station_scope)."""
    visible = station_scope.station_ids(s, ledger)
    return q if visible is None else q.where(Station.id.in_(visible))


def list_logs(ledger: Ledger, *, week: object = None, year: int | None = None, instructor: str | None = None,
              station: str | None = None) -> list[LogInfo]:
    q = (select(WeeklyLog, Instructor, Station.name).join(Instructor, Instructor.id == WeeklyLog.instructor_id)
         .join(Station, Station.id == Instructor.station_id).order_by(WeeklyLog.week, Station.id, Instructor.id))
    if week is not None:
        y, w = parse_week(week)
        q = q.where(WeeklyLog.week == rules.week_label(y, w))
    if year is not None:
        q = q.where(WeeklyLog.year == validate.year(year))
    with ledger.db.read() as s:
        if instructor:
            q = q.where(WeeklyLog.instructor_id == find_instructor(s, ledger, instructor, station, "查看").id)
        elif station:
            q = q.where(Station.id == find_station(s, ledger, station, "查看").id)
        q = _within(q, s, ledger)
        return [LogInfo(ins.name, st, ins.group_name, r.week, {k: getattr(r, k) for k in FIELDS}, _visits(s, r.id),
                        r.note) for r, ins, st in s.execute(q)]


def week_grid(ledger: Ledger, week: object, station: str | None = None) -> list[tuple[int, str, str, str, dict[str, int]]]:
    """Every instructor (id, name, station, 小组) with the week's counts (zeros where nothing was entered)."""
    y, w = parse_week(week)
    label = rules.week_label(y, w)
    with ledger.db.read() as s:
        logs = {r.instructor_id: {k: getattr(r, k) for k in FIELDS}
                for r in s.scalars(select(WeeklyLog).where(WeeklyLog.week == label))}
        q = (select(Instructor, Station.name).join(Station, Station.id == Instructor.station_id)
             .order_by(Station.id, Instructor.id))
        if station:
            q = q.where(Station.id == find_station(s, ledger, station, "查看").id)
        q = _within(q, s, ledger)
        return [(i.id, i.name, st, i.group_name, logs.get(i.id, dict.fromkeys(FIELDS, 0))) for i, st in s.execute(q)]


# ---- 月调度 ----
@dataclass(frozen=True)
class MonthLine:
    station: str
    instructor: str  # "" for the station's total
    weeks: int
    counts: dict[str, int]
    tickets_raised: int
    tickets_closed: int

    def as_dict(self) -> dict:
        return {"station": self.station, "instructor": self.instructor or None, "weeks": self.weeks, **self.counts,
                "tickets_raised": self.tickets_raised, "tickets_closed": self.tickets_closed}


@dataclass(frozen=True)
class MonthRollup:
    year: int
    month: int
    weeks: tuple[str, ...]
    lines: list[MonthLine] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"year": self.year, "month": self.month, "weeks": list(self.weeks),
                "lines": [x.as_dict() for x in self.lines]}


def month_rollup(ledger: Ledger, year: int, month: int) -> MonthRollup:
    """Per instructor and per station: the sums of the weeks whose Thursday is in the month (each week counts in
    one month only, so the months add up to the year), with tickets raised and closed in the month."""
    year, month = validate.year(year), validate.month(month)
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1)
    with ledger.db.read() as s:
        people = s.execute(_within(select(Instructor.id, Instructor.name, Station.name)
                                   .join(Station, Station.id == Instructor.station_id)
                                   .order_by(Station.id, Instructor.id), s, ledger)).all()
        sums: dict[int, dict[str, int]] = {}
        weeks: dict[int, int] = {}
        for r in s.scalars(select(WeeklyLog).where(WeeklyLog.year == year, WeeklyLog.month == month)):
            acc = sums.setdefault(r.instructor_id, dict.fromkeys(FIELDS, 0))
            for k in FIELDS:
                acc[k] += getattr(r, k)
            weeks[r.instructor_id] = weeks.get(r.instructor_id, 0) + 1
        raised: dict[int, int] = {}
        closed: dict[int, int] = {}
        for t in s.scalars(select(Ticket).where(((Ticket.raised_on >= first) & (Ticket.raised_on < last))
                                                | ((Ticket.closed_on >= first) & (Ticket.closed_on < last)))):
            if first <= t.raised_on < last:
                raised[t.instructor_id] = raised.get(t.instructor_id, 0) + 1
            if t.closed_on is not None and first <= t.closed_on < last:
                closed[t.instructor_id] = closed.get(t.instructor_id, 0) + 1
    lines: list[MonthLine] = []
    by_station: dict[str, list[MonthLine]] = {}
    for iid, name, st in people:
        line = MonthLine(st, name, weeks.get(iid, 0), sums.get(iid, dict.fromkeys(FIELDS, 0)), raised.get(iid, 0),
                         closed.get(iid, 0))
        by_station.setdefault(st, []).append(line)
    for st, members in by_station.items():
        lines.extend(members)
        total = {k: sum(m.counts[k] for m in members) for k in FIELDS}
        lines.append(MonthLine(st, "", sum(m.weeks for m in members), total, sum(m.tickets_raised for m in members),
                               sum(m.tickets_closed for m in members)))
    return MonthRollup(year, month, tuple(rules.weeks_of_month(year, month)), lines)


def year_counts(s: Session, year: int) -> dict[int, dict[str, int]]:
    """Each instructor's summed counts over the ISO weeks of the year (what the yearly points are computed from)."""
    cols = [getattr(WeeklyLog, k) for k in FIELDS]
    q = (select(WeeklyLog.instructor_id, *[func.sum(c) for c in cols]).where(WeeklyLog.year == year)
         .group_by(WeeklyLog.instructor_id))
    return {iid: {k: int(v or 0) for k, v in zip(FIELDS, sums, strict=True)} for iid, *sums in s.execute(q)}
