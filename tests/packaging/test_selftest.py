"""The core self-test (no Qt): each check passes on a good install and fails on a broken one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pypdf import PdfReader

from app import selftest


def test_all_checks_pass_on_this_checkout(ledger, tmp_path: Path):
    report = selftest.run(ledger.path, tmp_path / "work")
    assert report.ok, report.render()
    assert report.workdir == tmp_path / "work"
    text = report.render()
    assert "结论：全部通过" in text
    assert "新建数据库：结构版本最新" in text
    assert "数据文件：审计链完整" in text


def test_test_pdf_embeds_the_cjk_font_and_reads_back(tmp_path: Path):
    report = selftest.SelfTestReport()
    selftest.check_pdf(report, tmp_path)
    assert report.ok, report.lines
    pdf = tmp_path / "自检-wqy-microhei.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    assert selftest.SAMPLE_TEXT.split("：")[1] in reader.pages[0].extract_text()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] if "/DescendantFonts" in font \
            else font["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"font {font['/BaseFont']} is not embedded"


def test_pdf_problems_names_what_is_wrong():
    assert selftest.pdf_problems(b"garbage") == ["文件不完整", "没有页面", "字体没有嵌入"]


def test_missing_font_is_reported(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(selftest, "pdf_font_candidates", lambda: [("测试字体", tmp_path / "none.ttf", 0)])
    report = selftest.SelfTestReport()
    selftest.check_pdf(report, tmp_path)
    assert not report.ok
    assert "找不到字体文件" in report.lines[-1][1]


def test_workbook_round_trip(tmp_path: Path):
    report = selftest.SelfTestReport()
    selftest.check_workbook(report, tmp_path)
    assert report.lines == [(True, f"Excel 工作簿：写入并读回一致（{tmp_path / '自检.xlsx'}）")]


def test_broken_audit_chain_fails(ledger, tmp_path: Path):
    path = ledger.path
    ledger.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_log SET summary = summary || '（改）' WHERE id = (SELECT min(id) FROM audit_log)")
    conn.commit()
    conn.close()
    report = selftest.SelfTestReport()
    selftest.check_existing_database(report, path)
    assert not report.ok
    assert any(not ok and "审计记录" in text for ok, text in report.lines)


def test_corrupt_file_fails(tmp_path: Path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    report = selftest.run(bad, tmp_path / "work")
    assert not report.ok
    failed = [text for ok, text in report.lines if not ok]
    assert len(failed) == 1 and "数据文件" in failed[0]
    assert "结论：有 1 项未通过" in report.render()


def test_outdated_schema_is_named(ledger, tmp_path: Path):
    path = ledger.path
    ledger.close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.commit()
    conn.close()
    report = selftest.SelfTestReport()
    selftest.check_existing_database(report, path)
    assert not report.ok
    assert "不是最新" in report.lines[-1][1]


def test_a_crashing_check_is_a_failed_line():
    report = selftest.SelfTestReport()

    def boom() -> None:
        raise RuntimeError("第一行\n第二行")

    selftest._guarded(report, "某项", boom)
    assert report.lines == [(False, "某项：检查时出错（RuntimeError: 第一行）")]


def test_missing_resources_are_named(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(selftest, "resources_dir", lambda: tmp_path)
    report = selftest.SelfTestReport()
    selftest._guarded(report, "程序资源", lambda: selftest.check_resources(report))
    assert report.lines[0][0] is False and "yibentong.json" in report.lines[0][1]


def test_empty_report_is_not_ok():
    assert not selftest.SelfTestReport().ok


def test_the_users_file_is_not_modified(ledger, tmp_path: Path):
    import hashlib

    path = ledger.path
    ledger.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")  # as an old copy might be; the app's engine would switch it
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    report = selftest.run(path, tmp_path / "work")
    assert report.ok, report.render()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_newer_schema_is_named(ledger):
    path = ledger.path
    ledger.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    conn.commit()
    conn.close()
    report = selftest.SelfTestReport()
    selftest.check_existing_database(report, path)
    assert report.lines[-1][0] is False and "更新版本的软件" in report.lines[-1][1]
