"""Single writer: the lock file, who holds it, stale locks, and read-only opening."""

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from app.errors import DatabaseError
from app.services.opening import access
from app.services.scoring import scores
from db.filelock import LockHeld, WriterLock, holder, lock_path


def _fake_lock(db, **over):
    d = {"user": "小王", "os_user": "wang", "host": socket.gethostname(), "pid": os.getpid() + 999999,
         "since": "2026-11-21T08:00:00", "heartbeat": datetime.now().isoformat()}
    d.update(over)
    lock_path(db).write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


def test_lock_records_who_where_and_since(tmp_path):
    db = tmp_path / "l.sqlite"
    lock = WriterLock(db, "张书记").acquire()
    info = holder(db)
    assert info.user == "张书记" and info.pid == os.getpid() and info.host == socket.gethostname()
    lock.release()
    assert not lock_path(db).exists() and holder(db) is None


def test_a_live_holder_from_another_pc_refuses_with_its_name(tmp_path):
    db = tmp_path / "l.sqlite"
    _fake_lock(db, host="办公室-PC2", pid=4242)
    with pytest.raises(LockHeld, match="“小王”在计算机“办公室-PC2”上自 2026-11-21 08:00 起正在使用"):
        WriterLock(db, "张书记").acquire()


def test_a_lock_of_a_dead_process_on_this_pc_is_cleared(tmp_path):
    db = tmp_path / "l.sqlite"
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _fake_lock(db, pid=int(child.stdout))  # that process has exited
    lock = WriterLock(db, "张书记").acquire()
    assert lock.held and holder(db).user == "张书记"
    lock.release()


def test_an_old_heartbeat_from_another_pc_is_stale_and_a_fresh_one_is_not(tmp_path):
    db = tmp_path / "l.sqlite"
    _fake_lock(db, host="PC2", heartbeat=(datetime.now() - timedelta(minutes=11)).isoformat())
    assert holder(db) is None
    lock = WriterLock(db, "张书记").acquire()
    lock.heartbeat()
    assert holder(db).user == "张书记"
    lock.release()


def test_a_garbled_lock_file_is_judged_by_its_age(tmp_path):
    db = tmp_path / "l.sqlite"
    lock_path(db).write_text("{半个", encoding="utf-8")
    with pytest.raises(LockHeld):  # just written: might be someone mid-write
        WriterLock(db, "张书记").acquire()
    old = (datetime.now() - timedelta(minutes=30)).timestamp()
    os.utime(lock_path(db), (old, old))
    WriterLock(db, "张书记").acquire().release()


def test_second_instance_opens_read_only_and_names_the_holder(ledger):
    _fake_lock(ledger.path, host="PC2", pid=4242)
    opened = access.open_guarded(ledger.path, user="张书记")
    try:
        assert opened.read_only and opened.holder.host == "PC2"
        assert scores.cells(opened.ledger, 2026) == []  # reading works
        with pytest.raises(DatabaseError, match="“小王”在计算机“PC2”上.*只读"):
            scores.set_score(opened.ledger, "B1", 2026, 3, "RC02", count=1)
    finally:
        opened.close()
    assert lock_path(ledger.path).exists(), "a read-only opener never removes the holder's lock"


def test_the_same_file_opened_twice_in_one_process_shares_the_lock(tmp_path):
    db = tmp_path / "l.sqlite"
    first = WriterLock(db, "张书记").acquire()
    second = WriterLock(db, "张书记").acquire()
    first.release()
    assert holder(db) is not None, "still open in the second window"
    second.release()
    assert holder(db) is None
