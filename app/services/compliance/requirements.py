"""The meeting requirements of a year: stored per year like the scoring scheme, copied forward from
the nearest earlier year, or the defaults when none was ever stored."""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.compliance import PERIODS, Requirement
from app.errors import ConflictError, ValidationError
from app.paths import resources_dir
from app.services.kernel import audit, locks, permissions, validate
from app.services.kernel.context import Ledger
from db.models import RecordType
from db.models_compliance import MeetingRequirement


@cache
def _defaults() -> tuple[dict, ...]:
    data = json.loads((resources_dir() / "meeting_requirements.json").read_text(encoding="utf-8"))
    return tuple(data["requirements"])


def _type_names(s: Session) -> dict[str, str]:
    return dict(s.execute(select(RecordType.code, RecordType.name)).all())


def _from_default(d: dict, names: dict[str, str]) -> Requirement:
    due_m, due_d = (int(x) for x in d["due"].split("-")) if d.get("due") else (None, None)
    return Requirement(d["type"], names.get(d["type"], d["type"]), d["period"], int(d["minimum"]),
                       d.get("applies", "all"), tuple(d.get("sectors", ())), due_m, due_d)


def _from_row(r: MeetingRequirement, names: dict[str, str]) -> Requirement:
    return Requirement(r.type_code, names.get(r.type_code, r.type_code), r.period, r.minimum, r.applies,
                       tuple(x for x in r.sectors.split("、") if x), r.due_month, r.due_day)


def read(s: Session, year: int) -> tuple[list[Requirement], int | None]:
    """The year's requirements and the year they were stored for (None: the defaults)."""
    names = _type_names(s)
    source = s.scalar(select(MeetingRequirement.year).where(MeetingRequirement.year <= year)
                      .order_by(MeetingRequirement.year.desc()).limit(1))
    if source is None:
        return [_from_default(d, names) for d in _defaults()], None
    rows = s.scalars(select(MeetingRequirement).where(MeetingRequirement.year == source)
                     .order_by(MeetingRequirement.sort_order, MeetingRequirement.id))
    return [_from_row(r, names) for r in rows], source


def requirements(ledger: Ledger, year: int) -> tuple[list[Requirement], int | None]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return read(s, year)


def check(s: Session, reqs: list[Requirement]) -> None:
    """Every path that sets requirements (by hand, a package) calls this first."""
    names = _type_names(s)
    seen: set[str] = set()
    for r in reqs:
        where = f"“{r.type_name}”" if r.type_code in names else f"工作记录类型“{r.type_code}”"
        if r.type_code not in names:
            raise ValidationError(f"{where}不存在")
        if r.type_code in seen:
            raise ValidationError(f"{where}重复设定了要求")
        seen.add(r.type_code)
        if r.period not in PERIODS:
            raise ValidationError(f"{where}的周期只能是月、季或年，收到“{r.period}”")
        if not 1 <= r.minimum <= 31:
            raise ValidationError(f"{where}的最少次数应为 1–31，收到 {r.minimum}")
        if r.applies not in ("all", "groups", "sectors") or (r.applies == "sectors" and not r.sectors):
            raise ValidationError(f"{where}的适用范围无效")
        if (r.due_month is None) != (r.due_day is None) or (r.due_month and r.period != "year"):
            raise ValidationError(f"{where}：只有按年的要求可以设次年的截止日期，且月、日都要填写")


def save(ledger: Ledger, year: int, reqs: list[Requirement]) -> None:
    """Store a year's requirements (replacing that year's); checked first, audited."""
    permissions.require(ledger, "scheme")
    year = validate.year(year)
    with ledger.db.write() as s:
        locks.ensure_year_open(s, year)
        check(s, reqs)
        s.execute(delete(MeetingRequirement).where(MeetingRequirement.year == year))
        for i, r in enumerate(reqs):
            s.add(MeetingRequirement(year=year, type_code=r.type_code, period=r.period, minimum=r.minimum,
                                     applies=r.applies, sectors="、".join(r.sectors), due_month=r.due_month,
                                     due_day=r.due_day, sort_order=i))
        audit.record(s, ledger, "设定组织生活要求", "meeting_requirements",
                     summary=f"{year} 年：" + "；".join(r.describe for r in reqs))


def set_one(ledger: Ledger, year: int, req: Requirement) -> list[Requirement]:
    """Add or change one type's requirement in a year (the rest as the year has them now)."""
    reqs, _source = requirements(ledger, year)
    out = [req if r.type_code == req.type_code else r for r in reqs]
    if all(r.type_code != req.type_code for r in reqs):
        out.append(req)
    save(ledger, year, out)
    return out


def remove_one(ledger: Ledger, year: int, type_code: str) -> list[Requirement]:
    reqs, _source = requirements(ledger, year)
    out = [r for r in reqs if r.type_code != type_code]
    if len(out) == len(reqs):
        raise ValidationError(f"{year} 年的组织生活要求中没有工作记录类型“{type_code}”")
    save(ledger, year, out)
    return out


def copy(ledger: Ledger, from_year: int, to_year: int) -> list[Requirement]:
    from_year, to_year = validate.year(from_year), validate.year(to_year)
    if from_year == to_year:
        raise ConflictError("复制的源年份和目标年份相同")
    reqs, _source = requirements(ledger, from_year)
    save(ledger, to_year, reqs)
    return reqs
