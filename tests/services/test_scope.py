"""Township scope (issue 20 point 6): a user limited to a subtree sees only it, writes only inside it, locks
months for it; a county user is unaffected. On both backends (the ``backend`` parameter)."""

from __future__ import annotations

import pytest

from app.errors import LockedError, PermissionDeniedError, ValidationError
from app.services.assessment import grades, warnings
from app.services.book import records
from app.services.compliance import status
from app.services.kernel import audit, locks, scope
from app.services.kernel.permissions import ADMIN, CLERK, REVIEWER
from app.services.overview import dashboard
from app.services.register import members, orgs
from app.services.safety import users
from app.services.scoring import grid, schemes, scores

PW = "secret123"
TOWN = "QS02"  # 城南片区社区综合党委 in the demo: ten 村(社区) branches
OUTSIDE = "QS0101"  # 党政办公室党支部, under 开发区机关党委


def _subtree_codes(lg, root: str) -> set[str]:
    by_parent: dict[str | None, list[str]] = {}
    for o in orgs.list_orgs(lg):
        by_parent.setdefault(o.parent_code, []).append(o.code)
    out, todo = set(), [root]
    while todo:
        c = todo.pop()
        out.add(c)
        todo.extend(by_parent.get(c, []))
    return out


def _accounts(lg):
    """A county 管理员 and a township 录入员 / 审核员 / 管理员 scoped to QS02, made through the service."""
    users.add_user(lg, "县管理员", ADMIN, PW)
    users.authenticate(lg, "县管理员", PW)
    users.add_user(lg, "城南录入", CLERK, PW, scope=TOWN)
    users.add_user(lg, "城南审核", REVIEWER, PW, scope=TOWN)
    users.add_user(lg, "城南管理", ADMIN, PW, scope=TOWN)


def _as(lg, name: str):
    users.authenticate(lg, name, PW)
    return lg


@pytest.fixture
def county(demo_ledger):
    _accounts(demo_ledger)
    return _as(demo_ledger, "县管理员")


def test_scope_is_set_on_the_account_audited_and_taken_at_login(county):
    listed = {u.name: u for u in users.list_users(county)}
    assert listed["城南录入"].scope == TOWN and listed["城南录入"].scope_name == "城南片区社区综合党委"
    assert listed["县管理员"].scope == ""
    added = [e for e in audit.recent(county, 50) if e.action == "新增用户" and "城南录入" in e.summary]
    assert added and "管理范围“QS02”" in added[0].summary
    _as(county, "城南录入")
    assert county.scope == TOWN
    _as(county, "县管理员")
    assert county.scope == ""
    with pytest.raises(ValidationError, match="找不到组织编码为“NOPE”"):
        users.set_scope(county, "城南录入", "NOPE")
    assert users.set_scope(county, "城南录入", "QS03").scope == "QS03"
    assert any(e.action == "修改管理范围" and "QS02 → QS03" in e.summary for e in audit.recent(county, 20))
    with pytest.raises(ValidationError, match="至少要保留一个全单位"):
        users.set_scope(county, "县管理员", TOWN)


def test_a_scoped_user_may_not_manage_accounts_or_widen_their_scope(county):
    _as(county, "城南管理")
    with pytest.raises(PermissionDeniedError, match="全单位"):
        users.set_scope(county, "城南管理", "")
    with pytest.raises(PermissionDeniedError, match="全单位"):
        users.add_user(county, "别人", CLERK, PW)


def test_lists_dashboards_grids_and_rankings_show_only_the_subtree(county):
    whole = _subtree_codes(county, "QS")
    town = _subtree_codes(county, TOWN)
    all_orgs = {o.code for o in orgs.list_orgs(county)}
    all_grades = grades.year_grades(county, 2025)
    all_warn = warnings.quarter_warnings(county, 2026, 3)
    all_dash = dashboard.dashboard(county)
    assert all_orgs == whole and len(town) < len(whole)

    _as(county, "城南录入")
    assert {o.code for o in orgs.list_orgs(county)} == town
    g = grades.year_grades(county, 2025)
    assert g and {x.org_code for x in g} <= town
    graded = sorted((x for x in g if x.graded), key=lambda x: x.rank)
    assert graded[0].rank == 1  # ranked within the subtree
    county_rank = {x.org_code: x.rank for x in all_grades}
    assert any(county_rank[x.org_code] != x.rank for x in graded)
    assert scope.heading(county) == "（排名范围：城南片区社区综合党委及其下属组织）"
    w = warnings.quarter_warnings(county, 2026, 3)
    assert {x.org_code for x in w} == {x.org_code for x in all_warn} & town
    d = dashboard.dashboard(county)
    assert d.scored_total == len(town) - 1 < all_dash.scored_total  # the 党委 itself is not scored
    m = grid.month_grid(county, 2026, 3)
    assert {o.code for o in m.orgs} == town - {TOWN}
    assert {r.org_code for r in status.year_status(county, 2026)} <= town
    assert {c.org_code for c in scores.cells(county, 2026)} <= town

    with pytest.raises(PermissionDeniedError, match="不能查看范围之外的“党政办公室党支部”"):
        orgs.get_org(county, OUTSIDE)
    with pytest.raises(PermissionDeniedError, match="不能查看范围之外的"):
        records.list_records(county, OUTSIDE, 2026)

    _as(county, "县管理员")  # the county user sees everything, as before
    assert {o.code for o in orgs.list_orgs(county)} == whole
    assert grades.year_grades(county, 2025) == all_grades
    assert scope.heading(county) == ""


def _head(lg):
    with lg.db.read() as s:
        return audit.head(s)


def test_every_write_outside_the_subtree_is_refused_naming_it_and_the_scope(county):
    _as(county, "城南管理")
    before = _head(county)
    named = r"城南管理 的范围是“城南片区社区综合党委”（QS02）及其下属组织.*党政办公室党支部.*QS0101"
    with pytest.raises(PermissionDeniedError, match=named):
        scores.set_score(county, OUTSIDE, 2026, 10, "KF01", count=1)
    with pytest.raises(PermissionDeniedError, match=named):
        records.add_record(county, OUTSIDE, "2.2", {"date": "2026-10-05", "topic": "十月支委会"})
    with pytest.raises(PermissionDeniedError, match=named):
        orgs.update_org(county, OUTSIDE, secretary="张三")
    with pytest.raises(PermissionDeniedError, match=named):
        members.save_member(county, OUTSIDE, {"name": "李四"})
    with pytest.raises(PermissionDeniedError, match=named):
        orgs.set_class(county, OUTSIDE, 2026, "A")
    with pytest.raises(PermissionDeniedError, match="开发区机关党委"):
        orgs.add_org(county, code="QS0199", name="新支部", sector="机关事业单位", parent="QS01")
    with pytest.raises(PermissionDeniedError, match="开发区机关党委"):
        orgs.move_org(county, "QS0201", "QS01")
    with pytest.raises(PermissionDeniedError, match="顶层"):
        orgs.add_org(county, code="QS9", name="新党委", sector="机关事业单位", kind="党委", parent=None)
    with pytest.raises(PermissionDeniedError, match="全单位"):
        schemes.save_scheme(county, schemes.get_scheme(county, 2026))
    assert _head(county) == before  # nothing written
    # inside the subtree the same user works as before
    scores.set_score(county, "QS0201", 2026, 10, "KF01", count=1)
    rec = records.add_record(county, "QS0201", "2.2", {"date": "2026-10-05", "topic": "十月支委会"})
    assert rec.org_code == "QS0201"
    orgs.add_org(county, code="QS0299", name="新建村党支部", sector="村(社区)", parent=TOWN)
    assert "QS0299" in {o.code for o in orgs.list_orgs(county)}


def test_a_record_moved_or_deleted_outside_is_refused(county):
    rec = records.add_record(county, OUTSIDE, "2.2", {"date": "2026-10-05", "topic": "县里登记的"})
    _as(county, "城南管理")
    with pytest.raises(PermissionDeniedError, match="QS0101"):
        records.update_record(county, rec.id, {"date": "2026-10-06", "topic": "改"})
    with pytest.raises(PermissionDeniedError, match="QS0101"):
        records.delete_record(county, rec.id)
    _as(county, "县管理员")
    assert records.get_record(county, rec.id).topic == "县里登记的"


def test_month_locks_per_subtree(county):
    # the county locks October for the township's subtree only
    info = locks.lock_month(county, 2026, 10, "城南已审核", scope_code=TOWN)
    assert info.scope == TOWN and "城南片区社区综合党委" in info.where
    with pytest.raises(LockedError, match="“城南片区社区综合党委”（QS02）及其下属组织的 2026 年 10 月已于 .* 由 县管理员 审核锁定"):
        scores.set_score(county, "QS0201", 2026, 10, "KF01", count=1)
    with pytest.raises(LockedError, match="QS02"):
        records.add_record(county, "QS0203", "2.2", {"date": "2026-10-05", "topic": "x"})
    scores.set_score(county, OUTSIDE, 2026, 10, "KF01", count=1)  # other townships stay open
    county_grid = grid.month_grid(county, 2026, 10)
    assert county_grid.lock_text == ""  # the county's view: only part of October is locked
    assert set(county_grid.locked_rows) == {o.code for o in county_grid.orgs} & _subtree_codes(county, TOWN)
    assert "城南片区社区综合党委（QS02）及其下属组织 2026 年 10 月" in county_grid.locked_rows["QS0201"]

    # a scoped reviewer sees the lock on their grid and may lock their subtree only
    _as(county, "城南审核")
    assert "QS02" in grid.month_grid(county, 2026, 10).lock_text
    assert locks.lock_month(county, 2026, 11).scope == TOWN  # their own subtree by default
    with pytest.raises(PermissionDeniedError, match="不能锁定或解锁全单位"):
        locks.lock_month(county, 2026, 12, scope_code="")
    with pytest.raises(PermissionDeniedError, match="“QS01”"):
        locks.lock_month(county, 2026, 12, scope_code="QS01")
    with pytest.raises(PermissionDeniedError, match="管理员"):
        locks.unlock_month(county, 2026, 11, "审核员不能解锁")
    assert {(lk.month, lk.scope) for lk in locks.locked_months(county, 2026)} >= {(10, TOWN), (11, TOWN)}

    # a scoped 管理员 unlocks within the subtree; the whole-unit lock still closes every organisation
    _as(county, "城南管理")
    locks.unlock_month(county, 2026, 11, "补录")
    scores.set_score(county, "QS0201", 2026, 11, "KF01", count=1)
    _as(county, "县管理员")
    locks.lock_month(county, 2026, 9)
    with pytest.raises(LockedError, match="^2026 年 9 月已于"):
        scores.set_score(county, OUTSIDE, 2026, 9, "KF01", count=1)
    with pytest.raises(LockedError):
        scores.set_score(county, "QS0201", 2026, 9, "KF01", count=1)
    locks.unlock_month(county, 2026, 10, "复核", scope_code=TOWN)
    scores.set_score(county, "QS0201", 2026, 10, "KF01", count=1)


def test_year_wide_acts_are_the_county_s(county):
    _as(county, "城南审核")
    with pytest.raises(PermissionDeniedError, match="全单位"):
        grades.confirm(county, 2025)


def test_unit_wide_user_is_unaffected_by_the_scope_machinery(ledger):
    """No accounts: the one user acts for the whole unit, as before."""
    assert ledger.scope == ""
    assert scope.current(ledger).whole
    scores.set_score(ledger, "B1", 2026, 3, "KF01", count=1)
    locks.lock_month(ledger, 2026, 3)
    assert locks.locked_months(ledger, 2026)[0].scope == ""
    assert locks.locked_months(ledger, 2026)[0].where == "全单位"


def test_the_other_registers_refuse_an_organisation_outside_too(county):
    """Tasks, awards, grants, pairings, exemptions, grade overrides: the same check, nothing written."""
    from app.services.compliance import exemptions
    from app.services.incentives import awards, grants
    from app.services.pairing import pairings
    from app.services.tracking import tasks

    _as(county, "城南管理")
    before = _head(county)
    outside = "党政办公室党支部"
    cases = [
        lambda: tasks.add_task(county, title="整改台账", owner=OUTSIDE, issued="2026-11-01", due="2026-11-30"),
        lambda: awards.add(county, org=OUTSIDE, level="县", on="2026-11-02", title="先进基层党组织"),
        lambda: grants.add(county, org=OUTSIDE, purpose="阵地建设", amount="1000", on="2026-11-02"),
        lambda: pairings.add(county, OUTSIDE, "QS0202", 2026),
        lambda: exemptions.add(county, OUTSIDE, "2.3", "2026-11", "2026-12", "未设党小组"),
        lambda: grades.override(county, OUTSIDE, 2026, "A", "材料补齐"),
    ]
    for case in cases:
        with pytest.raises(PermissionDeniedError, match=f"不能修改范围之外的“{outside}”"):
            case()
    assert _head(county) == before


def test_exports_and_prints_of_a_scoped_user_cover_the_subtree_and_say_so(county, tmp_path):
    from openpyxl import load_workbook

    from app.io.ledger_export import export_ledger
    from app.reports.summary import build_summary

    town = _subtree_codes(county, TOWN)
    _as(county, "城南审核")
    out = export_ledger(county, 2026, tmp_path / "台账.xlsx")
    wb = load_workbook(out, read_only=True)
    graded = list(wb["汇总定级"].iter_rows(values_only=True))
    assert "排名范围：城南片区社区综合党委及其下属组织" in str(graded[0][0])
    codes = {r[1] for r in graded[3:] if r[1]}
    assert codes and codes <= town and min(r[0] for r in graded[3:] if r[0] is not None) == 1
    months = {r[0] for r in list(wb["月度明细"].iter_rows(values_only=True))[3:] if r[0]}
    assert months and months <= town
    assert build_summary(county, 2026, tmp_path / "汇总表.pdf") >= 1


def test_an_account_update_is_all_or_nothing(county):
    """Role, scope and active change in one transaction: a refused part leaves every part as it was."""
    with pytest.raises(ValidationError):
        users.update_user(county, "城南录入", scope="QS03", role="超级管理员")
    with pytest.raises(ValidationError, match="至少要保留一个全单位"):
        users.update_user(county, "县管理员", scope="QS03", active=True)
    listed = {u.name: u for u in users.list_users(county)}
    assert listed["城南录入"].scope == TOWN and listed["城南录入"].role == CLERK
    assert listed["县管理员"].scope == "" and listed["县管理员"].role == ADMIN
    # judged on the result: the township admin takes the whole unit while the county admin is limited, in two
    # updates; the first makes a second unit admin, so the second is allowed
    users.update_user(county, "城南管理", scope="")
    u = users.update_user(county, "县管理员", scope="QS03", role=REVIEWER)
    assert (u.scope, u.role) == ("QS03", REVIEWER)
    assert [e.action for e in audit.recent(county, 3)][:2] == ["修改管理范围", "修改角色"]
