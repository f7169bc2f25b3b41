"""Tracking paper (PDF): tracking-print projects|project|dispatch|tasks|month-list|feedback|minutes."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args
from .reports import _write

KINDS = {
    "projects": ("书记项目清单（--year）", "year"),
    "project": ("一个项目的书记项目台账（--id）", "id"),
    "dispatch": ("书记项目调度通报，公文格式（--year，可加 --month YYYY-MM、--no 文号；月份未结束的为草稿）", "year"),
    "tasks": ("重点任务台账（--year）", "year"),
    "month-list": ("月度工作任务清单（--month）", "month"),
    "feedback": ("月末汇总反馈表（--month）", "month"),
    "minutes": ("例会纪要（--id）", "id"),
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tracking-print", help="打印书记项目、重点任务、例会的台账和通报（PDF）")
    p.add_argument("kind", choices=tuple(KINDS), help="；".join(f"{k}：{v[0]}" for k, v in KINDS.items()))
    p.add_argument("--year")
    p.add_argument("--month", help="YYYY-MM")
    p.add_argument("--id", help="项目或例会编号")
    p.add_argument("--no", dest="notice_no", help="调度通报的文号，如“青开党工〔2026〕12号”（默认按设置的机关代字，序号留空）")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_print)


def cmd_print(args) -> int:
    from app.reports import tracking_dispatch as td
    from app.reports import tracking_lists as tl
    from app.reports import tracking_project as tp

    def dispatch(ledger, year, path):
        return td.build_dispatch(ledger, year, path, month=args.month, notice_no=args.notice_no)

    builders = {"projects": tl.build_project_list, "project": tp.build_project_ledger, "dispatch": dispatch,
                "tasks": tl.build_task_ledger, "month-list": tl.build_month_list, "feedback": tl.build_feedback,
                "minutes": tp.build_minutes}
    needs = KINDS[args.kind][1]
    value = getattr(args, needs)
    if args.kind == "dispatch" and value is None and args.month:
        value = str(args.month)[:4]  # --month alone names the year too
    if value is None:
        raise CliError(f"{args.kind} 需要 --{needs}")
    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda path: builders[args.kind](ledger, value, path))
    finally:
        ledger.close()
