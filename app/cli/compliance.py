"""组织生活 commands: compliance (status, remind, exempt) and requirements (show, copy)."""

from __future__ import annotations

import argparse
from datetime import date

from . import CliError, open_from_args, print_json

ACTIONS = ("status", "remind", "exempt", "unexempt")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compliance", help="组织生活落实情况：各期状态（status）、到期提醒（remind）、登记豁免（exempt）")
    p.add_argument("action", nargs="?", default="status", choices=ACTIONS, help="默认 status")
    p.add_argument("--year", help="年份（status 必填）")
    p.add_argument("--quarter", help="只看某季度（月、季要求）")
    p.add_argument("--month", help="只看某月（月要求）")
    p.add_argument("--type", dest="type_code", help="工作记录类型编码，如 2.2")
    p.add_argument("--org", help="组织编码")
    p.add_argument("--on", help="remind：以哪一天为准（默认今天），YYYY-MM-DD")
    p.add_argument("--days", default="7", help="remind：提前几天提醒（默认 7）")
    p.add_argument("--from", dest="first", help="exempt：起始月份 YYYY-MM")
    p.add_argument("--to", dest="last", help="exempt：截止月份 YYYY-MM")
    p.add_argument("--reason", help="exempt：豁免理由")
    p.add_argument("--id", dest="exemption_id", help="unexempt：要撤销的豁免编号（见 compliance exempt --list）")
    p.add_argument("--list", action="store_true", help="exempt：列出已登记的豁免")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compliance)

    p = sub.add_parser("requirements", help="组织生活要求（按年度）：show 显示，copy 从另一年复制，set 设定一项，remove 删除一项")
    p.add_argument("action", choices=("show", "copy", "set", "remove"))
    p.add_argument("--year", required=True)
    p.add_argument("--from-year", dest="from_year", help="copy：源年份（默认上一年）")
    p.add_argument("--type", dest="type_code", help="set/remove：工作记录类型编码，如 2.2")
    p.add_argument("--period", choices=("month", "quarter", "year"), help="set：每月 month、每季 quarter、每年 year")
    p.add_argument("--minimum", default="1", help="set：每期最少次数（默认 1）")
    p.add_argument("--applies", default="all", choices=("all", "groups", "sectors"),
                   help="set：适用于全部参评支部 all、设党小组的支部 groups、指定领域 sectors")
    p.add_argument("--sectors", default="", help="set：指定领域，用“、”分隔")
    p.add_argument("--due", help="set：按年要求的次年截止日，如 03-31")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_requirements)


def _int(value: str | None, label: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise CliError(f"{label}必须是整数，收到“{value}”") from None


def cmd_compliance(args) -> int:
    from app.domain.compliance import STATUS_LABELS
    from app.services.compliance import exemptions, status

    if args.action == "unexempt":
        if not args.exemption_id:
            raise CliError("撤销豁免需要 --id")
        ledger = open_from_args(args)
        exemptions.remove(ledger, _int(args.exemption_id, "豁免编号"))
        print(f"已撤销豁免 {args.exemption_id}")
        return 0
    if args.action == "exempt" and args.list:
        ledger = open_from_args(args)
        for e in exemptions.listing(ledger, args.org):
            print(f"{e.id}  {e.org_code} {e.org_name}  {e.type_code}  {e.span}  {e.reason}")
        return 0
    if args.action == "exempt":
        missing = [flag for flag, v in (("--org", args.org), ("--type", args.type_code), ("--from", args.first),
                                        ("--to", args.last)) if not v]
        if missing:
            raise CliError(f"登记豁免需要 {'、'.join(missing)}")
        ledger = open_from_args(args)
        e = exemptions.add(ledger, args.org, args.type_code, args.first, args.last, args.reason or "")
        print(f"已登记豁免：{e.org_code} {e.org_name} {e.type_code} {e.span}（{e.reason}）")
        return 0
    if args.action == "remind":
        try:
            on = date.fromisoformat(args.on) if args.on else None
        except ValueError:
            raise CliError(f"日期应为 YYYY-MM-DD，收到“{args.on}”") from None
        ledger = open_from_args(args)
        rows = status.reminders(ledger, on, _int(args.days, "提前天数"))
    else:
        if args.year is None:
            raise CliError("请用 --year 指定年份")
        ledger = open_from_args(args)
        rows = status.year_status(ledger, _int(args.year, "年份"), quarter=_int(args.quarter, "季度"),
                                  month=_int(args.month, "月份"), type_code=args.type_code, org_code=args.org)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        print(f"{r.org_code} {r.org_name}  {r.type_name}  {r.period}  {r.held}/{r.required}  "
              f"{STATUS_LABELS[r.status]}（截止 {r.due}）")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    print("合计：" + "，".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items()) if rows else "没有符合条件的记录")
    return 0


def cmd_requirements(args) -> int:
    from app.domain.compliance import Requirement
    from app.services.compliance import requirements

    year = _int(args.year, "年份")
    ledger = open_from_args(args)
    if args.action in ("set", "remove"):
        if not args.type_code:
            raise CliError("请用 --type 指定工作记录类型编码")
        if args.action == "remove":
            requirements.remove_one(ledger, year, args.type_code)
            print(f"已删除 {year} 年对“{args.type_code}”的组织生活要求")
            return 0
        if not args.period:
            raise CliError("请用 --period 指定周期（month、quarter 或 year）")
        due_m = due_d = None
        if args.due:
            try:
                due_m, due_d = (int(x) for x in args.due.split("-"))
            except ValueError:
                raise CliError(f"截止日应为“月-日”，如 03-31，收到“{args.due}”") from None
        req = Requirement(args.type_code, args.type_code, args.period, _int(args.minimum, "最少次数"), args.applies,
                          tuple(x for x in args.sectors.split("、") if x), due_m, due_d)
        reqs = requirements.set_one(ledger, year, req)
        print(f"已设定 {year} 年组织生活要求（共 {len(reqs)} 项）")
        return 0
    if args.action == "copy":
        src = _int(args.from_year, "源年份") if args.from_year else year - 1
        reqs = requirements.copy(ledger, src, year)
        print(f"已把 {src} 年的组织生活要求复制到 {year} 年（{len(reqs)} 项）")
        return 0
    reqs, source = requirements.requirements(ledger, year)
    if args.json:
        print_json([{"type": r.type_code, "name": r.type_name, "period": r.period, "minimum": r.minimum,
                     "applies": r.applies, "sectors": list(r.sectors),
                     "due": f"{r.due_month:02d}-{r.due_day:02d}" if r.due_month else None} for r in reqs])
        return 0
    origin = "默认要求" if source is None else (f"{source} 年设定" if source == year else f"沿用 {source} 年设定")
    print(f"{year} 年组织生活要求（{origin}）：")
    for r in reqs:
        print(f"  {r.type_code} {r.describe}")
    return 0
