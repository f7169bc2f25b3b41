"""Township scope on files (issue 20 point 6): an Excel import or a data package applied by a user limited
to a subtree is refused whole, naming the row outside it; nothing is written. On both backends."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from app.errors import PermissionDeniedError, ValidationError
from app.io import package as pk
from app.io.register_import import ROSTER, parse_register
from app.io.score_import import parse_scores
from app.io.template import export_template
from app.services.imports import batches
from app.services.imports.registers import apply_register
from app.services.kernel import audit
from app.services.kernel.permissions import ADMIN, CLERK
from app.services.register import members, orgs
from app.services.safety import users
from app.services.scoring import scores
from tests.conftest import basic_ledger
from tests.io.conftest import column_of, fill

PW = "secret123"


@pytest.fixture
def town(ledger):
    """The small ledger with a second township (P2 → B2) and a clerk limited to it; acting as the clerk."""
    orgs.add_org(ledger, code="P2", name="城南乡镇党委", sector="村(社区)", kind="党委", parent="00")
    orgs.add_org(ledger, code="B2", name="河西村党支部", sector="村(社区)", parent="P2", category="B", year=2026)
    users.add_user(ledger, "县管理员", ADMIN, PW)
    users.authenticate(ledger, "县管理员", PW)
    users.add_user(ledger, "城南录入", CLERK, PW, scope="P2")
    users.authenticate(ledger, "城南录入", PW)
    return ledger


def _head(lg) -> str:
    with lg.db.read() as s:
        return audit.head(s)


def _manual(lg) -> dict:
    with_county = lg.scope
    lg.scope = ""
    try:
        return {(c.org_code, c.item_code, c.month): (c.manual_points, c.manual_count) for c in scores.cells(lg, 2026)
                if c.manual_points is not None or c.manual_count is not None}
    finally:
        lg.scope = with_county


def _row_of(path, code: str) -> int:
    from openpyxl import load_workbook

    ws = load_workbook(path)["2026-03"]
    return next(c.row for c in ws["A"] if c.value == code)


def test_a_score_import_touching_another_township_is_refused_whole_naming_the_row(town, tmp_path):
    users.authenticate(town, "县管理员", PW)
    tpl = export_template(town, 2026, tmp_path / "county.xlsx", month=3)  # the county's template: both townships
    users.authenticate(town, "城南录入", PW)
    kf01 = column_of(tpl, "KF01")
    b1, b2 = _row_of(tpl, "B1"), _row_of(tpl, "B2")
    filled = fill(tpl, tmp_path / "f.xlsx", {"2026-03": {f"{kf01}{b1}": 1, f"{kf01}{b2}": 1}})
    parsed = parse_scores(town, filled)
    before, cells = _head(town), _manual(town)
    for skip in (False, True):  # skipping invalid rows never skips a row outside the scope
        with pytest.raises(ValidationError) as e:
            batches.apply_scores(town, parsed, skip_invalid=skip)
        assert f"2026-03!A{b1}" in str(e.value) and "城南录入 的范围是“城南乡镇党委”（P2）" in str(e.value)
        assert "财政局党支部" in str(e.value) and "B2" not in str(e.value).split("：", 1)[1].split("\n", 1)[0]
    assert _head(town) == before and _manual(town) == cells  # nothing written

    own = export_template(town, 2026, tmp_path / "town.xlsx", month=3)  # the clerk's template: their rows only
    kf01 = column_of(own, "KF01")
    with pytest.raises(StopIteration):
        _row_of(own, "B1")
    filled = fill(own, tmp_path / "g.xlsx", {"2026-03": {f"{kf01}{_row_of(own, 'B2')}": 1}})
    batches.apply_scores(town, parse_scores(town, filled))
    got = _manual(town)
    assert set(got) == {*cells, ("B2", "KF01", 3)} and got[("B2", "KF01", 3)][0] == 1


def test_a_roster_import_with_a_member_of_another_township_is_refused_whole(town, tmp_path):
    wb = Workbook()
    wb.active.title = "花名册"
    wb.active.append(["支部编码", "姓名", "性别"])
    wb.active.append(["B2", "王五", "男"])
    wb.active.append(["B1", "赵六", "女"])
    wb.save(tmp_path / "r.xlsx")
    parsed = parse_register(town, tmp_path / "r.xlsx", ROSTER)
    before = _head(town)
    with pytest.raises(ValidationError, match="第 3 行|!A3|3 行.*财政局党支部|财政局党支部") as e:
        apply_register(town, parsed, skip_invalid=True)
    assert "城南乡镇党委" in str(e.value)
    assert _head(town) == before and members.roster(town, "B2") == []


def test_a_package_from_outside_the_scope_is_refused_and_the_county_user_takes_it(town, tmp_path):
    sender = basic_ledger(tmp_path / "other-town.sqlite")  # another installation with the same P1 → B1
    try:
        scores.set_score(sender, "B1", 2026, 3, "KF01", count=1)
        path = pk.export_package(sender, "P1", 2026, tmp_path / "p1.zip")
    finally:
        sender.close()
    info = pk.read_package(path)
    users.authenticate(town, "县管理员", PW)
    pk.trust_sender(town, info)  # the county compared the fingerprint
    users.authenticate(town, "城南录入", PW)
    before, cells = _head(town), _manual(town)
    with pytest.raises(PermissionDeniedError, match="城南录入 的范围是“城南乡镇党委”（P2）.*不能导入范围之外的“测试机关党委”"):
        pk.import_package(town, info)
    assert _head(town) == before and _manual(town) == cells
    users.authenticate(town, "县管理员", PW)  # the county user is unaffected
    pk.import_package(town, info)
    assert _manual(town)[("B1", "KF01", 3)] == (2, 1)


def test_a_scoped_user_cannot_export_another_township_s_package(town, tmp_path):
    with pytest.raises(PermissionDeniedError, match="不能导出范围之外的“测试机关党委”"):
        pk.export_package(town, "P1", 2026, tmp_path / "x.zip")
    assert pk.export_package(town, "P2", 2026, tmp_path / "own.zip").exists()


def test_an_import_into_a_locked_subtree_month_is_refused_naming_the_lock(town, tmp_path):
    from app.errors import LockedError
    from app.services.kernel import locks

    users.authenticate(town, "县管理员", PW)
    locks.lock_month(town, 2026, 3, "城南已审核", scope_code="P2")
    users.authenticate(town, "城南录入", PW)
    own = export_template(town, 2026, tmp_path / "town.xlsx", month=3)
    filled = fill(own, tmp_path / "g.xlsx", {"2026-03": {f"{column_of(own, 'KF01')}{_row_of(own, 'B2')}": 1}})
    before = _head(town)
    with pytest.raises((LockedError, ValidationError), match="2026-03!A4: “城南乡镇党委”（P2）及其下属组织的 2026 年 3 月已于 .* 由 县管理员"):
        batches.apply_scores(town, parse_scores(town, filled))
    assert _head(town) == before
