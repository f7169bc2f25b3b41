"""Packages carry 结果运用 (issue 17.8): incentive rules and confirmed results, 表彰 and 补助经费, with the
same checks, conflicts and deletions as other rows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.errors import LockedError, PermissionDeniedError, ValidationError
from app.io import package as pk
from app.io.package import export_package, read_package
from app.services.exchange import merge
from app.services.incentives import awards, grants, results, rules
from app.services.kernel import locks
from app.services.opening.setup import open_ledger

from ..conftest import TODAY


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


def _send(town, county, tmp_path, name, year=2026, **kw):
    info = read_package(export_package(town, "QS", year, tmp_path / f"{name}.djpkg"))
    pk.trust_sender(county, info)
    return pk.import_package(county, info, **kw)


def test_registers_rules_and_results_round_trip(demo_ledger, county, tmp_path):
    g = grants.add(demo_ledger, org="QS0301", purpose="培育党支部工作经费", amount="5000", on="2026-03-02")
    a = awards.add(demo_ledger, org="QS0302", level="市", on="2026-06-01", title="市级五星党支部", bonus=True)
    rules.set_rule(demo_ledger, 2026, "非公企业", "A", amount="12000")
    plan = _send(demo_ledger, county, tmp_path, "a")
    summary = plan.summary()
    assert "补助经费：新增" in summary and "表彰：新增" in summary and "结果运用规则：新增" in summary
    (g2,) = [x for x in grants.listing(county) if x.uuid == g.uuid]
    assert (g2.org_code, g2.amount, g2.purpose) == ("QS0301", Decimal("5000.00"), "培育党支部工作经费")
    (a2,) = [x for x in awards.listing(county) if x.uuid == a.uuid]
    assert (a2.title, a2.bonus_item) == ("市级五星党支部", "JF01")
    assert rules.rules(county, 2026)[0].get("非公企业", "A").amount == Decimal("12000.00")
    assert _send(demo_ledger, county, tmp_path, "b").summary() == "没有任何变化"

    # Confirmed 2025 results travel in a 2025 package, frozen as confirmed.
    sent = results.confirm(demo_ledger, 2025)
    _send(demo_ledger, county, tmp_path, "c", year=2025)
    got = results.year_incentives(county, 2025)
    mine = {r.org_code: (r.amount, r.result, r.final) for r in sent.rows}
    assert {r.org_code: (r.amount, r.result, r.final) for r in got.rows} == mine
    assert got.total() == sent.total() > 0
    assert {r.status for r in got.rows} == {"已确认"}


def test_edits_and_deletions_travel(demo_ledger, county, tmp_path):
    g = grants.add(demo_ledger, org="QS0301", purpose="培育党支部工作经费", amount="5000", on="2026-03-02")
    _send(demo_ledger, county, tmp_path, "a")
    grants.edit(demo_ledger, g.id, amount="5200")
    assert "补助经费：更新 1" in _send(demo_ledger, county, tmp_path, "b").summary()
    assert next(x for x in grants.listing(county) if x.uuid == g.uuid).amount == Decimal("5200.00")
    grants.remove(demo_ledger, g.id)
    assert "补助经费：删除 1" in _send(demo_ledger, county, tmp_path, "c").summary()
    assert all(x.uuid != g.uuid for x in grants.listing(county))


def test_a_grant_changed_on_both_sides_is_a_conflict(demo_ledger, county, tmp_path):
    g = grants.add(demo_ledger, org="QS0301", purpose="培育党支部工作经费", amount="5000", on="2026-03-02")
    _send(demo_ledger, county, tmp_path, "a")
    here = next(x for x in grants.listing(county) if x.uuid == g.uuid)
    grants.edit(county, here.id, amount="4000")
    grants.edit(demo_ledger, g.id, amount="6000")
    info = read_package(export_package(demo_ledger, "QS", 2026, tmp_path / "b.djpkg"))
    plan = pk.plan_package(county, info)
    assert [c.entity for c in plan.conflicts] == ["grants"]
    assert ("金额", "4000.00", "6000.00") in plan.conflicts[0].fields


def _tampered(town, tmp_path, entity, change):
    """A package whose payload is edited after export (signature aside: merged directly)."""
    info = read_package(export_package(town, "QS", 2026, tmp_path / "t.djpkg"))
    payload = json.loads(json.dumps(info.payload))
    change(payload[entity])
    return info, payload


def test_a_negative_grant_or_bad_rule_in_a_package_is_refused_and_nothing_written(demo_ledger, county, tmp_path):
    grants.add(demo_ledger, org="QS0301", purpose="培育党支部工作经费", amount="5000", on="2026-03-02")
    rules.set_rule(demo_ledger, 2026, "非公企业", "A", amount="12000")
    info, payload = _tampered(demo_ledger, tmp_path, "grants", lambda rows: rows[0].update(amount="-5000.00"))
    with pytest.raises(ValidationError, match="“补助经费”第 1 行：补助金额不能为负数"):
        merge.merge(county, payload, info.source, info.sender_name)
    assert grants.listing(county) == [] and awards.listing(county) == []

    def bad_rule(rows):
        next(r for r in rows if r["sector"] == "非公企业" and r["grade"] == "B").update(amount="99999.00")

    info, payload = _tampered(demo_ledger, tmp_path, "incentive_rules", bad_rule)
    with pytest.raises(ValidationError, match="A类 ≥ B类 ≥ C类"):
        merge.merge(county, payload, info.source, info.sender_name)
    assert rules.rules(county, 2026)[1] is None


def test_a_grant_into_a_month_locked_here_is_refused(demo_ledger, county, tmp_path):
    _send(demo_ledger, county, tmp_path, "a")
    before = grants.listing(county)
    locks.lock_month(county, 2026, 3)
    grants.add(demo_ledger, org="QS0301", purpose="阵地建设补助", amount="5000", on="2026-03-02")
    with pytest.raises(LockedError, match="审核锁定"):
        _send(demo_ledger, county, tmp_path, "b")
    assert grants.listing(county) == before


def test_a_clerk_cannot_bring_in_incentive_rules(demo_ledger, county, tmp_path):
    rules.set_rule(demo_ledger, 2026, "非公企业", "A", amount="12000")
    county.role, county.user = "录入员", "小王"
    with pytest.raises(PermissionDeniedError, match="结果运用规则（需要管理员权限）"):
        _send(demo_ledger, county, tmp_path, "a")
