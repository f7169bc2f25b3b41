"""结果运用 commands: incentives (rules show/set, list, confirm, export), awards and grants registers."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("incentives", help="结果运用：奖补兑现与绩效评定（按已确认的年度定级）；rules show/set 管理规则")
    p.add_argument("target", nargs="?", choices=("rules",), help="rules：查看或修改结果运用规则")
    p.add_argument("rules_action", nargs="?", choices=("show", "set"), help="rules 的动作：show 显示，set 设定一项")
    p.add_argument("--year", required=True)
    p.add_argument("--confirm", action="store_true", help="确认（冻结）本年度结果；定级调整后须再次确认")
    p.add_argument("--sector", help="rules set：领域（机关事业单位、村(社区)、非公企业、社会组织）")
    p.add_argument("--class", dest="grade", help="rules set：最终定级 A、B、C 或 否决")
    p.add_argument("--amount", help="rules set：奖补金额（元，最多两位小数）")
    p.add_argument("--result", help="rules set：绩效评定结果或奖补说明")
    p.add_argument("-o", "--output", type=Path, help="导出 Excel（.xlsx）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_incentives)

    p = sub.add_parser("incentive-table", help="打印结果运用表（PDF）：年度奖补兑现表（--kind 奖补）或绩效评定结果表（--kind 绩效）")
    p.add_argument("--year", required=True)
    p.add_argument("--kind", choices=("奖补", "绩效"), default="奖补")
    p.add_argument("-o", "--output", type=Path, required=True, help="PDF 文件")
    p.set_defaults(func=cmd_incentive_table)

    p = sub.add_parser("awards", help="表彰登记：add 登记、edit 修改、remove 删除、list 列出、bonus 计入加分")
    p.add_argument("action", choices=("add", "edit", "remove", "list", "bonus"))
    p.add_argument("--id", dest="item_id", help="edit/remove/bonus：表彰编号（见 awards list）")
    p.add_argument("--org", help="组织编码")
    p.add_argument("--level", help="级别：国家、省、市、县、乡镇")
    p.add_argument("--date", help="表彰日期 YYYY-MM-DD")
    p.add_argument("--title", help="表彰名称")
    p.add_argument("--person", help="获表彰人员（个人表彰时填写；集体表彰不填）")
    p.add_argument("--issuer", help="授予单位")
    p.add_argument("--note", help="备注")
    p.add_argument("--bonus", action="store_true", help="add：同时计入加分项“获县级以上表彰”（受年上限约束）")
    p.add_argument("--year", help="list：只列某年")
    p.add_argument("-o", "--output", type=Path, help="list：导出 Excel（.xlsx）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_awards)

    p = sub.add_parser("grants", help="补助经费登记：add 登记、edit 修改、remove 删除、list 列出")
    p.add_argument("action", choices=("add", "edit", "remove", "list"))
    p.add_argument("--id", dest="item_id", help="edit/remove：补助编号（见 grants list）")
    p.add_argument("--org", help="组织编码")
    p.add_argument("--purpose", help="用途")
    p.add_argument("--amount", help="金额（元，最多两位小数，不能为负）")
    p.add_argument("--date", help="拨付日期 YYYY-MM-DD")
    p.add_argument("--note", help="备注")
    p.add_argument("--year", help="list：只列某年")
    p.add_argument("-o", "--output", type=Path, help="list：导出 Excel（.xlsx）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_grants)


def _year(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise CliError(f"年份必须是整数，收到“{value}”") from None


def _unit(ledger) -> str:
    from app.services.kernel import settings

    return str(settings.get(ledger, "unit_name") or "")


def cmd_incentives(args) -> int:
    from app.domain.incentives import REWARD, fmt_money, fmt_yuan
    from app.domain.points import fmt
    from app.services.incentives import results, rules

    year = _year(args.year)
    if args.target is None and args.rules_action is not None:
        raise CliError("用法：incentives rules show|set --year Y …")
    ledger = open_from_args(args)
    if args.target == "rules":
        if args.rules_action == "set":
            if not args.sector or not args.grade:
                raise CliError("设定规则需要 --sector 和 --class")
            if args.amount is None and args.result is None:
                raise CliError("请用 --amount 填写奖补金额，或用 --result 填写绩效评定结果")
            rule_set = rules.set_rule(ledger, year, args.sector, args.grade, amount=args.amount, result=args.result)
            print(f"已设定 {year} 年 {args.sector} {args.grade}：{rules.describe(rule_set.get(args.sector.strip(), _grade(args.grade)))}")
            return 0
        rule_set, source = rules.rules(ledger, year)
        if args.json:
            print_json(rules.as_dicts(rule_set))
            return 0
        origin = "默认规则" if source is None else ("本年设定" if source == year else f"沿用 {source} 年设定")
        print(f"{year} 年结果运用规则（{origin}）：")
        for r in rule_set.rules:
            print(f"  {r.sector:<8} {r.grade:<3} {rules.describe(r)}")
        return 0
    sheet = results.confirm(ledger, year) if args.confirm else results.year_incentives(ledger, year)
    if args.output:
        from app.io.results_export import export_incentives

        export_incentives(args.output, _unit(ledger), sheet)
    if args.json:
        print_json([results.as_dict(r) for r in sheet.rows])
        return 0
    for r in sheet.rows:
        what = f"{fmt_yuan(r.amount):>10} 元" if r.kind == REWARD else f"{r.result:>10}"
        flag = f"  待重新确认：{r.why_stale}" if r.stale else ""
        print(f"{r.org_code:<8} {r.sector:<6} {fmt(r.score):>5} {r.final}{'(否决)' if r.veto else ''}  {r.kind} {what}  "
              f"{r.org_name}{flag}")
    print(f"奖补兑现 {len(sheet.of_kind(REWARD))} 个组织，合计 {fmt_money(sheet.total())} 元；"
          f"绩效评定 {len(sheet.rows) - len(sheet.of_kind(REWARD))} 个组织；状态：{sheet.state}")
    if args.output:
        print(f"已导出：{args.output}")
    return 0


def cmd_incentive_table(args) -> int:
    from app.reports.results_tables import build_appraisals, build_rewards

    year = _year(args.year)
    ledger = open_from_args(args)
    build = build_rewards if args.kind == "奖补" else build_appraisals
    pages = build(ledger, year, args.output)
    print(f"已生成 {args.output}（{pages} 页）")
    return 0


def _grade(value: str) -> str:
    g = value.strip().upper().replace("类", "")
    return "否决" if g in ("否决", "VETO", "一票否决") else g


def _need(args, *flags: str) -> None:
    missing = [f"--{f}" for f in flags if getattr(args, f.replace("-", "_"), None) in (None, "")]
    if missing:
        raise CliError(f"{args.action} 需要 {'、'.join(missing)}")


def _changes(args, names: dict[str, str]) -> dict[str, str]:
    return {key: getattr(args, attr) for attr, key in names.items() if getattr(args, attr) is not None}


def cmd_awards(args) -> int:
    from app.services.incentives import awards

    if args.action in ("edit", "remove", "bonus") and not args.item_id:
        raise CliError(f"{args.action} 需要 --id")
    if args.action == "add":
        _need(args, "org", "level", "date", "title")
    ledger = open_from_args(args)
    if args.action == "add":
        a = awards.add(ledger, org=args.org, level=args.level, on=args.date, title=args.title,
                       person=args.person or "", issuer=args.issuer or "", note=args.note or "", bonus=args.bonus)
        print(f"已登记表彰 {a.id}：{a.date} {a.level}级 {a.title}（{a.org_name}{'，' + a.person if a.person else ''}）"
              + (f"；已计入加分 {a.bonus_item}" if a.bonus_item else ""))
        return 0
    if args.action == "bonus":
        a = awards.accept_bonus(ledger, args.item_id)
        print(f"表彰 {a.id} 已计入 {a.date.year} 年 {a.date.month} 月加分 {a.bonus_item}")
        return 0
    if args.action == "edit":
        changes = _changes(args, {"org": "org", "level": "level", "date": "on", "title": "title", "person": "person",
                                  "issuer": "issuer", "note": "note"})
        a = awards.edit(ledger, args.item_id, **changes)
        print(f"已修改表彰 {a.id}：{a.date} {a.level}级 {a.title}")
        return 0
    if args.action == "remove":
        awards.remove(ledger, args.item_id)
        print(f"已删除表彰 {args.item_id}")
        return 0
    rows = awards.listing(ledger, _year(args.year), args.org)
    if args.output:
        from app.io.results_export import export_awards

        export_awards(args.output, _unit(ledger), f"{args.year} 年" if args.year else "全部年度", rows)
    if args.json:
        print_json([awards.as_dict(a) for a in rows])
        return 0
    for a in rows:
        print(f"{a.id:>4} {a.date} {a.level:<2} {a.title}  {a.org_code} {a.org_name}"
              f"{'  ' + a.person if a.person else '（集体）'}" + (f"  已计入加分 {a.bonus_item}" if a.bonus_item else ""))
    print(f"共 {len(rows)} 项表彰" + (f"；已导出：{args.output}" if args.output else ""))
    return 0


def cmd_grants(args) -> int:
    from app.domain.incentives import fmt_money, fmt_yuan
    from app.services.incentives import grants

    if args.action in ("edit", "remove") and not args.item_id:
        raise CliError(f"{args.action} 需要 --id")
    if args.action == "add":
        _need(args, "org", "purpose", "amount", "date")
    ledger = open_from_args(args)
    if args.action == "add":
        g = grants.add(ledger, org=args.org, purpose=args.purpose, amount=args.amount, on=args.date,
                       note=args.note or "")
        print(f"已登记补助经费 {g.id}：{g.date} {g.org_name} {g.purpose} {fmt_money(g.amount)} 元")
        return 0
    if args.action == "edit":
        changes = _changes(args, {"org": "org", "purpose": "purpose", "amount": "amount", "date": "on", "note": "note"})
        g = grants.edit(ledger, args.item_id, **changes)
        print(f"已修改补助经费 {g.id}：{g.date} {g.purpose} {fmt_money(g.amount)} 元")
        return 0
    if args.action == "remove":
        grants.remove(ledger, args.item_id)
        print(f"已删除补助经费 {args.item_id}")
        return 0
    rows = grants.listing(ledger, _year(args.year), args.org)
    if args.output:
        from app.io.results_export import export_grants

        export_grants(args.output, _unit(ledger), f"{args.year} 年" if args.year else "全部年度", rows)
    if args.json:
        print_json([grants.as_dict(g) for g in rows])
        return 0
    for g in rows:
        print(f"{g.id:>4} {g.date} {g.org_code} {g.org_name}  {g.purpose}  {fmt_yuan(g.amount)} 元")
    print(f"共 {len(rows)} 笔，合计 {fmt_money(grants.total(rows))} 元" + (f"；已导出：{args.output}" if args.output else ""))
    return 0
