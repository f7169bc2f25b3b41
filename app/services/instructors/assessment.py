"""年考核 积分+等级: points from the weekly logs under the year's scheme, grade lines, and the three sign-offs
小组统计 → 站内核实 → 党支部认定 in that order, each by a named person, audited. 小组统计 records each
instructor's points and grade (and closes the year's logs); the grade is final after 党支部认定."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.domain.points import fmt
from app.errors import ValidationError
from app.services.kernel import audit, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from db.models_instructors import (
    Assignment,
    GradeSignoff,
    Instructor,
    InstructorGrade,
    Station,
    StationSignoff,
    WeeklyLog,
)
from db.types import utcnow

from . import scheme as schemes
from . import station_scope, station_steps
from .register import find_station, station_row
from .weekly import year_counts


@dataclass(frozen=True)
class GradeLine:
    instructor_id: int
    instructor: str
    station: str
    group: str
    mode: str
    counts: dict[str, int]
    points: Decimal
    grade: str

    def as_dict(self) -> dict:
        return {"instructor": self.instructor, "station": self.station, "group": self.group, "mode": self.mode,
                **self.counts, "points": fmt(self.points), "grade": self.grade}


@dataclass(frozen=True)
class Signoff:
    step: str
    person: str
    at: datetime
    by: str

    def as_dict(self) -> dict:
        return {"step": self.step, "person": self.person, "at": self.at.isoformat(timespec="seconds"), "by": self.by}


@dataclass(frozen=True)
class YearAssessment:
    year: int
    lines: list[GradeLine]
    signoffs: list[Signoff]  # for all stations at once
    stations: dict[str, list[Signoff]] = field(default_factory=dict)  # or station by station

    @property
    def by_station(self) -> bool:
        return bool(self.stations)

    @property
    def graded_stations(self) -> list[str]:
        return list(dict.fromkeys(x.station for x in self.lines))

    def station_next(self, station: str) -> str | None:
        done = self.stations.get(station, [])
        return None if len(done) == len(rules.SIGNOFF_STEPS) else rules.SIGNOFF_STEPS[len(done)]

    @property
    def final(self) -> bool:
        if self.by_station:
            return all(self.station_next(st) is None for st in self.graded_stations)
        return len(self.signoffs) == len(rules.SIGNOFF_STEPS)

    @property
    def next_step(self) -> str | None:
        """The next sign-off for all stations at once (None once final, or when signing station by station)."""
        return None if self.final or self.by_station else rules.SIGNOFF_STEPS[len(self.signoffs)]

    def as_dict(self) -> dict:
        return {"year": self.year, "final": self.final, "next_step": self.next_step,
                "signoffs": [x.as_dict() for x in self.signoffs], "grades": [x.as_dict() for x in self.lines],
                "by_station": self.by_station,
                "stations": [{"station": st, "signoffs": [x.as_dict() for x in self.stations.get(st, [])],
                              "next_step": self.station_next(st)} for st in self.graded_stations]
                if self.by_station else []}


def _graded(s: Session, year: int) -> list[tuple[Instructor, str]]:
    """The instructors assessed for a year: any assignment running in the year, or any weekly log of it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    ids = set(s.scalars(select(Assignment.instructor_id).where(
        Assignment.start_on <= last, (Assignment.end_on.is_(None)) | (Assignment.end_on >= first))))
    ids |= set(s.scalars(select(WeeklyLog.instructor_id).where(WeeklyLog.year == year)))
    q = (select(Instructor, Station.name).join(Station, Station.id == Instructor.station_id)
         .order_by(Station.id, Instructor.id))
    return [(i, st) for i, st in s.execute(q) if i.id in ids]


def signoffs(s: Session, year: int) -> list[Signoff]:
    rows = {r.step: r for r in s.scalars(select(GradeSignoff).where(GradeSignoff.year == year))}
    return [Signoff(step, rows[step].person, rows[step].signed_at, rows[step].signed_by)
            for step in rules.SIGNOFF_STEPS if step in rows]


def station_signoffs(s: Session, year: int) -> dict[str, list[Signoff]]:
    return {st: [Signoff(r.step, r.person, r.signed_at, r.signed_by) for r in rows]
            for st, rows in station_steps.by_station(s, year).items()}


def compute(s: Session, year: int) -> list[GradeLine]:
    """Each assessed instructor's counts, points and grade for the year, from the logs under the year's scheme."""
    value, _src = schemes.read(s, year)
    counts = year_counts(s, year)
    people = _graded(s, year)
    zero = dict.fromkeys(rules.COUNTS, 0)
    pts = {i.id: rules.points(counts.get(i.id, zero), value) for i, _st in people}
    grade = rules.grades([(str(k), v) for k, v in pts.items()], value)
    return [GradeLine(i.id, i.name, st, i.group_name, i.mode, counts.get(i.id, zero), pts[i.id], grade[str(i.id)])
            for i, st in people]


def visible_stations(s: Session, ledger: Ledger) -> set[str] | None:
    """The names of the stations inside the user's scope (station_scope); None = all of them."""
    ids = station_scope.station_ids(s, ledger)
    return None if ids is None else set(s.scalars(select(Station.name).where(Station.id.in_(ids))))


def assess(ledger: Ledger, year: int) -> YearAssessment:
    """The year's points and grades: as recorded at 小组统计 once signed, computed from the logs before. Grades
    are computed over the whole unit (an 优秀 share is the unit's); a scoped user sees their stations' lines."""
    year = validate.year(year)
    with ledger.db.read() as s:
        done = signoffs(s, year)
        per = station_signoffs(s, year)
        lines = compute(s, year)
        mine = visible_stations(s, ledger)
        if mine is not None:
            lines = [x for x in lines if x.station in mine]
            per = {st: rows for st, rows in per.items() if st in mine}
        if done or per:
            stored = {g.instructor_id: g for g in s.scalars(select(InstructorGrade).where(InstructorGrade.year == year))}

            def recorded(x: GradeLine) -> GradeLine:
                g = stored[x.instructor_id]
                return GradeLine(x.instructor_id, x.instructor, x.station, x.group, x.mode, x.counts, g.points, g.grade)

            if done:
                lines = [recorded(x) for x in lines if x.instructor_id in stored]
            else:  # a counted station shows what its 小组统计 recorded; the others are still computed
                lines = [recorded(x) if x.station in per and x.instructor_id in stored else x for x in lines
                         if x.station not in per or x.instructor_id in stored]
        return YearAssessment(year, lines, done, per)


def _check_order(done: list[tuple[str, str]], step: str, whose: str) -> None:
    """One order rule for both ways of signing: 小组统计 → 站内核实 → 党支部认定, none twice. ``done``: (step,
    person) of the sign-offs made, in order."""
    if len(done) == len(rules.SIGNOFF_STEPS):
        raise ValidationError(f"{whose}指导员考核已经党支部认定，不能再签认")
    expected = rules.SIGNOFF_STEPS[len(done)]
    if step != expected:
        if step in dict(done):
            raise ValidationError(f"{whose}的“{step}”已由 {dict(done)[step]} 签认")
        raise ValidationError(f"签认须按 小组统计 → 站内核实 → 党支部认定 的顺序：{whose}下一步是“{expected}”，"
                              f"不能先“{step}”")


def sign(ledger: Ledger, year: int, step: str, person: str, station: str | None = None) -> YearAssessment:
    """One sign-off, in order, by a named person; a 录入员 may not sign. 小组统计 records the grades. With
    ``station``: that station's sign-off only (a year is signed either station by station or all at once)."""
    permissions.require(ledger, "grades")
    year = validate.year(year)
    step = validate.one_of(step, rules.SIGNOFF_STEPS, "签认环节")
    person = validate.text(person, "签认人姓名", required=True, max_len=40)
    today = ledger.today()
    last_sunday = rules.week_days(year, rules.weeks_in_year(year))[1]
    if today <= last_sunday:
        raise ValidationError(f"{year} 年的最后一周到 {last_sunday} 才结束，年度考核在此之后签认")
    if station:
        return _sign_station(ledger, year, step, person, station)
    scope.ensure_unit_wide_year(ledger, "对全部指导站一并签认指导员考核（请选择本范围的指导站逐站签认）")
    with ledger.db.write() as s:
        first = station_steps.any_signed(s, year)
        if first is not None:
            raise ValidationError(f"{year} 年指导员考核已按指导站逐站签认（{first.person} {first.step}），"
                                  "请选择指导站后签认")
        _check_order([(d.step, d.person) for d in signoffs(s, year)], step, f"{year} 年")
        if step == rules.SIGNOFF_STEPS[0]:
            lines = compute(s, year)
            if not lines:
                raise ValidationError(f"{year} 年没有需要考核的指导员（没有指派，也没有周记录）")
            s.execute(delete(InstructorGrade).where(InstructorGrade.year == year))
            for x in lines:
                s.add(InstructorGrade(instructor_id=x.instructor_id, year=year, points=x.points, grade=x.grade))
        row = GradeSignoff(year=year, step=step, person=person, signed_at=utcnow(), signed_by=ledger.user)
        s.add(row)
        s.flush()
        audit.record(s, ledger, f"指导员考核{step}", "instructor_signoff", entity_uuid=row.uuid,
                     summary=f"{year} 年指导员积分和等次：{step}，签认人 {person}")
    return assess(ledger, year)


def _sign_station(ledger: Ledger, year: int, step: str, person: str, station: str) -> YearAssessment:
    with ledger.db.write() as s:
        st = find_station(s, ledger, station, "签认")
        if signoffs(s, year):
            raise ValidationError(f"{year} 年指导员考核已对全部指导站一并签认，不能再逐站签认")
        done = station_steps.by_station(s, year).get(st.name, [])
        _check_order([(r.step, r.person) for r in done], step, f"{year} 年“{st.name}”")
        if step == rules.SIGNOFF_STEPS[0]:
            lines = [x for x in compute(s, year) if x.station == st.name]
            if not lines:
                raise ValidationError(f"{year} 年“{st.name}”没有需要考核的指导员（没有指派，也没有周记录）")
            s.execute(delete(InstructorGrade).where(InstructorGrade.year == year,
                                                    InstructorGrade.instructor_id.in_([x.instructor_id for x in lines])))
            for x in lines:
                s.add(InstructorGrade(instructor_id=x.instructor_id, year=year, points=x.points, grade=x.grade))
        row = StationSignoff(station_id=st.id, year=year, step=step, person=person, signed_at=utcnow(),
                             signed_by=ledger.user)
        s.add(row)
        s.flush()
        audit.record(s, ledger, f"指导员考核{step}", "instructor_signoff", entity_uuid=row.uuid,
                     summary=f"{year} 年“{st.name}”指导员积分和等次：{step}，签认人 {person}")
    return assess(ledger, year)


def reopen_station(ledger: Ledger, year: int, station: str, reason: str) -> None:
    """A 管理员 withdraws one station's sign-offs of a year (and the grades its 小组统计 recorded); audited."""
    permissions.require(ledger, "reopen")
    year = validate.year(year)
    reason = validate.text(reason, "重新打开的理由", required=True)
    with ledger.db.write() as s:
        st = station_row(s, station)
        done = station_steps.by_station(s, year).get(st.name, [])
        if not done:
            raise ValidationError(f"{year} 年“{st.name}”指导员考核还没有签认")
        for row in done:
            tombstones.bury(s, ledger.user, "ins_station_signoffs",
                            {"station_uuid": st.uuid, "year": year, "step": row.step}, org_id=None, year=year)
            s.delete(row)
        people = select(Instructor.id).where(Instructor.station_id == st.id)
        for g in s.scalars(select(InstructorGrade).where(InstructorGrade.year == year,
                                                         InstructorGrade.instructor_id.in_(people))):
            ins = s.get(Instructor, g.instructor_id)
            tombstones.bury(s, ledger.user, "ins_grades", {"instructor_uuid": ins.uuid, "year": year},
                            org_id=None, year=year)
            s.delete(g)
        audit.record(s, ledger, "重新打开指导员考核", "instructor_signoff", summary=f"{year} 年“{st.name}”：{reason}")


def reopen(ledger: Ledger, year: int, reason: str) -> None:
    """A 管理员 withdraws a year's sign-offs (all stations', and the recorded grades) with a reason; audited."""
    permissions.require(ledger, "reopen")
    year = validate.year(year)
    reason = validate.text(reason, "重新打开的理由", required=True)
    with ledger.db.write() as s:
        done = list(s.scalars(select(GradeSignoff).where(GradeSignoff.year == year)))
        per = station_steps.by_station(s, year)
        if not done and not per:
            raise ValidationError(f"{year} 年指导员考核还没有签认")
        for row in done:
            tombstones.bury(s, ledger.user, "ins_signoffs", {"year": year, "step": row.step}, org_id=None,
                            year=year)
            s.delete(row)
        for rows in per.values():
            for row in rows:
                st = s.get(Station, row.station_id)
                tombstones.bury(s, ledger.user, "ins_station_signoffs",
                                {"station_uuid": st.uuid, "year": year, "step": row.step}, org_id=None, year=year)
                s.delete(row)
        for g in s.scalars(select(InstructorGrade).where(InstructorGrade.year == year)):
            ins = s.get(Instructor, g.instructor_id)
            tombstones.bury(s, ledger.user, "ins_grades", {"instructor_uuid": ins.uuid, "year": year},
                            org_id=None, year=year)
            s.delete(g)
        audit.record(s, ledger, "重新打开指导员考核", "instructor_signoff", summary=f"{year} 年：{reason}")


def final_grades(s: Session, year: int, stations: set[str] | None = None) -> dict[int, InstructorGrade]:
    """The year's grades by instructor id, only once all three sign-offs are done (else ValidationError).
    ``stations``: signing station by station, only these must be final (a township's own, for its subsidies)."""
    done = signoffs(s, year)
    per = station_steps.by_station(s, year)
    if per and not done:
        graded = dict.fromkeys(x.station for x in compute(s, year) if stations is None or x.station in stations)
        short = [f"{st}（还缺：{'、'.join(rules.SIGNOFF_STEPS[len(per.get(st, [])):])}）" for st in graded
                 if len(per.get(st, [])) < len(rules.SIGNOFF_STEPS)]
        if short:
            raise ValidationError(f"{year} 年指导员考核等次尚未最终认定：{'；'.join(short)}，不能计算补贴")
    elif len(done) < len(rules.SIGNOFF_STEPS):
        missing = "、".join(rules.SIGNOFF_STEPS[len(done):])
        raise ValidationError(f"{year} 年指导员考核等次尚未最终认定（还缺：{missing}），不能计算补贴")
    return {g.instructor_id: g for g in s.scalars(select(InstructorGrade).where(InstructorGrade.year == year))}
