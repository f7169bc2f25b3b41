"""Tracking paper (PDF): tracking-print projects|project|dispatch|tasks|month-list|feedback|minutes."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args
from .reports import _write

KINDS = {
    "projects": ("书记项目清单（--year）", "year"),
    "project": ("一个项目的书记项目台账（--id）", "id"),
    "dispatch": ("书记项目调度通报（--year）", "year"),
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
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_print)


def cmd_print(args) -> int:
    from app.reports import tracking_lists as tl
    from app.reports import tracking_project as tp

    builders = {"projects": tl.build_project_list, "project": tp.build_project_ledger, "dispatch": tl.build_dispatch,
                "tasks": tl.build_task_ledger, "month-list": tl.build_month_list, "feedback": tl.build_feedback,
                "minutes": tp.build_minutes}
    needs = KINDS[args.kind][1]
    value = getattr(args, needs)
    if value is None:
        raise CliError(f"{args.kind} 需要 --{needs}")
    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda path: builders[args.kind](ledger, value, path))
    finally:
        ledger.close()
