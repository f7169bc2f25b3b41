"""组织生活: the matrix equals the compliance service, filters narrow it, a double-click opens the
branch's records, and the Excel export holds the same cells."""

from __future__ import annotations

import os

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.domain.compliance import MISSING
from app.services.compliance import status
from app.services.register import orgs
from ui.main_window import MainWindow
from ui.pages.compliance import FIXED, SYMBOLS, Page


@pytest.fixture
def page(qtbot, demo_ctx):
    p = Page(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1226, 740)
    p.show()
    p.year.setValue(2025)  # a whole year over: every kind of cell but 未到期
    qtbot.waitUntil(lambda: p.loaded, timeout=20000)
    return p


def _choose(page: Page, qtbot, type_code: str) -> None:
    page.type.setCurrentIndex(page.type.findData(type_code))
    assert page.type_code() == type_code


def _cells(page: Page) -> dict[tuple[str, str], str]:
    out = {}
    for r in range(page.model.rowCount()):
        row = page.model.row(r)
        for i, (key, _h) in enumerate(page.keys):
            text = page.model.index(r, FIXED + i).data()
            if text != "—":
                out[(row.org.code, key)] = text
    return out


@pytest.mark.parametrize("type_code", ["month", "quarter", "year"])
def test_matrix_equals_the_service(page, qtbot, type_code):
    reqs = {page.type.itemData(i): page.reqs[page.type.itemData(i)] for i in range(page.type.count())}
    code = next(c for c, r in reqs.items() if r.period == type_code)
    _choose(page, qtbot, code)
    expected = status.year_status(page.ctx.ledger, 2025, type_code=code)
    assert _cells(page) == {(s.org_code, s.period): SYMBOLS[s.status] for s in expected}
    assert len(page.keys) == {"month": 12, "quarter": 4, "year": 1}[type_code]
    missing = sum(1 for s in expected if s.status == MISSING)
    assert f"✗ 缺 <b>{missing}</b> 期" in page.counts.text()
    # C类 first by default
    classes = [page.model.row(r).org.category.value for r in range(page.model.rowCount())
               if page.model.row(r).org.category]
    assert classes == sorted(classes, key=lambda c: {"C": 0, "B": 1, "A": 2}[c])
    # the tooltip names the counts and the due date
    s = next(s for s in expected if s.status == MISSING)
    r = page.model.find(lambda row: row.org.code == s.org_code)
    col = FIXED + [k for k, _h in page.keys].index(s.period)
    tip = page.model.index(r, col).data(Qt.ItemDataRole.ToolTipRole)
    assert f"已开 {s.held} 次 / 应开 {s.required} 次，截止 {s.due.isoformat()}" in tip


def test_filters_change_the_rows(page):
    infos = {o.code: o for o in orgs.list_orgs(page.ctx.ledger, 2025)}
    everyone = page.model.rowCount()
    page.category.setCurrentText("C类")
    assert 0 < page.model.rowCount() < everyone
    assert all(infos[r.org.code].category.value == "C" for r in page.model.rows())
    page.category.setCurrentText("全部")
    parent = page.parent_filter.itemText(1)
    page.parent_filter.setCurrentText(parent)
    assert 0 < page.model.rowCount() < everyone
    assert all(r.org.parent_name == parent for r in page.model.rows())
    page.parent_filter.setCurrentIndex(0)
    sector = next(s for s in (page.sector.itemText(i) for i in range(1, page.sector.count()))
                  if any(r.org.sector == s for r in page.all_rows))
    page.sector.setCurrentText(sector)
    assert all(r.org.sector == sector for r in page.model.rows()) and page.model.rowCount() < everyone
    assert f"显示 <b>{page.model.rowCount()}</b> 个支部" in page.counts.text()


def test_double_click_opens_the_records_page(qtbot, demo_ctx):
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    p = window.select_page("compliance")
    qtbot.waitUntil(lambda: p.loaded, timeout=20000)
    p.year.setValue(2025)
    qtbot.waitUntil(lambda: p.loaded and p.model.rowCount() > 0, timeout=20000)
    code = p.type.itemData(p.type.count() - 1)
    p.set_type(code)
    row = p.model.row(3)
    p.view.doubleClicked.emit(p.model.index(3, FIXED))
    assert window.current_name() == "records"
    rec = window.current_page()
    assert rec.org.code() == row.org.code and rec.year.year() == 2025
    assert rec.current_type().code == code
    # a second hand-over while the records page already exists
    window.select_page("compliance")
    other = p.model.row(0)
    p.view.doubleClicked.emit(p.model.index(0, FIXED))
    assert window.current_page() is rec and rec.org.code() == other.org.code
    demo_ctx.tasks.wait(10000)


def test_export_writes_the_shown_matrix(page, qtbot, tmp_path, monkeypatch):
    code = next(c for c, r in page.reqs.items() if r.period == "quarter")
    _choose(page, qtbot, code)
    page.category.setCurrentText("C类")
    target = tmp_path / "out"
    monkeypatch.setattr(page, "export_path", lambda: str(target))
    page.export()
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    ws = wb.active
    headers, rows, _st = page.matrix()
    assert [c.value for c in ws[3]] == headers
    assert headers[:FIXED] == ["党组织", "上级党委", "分类"] and headers[FIXED:FIXED + 4] == ["1季度", "2季度", "3季度", "4季度"]
    got = [[c.value if c.value is not None else "" for c in r] for r in ws.iter_rows(min_row=4)]
    assert got == rows and len(rows) == page.model.rowCount()
    assert any("✗" in r for r in got)
    assert ws.column_dimensions["A"].width >= 10
    assert "C类" in ws["A2"].value


def test_screenshot(page, qtbot):
    code = next(c for c, r in page.reqs.items() if r.period == "month")
    _choose(page, qtbot, code)
    out = os.environ.get("SHOT_DIR")
    if out:
        page.grab().save(os.path.join(out, "compliance.png"))
    page.year.setValue(2026)  # the current year: 未到期 (and 即将到期 near a period's end) appear
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    assert page.type_code() == code  # the chosen type survives a change of year
    assert any(c.data() == "未到期" for c in (page.model.index(0, FIXED + 11),))
    if out:
        page.grab().save(os.path.join(out, "compliance_2026.png"))
