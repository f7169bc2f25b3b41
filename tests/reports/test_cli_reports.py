"""The printing commands: exit 0 and write files; exit 2 with one Chinese line for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main

from .conftest import flat, pdf_pages


@pytest.fixture
def db(demo_ledger) -> Path:
    path = Path(demo_ledger.path)
    demo_ledger.close()
    return path


@pytest.mark.parametrize("argv, name", [
    (["handbook", "--org", "QS0101", "--year", "2026"], "党政办公室党支部"),
    (["notice", "--year", "2026", "--quarter", "3"], "预警情况的通报"),
    (["summary", "--year", "2025"], "分类定级汇总表"),
    (["monthly-sheet", "--year", "2026", "--month", "10"], "党建积分记录表"),
])
def test_commands_write_pdfs(db: Path, out_dir: Path, capsys, argv, name):
    target = out_dir / "doc.pdf"
    assert main(["--db", str(db), *argv, "-o", str(target)]) == 0
    assert name in flat("".join(pdf_pages(target)))
    assert "已生成" in capsys.readouterr().out
    assert not list(out_dir.glob("*.part"))


def test_handbooks_writes_one_file_per_branch(db: Path, out_dir: Path):
    folder = out_dir / "all"
    assert main(["--db", str(db), "handbooks", "--year", "2026", "--out", str(folder)]) == 0
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 38
    assert files[0].name.startswith("QS0101_")
    assert not list(folder.glob("*.part"))


@pytest.mark.parametrize("argv, message", [
    (["handbook", "--org", "NOPE", "--year", "2026"], "NOPE"),
    (["notice", "--year", "2026", "--quarter", "5"], "季度"),
    (["monthly-sheet", "--year", "2026", "--month", "13"], "月份"),
    (["summary", "--year", "abc"], "年"),
])
def test_bad_input_exits_2_with_a_message(db: Path, out_dir: Path, capsys, argv, message):
    target = out_dir / "bad.pdf"
    assert main(["--db", str(db), *argv, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not target.exists()
    assert not list(out_dir.glob("*.part"))


def test_output_folder_must_exist(db: Path, out_dir: Path, capsys):
    target = out_dir / "missing" / "doc.pdf"
    assert main(["--db", str(db), "summary", "--year", "2025", "-o", str(target)]) == 2
    assert "不存在" in capsys.readouterr().err
