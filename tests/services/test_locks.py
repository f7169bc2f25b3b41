import pytest

from app.errors import LockedError, ValidationError
from app.services.book import records
from app.services.kernel import locks
from app.services.scoring import scores


def test_a_locked_month_refuses_scores_and_records_naming_the_lock(ledger):
    r = records.add_record(ledger, "B1", "2.2", {"date": "2026-03-05", "topic": "三月支委会"})
    locks.lock_month(ledger, 2026, 3)
    with pytest.raises(LockedError, match="2026 年 3 月已于 .* 由 管理员 审核锁定"):
        scores.set_score(ledger, "B1", 2026, 3, "RC02", count=1)
    with pytest.raises(LockedError):
        records.add_record(ledger, "B1", "2.2", {"date": "2026-03-20", "topic": "x"})
    with pytest.raises(LockedError):
        records.delete_record(ledger, r.id)
    with pytest.raises(LockedError):
        records.update_record(ledger, r.id, {"date": "2026-04-02", "topic": "moved out"})
    scores.set_score(ledger, "B1", 2026, 4, "RC02", count=1)  # other months stay open
    with pytest.raises(ValidationError, match="解锁理由不能为空"):
        locks.unlock_month(ledger, 2026, 3, "")
    locks.unlock_month(ledger, 2026, 3, "补录遗漏的支委会")
    scores.set_score(ledger, "B1", 2026, 3, "KF01", count=1)


@pytest.mark.file_only
def test_backup_now_copies_the_live_file(ledger, tmp_path):
    import sqlite3

    from app.services.safety import backups

    scores.set_score(ledger, "B1", 2026, 5, "RC02", count=1)
    path = backups.backup_now(ledger, "测试")
    assert path.parent == ledger.path.parent / "backups" and "测试" in path.name
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM monthly_scores").fetchone()[0] == 1
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
