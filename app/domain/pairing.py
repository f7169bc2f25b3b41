"""结对共建 rules as pure functions: who may lead whom in a year, and how suggestions are ranked.

Source (seed 002): "以强带弱 … 机关事业单位党组织牵头，与村(社区)、非公企业和社会组织党组织开展结对共建
（阵地联用、活动联办、组织生活联过）". Defaults: the leader is class A that year (B only when the year's
rules allow it), the helped organisation is class C; both are scored and exist during the pairing; a
helped organisation has one leader a year; a leader outside the preferred sector needs a stated reason;
no pairing for a year after next year; no organisation pairs with itself or with one of another level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

GOALS: tuple[str, ...] = ("阵地联用", "活动联办", "组织生活联过", "文明创建", "社会治理", "助企发展", "招商引资")
RATINGS: tuple[str, ...] = ("好", "较好", "一般", "差")
DEFAULT_SECTOR = "机关事业单位"

# Rule ids (the JSON contract of `pairings check`) and their names in messages.
RULE_NAMES: dict[str, str] = {
    "self": "不能与自己结对",
    "year": "结对年份",
    "span": "结对起止日期",
    "goals": "共建内容",
    "level": "组织层级一致",
    "scored": "双方参与积分",
    "active": "双方在结对期间存续",
    "leader_class": "牵头方分类",
    "helped_class": "被帮扶方分类",
    "sector": "牵头方领域",
    "one_leader": "一年一个牵头组织",
}

# 党委-level organisations manage others; 党总支 / 党支部 are the branch level that is scored.
COMMITTEE_LEVEL = ("工委", "党工委", "党委")


@dataclass(frozen=True)
class PairingRules:
    """One year's configurable rules."""

    allow_b_leader: bool = False
    sector: str = DEFAULT_SECTOR  # the preferred leader sector; any other needs a stated reason


@dataclass(frozen=True)
class OrgFacts:
    """What the rules need to know about one organisation for the pairing's year."""

    id: int
    code: str
    name: str
    kind: str
    sector: str
    scored: bool
    status: str
    established_on: date | None
    closed_on: date | None
    category: str | None  # A | B | C for the year, None when not classed
    parent_id: int | None = None


@dataclass(frozen=True)
class Proposal:
    """A pairing as asked for: the year, both sides, its span, goals and the reason (if any)."""

    year: int
    leader: OrgFacts
    helped: OrgFacts
    start_on: date
    end_on: date
    goals: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def text(self) -> str:
        return f"不符合结对规则“{RULE_NAMES[self.rule]}”：{self.message}"


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def level(kind: str) -> str:
    return "党委" if kind in COMMITTEE_LEVEL else "支部"


def exists_during(o: OrgFacts, start: date, end: date) -> bool:
    """The organisation existed on at least one day of [start, end] (closed_on is its first day gone)."""
    if o.established_on is not None and o.established_on > end:
        return False
    if o.closed_on is not None and o.closed_on <= start:
        return False
    return not (o.status != "active" and o.closed_on is None)


def violations(p: Proposal, rules: PairingRules, today: date,
               other_leaders: Iterable[str] = ()) -> list[Violation]:
    """Every rule the proposal breaks, in a fixed order (the first is the one an entry path names).
    ``other_leaders``: names of organisations already leading ``p.helped`` that year (this pairing excluded)."""
    out: list[Violation] = []
    a, b = p.leader, p.helped
    if a.id == b.id:
        out.append(Violation("self", f"“{a.name}”不能与自己结对"))
        return out
    if p.year > today.year + 1:
        out.append(Violation("year", f"{p.year} 年晚于明年（{today.year + 1} 年），不能提前登记"))
    if not (date(p.year, 1, 1) <= p.start_on <= p.end_on <= date(p.year, 12, 31)):
        out.append(Violation("span", f"起止日期 {p.start_on:%Y-%m-%d} 至 {p.end_on:%Y-%m-%d} 须在 {p.year} 年内且起不晚于止"))
    unknown = [g for g in p.goals if g not in GOALS]
    if unknown:
        out.append(Violation("goals", f"“{'、'.join(unknown)}”不是共建内容，可选：{'、'.join(GOALS)}"))
    if level(a.kind) != level(b.kind):
        out.append(Violation("level", f"“{a.name}”是{a.kind}，“{b.name}”是{b.kind}，层级不同，不能结对"))
    for o in (a, b):
        if not o.scored:
            out.append(Violation("scored", f"“{o.name}”是{o.kind}，不参与积分定级，不能结对"))
    for o in (a, b):
        if not exists_during(o, p.start_on, p.end_on):
            out.append(Violation("active", f"“{o.name}”在 {p.start_on:%Y-%m-%d} 至 {p.end_on:%Y-%m-%d} 期间未成立、"
                                           "已撤销或已停用"))
    allowed = ("A", "B") if rules.allow_b_leader else ("A",)
    if a.category not in allowed:
        now = f"{a.category}类" if a.category else "未分类"
        need = "A类或B类" if rules.allow_b_leader else "A类（B类须在结对规则中允许）"
        out.append(Violation("leader_class", f"牵头方“{a.name}”{p.year} 年是{now}，须为{need}"))
    if b.category != "C":
        now = f"{b.category}类" if b.category else "未分类"
        out.append(Violation("helped_class", f"被帮扶方“{b.name}”{p.year} 年是{now}，须为C类"))
    if a.sector != rules.sector and not p.reason.strip():
        out.append(Violation("sector", f"牵头方“{a.name}”属{a.sector}，不是{rules.sector}，须说明理由"))
    others = sorted(set(other_leaders))
    if others:
        out.append(Violation("one_leader", f"“{b.name}”{p.year} 年已由“{'、'.join(others)}”牵头结对，"
                                           "一个组织一年只能有一个牵头组织"))
    return out


def parse_goals(value: object) -> tuple[str, ...]:
    """Goals from a list or a "、"/","-joined text, in the order of GOALS, without repeats."""
    if value is None:
        return ()
    items: Sequence[str]
    if isinstance(value, str):
        items = [x for x in value.replace("，", "、").replace(",", "、").split("、")]
    else:
        items = [str(x) for x in value]  # type: ignore[union-attr]
    seen = [x.strip() for x in items if x and x.strip()]
    known = [g for g in GOALS if g in seen]
    return tuple(known + [x for x in dict.fromkeys(seen) if x not in GOALS])


def tree_distance(a: int, b: int, parent: dict[int, int | None]) -> int:
    """Edges between two organisations in the tree (siblings are 2 apart); a large number if unrelated."""
    return _distance(b, _ancestors(a, parent), parent)


def _group(o: OrgFacts, rules: PairingRules) -> tuple[int, int]:
    return (0 if o.category == "A" else 1, 0 if o.sector == rules.sector else 1)


def rank_leaders(helped: OrgFacts, leaders: Sequence[OrgFacts], load: dict[int, int], rules: PairingRules,
                 parent: dict[int, int | None]) -> list[OrgFacts]:
    """Leaders for one helped organisation, best first: class A before B, the preferred sector first;
    then, to balance the work, a leader already leading two or more pairings above the least-loaded
    candidate of its group comes later; then the nearest in the tree, the fewest pairings, the code."""
    if not leaders:
        return []
    least: dict[tuple[int, int], int] = {}
    for o in leaders:
        g = _group(o, rules)
        least[g] = min(least.get(g, 10_000), load.get(o.id, 0))
    ups = _ancestors(helped.id, parent)

    def key(o: OrgFacts) -> tuple:
        g = _group(o, rules)
        n = load.get(o.id, 0)
        return (*g, n > least[g] + 1, _distance(o.id, ups, parent), n, o.code)

    return sorted(leaders, key=key)


def best_leader(helped: OrgFacts, groups: Sequence[Sequence[OrgFacts]], load: dict[int, int],
                parent: dict[int, int | None]) -> OrgFacts | None:
    """The first of ``rank_leaders`` without sorting them all: ``groups`` are the candidates already split
    by (class, sector) in rank order; the first group with someone other than ``helped`` decides."""
    for group in groups:
        cands = [o for o in group if o.id != helped.id and level(o.kind) == level(helped.kind)]
        if not cands:
            continue
        least = min(load.get(o.id, 0) for o in cands)
        ups = _ancestors(helped.id, parent)
        return min(cands, key=lambda o: (load.get(o.id, 0) > least + 1, _distance(o.id, ups, parent),
                                         load.get(o.id, 0), o.code))
    return None


def _ancestors(node: int | None, parent: dict[int, int | None]) -> dict[int, int]:
    """Each ancestor of ``node`` (itself included) → its distance up from ``node``."""
    up: dict[int, int] = {}
    d = 0
    while node is not None and node not in up:
        up[node] = d
        node, d = parent.get(node), d + 1
    return up


def _distance(node: int, ups: dict[int, int], parent: dict[int, int | None]) -> int:
    d = 0
    seen: set[int] = set()
    cur: int | None = node
    while cur is not None and cur not in seen:
        if cur in ups:
            return ups[cur] + d
        seen.add(cur)
        cur, d = parent.get(cur), d + 1
    return 10_000
