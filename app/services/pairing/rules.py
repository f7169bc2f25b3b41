"""The one place every path (dialog, CLI, packages, demo) asks whether a pairing obeys the rules.

The pure rule is ``app.domain.pairing.violations``; this module loads its facts (classes of the year,
sectors, kinds, dates, the helped organisation's other leaders) and the year's configurable rules.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import SECTORS
from app.domain.pairing import DEFAULT_SECTOR, OrgFacts, PairingRules, Proposal, Violation, violations
from app.errors import ValidationError
from app.services.kernel import audit, locks, permissions, validate
from app.services.kernel.context import Ledger
from app.services.register.orgs import SCORED_KINDS, class_map
from db.models import Organization, Pairing, Setting

RULES_KEY = "pairing_rules"  # Setting: {"<year>": {"allow_b_leader": bool, "sector": str}}


def _stored(s: Session) -> dict[str, dict]:
    row = s.get(Setting, RULES_KEY)
    return json.loads(row.value) if row is not None else {}


def rules_for(s: Session, year: int) -> tuple[PairingRules, int | None]:
    """The year's rules: set for that year, else carried from the nearest earlier year, else the defaults;
    with the year they were set for (None for the defaults)."""
    stored = {int(k): v for k, v in _stored(s).items()}
    earlier = [y for y in stored if y <= year]
    if not earlier:
        return PairingRules(), None
    y = max(earlier)
    v = stored[y]
    return PairingRules(bool(v.get("allow_b_leader", False)), str(v.get("sector", DEFAULT_SECTOR))), y


def year_rules(ledger: Ledger, year: int) -> tuple[PairingRules, int | None]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return rules_for(s, year)


def set_rules(ledger: Ledger, year: int, *, allow_b_leader: bool, sector: str) -> PairingRules:
    """Set one year's rules (later years without their own carry them). A confirmed year's stay."""
    permissions.require(ledger, "scheme")
    year = validate.year(year)
    sector = validate.one_of(sector, SECTORS, "牵头方领域")
    with ledger.db.write() as s:
        locks.ensure_year_open(s, year)
        data = _stored(s)
        old = data.get(str(year))
        new = {"allow_b_leader": bool(allow_b_leader), "sector": sector}
        data[str(year)] = new
        row = s.get(Setting, RULES_KEY)
        if row is None:
            s.add(Setting(key=RULES_KEY, value=json.dumps(data, ensure_ascii=False)))
        else:
            row.value = json.dumps(data, ensure_ascii=False, sort_keys=True)
        audit.record(s, ledger, "设定结对规则", "pairing", summary=f"{year} 年结对规则", changes={"rules": (old, new)})
    return PairingRules(new["allow_b_leader"], new["sector"])


def facts(s: Session, year: int, ids: list[int] | None = None) -> dict[int, OrgFacts]:
    classes = class_map(s, year)
    o = Organization.__table__
    q = select(o.c.id, o.c.code, o.c.name, o.c.kind, o.c.sector, o.c.status, o.c.established_on, o.c.closed_on,
               o.c.parent_id)
    if ids is not None:
        q = q.where(o.c.id.in_(ids))
    return {
        r.id: OrgFacts(r.id, r.code, r.name, r.kind, r.sector, r.kind in SCORED_KINDS, r.status, r.established_on,
                       r.closed_on, classes[r.id].value if r.id in classes else None, r.parent_id)
        for r in s.execute(q)
    }


def other_leaders(s: Session, year: int, helped_id: int, leader_id: int) -> list[str]:
    """Names of the organisations leading ``helped_id`` in ``year`` besides ``leader_id``."""
    return list(s.scalars(
        select(Organization.name).join(Pairing, Pairing.strong_org_id == Organization.id)
        .where(Pairing.year == year, Pairing.weak_org_id == helped_id, Pairing.strong_org_id != leader_id)))


def judge(s: Session, today: date, year: int, leader_id: int, helped_id: int, start_on: date | None = None,
          end_on: date | None = None, goals: tuple[str, ...] = (), reason: str = "") -> list[Violation]:
    """Every rule a pairing (asked for, or existing) breaks."""
    f = facts(s, year, [leader_id, helped_id])
    rules, _y = rules_for(s, year)
    start = start_on or date(year, 1, 1)
    end = end_on or date(year, 12, 31)
    p = Proposal(year, f[leader_id], f[helped_id], start, end, goals, reason)
    return violations(p, rules, today, other_leaders(s, year, helped_id, leader_id))


def ensure_allowed(s: Session, today: date, year: int, leader_id: int, helped_id: int, start_on: date | None = None,
                   end_on: date | None = None, goals: tuple[str, ...] = (), reason: str = "") -> None:
    """Raise ValidationError naming each broken rule on one line; nothing is written."""
    found = judge(s, today, year, leader_id, helped_id, start_on, end_on, goals, reason)
    if found:
        raise ValidationError("；".join(v.text() for v in found))


def paired_org_ids(s: Session, year: int) -> set[int]:
    """Organisations with a pairing (either side) in ``year``: who may earn 需结对 points."""
    p = Pairing.__table__
    return {oid for pair in s.execute(select(p.c.strong_org_id, p.c.weak_org_id).where(p.c.year == year))
            for oid in pair}
