"""Start-up of a large file: the window opens read-only at once, the integrity check runs behind it.

"Large" is simulated with the size threshold (DANGJIAN_BACKGROUND_CHECK_ABOVE=0), so the demo file
takes the large-file path.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QLabel, QToolBar

from app.errors import DatabaseError
from app.services.safety import backups, integrity
from app.services.scoring import scores
from db.filelock import holder


@pytest.fixture(autouse=True)
def _qt(tmp_path, qapp):
    QCoreApplication.setOrganizationName("dangjian-test")
    QCoreApplication.setApplicationName("dangjian-test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def large(monkeypatch):
    from ui.safety import startup

    monkeypatch.setenv(startup.THRESHOLD_ENV, "0")
    return startup


def _banners(window) -> list[str]:
    return [lb.text() for bar in window.findChildren(QToolBar) if bar.isVisibleTo(window)
            for lb in bar.findChildren(QLabel)]


def _window(qtbot, session):
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.safety import startup

    window = MainWindow(UiContext(session.ledger))
    qtbot.addWidget(window)
    startup.attach(window, session)
    return window


def test_large_file_opens_read_only_then_becomes_writable_after_a_passing_check(demo_ledger, qtbot, large):
    path = demo_ledger.path
    demo_ledger.close()
    session = large.open_for_gui(path, "管理员")
    try:
        assert session.checking and session.banner == large.CHECKING_BANNER and session.startup_report is None
        with pytest.raises(DatabaseError, match="正在检查数据完整性"):
            scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)
        window = _window(qtbot, session)
        assert any("正在检查数据完整性" in t for t in _banners(window))
        changed: list[str] = []
        window.ctx.changed.connect(changed.append)
        qtbot.waitUntil(lambda: session.startup_report is not None, timeout=30000)
        assert session.startup_report.ok and not session.checking and not session.ledger.db.read_only
        assert _banners(window) == [] and "all" in changed
        scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)  # writable now
        window.ctx.tasks.wait(30000)
        assert [b.reason for b in backups.list_backups(session.ledger)].count("启动") == 1  # taken after the check
        assert holder(path) is not None
    finally:
        large.on_exit(session)
    assert holder(path) is None


def test_a_failing_background_check_keeps_it_read_only_and_offers_the_newest_good_backup(
        demo_ledger, qtbot, large, monkeypatch):
    import ui.safety.backup_dialog as backup_dialog
    from ui.safety.integrity_dialog import IntegrityDialog

    backups.backup_now(demo_ledger, "手动")  # the good backup to offer
    path = demo_ledger.path
    demo_ledger.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")  # a SQLite tool breaking a link: foreign_key_check finds it
    con.execute("UPDATE org_classes SET org_id = 999999 WHERE id = (SELECT max(id) FROM org_classes)")
    con.commit()
    con.close()
    shown: list[IntegrityDialog] = []
    monkeypatch.setattr(IntegrityDialog, "exec", lambda self: shown.append(self) or 0)
    session = large.open_for_gui(path, "管理员")
    try:
        window = _window(qtbot, session)
        qtbot.waitUntil(lambda: bool(shown), timeout=30000)
        report = session.startup_report
        assert not report.file_ok and "数据关联" in report.first_problem()
        assert _banners(window) == [large.DAMAGED_BANNER] and session.ledger.db.read_only
        with pytest.raises(DatabaseError, match="已损坏"):
            scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)
        dialog = shown[0]
        assert dialog.restore_btn.isVisibleTo(dialog) and not dialog.accept_btn.isVisibleTo(dialog)
        assert "启动" not in [b.reason for b in backups.list_backups(session.ledger)]  # nothing written
        # The offer works: the newest good backup replaces the data (after asking).
        said: list[str] = []
        monkeypatch.setattr(backup_dialog, "confirm", lambda _p, _t, text, _ok: said.append(text) or True)
        monkeypatch.setattr(backup_dialog, "info", lambda *_a: None)
        dialog.restore()
        assert dialog.restored and "的备份的数据替换当前数据" in said[0]
        assert integrity.verify(session.ledger).file_ok
        scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)  # the restored file is writable
    finally:
        large.on_exit(session)
    assert holder(path) is None


def test_quitting_during_the_check_stops_it_and_takes_no_exit_backup(demo_ledger, qtbot, large, monkeypatch):
    started = threading.Event()

    def slow_verify(_ledger, *, quick, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise integrity.CheckCancelled()

    path = demo_ledger.path
    demo_ledger.close()
    monkeypatch.setattr(integrity, "verify", slow_verify)
    session = large.open_for_gui(path, "管理员")
    assert started.wait(10) and not session.check.done
    folder = backups.backup_folder(session.ledger)
    large.on_exit(session)
    assert not session.check._thread.is_alive() and session.check.report is None
    assert holder(path) is None
    assert not list(folder.glob("*.sqlite"))  # neither a 启动 nor a 退出 backup of unchecked data


def test_the_check_stops_when_cancelled_instead_of_reporting_damage(demo_ledger):
    with pytest.raises(integrity.CheckCancelled):
        integrity.verify(demo_ledger, cancelled=lambda: True)
    calls = iter(range(10**9))
    with pytest.raises(integrity.CheckCancelled):  # stopped inside the seal scan, after the file checks
        integrity.verify(demo_ledger, cancelled=lambda: next(calls) > 2)
    assert integrity.verify(demo_ledger, cancelled=lambda: False).ok  # the connections were left clean


def test_small_files_are_still_checked_before_the_window(demo_ledger, monkeypatch):
    from ui.safety import startup

    monkeypatch.delenv(startup.THRESHOLD_ENV, raising=False)
    path = demo_ledger.path
    demo_ledger.close()
    session = startup.open_for_gui(path, "管理员")
    try:
        assert session.check is None and not session.checking and session.startup_report.ok
        assert not session.ledger.db.read_only
    finally:
        startup.on_exit(session)


def test_head_check_without_alembic_agrees_with_alembic():
    from db.migrate import known_revisions, scanned_heads

    assert scanned_heads() and scanned_heads() == known_revisions()[1]


def test_with_a_login_the_check_finishes_before_the_login_counts_attempts(demo_ledger, qtbot, large, monkeypatch):
    from app.services.kernel import audit
    from app.services.safety import users
    from ui.safety.login import LoginDialog

    users.add_user(demo_ledger, "张书记", "管理员", "secret1")
    users.add_user(demo_ledger, "小王", "录入员", "secret2")
    path = demo_ledger.path
    demo_ledger.close()
    at_login: list[tuple] = []

    def log_in(self) -> int:
        at_login.append((self.ledger.db.read_only, large_session_report()))
        self.name.setCurrentText("小王")
        self.password.setText("secret2")
        return int(self.try_save())

    sessions: list = []
    real_check = large.BackgroundCheck

    class Spy(real_check):
        def __init__(self, ledger):
            super().__init__(ledger)
            sessions.append(self)

    def large_session_report():
        return sessions[0].report

    monkeypatch.setattr(large, "BackgroundCheck", Spy)
    monkeypatch.setattr(LoginDialog, "exec", log_in)
    session = large.open_for_gui(path, "管理员")
    try:
        read_only, report = at_login[0]
        assert not read_only and report is not None and report.ok  # checked, then a login that may write
        assert session.startup_report is report and not session.checking and session.ledger.user == "小王"
        assert audit.recent(session.ledger, 1)[0].action == "登录"  # the login was recorded
    finally:
        large.on_exit(session)


def test_damage_only_the_full_check_finds_turns_the_window_read_only_again(demo_ledger, qtbot, large, monkeypatch):
    from ui.safety.integrity_dialog import IntegrityDialog

    real_file_checks = integrity.file_checks

    def file_checks(ledger, *, quick=False, cancelled=None):
        if quick:  # the first stage: quick_check passes
            return real_file_checks(ledger, quick=True, cancelled=cancelled)
        return [integrity.Finding(False, "数据库文件", "row 12 missing from index ix_monthly_scores_org")]

    monkeypatch.setattr(integrity, "QUICK_ABOVE", 0)  # as for a large file: quick_check first, the full one after
    monkeypatch.setattr(integrity, "file_checks", file_checks)
    shown: list[IntegrityDialog] = []
    monkeypatch.setattr(IntegrityDialog, "exec", lambda self: shown.append(self) or 0)
    path = demo_ledger.path
    demo_ledger.close()
    session = large.open_for_gui(path, "管理员")
    try:
        window = _window(qtbot, session)
        qtbot.waitUntil(lambda: bool(shown), timeout=30000)
        assert session.check.report.ok  # the first stage had unlocked the data
        assert "ix_monthly_scores_org" in session.startup_report.first_problem()
        assert _banners(window) == [large.DAMAGED_BANNER] and session.ledger.db.read_only
        with pytest.raises(DatabaseError, match="已损坏"):
            scores.set_score(session.ledger, "QS0101", 2026, 11, "KF01", count=1)
        assert shown[0].restore_btn.isVisibleTo(shown[0])
    finally:
        large.on_exit(session)


def test_head_scan_gives_way_to_alembic_when_a_migration_is_written_differently(tmp_path, monkeypatch):
    import db.migrate as migrate

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "__init__.py").write_text("")
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (versions / "b.py").write_text("revision: str = 'b'\ndown_revision: str | None = 'a'\n")
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path)
    scan = migrate.scanned_heads.__wrapped__  # uncached
    assert scan() == {"b"}
    (versions / "c.py").write_text('revision = "c"\ndown_revision = (\n    "a",\n    "b",\n)\n')
    assert scan() == frozenset()  # a tuple over several lines: not understood, so alembic decides
    (versions / "c.py").write_text('REV = "c"\nrevision = REV\ndown_revision = "b"\n')
    assert scan() == frozenset()
