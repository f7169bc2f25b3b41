"""补助经费 register: money granted to an organisation (purpose, amount in yuan, date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.incentives import ZERO_YUAN, fmt_money, parse_money
from app.errors import NotFoundError, ValidationError
from app.services.kernel import audit, locks, permissions, scope, tombstones, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import get_org_row
from db.models import Organization
from db.models_incentives import Grant


@dataclass(frozen=True)
class GrantInfo:
    id: int
    uuid: str
    org_code: str
    org_name: str
    purpose: str
    amount: Decimal
    date: date
    note: str


@dataclass(frozen=True)
class GrantFields:
    org: Organization
    purpose: str
    amount: Decimal
    date: date
    note: str


def check(s: Session, today: date, *, org: object, purpose: object, amount: object, on: object,
          note: object = "", ledger: Ledger | None = None) -> GrantFields:
    """The one check of a grant (GUI, CLI, packages): known organisation, a purpose, an amount in yuan
    (not negative, at most two places), a date not in the future within the organisation's life, in an
    open month."""
    row = get_org_row(s, validate.text(org, "组织编码", required=True, max_len=40))
    if ledger is not None:
        permissions.require_org(s, ledger, row)
    purpose = validate.text(purpose, "补助用途", required=True, max_len=120)
    try:
        money = parse_money(amount, "补助金额")
    except ValueError as e:
        raise ValidationError(str(e)) from None
    when = validate.parse_date(on, "拨付日期")
    validate.year(when.year)
    if when > today:
        raise ValidationError(f"拨付日期 {when} 晚于今天")
    if row.established_on and when < row.established_on:
        raise ValidationError(f"拨付日期 {when} 早于“{row.name}”成立日期 {row.established_on}")
    if row.closed_on and when >= row.closed_on:
        raise ValidationError(f"拨付日期 {when} 不在“{row.name}”存续期间（{row.closed_on} 撤销）")
    locks.ensure_open(s, when.year, when.month, row.id)
    return GrantFields(row, purpose, money, when, validate.text(note, "备注", max_len=200))


def _info(s: Session, g: Grant) -> GrantInfo:
    org = s.get(Organization, g.org_id)
    return GrantInfo(g.id, g.uuid, org.code, org.name, g.purpose, g.amount, g.date, g.note)


def _get(s: Session, grant_id: object) -> Grant:
    try:
        g = s.get(Grant, int(str(grant_id)))
    except ValueError:
        raise ValidationError(f"补助编号必须是整数，收到“{grant_id}”") from None
    if g is None:
        raise NotFoundError(f"找不到编号为 {grant_id} 的补助经费记录")
    return g


def add(ledger: Ledger, *, org: str, purpose: str, amount: object, on: object, note: str = "") -> GrantInfo:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        f = check(s, ledger.today(), org=org, purpose=purpose, amount=amount, on=on, note=note, ledger=ledger)
        g = Grant(org_id=f.org.id, purpose=f.purpose, amount=f.amount, date=f.date, note=f.note)
        s.add(g)
        s.flush()
        audit.record(s, ledger, "登记补助经费", "grant", entity_uuid=g.uuid, org_code=f.org.code,
                     summary=f"{f.date} {f.purpose} {fmt_money(f.amount)} 元")
        return _info(s, g)


def edit(ledger: Ledger, grant_id: int, **changes: object) -> GrantInfo:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        g = _get(s, grant_id)
        permissions.require_org(s, ledger, g.org_id)
        locks.ensure_open(s, g.date.year, g.date.month, g.org_id)
        old = _info(s, g)
        values = {"org": old.org_code, "purpose": g.purpose, "amount": g.amount, "on": g.date, "note": g.note,
                  **changes}
        f = check(s, ledger.today(), **values, ledger=ledger)
        g.org_id, g.purpose, g.amount, g.date, g.note = f.org.id, f.purpose, f.amount, f.date, f.note
        s.flush()
        audit.record(s, ledger, "修改补助经费", "grant", entity_uuid=g.uuid, org_code=f.org.code,
                     summary=f"{f.date} {f.purpose} {fmt_money(f.amount)} 元",
                     changes={"amount": (fmt_money(old.amount), fmt_money(f.amount)),
                              "date": (str(old.date), str(f.date)), "purpose": (old.purpose, f.purpose)})
        return _info(s, g)


def remove(ledger: Ledger, grant_id: int) -> None:
    permissions.require(ledger, "records")
    with ledger.db.write() as s:
        g = _get(s, grant_id)
        permissions.require_org(s, ledger, g.org_id)
        locks.ensure_open(s, g.date.year, g.date.month, g.org_id)
        info = _info(s, g)
        tombstones.bury(s, ledger.user, "grants", {"uuid": g.uuid, "org_uuid": s.get(Organization, g.org_id).uuid},
                        org_id=g.org_id, year=g.date.year)
        s.delete(g)
        audit.record(s, ledger, "删除补助经费", "grant", entity_uuid=info.uuid, org_code=info.org_code,
                     summary=f"{info.date} {info.purpose} {fmt_money(info.amount)} 元")


def listing(ledger: Ledger, year: int | None = None, org: str | None = None) -> list[GrantInfo]:
    with ledger.db.read() as s:
        q = select(Grant).order_by(Grant.date, Grant.id)
        if year is not None:
            y = validate.year(year)
            q = q.where(Grant.date >= date(y, 1, 1), Grant.date <= date(y, 12, 31))
        if org:
            q = q.where(Grant.org_id == get_org_row(s, org).id)
        return scope.keep(ledger, [_info(s, g) for g in s.scalars(q)], lambda g: g.org_code, s)


def total(rows: list[GrantInfo]) -> Decimal:
    return sum((g.amount for g in rows), ZERO_YUAN)


def as_dict(g: GrantInfo) -> dict:
    return {"id": g.id, "org": g.org_code, "name": g.org_name, "purpose": g.purpose,
            "amount": fmt_money(g.amount), "date": g.date.isoformat(), "note": g.note}
