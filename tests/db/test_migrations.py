import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.errors import DatabaseError
from db.migrate import open_database
from db.schema import metadata


def test_migrations_produce_exactly_the_models(tmp_path):
    db = open_database(tmp_path / "m.sqlite")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_pragmas_are_set(tmp_path):
    db = open_database(tmp_path / "m.sqlite")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")  # several heads: one row per branch
    con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="更新版本"):
        open_database(path)


def test_a_non_database_file_is_refused(tmp_path):
    path = tmp_path / "note.sqlite"
    path.write_text("这不是数据库")
    with pytest.raises(DatabaseError, match="不是本软件的数据库文件"):
        open_database(path)


def test_backup_is_taken_before_migrating_an_older_file(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    open_database(path).dispose()
    import db.migrate as mig

    allrevs, heads = mig.known_revisions()
    monkeypatch.setattr(mig, "known_revisions", lambda: (allrevs | {"0000_old"}, heads))
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.execute("CREATE TABLE marker (x)")
    con.commit()
    con.close()
    # Pretend the file is one revision behind by adding a fake newer head.
    monkeypatch.setattr(mig, "known_revisions", lambda: (allrevs, frozenset({"0001"})))
    db = open_database(path, backup_dir=tmp_path / "bk")
    db.dispose()
    assert not list((tmp_path / "bk").glob("*")), "up to date: no backup"
    monkeypatch.setattr(mig, "current_revisions", lambda _db: {"0000_old"})
    monkeypatch.setattr(mig, "known_revisions", lambda: (allrevs | {"0000_old"}, frozenset({"0001"})))
    monkeypatch.setattr("alembic.command.upgrade", lambda cfg, rev: None)
    db = open_database(path, backup_dir=tmp_path / "bk")
    db.dispose()
    backups = list((tmp_path / "bk").glob("*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT name FROM sqlite_master WHERE name='marker'").fetchone()


def test_the_migration_history_has_a_single_head():
    from db.migrate import known_revisions

    _all, heads = known_revisions()
    assert len(heads) == 1, f"a new branch of migrations needs a merge revision: heads {sorted(heads)}"
