"""The 概览's box of 书记项目 and 重点任务 that are 滞后, 逾期 or 临期 (from the tracking board's alerts).
Not a page of its own (no ``Page`` class): the dashboard places it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from app.services.tracking import board
from ui.context import UiContext
from ui.models.base import CENTER, Column, RowTableModel

from .projects import LAG, SOON

COLUMNS = [  # the first column stretches in the dashboard's tables
    Column("事项", lambda a: a.title, tooltip=lambda a: f"{a.what}：{a.title}（{a.org_name}）"),
    Column("提醒", lambda a: a.kind, align=CENTER, foreground=lambda a: SOON if a.kind == "临期" else LAG),
    Column("时限", lambda a: a.due.isoformat(), sort=lambda a: a.due, align=CENTER),
]


def box(parent: QWidget, table: Callable[[RowTableModel], QWidget]) -> tuple[QGroupBox, RowTableModel]:
    """The group box and its model; ``table`` makes the view the way the dashboard's other lists look."""
    group = QGroupBox("项目任务")
    model = RowTableModel(COLUMNS, parent)
    QVBoxLayout(group).addWidget(table(model))
    return group, model


def load(ctx: UiContext, group: QGroupBox, model: RowTableModel) -> None:
    ledger = ctx.ledger

    def show(alerts: list[board.Alert]) -> None:
        model.set_rows(alerts)
        late = sum(1 for a in alerts if a.kind != "临期")
        group.setTitle(f"项目任务：滞后/逾期 {late}，临期 {len(alerts) - late}")
        group.setToolTip("书记项目节点过时限未完成为滞后，重点任务过时限未完成为逾期，提醒天数内到期为临期；详见“盯跟晒”")

    ctx.tasks.start(lambda _p: board.alerts(ledger), on_done=show, on_error=lambda _e, _tb: group.setTitle("项目任务：统计失败"))
