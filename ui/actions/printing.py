"""The 打印 menu: handbook, warning and 组织生活 notices, grading summary, monthly sheet, batch export."""

from __future__ import annotations

from PySide6.QtGui import QAction

from app.reports.compliance_notice import build_compliance_notice
from app.reports.handbook import build_handbook
from app.reports.monthly_sheet import build_monthly_sheet
from app.reports.notice import build_notice
from app.reports.summary import build_summary
from ui.printing.ask import QUARTERS, AskDialog
from ui.printing.batch_dialog import BatchExportDialog
from ui.printing.generate import generate_and_preview


def install(window) -> None:
    menu = window.menu("打印")
    for text, slot in (
        ("党支部工作手册…", lambda: handbook(window)),
        ("季度预警通报…", lambda: notice(window)),
        ("季度组织生活落实情况通报…", lambda: compliance_notice(window)),
        ("年度分类定级汇总表…", lambda: summary(window)),
        ("月度积分记录表…", lambda: monthly_sheet(window)),
    ):
        action = QAction(text, window)
        action.triggered.connect(slot)
        menu.addAction(action)
    menu.addSeparator()
    batch = QAction("批量导出工作手册…", window)
    batch.triggered.connect(lambda: BatchExportDialog(window.ctx, window).exec())
    menu.addAction(batch)


def _ask(window, title: str, fields: tuple[str, ...], intro: str = "") -> dict | None:
    dialog = AskDialog(window.ctx.ledger, title, fields, window, intro)
    return dialog.values() if dialog.exec() else None


def handbook(window) -> None:
    v = _ask(window, "党支部工作手册", ("year", "org"), "选择党组织和年度，生成该年度的党支部工作手册。")
    if v:
        ledger = window.ctx.ledger
        name = v["org_name"].split("（")[0]
        generate_and_preview(window.ctx, window, f"{name}{v['year']}年度党支部工作手册",
                             lambda p: build_handbook(ledger, v["org"], v["year"], p))


def notice(window) -> None:
    v = _ask(window, "季度预警通报", ("year", "quarter", "notice_no"))
    if v:
        ledger = window.ctx.ledger
        generate_and_preview(window.ctx, window, f"{v['year']}年{QUARTERS[v['quarter'] - 1]}预警通报",
                             lambda p: build_notice(ledger, v["year"], v["quarter"], p, notice_no=v["notice_no"]))


def compliance_notice(window) -> None:
    v = _ask(window, "季度组织生活落实情况通报", ("year", "quarter", "notice_no"),
             "按组织生活要求统计各党委缺项和存在缺项的党支部；季度未结束时只能生成草稿。")
    if v:
        ledger = window.ctx.ledger
        generate_and_preview(window.ctx, window, f"{v['year']}年{QUARTERS[v['quarter'] - 1]}组织生活落实情况通报",
                             lambda p: build_compliance_notice(ledger, v["year"], v["quarter"], p,
                                                               notice_no=v["notice_no"] or None))


def summary(window) -> None:
    v = _ask(window, "年度分类定级汇总表", ("year",))
    if v:
        ledger = window.ctx.ledger
        generate_and_preview(window.ctx, window, f"{v['year']}年度分类定级汇总表",
                             lambda p: build_summary(ledger, v["year"], p))


def monthly_sheet(window) -> None:
    v = _ask(window, "月度积分记录表", ("year", "month"))
    if v:
        ledger = window.ctx.ledger
        generate_and_preview(window.ctx, window, f"{v['year']}年{v['month']}月积分记录表",
                             lambda p: build_monthly_sheet(ledger, v["year"], v["month"], p))
