"""Shared widgets: the table model and proxy, pickers, background work with cancel."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui.models.base import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel
from ui.widgets.pickers import MonthCombo, OrgPicker, QuarterCombo
from ui.widgets.progress import run_with_progress


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    score: Decimal


COLS = [
    Column("编码", lambda r: r.code),
    Column("名称", lambda r: r.name),
    Column("得分", lambda r: f"{r.score:.1f}", sort=lambda r: r.score, background=lambda r: "#f2c200"),
]


def _model():
    m = RowTableModel(COLS)
    m.set_rows([Row("B1", "财政局党支部", Decimal("9.5")), Row("B2", "Tax Branch", Decimal("10.0")),
                Row("B3", "教育局党支部", Decimal("85.0"))])
    return m


def test_model_roles(qapp):
    m = _model()
    assert m.rowCount() == 3 and m.columnCount() == 3
    assert m.headerData(2, Qt.Orientation.Horizontal) == "得分"
    idx = m.index(0, 2)
    assert idx.data() == "9.5"
    assert idx.data(SORT_ROLE) == (1, Decimal("9.5"))
    assert idx.data(ROW_ROLE).code == "B1"
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f2c200"


def test_proxy_sorts_numbers_and_filters_case_insensitively(qapp):
    proxy = FilterProxy(text_columns=(1,))
    proxy.setSourceModel(_model())
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    # As text "10.0" < "85.0" < "9.5"; by value 9.5 comes first.
    assert [proxy.source_row(i).code for i in range(3)] == ["B1", "B2", "B3"]
    proxy.set_text("tax")
    assert proxy.rowCount() == 1 and proxy.source_row(0).code == "B2"
    proxy.set_text("党支部")
    assert proxy.rowCount() == 2
    proxy.set_text("")
    proxy.set_predicate(lambda r: r.score > 50)
    assert [proxy.source_row(i).code for i in range(proxy.rowCount())] == ["B3"]


def test_pickers(qapp):
    m = MonthCombo(3)
    assert m.month() == 3 and m.currentText() == "3月"
    q = QuarterCombo(4)
    assert q.quarter() == 4 and q.currentText() == "第四季度"
    p = OrgPicker(allow_none="（无）")
    p.set_orgs([Row("B1", "财政局党支部", Decimal(0)), Row("B3", "教育局党支部", Decimal(0))])
    assert p.code() is None
    assert p.set_code("B3") and p.code() == "B3"
    assert not p.set_code("ZZ")


def test_background_task_can_be_cancelled(qtbot, ctx):
    started = threading.Event()
    steps: list[int] = []
    outcome: list[str] = []

    def work(progress):
        for i in range(1000):
            started.set()
            progress(i, 1000, f"第 {i} 步")
            steps.append(i)
            threading.Event().wait(0.01)
        return "finished"

    task, dialog = run_with_progress(None, ctx, work, "测试", on_done=lambda r: outcome.append(r),
                                     on_cancelled=lambda: outcome.append("cancelled"), min_duration_ms=0)
    assert started.wait(5)
    dialog.findChild(QPushButton).click()  # the 取消 button
    qtbot.waitUntil(lambda: outcome != [], timeout=5000)
    assert outcome == ["cancelled"]
    assert task.is_cancelled
    assert len(steps) < 1000


def test_model_sorts_in_python_and_updates_rows_in_place(qapp):
    m = _model()
    m.sort(2, Qt.SortOrder.DescendingOrder)
    assert [m.row(i).code for i in range(3)] == ["B3", "B2", "B1"]
    m.set_rows([*m.rows(), Row("B4", "新支部", Decimal("50.0"))])  # the order is kept on new data
    assert [m.row(i).code for i in range(4)] == ["B3", "B4", "B2", "B1"]
    changed = []
    m.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    m.update_rows(Row(r.code, r.name, r.score + 1) for r in m.rows())
    assert changed == [(0, 3)] and m.row(0).score == Decimal("86.0")
