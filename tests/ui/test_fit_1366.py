"""Fits 1366×768: item headers wrap to two whole lines (no "…" for names up to 16 characters), the
column widens to hold them, long cell text elides in the middle and shows whole on hover."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.models.base import Column, RowTableModel
from ui.models.monthly_grid import HEADER_LINE_MAX, short_name
from ui.widgets.tables import list_view


def test_item_names_wrap_to_two_whole_lines():
    assert short_name("讲党课") == "讲党课"
    assert short_name("召开支部委员会会议") == "召开支部委\n员会会议"
    for name in ("报送党建信息被县级以上媒体采用", "党员示范岗、责任区、志愿服务"):
        lines = short_name(name).split("\n")
        assert len(lines) == 2 and "".join(lines) == name and max(map(len, lines)) <= HEADER_LINE_MAX
    longest = "一二三四五六七八九十" * 2
    lines = short_name(longest).split("\n")
    assert len(lines) == 2 and lines[0].startswith("一二三") and lines[1].endswith("八九十") and "…" in lines[1]


def test_long_cells_elide_in_the_middle_and_show_whole_on_hover(qapp):
    model = RowTableModel([Column("党组织", lambda r: r), Column("编码", lambda r: "QS01")])
    model.set_rows(["城南片区社区综合党委第一网格党支部"])
    view = list_view(model)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "城南片区社区综合党委第一网格党支部"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) is None  # short text needs no tooltip


def test_monthly_columns_are_wide_enough_for_their_headers(qtbot, ledger):
    from ui.context import UiContext
    from ui.models.monthly_grid import FIXED
    from ui.pages.monthly import Page

    page = Page(UiContext(ledger))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10000)
    metrics = page.view.horizontalHeader().fontMetrics()
    for c in range(FIXED, page.model.columnCount()):
        text = page.model.headerData(c, Qt.Orientation.Horizontal)
        assert "…" not in text
        assert page.view.columnWidth(c) >= max(metrics.horizontalAdvance(line) for line in text.split("\n"))
