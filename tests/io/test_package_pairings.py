"""Packages carry pairings (with span, goals, evaluation) and their joint activities under the rules of
hand entry (issue 17.8): a pairing breaking a rule, or 需结对 points for an unpaired branch, refuse the
whole package naming the row and the rule; nothing is written."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.errors import LedgerError
from app.io.package import export_package
from app.services.book import records
from app.services.pairing import pairings
from app.services.register import orgs
from app.services.scoring import scores

from .test_package_rules import _forge, _receiver, _row, _take_theirs, _uuid


def _inside_pair(lg):
    """An A-class leader and a branch made class C, both under QS01 and free in 2026."""
    taken = {c for p in pairings.listing(lg, 2026) for c in (p.strong_code, p.weak_code)}
    branches = [o for o in orgs.list_orgs(lg, 2026) if o.parent_code == "QS01"]
    leader = next(o for o in branches if o.category and o.category.value == "A")
    helped = next(o for o in branches if o.code not in taken and o.code != leader.code)
    orgs.set_class(lg, helped.code, 2026, "C")
    return leader.code, helped.code


def test_pairings_and_activities_travel_with_their_fields(demo_ledger, tmp_path):
    county = _receiver(demo_ledger, tmp_path / "county.sqlite")  # a copy from before the pairing
    try:
        leader, helped = _inside_pair(demo_ledger)
        pairings.add(demo_ledger, leader, helped, 2026, goals=["阵地联用", "社会治理"], start_on="2026-02-01")
        records.add_record(demo_ledger, helped, "7.4", {"date": "2026-03-06", "topic": "联合开展网格走访",
                                                       "partner": leader, "goal": "社会治理"})
        _take_theirs(county, export_package(demo_ledger, "QS01", 2026, tmp_path / "qs01.djpkg"))
        got = next(x for x in pairings.listing(county, 2026) if (x.strong_code, x.weak_code) == (leader, helped))
        assert got.goals == ("阵地联用", "社会治理") and str(got.start_on) == "2026-02-01"
        assert scores.cell(county, helped, 2026, 3, "ZY02").effective == D("1.0")
    finally:
        county.close()


def _bad_pairing(payload):
    """The sender bypassed its own rules: a pairing whose leader is its own helped side's sibling of class C."""
    row = dict(payload["pairings"][0])
    helped = _row(payload, "organizations", uuid=row["weak_uuid"])
    other = next(o for o in payload["organizations"] if o["uuid"] not in (row["strong_uuid"], row["weak_uuid"])
                 and o["kind"] == "党支部")
    row.update(uuid="00000000-0000-4000-8000-00000000beef", strong_uuid=row["weak_uuid"], weak_uuid=other["uuid"])
    payload["pairings"].append(row)
    assert helped


def test_a_pairing_breaking_a_rule_refuses_the_package(demo_ledger, tmp_path):
    leader, helped = _inside_pair(demo_ledger)
    pairings.add(demo_ledger, leader, helped, 2026)
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "qs01.djpkg")
    county = _receiver(demo_ledger, tmp_path / "county.sqlite")
    try:
        before = pairings.listing(county)
        with pytest.raises(LedgerError, match="“结对共建”第 .* 行：不符合结对规则“牵头方分类”"):
            _take_theirs(county, _forge(pkg, tmp_path / "f.djpkg", _bad_pairing, demo_ledger))
        assert pairings.listing(county) == before
    finally:
        county.close()


def test_needs_pairing_points_for_an_unpaired_branch_refuse_the_package(demo_ledger, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "qs01.djpkg")
    paired = {c for p in pairings.listing(demo_ledger, 2026) for c in (p.strong_code, p.weak_code)}
    lonely = next(o.code for o in orgs.list_orgs(demo_ledger, 2026) if o.parent_code == "QS01" and o.code not in paired)

    def give(payload):
        payload["scores"].append({"org_uuid": _uuid(payload, lonely), "year": 2026, "month": 3, "item_code": "ZY02",
                                  "manual_points": "1.0", "manual_count": 1, "note": ""})

    county = _receiver(demo_ledger, tmp_path / "county.sqlite")
    try:
        with pytest.raises(LedgerError, match="没有结对共建关系"):
            _take_theirs(county, _forge(pkg, tmp_path / "f.djpkg", give, demo_ledger))
        assert scores.cell(county, lonely, 2026, 3, "ZY02").manual_points is None
    finally:
        county.close()


def test_a_package_activity_naming_no_pairing_is_refused(demo_ledger, tmp_path):
    county = _receiver(demo_ledger, tmp_path / "county.sqlite")  # a copy from before the pairing
    try:
        leader, helped = _inside_pair(demo_ledger)
        pairings.add(demo_ledger, leader, helped, 2026)
        records.add_record(demo_ledger, helped, "7.4", {"date": "2026-03-06", "topic": "联合学习", "partner": leader})
        pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "qs01.djpkg")

        def drop_pairing(payload):
            payload["pairings"] = [r for r in payload["pairings"] if r["weak_uuid"] != _uuid(payload, helped)]

        with pytest.raises(LedgerError, match="没有结对共建关系，不能登记结对共建活动"):
            _take_theirs(county, _forge(pkg, tmp_path / "f.djpkg", drop_pairing, demo_ledger))
        assert not any(r.topic == "联合学习" for r in records.list_records(county, helped, 2026))
    finally:
        county.close()
