"""Imports flow one way: ui → app → db; app/domain is pure; no circles (docs/architecture.md).

The contracts in pyproject.toml are checked by import-linter (direct and indirect imports); the
text scans below are a quick second look at the three oldest rules.
"""

import re
import shutil
import subprocess
import sys
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


def _lint(root: Path) -> subprocess.CompletedProcess:
    linter = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(linter), "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})


def test_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 kept, 0 broken" in result.stdout


def test_a_crossed_layer_breaks_the_contracts(tmp_path):
    # The same checkout with one forbidden import added: the linter must catch it (so a green run means something).
    for folder in ("app", "db", "ui"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "app/services/kernel/leak.py").write_text("from app.services.scoring import scores  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert "app.services.kernel.leak" in result.stdout and "BROKEN" in result.stdout
