"""Station-by-station sign-offs of a year's grades (a county with many stations signs one station at a time): the
rows read for the assessment, the subsidies, the weekly logs' lock and the scheme's lock. The signing is in
``assessment`` (one order rule for both ways of signing)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from db.models_instructors import Instructor, Station, StationSignoff


def by_station(s: Session, year: int) -> dict[str, list[StationSignoff]]:
    """Station name → its sign-offs of the year, in the order of the steps."""
    out: dict[str, list[StationSignoff]] = {}
    q = (select(StationSignoff, Station.name).join(Station, Station.id == StationSignoff.station_id)
         .where(StationSignoff.year == year).order_by(Station.id))
    for row, name in s.execute(q):
        out.setdefault(name, []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: rules.SIGNOFF_STEPS.index(r.step))
    return out


def counted(s: Session, year: int, instructor_id: int) -> StationSignoff | None:
    """The 小组统计 of the instructor's station for the year, if there is one (it closes the station's logs)."""
    return s.scalar(select(StationSignoff).join(Instructor, Instructor.station_id == StationSignoff.station_id)
                    .where(Instructor.id == instructor_id, StationSignoff.year == year,
                           StationSignoff.step == rules.SIGNOFF_STEPS[0]))


def any_signed(s: Session, year: int) -> StationSignoff | None:
    return s.scalar(select(StationSignoff).where(StationSignoff.year == year).order_by(StationSignoff.id).limit(1))
