"""Deletions travel (issue 15.3): a deleted work record, a cleared score, a removed pairing on one side
are deleted on the other at the next package; a deletion against an edit is a conflict to decide;
re-importing changes nothing; packages made before tombstones still import."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from app.errors import ConflictError, PermissionDeniedError
from app.io import package as pk
from app.io.package import export_package, plan_package, read_package
from app.services.book import records
from app.services.exchange.merge import MINE, THEIRS
from app.services.opening.setup import open_ledger
from app.services.pairing import pairings
from app.services.register import orgs
from app.services.scoring import scores

from ..conftest import TODAY


@pytest.fixture
def county(tmp_path):
    lg = open_ledger(tmp_path / "county.sqlite")
    lg.today = lambda: TODAY
    yield lg
    lg.close()


_PAIR: list[str] = []  # the (leader, helped) codes _prepare paired


def _prepare(township):
    """A cell entered by hand and a pairing inside the package's scope, for the deletions to act on."""
    scores.set_score(township, "QS0101", 2026, 10, "KF01", count=1)
    # A pairing under the rules, both sides inside QS01: an A-class leader and a branch made class C.
    taken = {c for p in pairings.listing(township, 2026) for c in (p.strong_code, p.weak_code)}
    branches = [o for o in orgs.list_orgs(township, 2026) if o.parent_code == "QS01"]
    leader = next(o for o in branches if o.category and o.category.value == "A")
    helped = next(o for o in branches if o.code not in taken and o.code != leader.code)
    orgs.set_class(township, helped.code, 2026, "C")
    pairings.add(township, leader.code, helped.code, 2026)
    _PAIR[:] = [leader.code, helped.code]


def import_package(lg, info, decisions=None):
    """The county compared the township's fingerprint and trusts it (trust on first use)."""
    pk.trust_sender(lg, info)
    return pk.import_package(lg, info, decisions)


def _send(township, county, tmp_path: Path, name: str, decisions=None):
    pkg = export_package(township, "QS01", 2026, tmp_path / f"{name}.djpkg")
    return import_package(county, read_package(pkg), decisions)


def _record(lg, org="QS0101"):
    return next(r for r in records.list_records(lg, org, 2026) if r.date.month <= 10)


def _manual_cell(lg, org="QS0101"):
    return scores.cell(lg, org, 2026, 10, "KF01")


def _pairing(lg):
    return next(p for p in pairings.listing(lg, 2026) if [p.strong_code, p.weak_code] == _PAIR)


def test_deleted_record_cleared_score_and_removed_pairing_travel(demo_ledger, county, tmp_path):
    _prepare(demo_ledger)
    _send(demo_ledger, county, tmp_path, "first")
    rec, cell = _record(demo_ledger), _manual_cell(demo_ledger)
    pairing = _pairing(demo_ledger)
    assert any(r.uuid == rec.uuid for r in records.list_records(county, "QS0101", 2026))
    records.delete_record(demo_ledger, rec.id)
    scores.clear_score(demo_ledger, "QS0101", 2026, cell.month, cell.item_code)
    pairings.remove(demo_ledger, pairing.id)

    plan = _send(demo_ledger, county, tmp_path, "second")
    assert "工作记录：删除 1" in plan.summary() and "月度积分：删除 1" in plan.summary()
    assert not any(r.uuid == rec.uuid for r in records.list_records(county, "QS0101", 2026))
    assert scores.cell(county, "QS0101", 2026, cell.month, cell.item_code).manual_points is None
    assert not any((p.strong_code, p.weak_code) == (pairing.strong_code, pairing.weak_code)
                   for p in pairings.listing(county, 2026))
    # The same package again changes nothing; the county's own next package carries the deletions on.
    again = import_package(county, read_package(tmp_path / "second.djpkg"))
    assert again.summary() == "没有任何变化"
    onward = read_package(export_package(county, "QS01", 2026, tmp_path / "onward.djpkg")).payload["deletions"]
    assert {d["entity"] for d in onward} >= {"records", "scores", "pairings"}


def test_a_deletion_against_an_edit_is_a_conflict_to_decide(demo_ledger, county, tmp_path):
    _prepare(demo_ledger)
    _send(demo_ledger, county, tmp_path, "first")
    rec = _record(demo_ledger)
    here = next(r for r in records.list_records(county, "QS0101", 2026) if r.uuid == rec.uuid)
    records.update_record(county, here.id, {"date": here.date.isoformat(), "topic": "县里补充了会议主题"})
    records.delete_record(demo_ledger, rec.id)
    pkg = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "second.djpkg"))
    plan = plan_package(county, pkg)
    conflict = next(c for c in plan.conflicts if c.entity == "records")
    assert "对方已删除" in conflict.label and any(t == "（已删除）" for _f, _h, t in conflict.fields)
    with pytest.raises(ConflictError):
        import_package(county, pkg)
    import_package(county, pkg, {(conflict.entity, conflict.key): MINE})  # keep the county's edit
    assert any(r.uuid == rec.uuid for r in records.list_records(county, "QS0101", 2026))
    assert not plan_package(county, pkg).conflicts  # asked once, not at every import
    # Had the user followed the sender instead:
    other = open_ledger(tmp_path / "other.sqlite")
    other.today = lambda: TODAY
    try:
        import_package(other, read_package(tmp_path / "first.djpkg"))
        mine = next(r for r in records.list_records(other, "QS0101", 2026) if r.uuid == rec.uuid)
        records.update_record(other, mine.id, {"date": mine.date.isoformat(), "topic": "另一处修改"})
        import_package(other, pkg, {(conflict.entity, conflict.key): THEIRS})
        assert not any(r.uuid == rec.uuid for r in records.list_records(other, "QS0101", 2026))
    finally:
        other.close()


def test_a_score_entered_again_after_clearing_travels_as_a_value(demo_ledger, county, tmp_path):
    _prepare(demo_ledger)
    _send(demo_ledger, county, tmp_path, "first")
    cell = _manual_cell(demo_ledger)
    scores.clear_score(demo_ledger, "QS0101", 2026, cell.month, cell.item_code)
    scores.write_scores(demo_ledger, 2026, [scores.ScoreEntry("QS0101", cell.item_code, cell.month,
                                                              points=cell.manual_points)])
    payload = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "second.djpkg")).payload
    assert not [d for d in payload["deletions"] if d["entity"] == "scores"]
    _send(demo_ledger, county, tmp_path, "third")
    assert scores.cell(county, "QS0101", 2026, cell.month, cell.item_code).manual_points == cell.manual_points


def test_a_package_from_before_tombstones_still_imports(demo_ledger, county, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "new.djpkg")
    with zipfile.ZipFile(pkg) as z:
        names = {n: z.read(n) for n in z.namelist()}
    payload, manifest = json.loads(names["payload.json"]), json.loads(names["manifest.json"])
    assert "deletions" in payload
    del payload["deletions"]  # the package as an older version wrote it
    raw = json.dumps(payload).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    old = tmp_path / "old.djpkg"
    old.write_bytes(pk.build(demo_ledger, json.dumps(manifest).encode(), raw))
    info = read_package(old)
    assert "deletions" not in info.payload
    assert import_package(county, info).total("add") > 0


def test_a_clerk_cannot_bring_in_the_removal_of_a_pairing(demo_ledger, county, tmp_path):
    _prepare(demo_ledger)
    _send(demo_ledger, county, tmp_path, "first")
    pairing = _pairing(demo_ledger)
    pairings.remove(demo_ledger, pairing.id)
    county.role, county.user = "录入员", "小王"
    before = pairings.listing(county, 2026)
    with pytest.raises(PermissionDeniedError, match="结对共建（需要管理员权限）"):
        _send(demo_ledger, county, tmp_path, "second")
    assert pairings.listing(county, 2026) == before
