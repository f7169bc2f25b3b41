"""书记项目 commands: projects add|milestone|log|log-remove|update|approve|show|list|close|terminate|board, and the
盯跟晒 board per 党委 (board)."""

from __future__ import annotations

import argparse

from . import open_from_args, print_json

FIELD_FLAGS = (("title", "项目名称"), ("level", "项目层级"), ("type", "重点 / 提升 / 改薄"), ("theme", "项目主题"),
               ("person", "领衔书记"), ("partners", "责任单位编码，用“、”分隔"), ("problem", "解决的问题"),
               ("goal", "目标任务（方案）"), ("measures", "工作举措（方案）"), ("start", "开始日期 YYYY-MM-DD"),
               ("end", "结束日期 YYYY-MM-DD"))


def register(sub: argparse._SubParsersAction) -> None:
    projects = sub.add_parser("projects", help="书记项目台账").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = projects.add_parser("add", help="申报书记项目（打印新项目的编号）")
    p.add_argument("--year", required=True)
    for flag, label in FIELD_FLAGS:
        p.add_argument(f"--{flag}", required=flag in ("title", "level", "type", "start", "end"), help=label)
    p.add_argument("--lead", required=True, help="牵头组织编码")
    p.add_argument("--declared", help="申报日期（默认今天）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)

    ms = projects.add_parser("milestone", help="项目节点").add_subparsers(dest="msub", metavar="SUB", required=True)
    p = ms.add_parser("add", help="新增节点")
    p.add_argument("--project", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--due", required=True, help="完成时限 YYYY-MM-DD（在项目起止日期之内）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_milestone_add)
    p = ms.add_parser("done", help="节点完成")
    p.add_argument("--id", required=True)
    p.add_argument("--on", help="完成日期（默认今天，不能是将来）")
    p.add_argument("--evidence", default="", help="佐证材料")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_milestone_done)

    p = ms.add_parser("remove", help="删除未完成的节点（删除随数据包传递）")
    p.add_argument("--id", required=True)
    p.set_defaults(func=cmd_remove, what="milestone")
    p = projects.add_parser("remove", help="删除仍在申报状态的项目（删除随数据包传递）")
    p.add_argument("--id", required=True)
    p.set_defaults(func=cmd_remove, what="project")

    p = projects.add_parser("log", help="登记调度进展")
    p.add_argument("--project", required=True)
    p.add_argument("--progress", required=True, help="进度 0–100")
    p.add_argument("--note", required=True, help="推进情况")
    p.add_argument("--on", help="调度日期（默认今天）")
    p.add_argument("--problems", default="", help="存在问题")
    p.add_argument("--next", dest="next_steps", default="", help="下步打算")
    p.add_argument("--reason", default="", help="进度下降时说明原因")
    p.add_argument("--by", default="", help="填报人")
    p.set_defaults(func=cmd_log)

    p = projects.add_parser("log-remove", help="删除误录的调度记录（锁定月份内的不能删除；删除随数据包传递）")
    p.add_argument("--id", required=True, help="调度记录编号（projects show 中“调度[编号]”）")
    p.set_defaults(func=cmd_remove, what="log")

    p = projects.add_parser("update", help="修改项目（立项后调整类型或层级需 --reason）")
    p.add_argument("--id", required=True)
    for flag, label in FIELD_FLAGS:
        p.add_argument(f"--{flag}", help=label)
    p.add_argument("--review", help="述职评议结果")
    p.add_argument("--summary", help="成效总结")
    p.add_argument("--reason", default="", help="调整理由（分层动态管理）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_update)

    p = projects.add_parser("approve", help="立项：会议研究确定、审核备案（方案须完整）")
    p.add_argument("--id", required=True)
    p.add_argument("--decided", required=True, help="会议研究日期")
    p.add_argument("--filed", help="审核备案日期（默认同会议日期）")
    p.set_defaults(func=cmd_approve)

    p = projects.add_parser("show", help="项目详情（方案、节点、调度记录）")
    p.add_argument("--id", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = projects.add_parser("list", help="列出书记项目")
    p.add_argument("--year")
    p.add_argument("--org", help="牵头组织编码")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = projects.add_parser("close", help="结项：全部节点完成并填写成效总结；--bonus 给牵头组织计书记项目加分")
    p.add_argument("--id", required=True)
    p.add_argument("--summary", required=True, help="成效总结")
    p.add_argument("--on", help="结项日期（默认今天）")
    p.add_argument("--bonus", action="store_true", help="计书记项目加分（每个项目一次，受年上限约束）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_close)

    p = projects.add_parser("terminate", help="终止项目（需说明理由）")
    p.add_argument("--id", required=True)
    p.add_argument("--reason", required=True)
    p.add_argument("--on", help="终止日期（默认今天）")
    p.set_defaults(func=cmd_terminate)

    p = projects.add_parser("board", help="盯跟晒：本年项目进度，滞后的在前")
    p.add_argument("--year", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_board)

    p = sub.add_parser("board", help="盯跟晒（按党委与全单位）：项目类型与状态、节点按时、任务逾期")
    p.add_argument("--year", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_committee_board)


def _fields(args) -> dict:
    names = {"person": "lead_person"}
    return {names.get(f, f): getattr(args, f) for f, _l in FIELD_FLAGS if getattr(args, f, None) is not None}


def cmd_remove(args) -> int:
    from app.services.tracking import removal

    ledger = open_from_args(args)
    if args.what == "project":
        removal.remove_project(ledger, args.id)
        print(f"已删除书记项目 {args.id}")
    elif args.what == "log":
        lg = removal.remove_log(ledger, args.id)
        print(f"已删除调度记录 {args.id}：{lg.on} 进度 {lg.progress}%")
    else:
        removal.remove_milestone(ledger, args.id)
        print(f"已删除节点 {args.id}")
    return 0


def cmd_add(args) -> int:
    from app.services.tracking import projects

    ledger = open_from_args(args)
    p = projects.add_project(ledger, year=args.year, lead=args.lead, declared_on=args.declared, **_fields(args))
    if args.json:
        print_json({"id": p.id})
    else:
        print(p.id)
    return 0


def cmd_milestone_add(args) -> int:
    from app.services.tracking import projects

    m = projects.add_milestone(open_from_args(args), args.project, args.title, args.due)
    print_json({"id": m.id}) if args.json else print(m.id)
    return 0


def cmd_milestone_done(args) -> int:
    from app.services.tracking import projects

    m = projects.milestone_done(open_from_args(args), args.id, args.on, args.evidence)
    print_json(m.as_dict()) if args.json else print(f"节点“{m.title}”已于 {m.done_on} 完成")
    return 0


def cmd_log(args) -> int:
    from app.services.tracking import projects

    lg = projects.add_log(open_from_args(args), args.project, args.progress, args.note, on=args.on,
                          problems=args.problems, next_steps=args.next_steps, reason=args.reason, by=args.by)
    print(f"已登记调度 [{lg.id}]：{lg.on} 进度 {lg.progress}%")
    return 0


def cmd_update(args) -> int:
    from app.services.tracking import projects

    changes = _fields(args)
    for k in ("review", "summary"):
        if getattr(args, k) is not None:
            changes[k] = getattr(args, k)
    p = projects.update_project(open_from_args(args), args.id, reason=args.reason, **changes)
    print_json(p.as_dict()) if args.json else print(f"已修改项目 {p.id}：{p.title}")
    return 0


def cmd_approve(args) -> int:
    from app.services.tracking import projects

    p = projects.approve(open_from_args(args), args.id, args.decided, args.filed)
    print(f"项目“{p.title}”已立项（会议定 {p.decided_on}，审核备案 {p.filed_on}）")
    return 0


def _print_project(p) -> None:
    print(f"[{p.id}] {p.year} {p.title}（{p.level}，{p.type}项目）  牵头：{p.lead_code} {p.lead_name}  "
          f"{p.start}—{p.end}  状态：{p.status}")
    print(f"    节点 {p.track.milestones_done}/{p.track.milestones_total}，进度 {p.track.progress}%"
          + ("，滞后" if p.track.is_lagging else "") + ("，临期" if p.track.is_due_soon else ""))


def cmd_show(args) -> int:
    from app.services.tracking import projects

    p = projects.get_project(open_from_args(args), args.id)
    if args.json:
        print_json(p.as_dict(full=True))
        return 0
    _print_project(p)
    print(f"    目标任务：{p.goal}\n    工作举措：{p.measures}")
    for m in p.milestones:
        state = f"完成于 {m.done_on}" if m.done_on else ("滞后" if m.lagging else "临期" if m.due_soon else "未完成")
        print(f"    节点[{m.id}] {m.due} {m.title}：{state}")
    for lg in p.logs:
        print(f"    调度[{lg.id}] {lg.on} {lg.progress}% {lg.note}")
    return 0


def cmd_list(args) -> int:
    from app.services.tracking import projects

    rows = projects.listing(open_from_args(args), args.year, org_code=args.org)
    if args.json:
        print_json([p.as_dict() for p in rows])
        return 0
    for p in rows:
        _print_project(p)
    if not rows:
        print("没有书记项目")
    return 0


def cmd_close(args) -> int:
    from app.services.tracking import projects

    p = projects.complete(open_from_args(args), args.id, args.summary, on=args.on, with_bonus=args.bonus)
    if args.json:
        print_json(p.as_dict())
    else:
        extra = f"，已计书记项目加分 {p.bonus_points} 分" if p.bonus_points is not None else ""
        print(f"项目“{p.title}”已结项{extra}")
    return 0


def cmd_terminate(args) -> int:
    from app.services.tracking import projects

    p = projects.terminate(open_from_args(args), args.id, args.reason, on=args.on)
    print(f"项目“{p.title}”已终止：{p.end_reason}")
    return 0


def cmd_board(args) -> int:
    from app.services.tracking import board

    rows = board.board_rows(open_from_args(args), args.year)
    if args.json:
        print_json([{"id": p.id, "title": p.title, "type": p.type, "status": p.status, "lagging": p.track.is_lagging,
                     "due_soon": p.track.is_due_soon, "milestones_done": p.track.milestones_done,
                     "milestones_total": p.track.milestones_total} for p in rows])
        return 0
    for p in rows:
        _print_project(p)
    return 0


def cmd_committee_board(args) -> int:
    from app.services.tracking import board

    rows = board.committee_boards(open_from_args(args), args.year)
    if args.json:
        print_json([b.as_dict() for b in rows])
        return 0
    for b in rows:
        print(f"{b.name}：项目 {b.projects}（滞后 {b.lagging_projects}），节点 {b.milestones_done}/{b.milestones_total}"
              f"（按时 {b.milestones_on_time}，滞后 {b.milestones_lagging}），任务 {b.tasks_done}/{b.tasks_total}"
              f"（逾期 {b.overdue}）")
    return 0
