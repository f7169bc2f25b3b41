"""Township scope in the GUI: the 管理员 gives an account its scope in 用户管理; a scoped user's main window
shows only the subtree (tree, table, status bar) and locks months for it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.kernel import locks
from app.services.safety import users

PW = "secret123"


@pytest.fixture
def county(demo_ctx, monkeypatch):
    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")
    users.add_user(demo_ctx.ledger, "县管理员", "管理员", PW)
    users.authenticate(demo_ctx.ledger, "县管理员", PW)
    return demo_ctx


def _shot(widget, name: str) -> None:
    folder = os.environ.get("SCOPE_SHOTS")
    image = widget.grab()
    assert not image.isNull()
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(folder) / f"{name}.png"))


def test_the_administrator_gives_an_account_its_scope_in_the_users_dialog(county, qtbot):
    from ui.safety.users_dialog import AddUserDialog, ScopeDialog, UsersDialog

    d = UsersDialog(county)
    qtbot.addWidget(d)
    add = AddUserDialog(county, d)
    qtbot.addWidget(add)
    add.name.setText("城南录入")
    add.role.setCurrentText("录入员")
    add.scope.setCurrentIndex(add.scope.findData("QS02"))
    assert add.scope.currentText() == "城南片区社区综合党委（QS02）及其下属组织"
    add.password.setText(PW)
    add.again.setText(PW)
    assert add.try_save()
    d.refresh()
    shown = {d.table.item(r, 0).text(): d.table.item(r, 2).text() for r in range(d.table.rowCount())}
    assert shown == {"县管理员": "全单位（不限范围）", "城南录入": "城南片区社区综合党委（QS02）"}
    scope = ScopeDialog(county, "城南录入", "QS02", d)
    qtbot.addWidget(scope)
    assert scope.scope.currentData() == "QS02"
    scope.scope.setCurrentIndex(scope.scope.findData("QS03"))
    assert scope.try_save()
    assert {u.name: u.scope for u in users.list_users(county.ledger)}["城南录入"] == "QS03"


def test_a_scoped_user_s_main_window_shows_only_the_subtree(county, qtbot):
    from ui.main_window import MainWindow

    users.add_user(county.ledger, "城南审核", "审核员", PW, scope="QS02")
    users.authenticate(county.ledger, "城南审核", PW)
    w = MainWindow(county)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    page = w.select_page("orgs")
    qtbot.waitUntil(lambda: page.loaded_rows > 0, timeout=10000)
    assert page.loaded_rows == 11  # 城南片区社区综合党委 and its ten branches
    top = page.tree.topLevelItem(0)
    assert top.text(0) == "管理范围内的组织（11）"
    assert top.childCount() == 1 and top.child(0).text(0).startswith("城南片区社区综合党委")
    assert "范围：城南片区社区综合党委及其下属组织" in w.db_label.text()
    _shot(w, "scoped-orgs")


def test_a_scoped_reviewer_locks_a_month_for_the_subtree_only(county, qtbot, monkeypatch):
    import ui.safety.lock_dialog as ld

    said: list[str] = []
    monkeypatch.setattr(ld, "info", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(ld, "warn", lambda _p, _t, text: said.append("!" + text))
    users.add_user(county.ledger, "城南审核", "审核员", PW, scope="QS02")
    users.authenticate(county.ledger, "城南审核", PW)
    d = ld.LockDialog(county)
    qtbot.addWidget(d)
    assert d.scope.findData("") == -1 and d.scope.currentData() == "QS02"  # no 全单位 for a scoped user
    d.year.setValue(2026)
    d.month.setValue(10)
    d.lock()
    assert said[-1].startswith("已锁定 2026 年 10 月（城南片区社区综合党委")
    assert [(lk.month, lk.scope) for lk in locks.locked_months(county.ledger, 2026)] == [(10, "QS02")]
    assert d.table.item(0, 1).text() == "城南片区社区综合党委（QS02）"


def test_the_county_grid_keeps_a_locked_township_s_rows_read_only(county, qtbot):
    from PySide6.QtCore import Qt

    from ui.models.monthly_grid import MonthGridModel

    locks.lock_month(county.ledger, 2026, 10, scope_code="QS02")
    model = MonthGridModel(county.ledger)
    model.load(2026, 10)
    assert not model.locked  # only part of the month is locked
    col = model.column_of("KF01")
    town, other = model.row_of["QS0201"], model.row_of["QS0101"]
    assert not model.flags(model.index(town, col)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(other, col)) & Qt.ItemFlag.ItemIsEditable
    said = model.write(model.index(town, col), "1")
    assert said.startswith("城南片区社区综合党委（QS02）及其下属组织 2026 年 10 月已于")
    assert model.write(model.index(other, col), "1") is None
