"""The test suite's own PostgreSQL server is real and usable (tests/pgserver.py)."""

from __future__ import annotations

import os

import pytest


def test_server_answers_over_tcp_with_the_password(pg_server, pg_url):
    import psycopg

    with psycopg.connect(pg_url.replace("postgresql://", "postgresql://", 1)) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        fsync = conn.execute("SHOW fsync").fetchone()[0]
        collate = conn.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()[0]
    assert int(version) >= 130000
    assert fsync == "off"
    assert collate == "C"


def test_wrong_password_is_refused(pg_server):
    import psycopg

    url = pg_server.url("postgres", password=False).replace("postgres@", "postgres:wrong@")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5).close()


def test_server_runs_as_postgres_when_root(pg_server):
    owner = pg_server.psql("SELECT current_setting('data_directory')")
    assert owner.endswith("data")
    if os.geteuid() == 0:
        assert pg_server.data.stat().st_uid != 0
