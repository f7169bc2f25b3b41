"""重点任务 commands: tasks add|list|log|log-remove|done|close|deduct, task-lists issue|feedback, meetings add|list|show."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    tasks = sub.add_parser("tasks", help="重点任务台账").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = tasks.add_parser("add", help="交办一项任务（打印新任务的编号）")
    p.add_argument("--title", required=True)
    p.add_argument("--owner", required=True, help="责任单位编码")
    p.add_argument("--source", default="上级交办",
                   help="上级交办 / 月度任务清单 / 季度清单 / 责任清单 / 督查发现 / 例会表态 / 承诺（默认上级交办）")
    p.add_argument("--person", default="", help="责任人")
    p.add_argument("--issued", required=True, help="交办日期 YYYY-MM-DD")
    p.add_argument("--due", required=True, help="完成时限 YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)
    p = tasks.add_parser("list", help="列出任务")
    p.add_argument("--year", help="完成时限所在年份")
    p.add_argument("--month", help="某月任务清单 YYYY-MM")
    p.add_argument("--owner", help="责任单位编码")
    p.add_argument("--status", help="待办 / 办理中 / 已完成 / 逾期 / 销号")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = tasks.add_parser("log", help="登记任务进展")
    p.add_argument("--id", required=True)
    p.add_argument("--progress", required=True)
    p.add_argument("--note", required=True)
    p.add_argument("--on")
    p.add_argument("--reason", default="", help="进度下降时说明原因")
    p.set_defaults(func=cmd_log)
    p = tasks.add_parser("log-remove", help="删除误录的跟踪记录（锁定月份内的不能删除；删除随数据包传递）")
    p.add_argument("--id", required=True, help="跟踪记录编号")
    p.set_defaults(func=cmd_remove, what="log")
    p = tasks.add_parser("done", help="登记完成（须有佐证）")
    p.add_argument("--id", required=True)
    p.add_argument("--on", help="完成日期（默认今天）")
    p.add_argument("--evidence", default="", help="完成佐证")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_done)
    p = tasks.add_parser("close", help="验收销号")
    p.add_argument("--id", required=True)
    p.add_argument("--verified-by", dest="verified_by", required=True, help="验收人")
    p.add_argument("--on", help="销号日期（默认今天）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_close)
    p = tasks.add_parser("deduct", help="上级交办任务未按时完成：计“未按时完成上级交办任务”扣分（一次）")
    p.add_argument("--id", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deduct)

    p = tasks.add_parser("remove", help="删除误录的任务（已扣分的不能删除；删除随数据包传递）")
    p.add_argument("--id", required=True)
    p.set_defaults(func=cmd_remove, what="task")

    lists = sub.add_parser("task-lists", help="月度工作任务清单").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = lists.add_parser("issue", help="月初下发任务清单（逐条输入或来自 Excel）")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--to", default="", help="责任单位编码，用“,”或“、”分隔")
    p.add_argument("--task", action="append", default=[], help="一条任务：“任务名称|完成时限”（时限默认月末）")
    p.add_argument("--from-file", dest="from_file", type=Path, help="Excel 任务清单（任务名称、完成时限、责任单位编码、责任人）")
    p.add_argument("--sheet", help="工作表名称")
    p.add_argument("--issued", help="交办日期（默认当月 1 日）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_issue)
    p = lists.add_parser("feedback", help="月末汇总反馈：各责任单位完成情况")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feedback)

    meetings = sub.add_parser("meetings", help="例会记录").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = meetings.add_parser("add", help="登记例会（交办问题各成一项任务）")
    p.add_argument("--date", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--site", action="append", default=[], help="观摩点（可多次）")
    p.add_argument("--speaker", action="append", default=[], help="发言：“姓名:经验交流”或“姓名:表态发言”（可多次）")
    p.add_argument("--problem", action="append", default=[], help="交办问题：“组织编码:问题:整改时限”（可多次）")
    p.add_argument("--leader", default="", help="领办领导")
    p.add_argument("--notes", default="", help="会议纪要")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_meeting_add)
    p = meetings.add_parser("list", help="列出例会（发言人次、整改数）")
    p.add_argument("--year")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_meeting_list)
    p = meetings.add_parser("remove", help="删除例会记录（交办的任务保留）")
    p.add_argument("--id", required=True)
    p.set_defaults(func=cmd_remove, what="meeting")


def cmd_remove(args) -> int:
    from app.services.tracking import removal

    ledger = open_from_args(args)
    if args.what == "task":
        removal.remove_task(ledger, args.id)
        print(f"已删除任务 {args.id}")
    elif args.what == "log":
        lg = removal.remove_log(ledger, args.id)
        print(f"已删除跟踪记录 {args.id}：{lg.on} 进度 {lg.progress}%")
    else:
        removal.remove_meeting(ledger, args.id)
        print(f"已删除例会 {args.id}")
    return 0


def _task_line(t) -> str:
    return (f"[{t.id}] {t.title}  {t.source}  {t.owner_code} {t.owner_name}  {t.issued}—{t.due}  {t.status}"
            + ("（临期）" if t.due_soon else ""))


def cmd_add(args) -> int:
    from app.services.tracking import tasks

    t = tasks.add_task(open_from_args(args), title=args.title, owner=args.owner, issued=args.issued, due=args.due,
                       source=args.source, person=args.person)
    print_json({"id": t.id}) if args.json else print(t.id)
    return 0


def cmd_list(args) -> int:
    from app.services.tracking import tasks

    rows = tasks.listing(open_from_args(args), year=args.year, month=args.month, owner=args.owner, status=args.status)
    if args.json:
        print_json([t.as_dict() for t in rows])
        return 0
    for t in rows:
        print(_task_line(t))
    if not rows:
        print("没有符合条件的任务")
    return 0


def cmd_log(args) -> int:
    from app.services.tracking import tasks

    lg = tasks.add_log(open_from_args(args), args.id, args.progress, args.note, on=args.on, reason=args.reason)
    print(f"已登记进展 [{lg.id}]：{lg.on} {lg.progress}%")
    return 0


def cmd_done(args) -> int:
    from app.services.tracking import tasks

    t = tasks.mark_done(open_from_args(args), args.id, on=args.on, evidence=args.evidence)
    print_json(t.as_dict()) if args.json else print(_task_line(t))
    return 0


def cmd_close(args) -> int:
    from app.services.tracking import tasks

    t = tasks.close(open_from_args(args), args.id, args.verified_by, on=args.on)
    print_json(t.as_dict()) if args.json else print(_task_line(t))
    return 0


def cmd_deduct(args) -> int:
    from app.services.tracking import tasks

    t = tasks.deduct(open_from_args(args), args.id)
    print_json(t.as_dict()) if args.json else print(f"已对 {t.owner_name} 计“未按时完成上级交办任务”扣分：{t.title}")
    return 0


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace("，", ",").replace("、", ",").split(",") if c.strip()]


def cmd_issue(args) -> int:
    from app.services.tracking import task_lists

    ledger = open_from_args(args)
    lines = []
    for n, raw in enumerate(args.task, 1):
        title, _, due = raw.partition("|")
        lines.append(task_lists.ListLine(f"第 {n} 条任务", title, due.strip() or None))
    if args.from_file is not None:
        from app.io.task_list_import import read_lines

        lines.extend(read_lines(ledger, args.from_file, args.sheet))
    if not lines:
        raise CliError("请用 --task 逐条输入任务，或用 --from-file 指定 Excel 任务清单")
    r = task_lists.issue(ledger, args.month, _codes(args.to), lines, issued=args.issued)
    if args.json:
        print_json({"month": r.month, "tasks": r.tasks, "owners": r.owners, "ids": list(r.ids)})
    else:
        print(f"已下发 {r.month} 任务清单：{r.owners} 个责任单位，共 {r.tasks} 项任务")
    return 0


def cmd_feedback(args) -> int:
    from app.services.tracking import task_lists

    fb = task_lists.feedback(open_from_args(args), args.month)
    if args.json:
        print_json(fb.as_dict())
        return 0
    for o in fb.owners:
        print(f"{o.owner_code} {o.owner_name}：{o.done}/{o.total} 完成（按时 {o.on_time}，逾期 {o.overdue}，"
              f"未到期 {o.open}），完成率 {o.rate}%")
    print(f"合计：{fb.done}/{fb.total} 完成，逾期 {fb.overdue}")
    return 0


def cmd_meeting_add(args) -> int:
    from app.services.tracking import meetings

    speakers = [meetings.parse_speaker(x) for x in args.speaker]
    problems = [meetings.parse_problem(x) for x in args.problem]
    m = meetings.add_meeting(open_from_args(args), on=args.date, title=args.title, sites=args.site,
                             speakers=speakers, leader=args.leader, notes=args.notes, problems=problems)
    print_json({"id": m.id}) if args.json else print(m.id)
    return 0


def cmd_meeting_list(args) -> int:
    from app.services.tracking import meetings

    rows = meetings.listing(open_from_args(args), args.year)
    if args.json:
        print_json([m.as_dict() for m in rows])
        return 0
    for m in rows:
        print(f"[{m.id}] {m.on} {m.title}：发言 {len(m.speakers)} 人次（经验交流 {m.exchanges}，表态发言 {m.pledges}），"
              f"整改 {m.rectified}/{m.rectifications}")
    if not rows:
        print("没有例会记录")
    return 0
