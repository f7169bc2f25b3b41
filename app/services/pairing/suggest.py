"""Suggested pairings for a year: each unpaired C-class organisation gets a leader of class A (then B,
when the year's rules allow it) of the preferred sector, nearest in the tree first, balancing how many
pairings each leader already has (app.domain.pairing.rank_leaders). Every suggestion obeys the rules;
the user accepts (pairings.add) or edits each."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.pairing import (
    OrgFacts,
    Proposal,
    best_leader,
    exists_during,
    tree_distance,
    violations,
    year_span,
)
from app.services.kernel import validate
from app.services.kernel.context import Ledger
from db.models import Pairing

from . import rules


@dataclass(frozen=True)
class Suggestion:
    year: int
    helped: str
    helped_name: str
    helped_sector: str
    leader: str | None  # None: no organisation may lead it under the rules
    leader_name: str
    leader_sector: str
    leader_class: str
    distance: int
    load: int  # pairings the leader leads that year, this suggestion included
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def unpaired_c(s: Session, year: int) -> list[OrgFacts]:
    """C-class organisations of the year that are scored, exist in it and have no leader yet."""
    f = rules.facts(s, year)
    helped = {p.weak_org_id for p in s.scalars(select(Pairing).where(Pairing.year == year))}
    first, last = year_span(year)
    out = [o for o in f.values() if o.id not in helped and o.category == "C" and o.scored
           and exists_during(o, first, last)]
    return sorted(out, key=lambda o: o.code)


def suggest_in(s: Session, ledger: Ledger, year: int) -> list[Suggestion]:
    f = rules.facts(s, year)
    the_rules, _y = rules.rules_for(s, year)
    first, last = year_span(year)
    parent = {o.id: o.parent_id for o in f.values()}
    load: dict[int, int] = {}
    for p in s.scalars(select(Pairing).where(Pairing.year == year)):
        load[p.strong_org_id] = load.get(p.strong_org_id, 0) + 1
    helped_list = unpaired_c(s, year)
    # Who may lead at all does not depend on the helped side: judge each once against a stand-in
    # (any unpaired C of the branch level; a stated reason stands in for the sector rule, noted below).
    leaders: list[OrgFacts] = []
    if helped_list:
        probe = helped_list[0]
        for o in f.values():
            if o.id == probe.id:
                continue
            broken = {v.rule for v in violations(Proposal(year, o, probe, first, last, (), "建议"), the_rules,
                                                 ledger.today())}
            if not broken:
                leaders.append(o)
    groups: dict[tuple[int, int], list[OrgFacts]] = {}
    for o in leaders:
        groups.setdefault((0 if o.category == "A" else 1, 0 if o.sector == the_rules.sector else 1), []).append(o)
    ordered = [groups[g] for g in sorted(groups)]
    out = []
    for h in helped_list:
        a = best_leader(h, ordered, load, parent)
        if a is None:
            out.append(Suggestion(year, h.code, h.name, h.sector, None, "", "", "", 0, 0,
                                  "没有符合规则的牵头组织（A类" + ("或B类" if the_rules.allow_b_leader else "") + "）"))
            continue
        load[a.id] = load.get(a.id, 0) + 1
        note = "" if a.sector == the_rules.sector else f"牵头方不属{the_rules.sector}，接受时须说明理由"
        out.append(Suggestion(year, h.code, h.name, h.sector, a.code, a.name, a.sector, a.category or "",
                              tree_distance(a.id, h.id, parent), load[a.id], note))
    return out


def suggest(ledger: Ledger, year: int) -> list[Suggestion]:
    year = validate.year(year)
    with ledger.db.read() as s:
        return suggest_in(s, ledger, year)
