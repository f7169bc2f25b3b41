"""A package is held to the rules and permissions of hand entry, row by row (issue 15.4): a 录入员
cannot bring in grades or organisations, a confirmed year stays closed, the tree stays a tree, and
malformed numbers and years get a Chinese message naming the row; nothing is written."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.errors import ConflictError, LedgerError, LockedError, PermissionDeniedError, ValidationError
from app.io.package import build as build_package
from app.io.package import export_package, import_package, plan_package, read_package
from app.services.assessment import grades
from app.services.exchange.merge import THEIRS
from app.services.opening.setup import open_ledger
from app.services.register import orgs
from app.services.scoring import scores

from ..conftest import TODAY


def _receiver(src, path: Path, role: str = "管理员", user: str = "管理员"):
    """A second installation holding the same data (so the package's rows meet rows of their own)."""
    a, b = sqlite3.connect(src.path), sqlite3.connect(path)
    a.backup(b)  # a plain file copy would miss what is still in the write-ahead log
    a.close()
    b.close()
    # The copy is the same installation: its keys too (so the sender's signature is its own).
    shutil.copytree(src.path.with_name(src.path.name + ".keys"), path.with_name(path.name + ".keys"))
    lg = open_ledger(path)
    lg.today, lg.role, lg.user = (lambda: TODAY), role, user
    return lg


def _forge(pkg: Path, dst: Path, change, signer) -> Path:
    """Change the payload and sign it again with the sender's key: a sender bypassing its own rules."""
    with zipfile.ZipFile(pkg) as z:
        manifest, payload = json.loads(z.read("manifest.json")), json.loads(z.read("payload.json"))
    change(payload)
    raw = json.dumps(payload).encode()
    manifest["payload_sha256"] = hashlib.sha256(raw).hexdigest()
    dst.write_bytes(build_package(signer, json.dumps(manifest).encode(), raw))
    return dst


def _take_theirs(lg, path: Path):
    """Import, choosing the package's side of every conflict (the user's most permissive choice)."""
    info = read_package(path)
    plan = plan_package(lg, info)
    return import_package(lg, info, {(c.entity, c.key): THEIRS for c in plan.conflicts})


def _row(payload, entity, **match):
    return next(r for r in payload[entity] if all(r.get(k) == v for k, v in match.items()))


def _uuid(payload, code):
    return _row(payload, "organizations", code=code)["uuid"]


def _snapshot(lg):
    return (sorted((c.org_code, c.item_code, c.month, c.manual_points) for c in scores.cells(lg, 2025)),
            [(g.org_code, g.final) for g in grades.year_grades(lg, 2025)],
            [(o.code, o.name, o.active) for o in orgs.list_orgs(lg)])


@pytest.fixture
def pkg2025(demo_ledger, tmp_path):
    return export_package(demo_ledger, "QS01", 2025, tmp_path / "qs01-2025.djpkg")


def _demote(payload):
    g = next(r for r in payload["grades"] if r["final_class"] == "A")
    g["final_class"], g["override_reason"] = "C", "改低"


def _rename(payload):
    _row(payload, "organizations", code="QS0101")["name"] = "改名后的党支部"


@pytest.mark.parametrize("change,label", [(_demote, "年度定级（需要审核员权限）"), (_rename, "党组织（需要管理员权限）")])
def test_a_clerk_cannot_bring_in_grades_or_organisations(demo_ledger, pkg2025, tmp_path, change, label):
    clerk = _receiver(demo_ledger, tmp_path / "clerk.sqlite", role="录入员", user="小王")
    try:
        before = _snapshot(clerk)
        with pytest.raises(PermissionDeniedError, match=f"小王（录入员）无权导入数据包中的：.*{label}"):
            _take_theirs(clerk, _forge(pkg2025, tmp_path / "f.djpkg", change, demo_ledger))
        assert _snapshot(clerk) == before
    finally:
        clerk.close()


def test_a_clerk_may_bring_in_scores(demo_ledger, tmp_path):
    pkg = export_package(demo_ledger, "QS01", 2026, tmp_path / "p.djpkg")
    # a month whose cell the package changes (the demo's own count there is not already 1)
    month = next(m for m in range(10, 0, -1) if scores.cell(demo_ledger, "QS0101", 2026, m, "KF01").manual_count != 1)

    def more(payload):
        payload["scores"].append({"org_uuid": _uuid(payload, "QS0101"), "year": 2026, "month": month,
                                  "item_code": "KF01", "manual_points": "2.0", "manual_count": 1, "note": ""})

    clerk = _receiver(demo_ledger, tmp_path / "clerk.sqlite", role="录入员", user="小王")
    try:
        before = scores.cell(clerk, "QS0101", 2026, month, "KF01").manual_count or 0
        import_package(clerk, read_package(_forge(pkg, tmp_path / "f.djpkg", more, demo_ledger)))
        assert scores.cell(clerk, "QS0101", 2026, month, "KF01").manual_count == 1 and before != 1
    finally:
        clerk.close()


def test_a_confirmed_year_refuses_a_packaged_grade_change(demo_ledger, pkg2025, tmp_path):
    admin = _receiver(demo_ledger, tmp_path / "admin.sqlite")
    try:
        before = _snapshot(admin)
        with pytest.raises(LockedError, match="“年度定级”第 .* 行：2025 年度定级已于 .* 确认，该年度已关闭"):
            _take_theirs(admin, _forge(pkg2025, tmp_path / "f.djpkg", _demote, demo_ledger))
        assert _snapshot(admin) == before
    finally:
        admin.close()


def test_two_organisations_cannot_become_each_others_parent(demo_ledger, pkg2025, tmp_path):
    def loop(payload):
        a, b = _row(payload, "organizations", code="QS0101"), _row(payload, "organizations", code="QS0102")
        a["parent_uuid"], b["parent_uuid"] = b["uuid"], a["uuid"]

    admin = _receiver(demo_ledger, tmp_path / "admin.sqlite")
    try:
        before = _snapshot(admin)
        with pytest.raises(ValidationError, match="组织上下级关系成环（.*党支部 → .*党支部 → .*党支部）"):
            _take_theirs(admin, _forge(pkg2025, tmp_path / "f.djpkg", loop, demo_ledger))
        assert _snapshot(admin) == before
    finally:
        admin.close()


def _set_first(entity, key, value):
    def change(payload):
        payload[entity][0][key] = value
    return change


@pytest.mark.parametrize("change,message", [
    (_set_first("scores", "manual_count", 10**30), "“月度积分”第 1 行"),
    (_set_first("scores", "year", "2026x"), "“月度积分”第 1 行的编号或年月不是应有的类型"),
    (_set_first("grades", "year", 99999), "“年度定级”第 1 行：.*年份 99999 超出范围"),
    (_set_first("warnings", "quarter", 7), "“预警与整改”第 1 行：.*季度必须是 1–4"),
    (_set_first("pairings", "year", -1), "“结对共建”第 1 行：.*年份 -1 超出范围"),
])
def test_malformed_numbers_and_years_are_named_by_row(demo_ledger, pkg2025, tmp_path, change, message):
    admin = _receiver(demo_ledger, tmp_path / "admin.sqlite")
    try:
        before = _snapshot(admin)
        with pytest.raises(LedgerError, match=message):
            _take_theirs(admin, _forge(pkg2025, tmp_path / "f.djpkg", change, demo_ledger))
        assert _snapshot(admin) == before
    finally:
        admin.close()


def test_another_units_organisation_with_the_same_code_is_a_clash_not_a_merge(demo_ledger, tmp_path):
    from app.io import package as pk
    from app.services.opening import setup

    county = open_ledger(tmp_path / "county.sqlite")
    other = open_ledger(tmp_path / "other.sqlite")
    county.today = other.today = lambda: TODAY
    try:
        first = read_package(export_package(demo_ledger, "QS01", 2026, tmp_path / "qs.djpkg"))
        pk.trust_sender(county, first)
        import_package(county, first)
        setup.initialize(other, "另一个县的党委")
        orgs.add_org(other, code="QS01", name="开发区机关党委", sector="机关事业单位", kind="党委", parent="00")
        orgs.add_org(other, code="QS0101", name="另一个县的党支部", sector="村(社区)", parent="QS01")
        second = read_package(export_package(other, "QS01", 2026, tmp_path / "other.djpkg"))
        pk.trust_sender(county, second)
        before = [(o.code, o.name) for o in orgs.list_orgs(county)]
        with pytest.raises(ConflictError, match="QS0101（数据包中为“另一个县的党支部”，本机为“党政办公室党支部”）"):
            import_package(county, second)
        assert [(o.code, o.name) for o in orgs.list_orgs(county)] == before
    finally:
        county.close()
        other.close()
