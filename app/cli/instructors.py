"""党建指导员 commands: instructors (register, assignments, coverage), instructor-log (周记录, 月调度), tickets
(问题帮办), instructor-grades (年考核 and its sign-offs), instructor-scheme, subsidy. The JSON is a contract."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args, print_json

COUNT_FLAGS = (("a_days", "--a-days", "A岗驻站天数"), ("b_days", "--b-days", "B岗走访天数"),
               ("visits", "--visited", "走访企业数"), ("orgs_founded", "--orgs-founded", "组建党组织数"),
               ("mass_orgs", "--mass-orgs", "组建群团组织数"), ("problems", "--problems", "收集问题数"),
               ("solved", "--solved", "帮办解决数"), ("experiences", "--experiences", "典型经验数"),
               ("briefs", "--briefs", "工作简报期数"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("instructors", help="党建指导员：登记（add/list）、指导站（station）、指导对象（target/targets/link）、"
                                           "指派（assign/unassign/assignments）、覆盖率（coverage）、指派建议（suggest）")
    p.add_argument("action", choices=("add", "list", "update", "station", "stations", "target", "targets", "link",
                                      "assign", "unassign", "assignments", "coverage", "suggest"))
    p.add_argument("--name", help="姓名 / 指导站名称 / 指导对象名称")
    p.add_argument("--station", help="指导站")
    p.add_argument("--source", help="选派来源：省派、市派、县(区)派")
    p.add_argument("--mode", help="专职 或 兼职")
    p.add_argument("--group", help="小组")
    p.add_argument("--post", help="职务：站长、副站长、联络员、指导员（默认）")
    p.add_argument("--term-start", dest="term_start", help="任期开始 YYYY-MM-DD")
    p.add_argument("--term-end", dest="term_end", help="任期结束 YYYY-MM-DD")
    p.add_argument("--phone")
    p.add_argument("--org", help="组织编码（指导站所属党委 / 指派的党组织 / link 关联的党组织）")
    p.add_argument("--committee", help="target：所属党委的组织编码")
    p.add_argument("--sector", help="target：非公企业（默认）或 社会组织")
    p.add_argument("--tags", help="target：标签，用“、”分隔：规上、产业链、新招商、互联网、新业态")
    p.add_argument("--industry", help="target：行业")
    p.add_argument("--instructor", help="assign/assignments：指导员姓名")
    p.add_argument("--target", help="assign：指导对象名称")
    p.add_argument("--from", dest="start", help="assign：开始日期（默认今天）")
    p.add_argument("--to", dest="end", help="assign：结束日期；unassign：结束日期（默认今天）")
    p.add_argument("--town", action="store_true", help="assign：派驻镇域企业（专职发交通补助）")
    p.add_argument("--id", dest="ident", help="unassign：指派编号（见 assignments）")
    p.add_argument("--delete", action="store_true", help="unassign：删除录错的指派")
    p.add_argument("--on", help="coverage/suggest/assignments：以哪一天为准（默认今天）")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_instructors)

    p = sub.add_parser("instructor-log", help="指导员周记录：add 录入一周，list 查看；month 月调度汇总")
    p.add_argument("action", choices=("add", "list", "month"))
    p.add_argument("--week", help="ISO 周次，如 2026-W05")
    p.add_argument("--instructor", help="指导员姓名")
    p.add_argument("--station", help="指导站")
    p.add_argument("--year")
    p.add_argument("--month")
    for _field, flag, label in COUNT_FLAGS:
        p.add_argument(flag, default="0", help=label)
    p.add_argument("--visit", action="append", default=None,
                   help="走访：“对象|日期|事由”，可重复；对象为指导对象名称或党组织编码/名称")
    p.add_argument("--note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser("tickets", help="问题帮办：add 登记，update 推进状态，list 列出，rates 办结率")
    p.add_argument("action", choices=("add", "update", "list", "rates"))
    p.add_argument("--instructor")
    p.add_argument("--station")
    p.add_argument("--target", help="指导对象名称或党组织编码/名称")
    p.add_argument("--content", help="问题内容")
    p.add_argument("--raised-by", dest="raised_by", default="", help="提出人")
    p.add_argument("--on", help="收集日期（默认今天）")
    p.add_argument("--id", dest="ident", help="update：问题编号")
    p.add_argument("--status", help="收集、交办、办理中、办结、回访")
    p.add_argument("--closed-on", dest="closed_on", help="办结日期（默认今天）")
    p.add_argument("--satisfaction", help="回访：满意、基本满意、不满意")
    p.add_argument("--handled-by", dest="handled_by", help="交办：承办单位")
    p.add_argument("--note")
    p.add_argument("--year")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tickets)

    p = sub.add_parser("instructor-grades", help="指导员年度考核（积分+等级）；--signoff 依次签认：小组统计、站内核实、党支部认定")
    p.add_argument("--year", required=True)
    p.add_argument("--signoff", help="签认环节：小组统计、站内核实、党支部认定")
    p.add_argument("--by", dest="person", help="签认人姓名")
    p.add_argument("--station", help="逐站签认 / 撤回：指导站名称（不填则对全部指导站一并签认）")
    p.add_argument("--reopen", action="store_true", help="撤回该年的全部签认（或 --station 一个站的签认；管理员，需 --reason）")
    p.add_argument("--reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_grades)

    p = sub.add_parser("instructor-scheme", help="指导员考核细则与补贴标准（按年度）：show 显示，set 修改")
    p.add_argument("action", choices=("show", "set"))
    p.add_argument("--year", required=True)
    p.add_argument("--excellent", help="优秀线")
    p.add_argument("--passing", help="合格线")
    p.add_argument("--basic", help="基本合格线")
    p.add_argument("--excellent-share", dest="excellent_share", help="优秀比例上限，如 0.3；“无”取消")
    p.add_argument("--full-time", dest="full_time", help="专职补贴（元/月）")
    p.add_argument("--part-time", dest="part_time", help="兼职补贴（元/月）")
    p.add_argument("--transport", help="镇域交通补助（元/月）")
    p.add_argument("--item", help="计分项目，如 visits")
    p.add_argument("--points", help="该项目每次分值")
    p.add_argument("--cap", help="该项目全年上限（“无”取消）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scheme)

    p = sub.add_parser("instructor-paper", help="打印指导员表格（PDF）：weekly 周记录表、month 月调度表、grades 年度考核汇总表、"
                                               "subsidy 补贴发放表、tickets 问题帮办台账")
    p.add_argument("kind", choices=("weekly", "month", "grades", "subsidy", "tickets"))
    p.add_argument("--week", help="weekly：ISO 周次，如 2026-W05")
    p.add_argument("--year", help="month、grades、subsidy、tickets：年份")
    p.add_argument("--month", help="month：月份")
    p.add_argument("-o", "--output", type=Path, required=True, help="PDF 文件")
    p.set_defaults(func=cmd_paper)

    p = sub.add_parser("subsidy", help="指导员补贴发放表（年度考核认定后）")
    p.add_argument("--year", required=True)
    p.add_argument("-o", "--output", type=Path, help="导出 Excel（.xlsx）或打印稿（.pdf）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_subsidy)


def _int(value: str | None, label: str) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise CliError(f"{label}必须是整数，收到“{value}”") from None


def _day(value: str | None):
    from app.services.kernel import validate

    return validate.parse_date(value, "日期") if value else None


def _need(args, *names: str) -> None:
    missing = [f"--{n.replace('_', '-')}" for n in names if not getattr(args, n)]
    if missing:
        raise CliError(f"{args.action} 需要 {'、'.join(missing)}")


def cmd_instructors(args) -> int:
    from app.services.instructors import assignments, register

    a = args.action
    if a == "station":
        _need(args, "name")
        st = register.add_station(open_from_args(args), args.name, args.org, args.note)
        print(f"已登记指导站：{st.name}")
        return 0
    if a == "stations":
        rows = register.stations(open_from_args(args))
        if args.json:
            print_json([r.as_dict() for r in rows])
        for r in rows if not args.json else []:
            print(f"{r.name}  {r.org_name or '（未指定党委）'}  指导员 {r.instructors} 人")
        return 0
    if a == "add":
        _need(args, "name", "station", "source", "mode")
        i = register.add_instructor(open_from_args(args), args.station, name=args.name, source=args.source,
                                    mode=args.mode, group=args.group, post=args.post, term_start=args.term_start,
                                    term_end=args.term_end, phone=args.phone)
        if args.json:
            print_json(i.as_dict())
        else:
            print(f"已登记指导员：{i.station} {i.name}（{i.source}，{i.mode}，{i.post}）")
        return 0
    if a == "update":
        _need(args, "name")
        i = register.update_instructor(open_from_args(args), args.name, args.station, source=args.source,
                                       mode=args.mode, group=args.group, post=args.post, term_start=args.term_start,
                                       term_end=args.term_end, phone=args.phone)
        print(f"已修改指导员：{i.station} {i.name}")
        return 0
    if a == "list":
        rows = register.list_instructors(open_from_args(args), args.station)
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            print(f"{r.station}  {r.group or '—'}  {r.name}  {r.post}  {r.source}  {r.mode}  {r.phone}")
        return 0
    if a == "target":
        _need(args, "name")
        t = register.add_target(open_from_args(args), committee=args.committee, name=args.name, sector=args.sector,
                                tags=args.tags, industry=args.industry, note=args.note)
        print(f"已登记指导对象：{t.name}（{t.sector}；{'、'.join(t.tags) or '无标签'}）")
        return 0
    if a == "targets":
        rows = register.list_targets(open_from_args(args))
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            print(f"{r.name}  {r.sector}  {'、'.join(r.tags) or '—'}  {r.org_name or '未建党组织'}")
        return 0
    if a == "link":
        _need(args, "name", "org")
        t = register.link_target(open_from_args(args), args.name, args.org)
        print(f"已关联：{t.name} → {t.org_name}")
        return 0
    if a == "assign":
        _need(args, "instructor")
        if bool(args.org) == bool(args.target):
            raise CliError("assign 需要 --org（党组织编码）或 --target（指导对象名称），二者选一")
        x = assignments.assign(open_from_args(args), args.instructor, org=args.org, target=args.target,
                               start=args.start, end=args.end, in_town=args.town, station=args.station)
        if args.json:
            print_json(x.as_dict())
        else:
            print(f"已指派：{x.instructor} → {x.name}（{x.start_on}—{x.end_on or '至今'}），编号 {x.id}")
        return 0
    if a == "unassign":
        _need(args, "ident")
        assignments.unassign(open_from_args(args), _int(args.ident, "指派编号"), args.end, delete=args.delete)
        print("已删除指派" if args.delete else "已结束指派")
        return 0
    if a == "assignments":
        rows = assignments.list_assignments(open_from_args(args), args.instructor, on=_day(args.on))
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            print(f"{r.id}  {r.instructor} → {r.kind} {r.name}  {r.start_on}—{r.end_on or '至今'}"
                  f"{'  镇域' if r.in_town else ''}")
        return 0
    if a == "coverage":
        cov = assignments.coverage(open_from_args(args), _day(args.on))
        if args.json:
            print_json(cov.as_dict())
            return 0
        print(f"指导覆盖率（{cov.on}）：{cov.covered}/{cov.total}，{f'{cov.percent}%' if cov.percent is not None else '—'}")
        for c, n, t in cov.by_committee:
            print(f"  {c}：{n}/{t}")
        for u in cov.uncovered:
            print(f"  未覆盖：{u.kind} {u.name}（{u.committee}）")
        return 0
    rows = assignments.suggest(open_from_args(args), _day(args.on))
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        print(f"{r.target}：建议 {'、'.join(r.instructors)}（{r.reason}）")
    if not rows:
        print("没有未指派的指导对象")
    return 0


def _visits(items: list[str] | None) -> list[dict] | None:
    if items is None:
        return None
    out = []
    for n, text in enumerate(items, start=1):
        parts = [x.strip() for x in text.split("|")]
        if len(parts) not in (2, 3):
            raise CliError(f"第 {n} 个 --visit 应为“对象|日期|事由”，收到“{text}”")
        out.append({"target": parts[0], "date": parts[1], "purpose": parts[2] if len(parts) == 3 else ""})
    return out


def cmd_log(args) -> int:
    from app.domain.instructors import COUNTS
    from app.services.instructors import weekly

    if args.action == "month":
        if not args.year or not args.month:
            raise CliError("month 需要 --year 和 --month")
        roll = weekly.month_rollup(open_from_args(args), _int(args.year, "年份"), _int(args.month, "月份"))
        if args.json:
            print_json(roll.as_dict())
            return 0
        print(f"{roll.year} 年 {roll.month} 月调度（{'、'.join(roll.weeks)}）")
        for x in roll.lines:
            who = x.instructor or "小计"
            print(f"  {x.station} {who}：" + "，".join(f"{COUNTS[k]} {v}" for k, v in x.counts.items())
                  + f"；问题帮办：新收集 {x.tickets_raised}，办结 {x.tickets_closed}")
        return 0
    if args.action == "add":
        if not args.week or not args.instructor:
            raise CliError("add 需要 --week 和 --instructor")
        counts = {field: getattr(args, flag.lstrip("-").replace("-", "_")) for field, flag, _l in COUNT_FLAGS}
        log = weekly.save_log(open_from_args(args), args.instructor, args.week, counts, visits=_visits(args.visit),
                              note=args.note, station=args.station)
        if args.json:
            print_json(log.as_dict())
        else:
            print(f"已保存 {log.instructor} {log.week} 的周记录（走访 {len(log.visits)} 次）")
        return 0
    rows = weekly.list_logs(open_from_args(args), week=args.week, year=_int(args.year, "年份"),
                            instructor=args.instructor, station=args.station)
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    for r in rows:
        print(f"{r.week}  {r.station} {r.instructor}：" + "，".join(f"{COUNTS[k]} {v}" for k, v in r.counts.items() if v))
    return 0


def cmd_tickets(args) -> int:
    from app.services.instructors import tickets

    if args.action == "add":
        if not (args.instructor and args.target and args.content):
            raise CliError("add 需要 --instructor、--target 和 --content")
        t = tickets.add(open_from_args(args), args.instructor, args.target, args.content, raised_on=args.on,
                        raised_by=args.raised_by, station=args.station)
    elif args.action == "update":
        if not args.ident:
            raise CliError("update 需要 --id")
        t = tickets.update(open_from_args(args), _int(args.ident, "问题编号"), status=args.status,
                           closed_on=args.closed_on, satisfaction=args.satisfaction, handled_by=args.handled_by,
                           note=args.note)
    elif args.action == "rates":
        rows = tickets.rates(open_from_args(args), _int(args.year, "年份"))
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            print(f"{r.level} {r.label}：{r.closed}/{r.total}，办结率 {f'{r.percent}%' if r.percent is not None else '—'}")
        return 0
    else:
        rows = tickets.listing(open_from_args(args), year=_int(args.year, "年份"), instructor=args.instructor,
                               status=args.status)
        if args.json:
            print_json([r.as_dict() for r in rows])
            return 0
        for r in rows:
            print(f"{r.id}  {r.raised_on}  {r.instructor}  {r.place}  {r.status}  {r.content}")
        return 0
    if args.json:
        print_json(t.as_dict())
    else:
        print(f"问题 {t.id}（{t.place}）：{t.status}")
    return 0


def cmd_grades(args) -> int:
    from app.services.instructors import assessment

    year = _int(args.year, "年份")
    ledger = open_from_args(args)
    if args.reopen:
        if args.station:
            assessment.reopen_station(ledger, year, args.station, args.reason or "")
            print(f"已撤回 {year} 年“{args.station}”指导员考核的签认")
            return 0
        assessment.reopen(ledger, year, args.reason or "")
        print(f"已撤回 {year} 年指导员考核的全部签认")
        return 0
    if args.signoff:
        if not args.person:
            raise CliError("签认需要 --by 签认人姓名")
        result = assessment.sign(ledger, year, args.signoff, args.person, station=args.station)
    else:
        result = assessment.assess(ledger, year)
    if args.json:
        print_json(result.as_dict())
        return 0
    state = "已认定" if result.final else (f"下一步：{result.next_step}" if result.signoffs else
                                           "逐站签认" if result.by_station else "未签认（按周记录计算）")
    print(f"{year} 年指导员考核（{state}）")
    for x in result.signoffs:
        print(f"  {x.step}：{x.person}（{x.at:%Y-%m-%d %H:%M}）")
    for st in result.graded_stations if result.by_station else []:
        done = "，".join(f"{x.step} {x.person}" for x in result.stations.get(st, [])) or "未签认"
        print(f"  {st}：{done}" + (f"；下一步：{result.station_next(st)}" if result.station_next(st) else "（已认定）"))
    for g in result.lines:
        print(f"  {g.station} {g.instructor}  {g.points}  {g.grade}")
    return 0


def cmd_scheme(args) -> int:
    from app.domain.instructors import COUNTS, scheme_to_dict
    from app.services.instructors import scheme

    year = _int(args.year, "年份")
    ledger = open_from_args(args)
    if args.action == "set":
        value = scheme.set_values(ledger, year, excellent=args.excellent, passing=args.passing, basic=args.basic,
                                  excellent_share=args.excellent_share, full_time=args.full_time,
                                  part_time=args.part_time, transport=args.transport, item=args.item,
                                  points=args.points, cap=args.cap)
        print(f"已设定 {year} 年指导员考核细则")
    else:
        value, _source = scheme.scheme(ledger, year)
    if args.json:
        print_json(scheme_to_dict(value))
        return 0
    print(f"等级线：优秀 ≥ {value.excellent}，合格 ≥ {value.passing}，基本合格 ≥ {value.basic}"
          + (f"；优秀不超过 {value.excellent_share}" if value.excellent_share is not None else ""))
    for k, r in value.items.items():
        print(f"  {COUNTS[k]}：每次 {r.points} 分" + (f"，全年上限 {r.cap}" if r.cap is not None else ""))
    print(f"补贴：专职 {value.subsidy.full_time} 元/月，兼职 {value.subsidy.part_time} 元/月，"
          f"镇域交通 {value.subsidy.transport} 元/月（{'、'.join(value.subsidy.paid_grades)}发放）")
    return 0


def cmd_subsidy(args) -> int:
    from app.services.instructors import subsidies

    year = _int(args.year, "年份")
    if args.output is not None and args.output.suffix.lower() not in (".xlsx", ".pdf"):
        raise CliError(f"-o 只能导出 .xlsx 或 .pdf，收到“{args.output.name}”")
    ledger = open_from_args(args)
    rows = subsidies.subsidies(ledger, year)
    if args.output is not None:
        if args.output.suffix.lower() == ".xlsx":
            from app.io.instructor_export import export_subsidies

            path = export_subsidies(args.output, year, rows, subsidies.scope_note(ledger))
            print(f"已导出：{path}")
            return 0
        from app.reports.instructor_sheets import subsidy_pdf

        from .reports import _write

        return _write(args.output, lambda p: subsidy_pdf(ledger, year, p))
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    base, transport, total = subsidies.totals(rows)
    for r in rows:
        print(f"{r.station} {r.instructor}  {r.mode}  {r.grade}  {r.months} 个月  {r.base} + {r.transport} = {r.total} 元")
    print(f"合计：{base} + {transport} = {total} 元")
    return 0


def cmd_paper(args) -> int:
    from app.reports import instructor_sheets as sheets

    from .reports import _write

    if args.kind == "weekly":
        if not args.week:
            raise CliError("weekly 需要 --week")
        from app.services.instructors.weekly import parse_week

        parse_week(args.week)  # a bad week is refused before anything is opened
        ledger = open_from_args(args)
        return _write(args.output, lambda p: sheets.weekly_sheets(ledger, args.week, p))
    if not args.year:
        raise CliError(f"{args.kind} 需要 --year")
    year = _int(args.year, "年份")
    if args.kind == "month":
        if not args.month:
            raise CliError("month 需要 --month")
        month = _int(args.month, "月份")
        ledger = open_from_args(args)
        return _write(args.output, lambda p: sheets.month_sheet(ledger, year, month, p))
    ledger = open_from_args(args)
    make = {"grades": sheets.grades_sheet, "subsidy": sheets.subsidy_pdf, "tickets": sheets.tickets_sheet}[args.kind]
    if args.kind == "subsidy":
        from app.services.instructors import subsidies

        subsidies.subsidies(ledger, year)  # refused (in words) before grades are final, before a file is made
    return _write(args.output, lambda p: make(ledger, year, p))
