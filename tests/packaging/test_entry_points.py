"""``python -m app --version / --self-test`` and the start-up probe, run as a user would (subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]


def run_app(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "DANGJIAN_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # QSettings of the GUI stay private
        "TMPDIR": str(tmp_path),
        **env,
    }
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=full_env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_version(tmp_path: Path):
    result = run_app(["--version"], tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == f"{APP_NAME} {__version__}"
    assert "（尚未建立）" in result.stdout and not (tmp_path / "data" / "ledger.sqlite").exists()


def test_version_names_the_unit_id_and_key_fingerprint(tmp_path: Path, ledger):
    from app.services.kernel import identity

    uid, fp = identity.unit_id(ledger), identity.own_fingerprint(ledger)
    before = ledger.path.read_bytes()
    result = run_app(["--db", str(ledger.path), "--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"单位标识：{uid}" in result.stdout and f"本机密钥指纹：{fp}" in result.stdout
    assert "本单位：测试经开区党工委" in result.stdout and ".keys" in result.stdout
    assert ledger.path.read_bytes() == before  # read only


def test_self_test_passes_and_saves_its_report(tmp_path: Path, ledger):
    work = tmp_path / "work"
    result = run_app(["--self-test", "--db", str(ledger.path), "--dir", str(work)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "结论：全部通过" in result.stdout
    assert "界面字体" in result.stdout and "数据文件：审计链完整" in result.stdout
    assert (work / "自检报告.txt").read_text(encoding="utf-8").strip() == result.stdout.strip()
    assert (work / "自检-wqy-microhei.pdf").is_file() and (work / "自检.xlsx").is_file()


def test_self_test_exit_code_1_on_a_corrupt_ledger(tmp_path: Path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run_app(["--self-test", "--db", str(bad)], tmp_path)
    assert result.returncode == 1
    assert "[失败] 数据文件" in result.stdout
    assert "结论：有 1 项未通过" in result.stdout


def test_exit_after_show_quits_once_the_main_window_painted(tmp_path: Path, ledger):
    path = ledger.path
    ledger.close()
    result = run_app(["--db", str(path)], tmp_path, DANGJIAN_EXIT_AFTER_SHOW="1")
    assert result.returncode == 0, result.stderr
    marker = [line for line in result.stdout.splitlines() if line.startswith("MAIN_WINDOW_SHOWN ")]
    assert len(marker) == 1
    assert float(marker[0].split()[1]) > 0


def test_first_start_on_an_empty_data_folder_creates_the_database(tmp_path: Path):
    result = run_app([], tmp_path, DANGJIAN_EXIT_AFTER_SHOW="1")
    assert result.returncode == 0, result.stderr
    assert [line.split()[-1] for line in result.stdout.splitlines() if line.startswith("WINDOW_SHOWN ")] == [
        "FirstRunDialog"
    ]
    assert (tmp_path / "data" / "ledger.sqlite").stat().st_size > 0
