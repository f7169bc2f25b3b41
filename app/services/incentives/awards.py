"""表彰 register: awards to an organisation (collective) or a person of it.

A collective award at 县级 or above proposes the bonus item "获县级以上表彰" (the year's 加分 item whose
name holds 表彰): accepting it counts one occurrence of that item in the award's month through the
ordinary score entry rules (scoring.cell_rules: caps, locks, the organisation's dates), once per award;
editing or removing the award takes the occurrence back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import ItemKind
from app.domain.incentives import AWARD_LEVELS, BONUS_LEVELS
from app.errors import LedgerError, NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from app.services.scoring.schemes import ensure_scheme, to_domain
from app.services.scoring.scores import ScoreEntry, write_scores
from db.models import MonthlyScore, Organization, SchemeItemRow, SchemeRow
from db.models_incentives import Award

BONUS_WORD = "表彰"


@dataclass(frozen=True)
class AwardInfo:
    id: int
    uuid: str
    org_code: str
    org_name: str
    person: str
    level: str
    date: date
    title: str
    issuer: str
    note: str
    bonus_item: str | None  # the item its bonus occurrence was counted on, if accepted

    @property
    def collective(self) -> bool:
        return not self.person


@dataclass(frozen=True)
class AwardFields:
    org: Organization
    person: str
    level: str
    date: date
    title: str
    issuer: str
    note: str


def check(s: Session, today: date, *, org: object, level: object, on: object, title: object, person: object = "",
          issuer: object = "", note: object = "", ledger: Ledger | None = None) -> AwardFields:
    """The one check of an award (GUI, CLI, packages): known organisation, level, a real date not in the
    future, within the organisation's life, in an open month; a title."""
    row = get_org_row(s, validate.text(org, "组织编码", required=True, max_len=40))
    if ledger is not None:
        permissions.require_org(s, ledger, row)
    lv = validate.text(level, "表彰级别", required=True, max_len=4).removesuffix("级")
    if lv not in AWARD_LEVELS:
        raise ValidationError(f"表彰级别“{level}”无效，可选：{'、'.join(AWARD_LEVELS)}")
    when = validate.parse_date(on, "表彰日期")
    validate.year(when.year)
    if when > today:
        raise ValidationError(f"表彰日期 {when} 晚于今天")
    if row.established_on and when < row.established_on:
        raise ValidationError(f"表彰日期 {when} 早于“{row.name}”成立日期 {row.established_on}")
    if row.closed_on and when >= row.closed_on:
        raise ValidationError(f"表彰日期 {when} 不在“{row.name}”存续期间（{row.closed_on} 撤销）")
    locks.ensure_open(s, when.year, when.month, row.id)
    return AwardFields(row, validate.text(person, "获表彰人员", max_len=40), lv, when,
                       validate.text(title, "表彰名称", required=True, max_len=120),
                       validate.text(issuer, "授予单位", max_len=120), validate.text(note, "备注", max_len=200))


def bonus_item_code(s: Session, ledger: Ledger, year: int) -> str | None:
    """The year's 加分 item for awards: the first bonus item whose name holds 表彰."""
    scheme = to_domain(ensure_scheme(s, ledger, year))
    for _c, item in scheme.items():
        if item.kind == ItemKind.BONUS and BONUS_WORD in item.name:
            return item.code
    return None


def proposal(s: Session, ledger: Ledger, a: Award) -> str | None:
    """The bonus item an award proposes, or None (a person's award, below 县级, no such item, or counted)."""
    if a.person or a.level not in BONUS_LEVELS or a.bonus_item:
        return None
    return bonus_item_code(s, ledger, a.date.year)


def _cell_count(s: Session, a: Award, item_code: str) -> int | None:
    return s.scalar(select(MonthlyScore.manual_count)
                    .join(SchemeItemRow, SchemeItemRow.id == MonthlyScore.item_id)
                    .join(SchemeRow, SchemeRow.id == SchemeItemRow.scheme_id)
                    .where(MonthlyScore.org_id == a.org_id, MonthlyScore.month == a.date.month,
                           SchemeRow.year == a.date.year, SchemeItemRow.code == item_code))


def _count_bonus(s: Session, ledger: Ledger, a: Award, item_code: str, step: int) -> None:
    code = s.scalar(select(Organization.code).where(Organization.id == a.org_id))
    n = (_cell_count(s, a, item_code) or 0) + step
    write_scores(ledger, a.date.year, [ScoreEntry(code, item_code, a.date.month, count=n if n > 0 else None)],
                 action="表彰加分" if step > 0 else "撤回表彰加分", session=s)


def _take_back(s: Session, ledger: Ledger, a: Award) -> None:
    if a.bonus_item and _cell_count(s, a, a.bonus_item):
        _count_bonus(s, ledger, a, a.bonus_item, -1)
    a.bonus_item = None


def _info(s: Session, a: Award) -> AwardInfo:
    org = s.get(Organization, a.org_id)
    return AwardInfo(a.id, a.uuid, org.code, org.name, a.person, a.level, a.date, a.title, a.issuer, a.note,
                     a.bonus_item)


def add(ledger: Ledger, *, org: str, level: str, on: object, title: str, person: str = "", issuer: str = "",
        note: str = "", bonus: bool = False) -> AwardInfo:
    """Register an award; with ``bonus`` its proposed bonus occurrence is counted too (or nothing is written)."""
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        f = check(s, ledger.today(), org=org, level=level, on=on, title=title, person=person, issuer=issuer, note=note, ledger=ledger)
        a = Award(org_id=f.org.id, person=f.person, level=f.level, date=f.date, title=f.title, issuer=f.issuer,
                  note=f.note)
        s.add(a)
        s.flush()
        audit.record(s, ledger, "登记表彰", "award", entity_uuid=a.uuid, org_code=f.org.code,
                     summary=f"{f.date} {f.level}级 {f.title}" + (f"（{f.person}）" if f.person else ""))
        if bonus:
            _accept(s, ledger, a)
        return _info(s, a)


def _accept(s: Session, ledger: Ledger, a: Award) -> None:
    item = proposal(s, ledger, a)
    if item is None:
        why = ("已计入加分" if a.bonus_item else "个人表彰不计组织加分" if a.person else
               f"{a.level}级表彰不在“县级以上”之列" if a.level not in BONUS_LEVELS else
               f"{a.date.year} 年积分细则中没有名称含“{BONUS_WORD}”的加分项目")
        raise ValidationError(f"这项表彰不能计入加分：{why}")
    try:
        _count_bonus(s, ledger, a, item, +1)
    except LedgerError as e:  # keeps its kind (a locked month stays a LockedError)
        raise type(e)(f"表彰不能计入加分 {item}（可只登记表彰，不计入加分）：{e}") from None
    a.bonus_item = item
    s.flush()


def accept_bonus(ledger: Ledger, award_id: int) -> AwardInfo:
    """Count the award's proposed bonus occurrence (once per award, within the item's caps)."""
    permissions.require(ledger, "scores")
    with ledger.db.write() as s:
        a = _get(s, award_id)
        _accept(s, ledger, a)
        return _info(s, a)


def _get(s: Session, award_id: object) -> Award:
    try:
        a = s.get(Award, int(str(award_id)))
    except ValueError:
        raise ValidationError(f"表彰编号必须是整数，收到“{award_id}”") from None
    if a is None:
        raise NotFoundError(f"找不到编号为 {award_id} 的表彰")
    return a


def edit(ledger: Ledger, award_id: int, **changes: object) -> AwardInfo:
    """Change an award; a counted bonus is taken back and counted again where the award now is."""
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        a = _get(s, award_id)
        permissions.require_org(s, ledger, a.org_id)
        locks.ensure_open(s, a.date.year, a.date.month, a.org_id)  # moving it out of a closed month changes that month too
        old = _info(s, a)
        values = {"org": old.org_code, "level": a.level, "on": a.date, "title": a.title, "person": a.person,
                  "issuer": a.issuer, "note": a.note, **changes}
        f = check(s, ledger.today(), **values, ledger=ledger)
        counted = a.bonus_item is not None
        _take_back(s, ledger, a)
        a.org_id, a.person, a.level, a.date, a.title, a.issuer, a.note = (
            f.org.id, f.person, f.level, f.date, f.title, f.issuer, f.note)
        s.flush()
        if counted and proposal(s, ledger, a):
            _accept(s, ledger, a)
        audit.record(s, ledger, "修改表彰", "award", entity_uuid=a.uuid, org_code=f.org.code,
                     summary=f"{f.date} {f.level}级 {f.title}",
                     changes={k: (str(getattr(old, k)), str(v)) for k, v in
                              (("title", f.title), ("level", f.level), ("date", f.date), ("person", f.person))
                              if str(getattr(old, k)) != str(v)})
        return _info(s, a)


def remove(ledger: Ledger, award_id: int) -> None:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        a = _get(s, award_id)
        permissions.require_org(s, ledger, a.org_id)
        locks.ensure_open(s, a.date.year, a.date.month, a.org_id)
        info = _info(s, a)
        _take_back(s, ledger, a)
        tombstones.bury(s, ledger.user, "awards", {"uuid": a.uuid, "org_uuid": s.get(Organization, a.org_id).uuid},
                        org_id=a.org_id, year=a.date.year)
        s.delete(a)
        audit.record(s, ledger, "删除表彰", "award", entity_uuid=info.uuid, org_code=info.org_code,
                     summary=f"{info.date} {info.level}级 {info.title}")


def listing(ledger: Ledger, year: int | None = None, org: str | None = None) -> list[AwardInfo]:
    with ledger.db.read() as s:
        q = select(Award).order_by(Award.date, Award.id)
        if year is not None:
            y = validate.year(year)
            q = q.where(Award.date >= date(y, 1, 1), Award.date <= date(y, 12, 31))
        if org:
            q = q.where(Award.org_id == get_org_row(s, org).id)
        return scope.keep(ledger, [_info(s, a) for a in s.scalars(q)], lambda a: a.org_code, s)


def pending_bonus(ledger: Ledger, year: int) -> dict[int, str]:
    """Award id → the bonus item it proposes, for the year's awards not yet counted."""
    with ledger.db.read() as s:
        awards = list(s.scalars(select(Award).where(Award.date >= date(year, 1, 1), Award.date <= date(year, 12, 31),
                                                    Award.bonus_item.is_(None), Award.person == "")))
        if not awards or s.scalar(select(SchemeRow.id).where(SchemeRow.year == year)) is None:
            return {}
        out = {}
        for a in awards:
            if a.level in BONUS_LEVELS:
                item = _bonus_item_read(s, year)
                if item:
                    out[a.id] = item
        return out


def _bonus_item_read(s: Session, year: int) -> str | None:
    row = s.scalar(select(SchemeRow).where(SchemeRow.year == year))
    if row is None:
        return None
    for _c, item in to_domain(row).items():
        if item.kind == ItemKind.BONUS and BONUS_WORD in item.name:
            return item.code
    return None


def as_dict(a: AwardInfo) -> dict:
    return {"id": a.id, "org": a.org_code, "name": a.org_name, "person": a.person, "level": a.level,
            "date": a.date.isoformat(), "title": a.title, "issuer": a.issuer, "note": a.note,
            "bonus_item": a.bonus_item}
