"""Imports flow one way: ui → app → db; app/domain is pure."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][\w.]*)", re.M)


def _imports(folder: str) -> dict[str, set[str]]:
    out = {}
    for path in (ROOT / folder).rglob("*.py"):
        out[str(path.relative_to(ROOT))] = {m.split(".")[0] for m in IMPORT.findall(path.read_text(encoding="utf-8"))}
    return out


def test_domain_imports_neither_qt_nor_sqlalchemy_nor_our_layers():
    for path, mods in _imports("app/domain").items():
        assert not mods & {"PySide6", "sqlalchemy", "db", "ui", "alembic"}, path


def test_ui_never_touches_the_database_layer():
    for path, mods in _imports("ui").items():
        assert not mods & {"sqlalchemy", "db", "alembic"}, path


def test_core_never_imports_qt():
    for folder in ("app", "db"):
        for path, mods in _imports(folder).items():
            if path == "app/__main__.py":  # the entry point starts the GUI; nothing else in the core may
                continue
            assert "PySide6" not in mods and "ui" not in mods, path


def test_files_stay_small():
    for folder in ("app", "db", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            n = len(path.read_text(encoding="utf-8").splitlines())
            assert n <= 600, f"{path.relative_to(ROOT)} has {n} lines: split it by responsibility"
