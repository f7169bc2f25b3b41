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


def test_handbooks_writes_one_file_per_branch(tmp_path: Path, out_dir: Path):
    # A small unit (three branches, no blank pages) keeps this fast; the demo data is covered elsewhere.
    db = tmp_path / "small.sqlite"
    assert main(["--db", str(db), "init", "--unit", "测试党工委"]) == 0
    assert main(["--db", str(db), "orgs", "add", "--code", "P1", "--name", "机关党委", "--sector", "机关事业单位",
                 "--kind", "党委", "--parent", "00"]) == 0
    for code, name in (("B1", "财政局党支部"), ("B2", "税务局党支部"), ("B3", "教育局党支部")):
        assert main(["--db", str(db), "orgs", "add", "--code", code, "--name", name, "--sector", "机关事业单位",
                     "--parent", "P1"]) == 0
    from app.services.kernel import settings
    from app.services.opening.setup import open_ledger

    lg = open_ledger(db)
    settings.set_value(lg, "blank_pages_per_form", 0)
    lg.close()
    folder = out_dir / "all"
    assert main(["--db", str(db), "handbooks", "--year", "2026", "--out", str(folder)]) == 0
    files = sorted(folder.glob("*.pdf"))
    assert [f.name.split("_")[0] for f in files] == ["B1", "B2", "B3"]
    assert "税务局党支部" in flat(pdf_pages(files[1])[0])
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
