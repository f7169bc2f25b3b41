"""结对共建 commands: pairings add | list | edit | evaluate | remove | check | suggest | rules | print."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args, print_json

ACTIONS = ("add", "list", "edit", "evaluate", "remove", "check", "suggest", "rules", "print")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pairings", help="结对共建：登记（add）、列出（list）、修改（edit）、年终评价（evaluate）、解除（remove）、"
                                        "规则检查（check）、建议（suggest）、结对规则（rules）、打印一览表（print）")
    p.add_argument("action", choices=ACTIONS)
    p.add_argument("--year", help="年度（add/list/check/suggest/rules/print 必填）")
    p.add_argument("--leader", help="add：牵头方组织编码")
    p.add_argument("--helped", help="add：被帮扶方组织编码")
    p.add_argument("--goal", action="append", default=None,
                   help="共建内容，可多次给出：阵地联用、活动联办、组织生活联过、文明创建、社会治理、助企发展、招商引资")
    p.add_argument("--reason", help="牵头方不属机关事业单位（或规则指定的领域）时的理由")
    p.add_argument("--start", help="开始日期 YYYY-MM-DD（默认当年 1 月 1 日）")
    p.add_argument("--end", help="结束日期 YYYY-MM-DD（默认当年 12 月 31 日）")
    p.add_argument("--note", help="备注")
    p.add_argument("--id", dest="pairing_id", help="edit/evaluate/remove：结对编号（见 pairings list）")
    p.add_argument("--rating", help="evaluate：评价等次（好、较好、一般、差）")
    p.add_argument("--text", help="evaluate：评价意见")
    p.add_argument("--org", help="list：只列出某组织参与的结对")
    p.add_argument("--allow-b", dest="allow_b", choices=("yes", "no"), help="rules：是否允许B类组织牵头")
    p.add_argument("--sector", help="rules：牵头方优先领域（默认 机关事业单位）")
    p.add_argument("-o", "--output", type=Path, help="print：输出 PDF 文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_pairings)


def _int(value: str | None, label: str) -> int:
    if value is None:
        raise CliError(f"请给出{label}")
    try:
        return int(value)
    except ValueError:
        raise CliError(f"{label}必须是整数，收到“{value}”") from None


def _line(p) -> str:
    goals = "、".join(p.goals) or "（未填共建内容）"
    extra = f"；理由：{p.reason}" if p.reason else ""
    evaluation = f"；年终评价：{p.rating}" if p.rating else ""
    return (f"{p.id}  {p.year} 年  {p.strong_code} {p.strong_name} → {p.weak_code} {p.weak_name}  {p.span}  "
            f"{goals}{extra}{evaluation}")


def cmd_pairings(args) -> int:
    from app.services.pairing import pairings

    a = args.action
    if a in ("add", "list", "check", "suggest", "rules", "print"):
        year = _int(args.year, "年度（--year）")
    if a == "add":
        if not args.leader or not args.helped:
            raise CliError("登记结对需要 --leader 和 --helped（组织编码）")
        ledger = open_from_args(args)
        p = pairings.add(ledger, args.leader, args.helped, year, goals=args.goal or (), reason=args.reason or "",
                         start_on=args.start, end_on=args.end, note=args.note or "")
        print_json(p.as_dict()) if args.json else print(f"已登记结对：{_line(p)}")
        return 0
    if a == "edit":
        ledger = open_from_args(args)
        p = pairings.update(ledger, _int(args.pairing_id, "结对编号（--id）"), goals=args.goal, reason=args.reason,
                            start_on=args.start, end_on=args.end, note=args.note)
        print(f"已修改结对：{_line(p)}")
        return 0
    if a == "evaluate":
        ledger = open_from_args(args)
        p = pairings.evaluate(ledger, _int(args.pairing_id, "结对编号（--id）"), args.rating or "", args.text or "")
        print(f"已登记年终评价：{_line(p)}")
        return 0
    if a == "remove":
        ledger = open_from_args(args)
        pairings.remove(ledger, _int(args.pairing_id, "结对编号（--id）"))
        print(f"已解除结对 {args.pairing_id}")
        return 0
    if a == "list":
        ledger = open_from_args(args)
        rows = pairings.listing(ledger, year, args.org)
        if args.json:
            print_json([p.as_dict() for p in rows])
            return 0
        for p in rows:
            print(_line(p))
        print(f"{year} 年共 {len(rows)} 对结对" if rows else f"{year} 年没有结对")
        return 0
    if a == "check":
        from app.services.pairing import review

        ledger = open_from_args(args)
        found = review.check_year(ledger, year)
        if args.json:
            print_json([b.as_dict() for b in found])
            return 0
        for b in found:
            print(f"{b.leader} → {b.helped}  {b.message}")
        print(f"{year} 年有 {len(found)} 处结对不符合规则" if found else f"{year} 年的结对均符合规则")
        return 0
    if a == "suggest":
        from app.services.pairing import suggest

        ledger = open_from_args(args)
        rows = suggest.suggest(ledger, year)
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            lead = f"{r.leader} {r.leader_name}（{r.leader_class}类，{r.leader_sector}，牵头 {r.load} 个）" if r.leader else "—"
            print(f"{r.helped} {r.helped_name}  ← {lead}  {r.note}")
        print(f"{year} 年有 {len(rows)} 个C类组织尚未结对" if rows else f"{year} 年的C类组织均已结对")
        return 0
    if a == "rules":
        from app.services.pairing import rules

        ledger = open_from_args(args)
        if args.allow_b is not None or args.sector is not None:
            current, _y = rules.year_rules(ledger, year)
            allow = current.allow_b_leader if args.allow_b is None else args.allow_b == "yes"
            rules.set_rules(ledger, year, allow_b_leader=allow, sector=args.sector or current.sector)
        r, since = rules.year_rules(ledger, year)
        if args.json:
            print_json({"year": year, "allow_b_leader": r.allow_b_leader, "sector": r.sector, "set_in": since})
            return 0
        origin = "默认规则" if since is None else (f"{since} 年设定" if since == year else f"沿用 {since} 年设定")
        print(f"{year} 年结对规则（{origin}）：牵头方须为A类" + ("或B类" if r.allow_b_leader else "")
              + f"，优先领域 {r.sector}（其他领域须说明理由）；被帮扶方须为C类；每个组织每年一个牵头组织")
        return 0
    if a == "print":
        if args.output is None:
            raise CliError("请用 -o 指定输出 PDF 文件")
        from app.reports.pairings_table import build_pairings_table

        from .reports import _write

        ledger = open_from_args(args)
        try:
            return _write(args.output, lambda p: build_pairings_table(ledger, year, p))
        finally:
            ledger.close()
    raise CliError(f"未知操作：{a}")
