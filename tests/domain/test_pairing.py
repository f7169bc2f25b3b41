"""The pure 结对共建 rules: the quick pick of a leader is the first of the full ranking."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.pairing import OrgFacts, PairingRules, _group, best_leader, rank_leaders

SECTORS = ("机关事业单位", "非公企业")


@st.composite
def worlds(draw):
    n = draw(st.integers(2, 14))
    parent = {1: None, 2: 1, 3: 1, 4: 2}
    orgs = []
    for i in range(n):
        oid = 10 + i
        parent[oid] = draw(st.sampled_from([2, 3, 4]))
        orgs.append(OrgFacts(oid, f"O{i:02d}", f"O{i}", "党支部", draw(st.sampled_from(SECTORS)), True, "active",
                             None, None, draw(st.sampled_from("AB")), parent[oid]))
    load = {o.id: draw(st.integers(0, 4)) for o in orgs}
    return orgs, load, parent


@settings(max_examples=150, deadline=None)
@given(worlds(), st.booleans())
def test_best_leader_is_the_first_of_the_ranking(world, prefer_first):
    orgs, load, parent = world
    rules = PairingRules(allow_b_leader=True, sector=SECTORS[0] if prefer_first else SECTORS[1])
    helped, leaders = orgs[0], orgs[1:]
    groups: dict = {}
    for o in leaders:
        groups.setdefault(_group(o, rules), []).append(o)
    quick = best_leader(helped, [groups[g] for g in sorted(groups)], load, parent)
    assert quick == rank_leaders(helped, leaders, load, rules, parent)[0]
