"""结对共建 (issue 17, points 1–3): each rule refuses with its name and writes nothing; `check` finds
pairings broken by later changes; joint activities earn the 需结对 item's points; suggestions balance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.domain.pairing import OrgFacts, PairingRules, rank_leaders, tree_distance
from app.domain.scheme import scheme_from_dict, scheme_rules_dict
from app.errors import LedgerError, LockedError, ValidationError
from app.services.book import records
from app.services.pairing import activities, pairings, review, rules, suggest
from app.services.register import orgs
from app.services.safety import health
from app.services.scoring import schemes, scores


@pytest.fixture
def town(ledger):
    """Leaders and helped organisations of 2026 under two 党委."""
    orgs.add_org(ledger, code="P2", name="社区综合党委", sector="村(社区)", kind="党委", parent="00")
    add = orgs.add_org
    add(ledger, code="A1", name="税务局党支部", sector="机关事业单位", parent="P1", category="A", year=2026)
    add(ledger, code="A2", name="教育局党支部", sector="机关事业单位", parent="P1", category="A", year=2026)
    add(ledger, code="N1", name="华信电子党支部", sector="非公企业", parent="P2", category="A", year=2026)
    add(ledger, code="C1", name="青山村党支部", sector="村(社区)", parent="P2", category="C", year=2026)
    add(ledger, code="C2", name="河西村党支部", sector="村(社区)", parent="P2", category="C", year=2026)
    add(ledger, code="C3", name="卫生院党支部", sector="机关事业单位", parent="P1", category="C", year=2026)
    return ledger


def _count(lg) -> int:
    return len(pairings.listing(lg))


@pytest.mark.parametrize("leader,helped,year,kw,rule", [
    ("A1", "A1", 2026, {}, "不能与自己结对"),
    ("A1", "C1", 2028, {}, "结对年份"),
    ("A1", "C1", 2026, {"start_on": "2026-05-01", "end_on": "2026-03-01"}, "结对起止日期"),
    ("A1", "C1", 2026, {"goals": ["联谊"]}, "共建内容"),
    ("P2", "C1", 2026, {}, "组织层级一致"),
    ("B1", "C1", 2026, {}, "牵头方分类"),  # B1 is class B; B is not allowed by default
    ("A1", "A2", 2026, {}, "被帮扶方分类"),
    ("N1", "C1", 2026, {}, "牵头方领域"),  # 非公企业 leader without a reason
])
def test_each_rule_refuses_naming_itself_and_writes_nothing(town, leader, helped, year, kw, rule):
    with pytest.raises(ValidationError, match=f"不符合结对规则“{rule}”"):
        pairings.add(town, leader, helped, year, **kw)
    assert _count(town) == 0


def test_both_sides_must_be_scored_and_exist_during_the_pairing(town):
    orgs.add_org(town, code="C4", name="新设村党支部", sector="村(社区)", parent="P2", category="C", year=2026,
                 established_on="2026-10-01")
    with pytest.raises(ValidationError, match="双方在结对期间存续.*新设村党支部"):
        pairings.add(town, "A1", "C4", 2026, end_on="2026-09-30")
    assert pairings.add(town, "A1", "C4", 2026, start_on="2026-10-01").weak_code == "C4"
    orgs.set_status(town, "C2", False, on="2026-03-01")
    with pytest.raises(ValidationError, match="双方在结对期间存续.*河西村党支部"):
        pairings.add(town, "A1", "C2", 2026, start_on="2026-04-01")


def test_one_leader_a_year_and_a_reason_opens_other_sectors(town):
    pairings.add(town, "A1", "C1", 2026)
    with pytest.raises(ValidationError, match="一年一个牵头组织.*税务局党支部"):
        pairings.add(town, "A2", "C1", 2026)
    p = pairings.add(town, "N1", "C2", 2026, reason="本村主导产业为电子配套，由华信电子帮扶", goals="助企发展、招商引资")
    assert p.goals == ("助企发展", "招商引资") and p.reason.startswith("本村")
    assert [x.weak_code for x in pairings.listing(town, 2026)] == ["C1", "C2"]


def test_b_leaders_when_the_years_rules_allow_them(town):
    with pytest.raises(ValidationError, match="牵头方分类"):
        pairings.add(town, "B1", "C3", 2026)
    rules.set_rules(town, 2026, allow_b_leader=True, sector="机关事业单位")
    assert pairings.add(town, "B1", "C3", 2026).strong_code == "B1"
    assert rules.year_rules(town, 2027) == (PairingRules(True, "机关事业单位"), 2026)  # carried forward
    assert rules.year_rules(town, 2025) == (PairingRules(), None)


def test_check_lists_pairings_a_class_change_broke(town):
    pairings.add(town, "A1", "C1", 2026)
    pairings.add(town, "A2", "C2", 2026)
    assert review.check_year(town, 2026) == []
    orgs.set_class(town, "A1", 2026, "B")
    orgs.set_class(town, "C2", 2026, "B")
    found = [b.as_dict() for b in review.check_year(town, 2026)]
    assert [(b["leader"], b["helped"], b["rule"]) for b in found] == [("A1", "C1", "leader_class"),
                                                                      ("A2", "C2", "helped_class")]
    assert set(found[0]) == {"leader", "helped", "year", "rule", "message"}
    assert "牵头方“税务局党支部”2026 年是B类" in found[0]["message"]
    report = health.check(town)  # `check` names them too
    assert not report.ok and any("2026 年 A1→C1 牵头方分类" in line.text for line in report.lines)


def test_a_confirmed_year_and_a_locked_month_refuse_pairings(town):
    from app.services.kernel import locks

    locks.lock_month(town, 2026, 3)
    with pytest.raises(LockedError):
        pairings.add(town, "A1", "C1", 2026, start_on="2026-03-10")
    assert _count(town) == 0
    assert pairings.add(town, "A1", "C1", 2026, start_on="2026-04-01").start_on == date(2026, 4, 1)


def test_joint_activities_earn_the_linked_items_points_and_need_the_pair(town):
    item = schemes.get_scheme(town, 2026).item("ZY02")
    assert item.record_type == activities.ACTIVITY_TYPE and item.needs_pairing
    values = {"date": "2026-03-12", "topic": "联合开展主题党日", "partner": "C1", "goal": "活动联办"}
    with pytest.raises(ValidationError, match="没有结对共建关系"):
        records.add_record(town, "A1", "7.4", values)
    with pytest.raises(ValidationError, match="结对组织不能为空"):
        records.add_record(town, "A1", "7.4", {**values, "partner": ""})
    p = pairings.add(town, "A1", "C1", 2026)
    r = records.add_record(town, "A1", "7.4", values)
    assert r.extra["partner"] == "C1 青山村党支部" and r.item_code == "ZY02" and r.points == D("1.0")
    records.add_record(town, "C1", "结对共建活动", {**values, "partner": "税务局党支部"})  # by name, other side
    assert scores.cell(town, "C1", 2026, 3, "ZY02").effective == D("1.0")
    with town.db.read() as s:
        assert activities.activity_counts(s, 2026)[(orgs.get_org(town, "A1").id, orgs.get_org(town, "C1").id)] == 1
    # A pairing its activities name cannot go until they do.
    with pytest.raises(ValidationError, match="已有 2 条结对共建活动记录"):
        pairings.remove(town, p.id)


def test_the_flag_not_the_name_decides(town):
    scheme = schemes.get_scheme(town, 2026)
    data = scheme_rules_dict(scheme)
    for c in data["categories"]:
        for i in c["items"]:
            if i["code"] == "ZY02":
                i["name"], i["needs_pairing"] = "共建活动", True
            if i["code"] == "ZY01":
                i["needs_pairing"] = True
    changed = scheme_from_dict({**data, "name": scheme.name}, year=2026)
    schemes.save_scheme(town, changed, accept_calibration=True)
    for code in ("ZY01", "ZY02"):
        with pytest.raises(ValidationError, match="没有结对共建关系"):
            scores.set_score(town, "B1", 2026, 3, code, count=1)
    assert scores.set_score(town, "B1", 2026, 3, "ZY03", count=1).manual_points == D("0.5")


def test_an_old_scheme_without_the_flag_reads_with_the_name_rule():
    item = {"code": "X1", "name": "结对帮扶", "kind": "normal", "points": "1.0"}
    other = {"code": "X2", "name": "志愿服务", "kind": "normal", "points": "1.0"}
    data = {"year": 2023, "categories": [{"code": "C", "name": "作用发挥", "kind": "normal", "max": "10.0",
                                          "items": [item, other]}]}
    s = scheme_from_dict(data)
    assert s.item("X1").needs_pairing and not s.item("X2").needs_pairing
    # …and writing it back keeps the old fingerprint (no key where the flag matches the old rule)
    assert "needs_pairing" not in scheme_rules_dict(s)["categories"][0]["items"][0]


def test_removing_the_last_pairing_under_needs_pairing_points_is_refused(town):
    p = pairings.add(town, "A1", "C1", 2026)
    scores.set_score(town, "C1", 2026, 3, "ZY02", count=1)
    with pytest.raises(ValidationError, match="计了需结对细则的分"):
        pairings.remove(town, p.id)
    scores.clear_score(town, "C1", 2026, 3, "ZY02")
    pairings.remove(town, p.id)
    assert _count(town) == 0


def test_evaluation_at_the_years_end(town):
    p = pairings.add(town, "A1", "C1", 2026)
    with pytest.raises(ValidationError, match="评价等次"):
        pairings.evaluate(town, p.id, "优秀", "x")
    with pytest.raises(ValidationError, match="年终评价须在结对结束的当月"):
        pairings.evaluate(town, p.id, "好", "活动扎实")  # today is 2026-11-21, the pairing runs to December
    q = pairings.update(town, p.id, end_on="2026-11-15")
    assert q.end_on == date(2026, 11, 15)
    assert pairings.evaluate(town, p.id, "好", "活动扎实").rating == "好"


# --- suggestions --------------------------------------------------------------------------

def _o(i, code, cat, sector="机关事业单位", parent=None):
    return OrgFacts(i, code, code, "党支部", sector, True, "active", None, None, cat, parent)


def test_ranking_prefers_a_then_sector_then_balance_then_nearness():
    parent = {1: None, 2: 1, 3: 1, 10: 2, 11: 2, 12: 3, 13: 3}
    helped = _o(10, "H", "C", "村(社区)", 2)
    near, far = _o(11, "NEAR", "A", parent=2), _o(12, "FAR", "A", parent=3)
    b_near = _o(13, "BNEAR", "B", parent=3)
    r = PairingRules(allow_b_leader=True)
    assert tree_distance(10, 11, parent) == 2 and tree_distance(10, 12, parent) == 4
    assert [o.code for o in rank_leaders(helped, [b_near, far, near], {}, r, parent)] == ["NEAR", "FAR", "BNEAR"]
    # a near leader with two more pairings than the least-loaded one gives way
    assert rank_leaders(helped, [far, near], {11: 2, 12: 0}, r, parent)[0].code == "FAR"
    assert rank_leaders(helped, [far, near], {11: 1, 12: 0}, r, parent)[0].code == "NEAR"
    other = _o(14, "OTHER", "A", "非公企业", parent=2)
    assert rank_leaders(helped, [other, far], {}, r, parent)[0].code == "FAR"  # the preferred sector first


def test_suggestions_cover_every_unpaired_c_and_balance_the_load(town):
    for i in range(4, 10):
        orgs.add_org(town, code=f"C{i}", name=f"第{i}村党支部", sector="村(社区)", parent="P2", category="C", year=2026)
    pairings.add(town, "A1", "C1", 2026)
    found = suggest.suggest(town, 2026)
    assert {s.helped for s in found} == {"C2", "C3", *(f"C{i}" for i in range(4, 10))}
    assert all(s.leader in ("A1", "A2") for s in found)  # 机关事业单位 A before 非公企业 N1
    led = {"A1": 1, "A2": 0}
    for s in found:
        led[s.leader] += 1
    assert abs(led["A1"] - led["A2"]) <= 1, led
    c3 = next(s for s in found if s.helped == "C3")
    assert c3.distance == 2  # its siblings under 机关党委 are nearest
    for s in found:  # every suggestion is accepted as it stands
        pairings.add(town, s.leader, s.helped, 2026)
    assert suggest.suggest(town, 2026) == [] and review.check_year(town, 2026) == []


def test_demo_obeys_every_pairing_rule_and_has_activities(demo_ledger):
    total = 0
    for year in (2024, 2025, 2026):
        assert review.check_year(demo_ledger, year) == []
        ps = pairings.listing(demo_ledger, year)
        assert ps and len({p.weak_code for p in ps}) == len(ps)
        with demo_ledger.db.read() as s:
            total += sum(activities.activity_counts(s, year).values())
    assert total > 10
    assert suggest.suggest(demo_ledger, 2026)  # a few C-class branches are left for the page to suggest


def test_package_paths_share_the_rule(town):
    """The exchange writer calls the same rule function (the package test drives a real package)."""
    with town.db.write() as s:
        a, c = orgs.get_org_row(s, "B1").id, orgs.get_org_row(s, "C1").id
        with pytest.raises(LedgerError, match="牵头方分类"):
            rules.ensure_allowed(s, town.today(), 2026, a, c)
