"""`pairings check`: the existing pairings of a year that break a rule now (e.g. after classes changed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from sqlalchemy import select

from app.domain.pairing import RULE_NAMES, Proposal, violations, year_span
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from db.models import Pairing

from . import rules


@dataclass(frozen=True)
class Breach:
    """One broken rule of one pairing: the JSON contract {"leader", "helped", "year", "rule", "message"}."""

    leader: str
    helped: str
    year: int
    rule: str
    message: str
    pairing_id: int = 0

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("pairing_id")
        return d

    @property
    def rule_name(self) -> str:
        return RULE_NAMES.get(self.rule, self.rule)


def check_year(ledger: Ledger, year: int) -> list[Breach]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return check_in(s, ledger, year)


def check_in(s, ledger: Ledger, year: int) -> list[Breach]:
    rows = list(s.scalars(select(Pairing).where(Pairing.year == year).order_by(Pairing.id)))
    if not rows:
        return []
    f = rules.facts(s, year)
    the_rules, _y = rules.rules_for(s, year)
    leaders: dict[int, list[int]] = defaultdict(list)
    for p in rows:
        leaders[p.weak_org_id].append(p.strong_org_id)
    out: list[Breach] = []
    first, last = year_span(year)
    for p in rows:
        a, b = f[p.strong_org_id], f[p.weak_org_id]
        others = [f[x].name for x in leaders[p.weak_org_id] if x != p.strong_org_id]
        prop = Proposal(year, a, b, p.start_on or first, p.end_on or last,
                        tuple(x for x in (p.goals or "").split("、") if x), p.reason or "")
        for v in violations(prop, the_rules, ledger.today(), others):
            out.append(Breach(a.code, b.code, year, v.rule, v.text(), p.id))
    return out
