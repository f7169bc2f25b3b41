"""指导站 month task lists (清单调度制): instructor-tasks issue|list|done|remove|feedback. The JSON is a contract."""

from __future__ import annotations

import argparse

from . import open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("instructor-tasks", help="指导站月度任务清单：月初下达（issue），列出（list），登记完成（done），"
                                                "删除（remove），月末反馈（feedback）").add_subparsers(dest="sub", metavar="SUB",
                                                                                    required=True)
    p = g.add_parser("issue", help="月初向指导站（或其指导员）下达任务清单")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--station", required=True, help="指导站名称")
    p.add_argument("--task", action="append", default=[],
                   help="一条任务：“任务名称|完成时限|指导员”（时限默认月末；指导员用“、”分隔，默认 --to），可重复")
    p.add_argument("--to", default="", help="指导员姓名，用“、”或“,”分隔；“全体指导员”为站内每人一项；不填则下达给指导站")
    p.add_argument("--issued", help="交办日期（默认当月 1 日）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_issue)
    p = g.add_parser("list", help="列出某月各指导站的任务")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--station", help="指导站名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = g.add_parser("done", help="登记任务完成（须有佐证）")
    p.add_argument("--id", required=True, help="任务编号（见 list）")
    p.add_argument("--on", help="完成日期（默认今天）")
    p.add_argument("--evidence", default="", help="完成佐证")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_done)
    p = g.add_parser("remove", help="删除误录的任务（删除随数据包传递）")
    p.add_argument("--id", required=True, help="任务编号（见 list）")
    p.set_defaults(func=cmd_remove)
    p = g.add_parser("feedback", help="月末反馈：各指导站、各指导员的完成情况")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--station", help="指导站名称")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feedback)


def names(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", ",").replace("、", ",").split(",") if x.strip()]


def cmd_issue(args) -> int:
    from app.services.tracking import station_lists, task_lists

    lines = []
    for n, raw in enumerate(args.task, 1):
        title, _, rest = raw.partition("|")
        due, _, who = rest.partition("|")
        lines.append(task_lists.ListLine(f"第 {n} 条任务", title, due.strip() or None, names(who)))
    r = station_lists.issue(open_from_args(args), args.month, args.station, lines, to=names(args.to),
                            issued=args.issued)
    if args.json:
        print_json({"month": r.month, "tasks": r.tasks, "owners": r.owners, "ids": list(r.ids)})
    else:
        print(f"已向“{args.station}”下达 {r.month} 任务清单：{r.owners} 个责任方，共 {r.tasks} 项任务")
    return 0


def _line(x) -> str:
    t = x.task
    return f"[{t.id}] {x.station} {x.instructor or '（站）'}  {t.title}  {t.issued}—{t.due}  {t.status}"


def cmd_list(args) -> int:
    from app.services.tracking import station_lists

    rows = station_lists.listing(open_from_args(args), args.month, args.station)
    if args.json:
        print_json([x.as_dict() for x in rows])
        return 0
    for x in rows:
        print(_line(x))
    if not rows:
        print("该月没有下达给指导站的任务")
    return 0


def cmd_done(args) -> int:
    from app.services.tracking import station_lists

    t = station_lists.mark_done(open_from_args(args), args.id, on=args.on, evidence=args.evidence)
    print_json(t.as_dict()) if args.json else print(f"已登记完成：[{t.id}] {t.title}（{t.done_on}）")
    return 0


def cmd_remove(args) -> int:
    from app.services.tracking import station_lists

    station_lists.remove(open_from_args(args), args.id)
    print(f"已删除任务 {args.id}")
    return 0


def cmd_feedback(args) -> int:
    from app.services.tracking import station_lists

    fb = station_lists.feedback(open_from_args(args), args.month, args.station)
    if args.json:
        print_json(fb.as_dict())
        return 0
    for st in fb.stations:
        t = st.total
        print(f"{st.station}：{t.done}/{t.total} 完成，逾期 {t.overdue}，完成率 {t.rate}%")
        for x in st.lines:
            print(f"  {x.instructor or '站本级'}：{x.done}/{x.total} 完成（按时 {x.on_time}，逾期 {x.overdue}，"
                  f"未到期 {x.open}），完成率 {x.rate}%")
    t = fb.total
    print(f"合计：{t.done}/{t.total} 完成，逾期 {t.overdue}" if fb.stations else f"{fb.month} 没有下达给指导站的任务")
    return 0
