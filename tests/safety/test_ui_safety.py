"""The safety screens, driven as a user would (offscreen); screenshots go to $SAFETY_SHOTS if set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from app.services.kernel import locks
from app.services.safety import backups, users


@pytest.fixture(autouse=True)
def _qt(tmp_path, qapp):
    QCoreApplication.setOrganizationName("dangjian-test")
    QCoreApplication.setApplicationName("dangjian-test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def demo_ctx(demo_ledger):
    from ui.context import UiContext

    c = UiContext(demo_ledger)
    yield c
    c.tasks.wait(10000)


def _shot(widget, name: str) -> None:
    folder = os.environ.get("SAFETY_SHOTS")
    widget.resize(max(widget.width(), 900), max(widget.height(), 480))
    image = widget.grab()
    assert not image.isNull()
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def no_popups(monkeypatch):
    """Message boxes answer themselves; returns what they said."""
    said: list[str] = []
    import ui.safety.backup_dialog as bd
    import ui.safety.common as common
    import ui.safety.lock_dialog as ld

    for mod in (common, bd, ld):
        monkeypatch.setattr(mod, "info", lambda _p, _t, text: said.append(text), raising=False)
        monkeypatch.setattr(mod, "warn", lambda _p, _t, text: said.append("!" + text), raising=False)
        monkeypatch.setattr(mod, "confirm", lambda *_a: True, raising=False)
    return said


def test_login_dialog_refuses_a_wrong_password_then_logs_in(demo_ledger, qtbot, monkeypatch):
    from ui.safety.login import LoginDialog

    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")
    users.add_user(demo_ledger, "张书记", "管理员", "secret1")
    users.add_user(demo_ledger, "小王", "录入员", "secret2")
    d = LoginDialog(demo_ledger)
    qtbot.addWidget(d)
    d.name.setCurrentText("小王")
    d.password.setText("wrong!")
    assert not d.try_save()
    assert "用户名或密码不正确" in d.message.text() and d.password.text() == ""
    d.password.setText("secret2")
    _shot(d, "login")
    assert d.try_save() and (demo_ledger.user, demo_ledger.role) == ("小王", "录入员")


def test_users_dialog_creates_the_administrator_first(demo_ctx, qtbot, monkeypatch):
    from ui.safety.users_dialog import AddUserDialog, UsersDialog

    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")
    d = UsersDialog(demo_ctx)
    qtbot.addWidget(d)
    assert "还没有账户" in d.hint.text()
    add = AddUserDialog(demo_ctx, d, first=True)
    qtbot.addWidget(add)
    assert add.role.count() == 1 and add.role.currentText() == "管理员"
    add.password.setText("secret1")
    add.again.setText("secret9")
    assert not add.try_save() and "不一致" in add.message.text()
    add.again.setText("secret1")
    _shot(add, "users-first-admin")
    assert add.try_save()
    d.refresh()
    assert d.table.rowCount() == 1 and "只有一个账户" in d.hint.text()
    _shot(d, "users")


def test_backup_dialog_previews_and_restores(demo_ctx, qtbot, no_popups):
    from app.services.register import orgs
    from ui.safety.backup_dialog import BackupDialog

    d = BackupDialog(demo_ctx)
    qtbot.addWidget(d)
    d.backup()
    assert d.table.rowCount() == 1 and d.table.item(0, 3).text() == "43" and d.table.item(0, 5).text() == "可用"
    orgs.add_org(demo_ctx.ledger, code="QS9901", name="新支部", sector="机关事业单位", parent="QS01")
    changed = []
    demo_ctx.changed.connect(changed.append)
    d.table.selectRow(0)
    d.restore_selected()
    assert "all" in changed and all(o.code != "QS9901" for o in orgs.list_orgs(demo_ctx.ledger))
    assert d.table.rowCount() == 2 and "恢复前" in {d.table.item(r, 1).text() for r in range(2)}
    _shot(d, "backups")


def test_audit_viewer_filters_and_exports(demo_ctx, qtbot, tmp_path, monkeypatch, no_popups):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    from app.services.scoring import scores
    from ui.safety.audit_viewer import AuditViewer

    demo_ctx.ledger.user = "小王"
    scores.set_score(demo_ctx.ledger, "QS0101", 2026, 11, "KF01", count=1)
    v = AuditViewer(demo_ctx)
    qtbot.addWidget(v)
    total = v.table.rowCount()
    v.user.setCurrentText("小王")
    v.refresh()
    assert 0 < v.table.rowCount() < total and v.table.item(0, 1).text() == "小王"
    assert v.table.item(0, 3).text() == "QS0101"
    _shot(v, "audit")
    out = tmp_path / "审计.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    v.export()
    ws = load_workbook(out).active
    assert ws["A2"].value == "时间" and ws["B3"].value == "小王" and ws.max_row == 2 + v.table.rowCount()


def test_lock_dialog_locks_and_refuses_unlock_without_reason(demo_ctx, qtbot, no_popups):
    from ui.safety.lock_dialog import LockDialog

    d = LockDialog(demo_ctx)
    qtbot.addWidget(d)
    before = len(locks.locked_months(demo_ctx.ledger))
    d.year.setValue(2026)
    d.month.setValue(10)
    d.lock()
    assert len(locks.locked_months(demo_ctx.ledger)) == before + 1
    d.unlock()
    assert no_popups[-1].startswith("!") and "解锁理由不能为空" in no_popups[-1]
    _shot(d, "locks")
    d.note.setText("补录 10 月支委会")
    d.unlock()
    assert len(locks.locked_months(demo_ctx.ledger)) == before


def test_safety_menu_and_integrity_dialog(demo_ctx, qtbot):
    import sqlite3

    from app.services.safety import integrity
    from ui.actions import safety
    from ui.main_window import MainWindow
    from ui.safety.integrity_dialog import IntegrityDialog

    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    safety.install(w)
    texts = [a.text() for a in w.menu("安全").actions() if a.text()]
    assert texts == ["立即备份", "备份与恢复…", "审计日志…", "锁定月份…", "用户管理…", "完整性检查"]
    con = sqlite3.connect(demo_ctx.ledger.path)
    con.execute("UPDATE org_classes SET category = 'A' WHERE id = (SELECT max(id) FROM org_classes)")
    con.commit()
    con.close()
    report = integrity.verify(demo_ctx.ledger)
    d = IntegrityDialog(demo_ctx, report, w)
    qtbot.addWidget(d)
    assert not report.ok and report.file_ok and d.accept_btn.isVisibleTo(d) and d.restore_btn.isVisibleTo(d)
    _shot(d, "integrity")


def test_startup_takes_the_lock_backs_up_and_releases_on_exit(demo_ledger, qtbot):
    from db.filelock import holder
    from ui.safety import startup

    path = demo_ledger.path
    demo_ledger.close()
    session = startup.open_for_gui(path, "管理员")
    assert session is not None and not session.banner and holder(path).pid == os.getpid()
    assert backups.list_backups(session.ledger)[0].reason == "启动"
    startup.on_exit(session)
    assert holder(path) is None


def test_startup_offers_the_newest_good_backup_when_the_file_cannot_be_opened(demo_ledger, qtbot, monkeypatch):
    import ui.safety.common as common
    from ui.safety import startup

    good = backups.backup_now(demo_ledger, "手动")
    path = demo_ledger.path
    demo_ledger.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xee" * 3996  # the schema page: SQLite cannot read the file at all
    path.write_bytes(bytes(data))
    asked = []
    monkeypatch.setattr(common, "confirm", lambda _p, _t, text, _ok: asked.append(text) or True)
    monkeypatch.setattr(common, "info", lambda *_a: None)
    session = startup.open_for_gui(path, "管理员")
    try:
        assert good.name in asked[0] and session.startup_report.ok
    finally:
        startup.on_exit(session)


def test_second_window_opens_read_only_with_a_banner_naming_the_holder(demo_ledger, qtbot):
    import json
    from datetime import datetime

    from PySide6.QtWidgets import QLabel, QToolBar

    from app.errors import DatabaseError
    from app.services.scoring import scores
    from db.filelock import lock_path
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.safety import startup

    path = demo_ledger.path
    demo_ledger.close()
    lock_path(path).write_text(json.dumps({"user": "张书记", "host": "办公室-PC2", "pid": 4242,
                                           "since": "2026-11-21T08:00:00", "heartbeat": datetime.now().isoformat()},
                                          ensure_ascii=False), encoding="utf-8")
    session = startup.open_for_gui(path, "管理员")
    try:
        assert "“张书记”在计算机“办公室-PC2”上自 2026-11-21 08:00 起正在使用" in session.banner
        w = MainWindow(UiContext(session.ledger))
        qtbot.addWidget(w)
        startup.attach(w, session)
        labels = [lb.text() for bar in w.findChildren(QToolBar) for lb in bar.findChildren(QLabel)]
        assert any("只读" in t for t in labels) and session.timers == []
        with pytest.raises(DatabaseError, match="办公室-PC2"):
            scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)
        w.resize(1366, 768)
        _shot(w, "read-only-window")
    finally:
        startup.on_exit(session)
    assert lock_path(path).exists()  # the other PC's lock is left alone
