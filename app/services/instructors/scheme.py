"""The instructors' 积分+等级 scheme of a year: stored per year (the nearest earlier year's applies until a year
gets its own; the defaults in resources/instructor_scheme.json when none was ever stored), editable, audited."""

from __future__ import annotations

import json
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import instructors as rules
from app.errors import LockedError, ValidationError
from app.paths import resources_dir
from app.services.kernel import audit, permissions, validate
from app.services.kernel.context import Ledger
from db.models_instructors import GradeSignoff, InstructorScheme

from . import station_steps


@cache
def default_dict() -> dict:
    data = json.loads((resources_dir() / "instructor_scheme.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "note"}


def parse(data: object) -> rules.Scheme:
    try:
        return rules.scheme_from_dict(data)  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError) as e:
        raise ValidationError(f"指导员考核细则有误：{e}") from None


def read(s: Session, year: int) -> tuple[rules.Scheme, int | None]:
    """The scheme that applies to ``year`` and the year it was stored for (None: the defaults)."""
    row = s.scalar(select(InstructorScheme).where(InstructorScheme.year <= year)
                   .order_by(InstructorScheme.year.desc()).limit(1))
    if row is None:
        return parse(default_dict()), None
    return parse(json.loads(row.rules)), row.year


def scheme(ledger: Ledger, year: int) -> tuple[rules.Scheme, int | None]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return read(s, year)


def ensure_unsigned(s: Session, year: int) -> None:
    done = (s.scalar(select(GradeSignoff).where(GradeSignoff.year == year).order_by(GradeSignoff.id).limit(1))
            or station_steps.any_signed(s, year))
    if done is not None:
        raise LockedError(f"{year} 年指导员考核已由 {done.person} {done.step}，该年的考核细则不能再改")


def store(s: Session, year: int, value: rules.Scheme, *, uuid: str | None = None) -> InstructorScheme:
    row = s.scalar(select(InstructorScheme).where(InstructorScheme.year == year))
    if row is None:
        row = InstructorScheme(year=year, rules="{}") if uuid is None else InstructorScheme(uuid=uuid, year=year, rules="{}")
        s.add(row)
    row.rules = json.dumps(rules.scheme_to_dict(value), ensure_ascii=False, sort_keys=True)
    return row


def save(ledger: Ledger, year: int, data: dict) -> rules.Scheme:
    """Store a year's scheme (checked, audited); refused once the year's grades were counted."""
    permissions.require(ledger, "scheme")
    year = validate.year(year)
    value = parse(data)
    with ledger.db.write() as s:
        ensure_unsigned(s, year)
        row = store(s, year, value)
        s.flush()
        audit.record(s, ledger, "设定指导员考核细则", "instructor_scheme", entity_uuid=row.uuid,
                     summary=f"{year} 年：优秀≥{value.excellent}，合格≥{value.passing}，基本合格≥{value.basic}；"
                             f"专职 {value.subsidy.full_time} 元/月，兼职 {value.subsidy.part_time} 元/月，"
                             f"交通 {value.subsidy.transport} 元/月")
    return value


def set_values(ledger: Ledger, year: int, **changes: object) -> rules.Scheme:
    """Change a few values of the year's scheme: grade lines (excellent/passing/basic), excellent_share,
    subsidy amounts (full_time/part_time/transport), or one item's points/cap (item=key, points=…, cap=…)."""
    current, _src = scheme(ledger, year)
    data = rules.scheme_to_dict(current)
    names = {"excellent": ("grades", "优秀"), "passing": ("grades", "合格"), "basic": ("grades", "基本合格"),
             "full_time": ("subsidy", "专职"), "part_time": ("subsidy", "兼职"), "transport": ("subsidy", "transport")}
    item = changes.pop("item", None)
    for key, value in changes.items():
        if value is None:
            continue
        if key in names:
            group, name = names[key]
            data[group][name] = str(value)
        elif key == "excellent_share":
            data["excellent_share"] = None if str(value) in ("", "无") else str(value)
        elif key in ("points", "cap") and item:
            if item not in rules.COUNTS:
                raise ValidationError(f"考核项目“{item}”无效，可选：{'、'.join(rules.COUNTS)}")
            data["items"].setdefault(item, {"points": "0", "cap": None})[key] = None if str(value) in ("", "无") else str(value)
        else:
            raise ValidationError(f"无法设定考核细则的“{key}”")
    return save(ledger, year, data)
