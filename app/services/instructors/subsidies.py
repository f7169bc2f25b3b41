"""Subsidies from the final grades and the assignment dates, in exact yuan (Decimal): 专职 and 兼职 a month each
month placed, 交通补助 a month for 专职 placed in a 镇域 enterprise; nothing below the paid grades."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.domain import instructors as rules
from app.services.kernel import scope, validate
from app.services.kernel.context import Ledger
from db.models_instructors import Assignment, Instructor, Station

from . import scheme as schemes
from .assessment import final_grades, visible_stations


@dataclass(frozen=True)
class SubsidyRow:
    instructor: str
    station: str
    mode: str
    grade: str
    months: int
    base: Decimal
    transport: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.transport

    def as_dict(self) -> dict:
        return {"instructor": self.instructor, "station": self.station, "mode": self.mode, "grade": self.grade,
                "months": self.months, "base": str(self.base), "transport": str(self.transport),
                "total": str(self.total)}


def subsidies(ledger: Ledger, year: int) -> list[SubsidyRow]:
    """One row per assessed instructor of the stations inside the user's scope; refused (ValidationError) until
    the year's grades of those stations are final."""
    year = validate.year(year)
    with ledger.db.read() as s:
        mine = visible_stations(s, ledger)
        grades = final_grades(s, year, mine)
        value, _src = schemes.read(s, year)
        spans: dict[int, list] = {}
        town: dict[int, list] = {}
        for a in s.scalars(select(Assignment)):
            spans.setdefault(a.instructor_id, []).append((a.start_on, a.end_on))
            if a.in_town:
                town.setdefault(a.instructor_id, []).append((a.start_on, a.end_on))
        people = s.execute(select(Instructor, Station.name).join(Station, Station.id == Instructor.station_id)
                           .order_by(Station.id, Instructor.id)).all()
    out = []
    for ins, st in people:
        if mine is not None and st not in mine:
            continue
        g = grades.get(ins.id)
        if g is None:
            continue
        months = len(rules.months_in(spans.get(ins.id, []), year))
        t_months = len(rules.months_in(town.get(ins.id, []), year))
        line = rules.subsidy(ins.mode, g.grade, months, t_months, value)
        out.append(SubsidyRow(ins.name, st, ins.mode, g.grade, months, line.base, line.transport))
    return out


def scope_note(ledger: Ledger) -> str:
    """What a printed or exported 补贴发放表 says when the rows are limited to a scope: “（发放范围：…）”, else ""."""
    return scope.heading(ledger, "发放")


def totals(rows: list[SubsidyRow]) -> tuple[Decimal, Decimal, Decimal]:
    base = sum((r.base for r in rows), Decimal("0.00"))
    transport = sum((r.transport for r in rows), Decimal("0.00"))
    return base, transport, base + transport
