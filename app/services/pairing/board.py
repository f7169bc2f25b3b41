"""One year of 结对共建 at a glance, for the page and the printed 结对共建一览表: every pair with its
broken rules and joint-activity count, the unpaired C-class organisations, and the suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.pairing import OrgFacts, PairingRules
from app.services.kernel import scope, validate
from app.services.kernel.context import Ledger

from . import activities, pairings, review, rules, suggest
from .pairings import PairingInfo
from .review import Breach
from .suggest import Suggestion


@dataclass(frozen=True)
class PairRow:
    info: PairingInfo
    activities: int
    breaches: tuple[Breach, ...] = ()
    leader_class: str = ""
    helped_class: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaches


@dataclass(frozen=True)
class Board:
    year: int
    rules: PairingRules
    rules_year: int | None
    pairs: list[PairRow] = field(default_factory=list)
    unpaired: list[OrgFacts] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    parent_names: dict[int, str] = field(default_factory=dict)

    @property
    def broken(self) -> int:
        return sum(1 for p in self.pairs if not p.ok)


def year_board(ledger: Ledger, year: int) -> Board:
    year = validate.year(year)
    with ledger.db.read() as s:
        f = rules.facts(s, year)
        by_code = {o.code: o for o in f.values()}
        the_rules, since = rules.rules_for(s, year)
        counts = activities.activity_counts(s, year)
        breaches: dict[int, list[Breach]] = {}
        for b in review.check_in(s, ledger, year):
            breaches.setdefault(b.pairing_id, []).append(b)
        rows = []
        for p in pairings.list_in(s, year):
            a, h = by_code[p.strong_code], by_code[p.weak_code]
            rows.append(PairRow(p, counts.get((a.id, h.id), 0), tuple(breaches.get(p.id, ())), a.category or "",
                                h.category or ""))
        unpaired = scope.keep(ledger, suggest.unpaired_c(s, year), lambda o: o.code, s)
        names = {o.id: o.name for o in f.values()}
        parents = {o.id: names.get(o.parent_id or -1, "") for o in unpaired}
        # A scoped user sees the pairs with a side in their subtree, and suggestions for their organisations.
        sc = scope.of(s, ledger)
        rows = [r for r in rows if sc.covers_code(r.info.strong_code) or sc.covers_code(r.info.weak_code)]
        suggestions = scope.keep(ledger, suggest.suggest_in(s, ledger, year), lambda g: g.helped, s)
        return Board(year, the_rules, since, rows, unpaired, suggestions, parents)
