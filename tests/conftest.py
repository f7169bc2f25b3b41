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
    lg = _open(copy)
    yield lg
    lg.close()
