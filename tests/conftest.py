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
    from app.services.opening import setup
    from app.services.register import orgs

    lg = _open(tmp_path / "ledger.sqlite")
    setup.initialize(lg, "测试经开区党工委")
    orgs.add_org(lg, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(lg, code="B1", name="财政局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
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
def pg_server():
    """One PostgreSQL server per test worker; skipped without server binaries, except under CI=true."""
    from tests.pgserver import start_server

    server = start_server()
    if isinstance(server, str):
        if os.environ.get("CI") == "true":
            pytest.fail(server)
        pytest.skip(server)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL (with password) of a fresh, empty database on the test server."""
    return pg_server.url(pg_server.new_database())


@pytest.fixture
def server_home(tmp_path, monkeypatch) -> Path:
    """This client's data folder (the servers' key folders live in it), private to the test."""
    home = tmp_path / "client-data"
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(home))
    return home


@pytest.fixture
def pg_ledger(pg_url, server_home):
    """The same starting point as ``ledger``, in a fresh database on the test's PostgreSQL server."""
    from app.services.opening import setup
    from app.services.register import orgs

    lg = _open(pg_url)
    setup.initialize(lg, "测试经开区党工委")
    orgs.add_org(lg, code="P1", name="测试机关党委", sector="机关事业单位", kind="党委", parent="00")
    orgs.add_org(lg, code="B1", name="财政局党支部", sector="机关事业单位", parent="P1", category="B", year=2026)
    yield lg
    lg.close()
