"""Shared fixtures. Qt runs headless; every test gets its own ledger file."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts=false")

import pytest

from app.services.kernel.context import Ledger
from app.services.opening.setup import open_ledger

# Fixed "today" so demo data and date rules are reproducible.
TODAY = date(2026, 11, 21)


def _open(path: Path, today: date = TODAY) -> Ledger:
    ledger = open_ledger(path)
    ledger.today = lambda: today
    return ledger


@pytest.fixture
def ledger(tmp_path: Path):
    """An empty, initialised ledger with a unit and one 党委 → one branch ('B1') of class B."""
    lg = basic_ledger(tmp_path / "ledger.sqlite")
    yield lg
    lg.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    from app.services.opening import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    lg = _open(path)
    demo.load_demo(lg)
    lg.close()
    return path


@pytest.fixture
def demo_ledger(demo_file: Path, tmp_path: Path):
    """A private copy of the demo ledger (tests may write to it)."""
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    shutil.copytree(demo_file.with_name(demo_file.name + ".keys"), copy.with_name(copy.name + ".keys"))
    lg = _open(copy)
    yield lg
    lg.close()


# A modal box nobody answers would block the test run for ever (CI has no one to click it).
# Any modal window still open after this many seconds is closed, and the test fails naming it.
MODAL_PATIENCE_S = 15


@pytest.fixture(autouse=True)
def _no_forgotten_modals(request):
    if not {"qapp", "qtbot"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("qapp")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: dict[int, int] = {}
    forgotten: list[str] = []

    def look() -> None:
        w = QApplication.activeModalWidget()
        if w is None:
            seen.clear()
            return
        ticks = seen[id(w)] = seen.get(id(w), 0) + 1
        if ticks * 0.5 >= MODAL_PATIENCE_S:
            text = w.text() if isinstance(w, QMessageBox) else ""
            forgotten.append(f"{type(w).__name__} “{w.windowTitle()}” {text}".strip())
            w.reject() if hasattr(w, "reject") else w.close()
            seen.pop(id(w), None)

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    if forgotten:
        pytest.fail("a modal window was left open with no one to answer it: " + "; ".join(forgotten))


# --- County server: a real PostgreSQL for the tests (tests/pgserver.py) ---------------------------------

@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """One PostgreSQL server per test worker; skipped without server binaries, except under CI=true.

    The superuser's password is in a pgpass file (PGPASSFILE) for the whole run, so a server URL without
    the password (``str(ledger.db.url)``) works as ``--db`` in tests, as it would for a county clerk."""
    from tests.pgserver import start_server

    server = start_server()
    if isinstance(server, str):
        if os.environ.get("CI") == "true":
            pytest.fail(server)
        pytest.skip(server)
    pgpass = tmp_path_factory.mktemp("pgpass") / "pgpass"
    pgpass.write_text(f"127.0.0.1:{server.port}:*:postgres:{server.password}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    before = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(pgpass)
    yield server
    if before is None:
        os.environ.pop("PGPASSFILE", None)
    else:
        os.environ["PGPASSFILE"] = before
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server, tmp_path_factory) -> str:
    """A database migrated to head once per worker; tests get copies (CREATE DATABASE … TEMPLATE)."""
    from db.migrate import open_database

    name = pg_server.new_database("template")
    open_database(pg_server.url(name), key_home=tmp_path_factory.mktemp("template-keys")).dispose()
    return name


@pytest.fixture
def pg_empty_url(pg_server) -> str:
    """The URL (with password) of a fresh, empty database on the test server."""
    return pg_server.url(pg_server.new_database())


@pytest.fixture
def pg_url(pg_server, pg_template) -> str:
    """The URL (with password) of a fresh database already at head (a copy of the template)."""
    return pg_server.url(pg_server.new_database(template=pg_template))


@pytest.fixture
def server_home(tmp_path, monkeypatch) -> Path:
    """This client's data folder (the servers' key folders live in it), private to the test."""
    home = tmp_path / "client-data"
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(home))
    return home


def basic_ledger(target) -> Ledger:
    """An empty, initialised ledger with a unit and one 党委 → one branch ('B1') of class B."""
    from app.services.opening import setup
    from app.services.register import orgs

    lg = _open(target)
    setup.initialize(lg, "测试经开区党工委")
    orgs.add_org(lg, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(lg, code="B1", name="财政局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    return lg


@pytest.fixture
def pg_ledger(pg_url, server_home):
    """The same starting point as ``ledger``, in a fresh database on the test's PostgreSQL server."""
    lg = basic_ledger(pg_url)
    yield lg
    lg.close()


@pytest.fixture(scope="session")
def pg_demo(pg_server, pg_template, tmp_path_factory) -> tuple[str, Path]:
    """The demo ledger loaded once per worker into a server database: (its name, its key home)."""
    from app.services.opening import demo
    from app.services.opening.setup import open_ledger

    name = pg_server.new_database("demo", template=pg_template)
    home = tmp_path_factory.mktemp("demo-client")
    before = os.environ.get("DANGJIAN_DATA_DIR")
    os.environ["DANGJIAN_DATA_DIR"] = str(home)
    try:
        lg = open_ledger(pg_server.url(name))
        lg.today = lambda: TODAY
        demo.load_demo(lg)
        lg.close()
    finally:
        if before is None:
            os.environ.pop("DANGJIAN_DATA_DIR", None)
        else:
            os.environ["DANGJIAN_DATA_DIR"] = before
    return name, home


@pytest.fixture
def pg_demo_ledger(pg_server, pg_demo, server_home):
    """A private copy of the demo ledger on the server, with the demo's key folder (tests may write)."""
    from db.server_open import stand_in
    from db.url import parse

    template, home = pg_demo
    name = pg_server.new_database(template=template)
    url = pg_server.url(name)
    src = stand_in(parse(pg_server.url(template)), home / "servers")
    dst = stand_in(parse(url), server_home / "servers")
    shutil.copytree(src.with_name(src.name + ".keys"), dst.with_name(dst.name + ".keys"))
    lg = _open(url)
    yield lg
    lg.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def backend(request) -> str:
    """Run a test on a SQLite file and on the county server (tests/services, tests/cli)."""
    return request.param


def db_arg(ledger: Ledger) -> str:
    """What ``--db`` names for this ledger: its file, or its server database (password from pgpass)."""
    return str(ledger.db.url) if ledger.db.is_server else str(ledger.path)
