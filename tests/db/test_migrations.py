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


def test_0010_marks_old_pairing_items_and_adds_the_activity_type(tmp_path):
    """A file from before 需结对: the item named 结对… keeps its rule as a flag and is linked to 7.4."""
    from alembic import command

    from db.engine import make_engine
    from db.migrate import _alembic_config

    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009_compliance")
        for sql in (
            "INSERT INTO record_sections VALUES ('7', '作用发挥与宣传', 6)",
            "INSERT INTO record_types VALUES ('7.1', '7', '示范岗/责任区/志愿服务', 'activity', 'record', '', 0)",
            "INSERT INTO schemes (id, year, name, yellow_below, orange_below, red_below, consecutive, lines_inclusive,"
            " grade_a_min, grade_b_min, uuid, created_at, updated_at)"
            " VALUES (1, 2025, 's', 250, 200, 150, 1, 1, 900, 800, 'u1', '2025-01-01', '2025-01-01')",
            "INSERT INTO scheme_categories (id, scheme_id, code, name, kind, max_points, sort_order, uuid, created_at,"
            " updated_at) VALUES (1, 1, 'ZY', '作用发挥', 'normal', 100, 0, 'u2', '2025-01-01', '2025-01-01')",
        ):
            conn.exec_driver_sql(sql)
        for i, (code, name, rt) in enumerate((("ZY01", "志愿服务", "7.1"), ("ZY02", "结对共建活动", None))):
            conn.exec_driver_sql(
                "INSERT INTO scheme_items (scheme_id, category_id, code, name, kind, points, standard, evidence,"
                " record_type, sort_order, uuid, created_at, updated_at)"
                f" VALUES (1, 1, '{code}', '{name}', 'normal', 10, '', '', {repr(rt) if rt else 'NULL'}, {i},"
                f" 'i{i}', '2025-01-01', '2025-01-01')")
    engine.dispose()
    open_database(path).dispose()  # migrates to head
    con = sqlite3.connect(path)
    items = dict((c, (n, rt)) for c, n, rt in con.execute("SELECT code, needs_pairing, record_type FROM scheme_items"))
    assert items == {"ZY01": (0, "7.1"), "ZY02": (1, "7.4")}
    assert con.execute("SELECT name, form FROM record_types WHERE code = '7.4'").fetchone() == ("结对共建活动", "pairing")
