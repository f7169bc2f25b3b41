"""Core commands: init, demo, check, orgs, scheme, score, records, warnings, grades."""

from __future__ import annotations

import argparse
import sys

from app.domain.points import fmt
from app.domain.scheme import scheme_to_dict

from . import CliError, open_from_args, print_json
from ._record_fields import add_record_field_args, record_field_values


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="新建（或升级）数据库")
    p.add_argument("--unit", help="单位名称，如“某某经济开发区党工委”")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="向空数据库写入示例数据")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check", help="检查数据库完整性和规则一致性")
    p.set_defaults(func=cmd_check)

    orgs = sub.add_parser("orgs", help="党组织台账").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = orgs.add_parser("list", help="列出党组织")
    p.add_argument("--year", type=int, help="显示哪一年的分类（默认今年）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_orgs_list)
    p = orgs.add_parser("add", help="新增党组织")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--sector", required=True, help="机关事业单位 / 村(社区) / 非公企业 / 社会组织")
    p.add_argument("--parent", help="上级组织编码")
    p.add_argument("--kind", default="党支部", help="工委 / 党委 / 党总支 / 党支部 / 联合党支部")
    p.add_argument("--class", dest="category", choices=["A", "B", "C"], help="今年的分类")
    p.add_argument("--secretary", default="")
    p.add_argument("--established", help="成立日期 YYYY-MM-DD（决定从哪个季度起预警、哪一年起定级）")
    p.set_defaults(func=cmd_orgs_add)
    p = orgs.add_parser("stop", help="停用（撤销）党组织：此后不再预警、定级")
    p.add_argument("--code", required=True)
    p.add_argument("--on", help="撤销日期 YYYY-MM-DD（默认今天；当天起不再存在）")
    p.set_defaults(func=cmd_orgs_stop, active=False)
    p = orgs.add_parser("start", help="重新启用已停用的党组织")
    p.add_argument("--code", required=True)
    p.set_defaults(func=cmd_orgs_stop, active=True, on=None)
    p = orgs.add_parser("class", help="设定某年的分类（如本年新建组织下一年的分类）")
    p.add_argument("--code", required=True)
    p.add_argument("--year", required=True)
    p.add_argument("--class", dest="category", required=True, choices=["A", "B", "C"])
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_orgs_class)
    p = orgs.add_parser("groups", help="设定是否有党小组（有党小组的支部须每月召开党小组会）")
    p.add_argument("--code", required=True)
    p.add_argument("--has", required=True, choices=["是", "否"])
    p.set_defaults(func=cmd_orgs_groups)

    scheme = sub.add_parser("scheme", help="积分细则").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = scheme.add_parser("show", help="显示某年积分细则")
    p.add_argument("--year", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scheme_show)
    p = scheme.add_parser("copy", help="把一年的细则复制到另一年")
    p.add_argument("--from", dest="src", required=True)
    p.add_argument("--to", dest="dst", required=True)
    p.add_argument("--accept-calibration", action="store_true", help="校准检查有提示时仍然保存")
    p.set_defaults(func=cmd_scheme_copy)
    p = scheme.add_parser("check", help="校准检查：按最低要求开展组织生活的支部会不会被预警、能否评为 B 类")
    p.add_argument("--year", required=True)
    p.set_defaults(func=cmd_scheme_check)

    score = sub.add_parser("score", help="月度积分").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = score.add_parser("set", help="设定某组织某月某项的积分（再次设定即替换）")
    p.add_argument("--org", required=True)
    p.add_argument("--year", required=True)
    p.add_argument("--month", required=True)
    p.add_argument("--item", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--count", help="次数（按每次分值计分）")
    g.add_argument("--points", help="分值")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_score_set)
    p = score.add_parser("list", help="列出某组织一年的积分")
    p.add_argument("--org", required=True)
    p.add_argument("--year", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_score_list)

    rec = sub.add_parser("records", help="党务工作记录（一本通）").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = rec.add_parser("add", help="登记一条工作记录")
    p.add_argument("--org", required=True)
    p.add_argument("--type", required=True, help="小项编码（如 2.2）或名称（如 支部委员会会议）")
    p.add_argument("--date", required=True)
    p.add_argument("--topic", required=True)
    p.add_argument("--content", default="")
    p.add_argument("--attendance", help="应到/实到，如 12/11")
    p.add_argument("--place", default="")
    p.add_argument("--host", default="")
    p.add_argument("--recorder", default="")
    add_record_field_args(p)
    p.set_defaults(func=cmd_records_add)
    p = rec.add_parser("list", help="列出某组织一年的工作记录")
    p.add_argument("--org", required=True)
    p.add_argument("--year", required=True)
    p.add_argument("--search", default="", help="只列出含有这些词的记录（空格分开，须全部含有）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_records_list)
    p = rec.add_parser("types", help="列出一本通 7 大项的小项（17 小项及 7.4 结对共建活动）")
    p.set_defaults(func=cmd_records_types)

    p = sub.add_parser("warnings", help="季度三级预警")
    p.add_argument("--year", required=True)
    p.add_argument("--quarter", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="也列出未预警的组织（文本输出时）")
    p.set_defaults(func=cmd_warnings)

    p = sub.add_parser("grades", help="年度分类定级")
    p.add_argument("--year", required=True)
    p.add_argument("--json", action="store_true")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--confirm", action="store_true", help="确认定级并据此设定下一年分类（年度随即关闭）")
    g.add_argument("--reopen", action="store_true", help="管理员：重新打开已确认的年度（须 --reason）")
    p.add_argument("--reason", default="", help="重新打开的理由（记入审计日志）")
    p.set_defaults(func=cmd_grades)


def _int(value: str, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CliError(f"{label}必须是整数，收到“{value}”") from None


def cmd_init(args) -> int:
    from app.services.opening import setup

    ledger = open_from_args(args)
    if args.unit:
        setup.initialize(ledger, args.unit)
    print(f"数据库已就绪：{ledger.path}")
    return 0


def cmd_demo(args) -> int:
    from app.services.opening import demo

    ledger = open_from_args(args)
    summary = demo.load_demo(ledger)
    print(summary)
    return 0


def cmd_check(args) -> int:
    from app.services.safety import health

    ledger = open_from_args(args)
    report = health.check(ledger)
    for line in report.lines:
        print(("✔ " if line.ok else "✘ ") + line.text)
    return 0 if report.ok else 1


def cmd_orgs_list(args) -> int:
    from app.services.register import orgs

    ledger = open_from_args(args)
    rows = orgs.list_orgs(ledger, args.year)
    if args.json:
        print_json(
            [
                {
                    "code": o.code, "name": o.name, "kind": o.kind, "sector": o.sector, "parent": o.parent_code,
                    "class": o.category.value if o.category else None, "status": o.status,
                    "secretary": o.secretary, "member_count": o.member_count,
                    "established_on": o.established_on.isoformat() if o.established_on else None,
                    "closed_on": o.closed_on.isoformat() if o.closed_on else None,
                    "has_groups": o.has_groups,
                }
                for o in rows
            ]
        )
        return 0
    for o in rows:
        cat = o.category.value if o.category else "-"
        print(f"{o.code:<10} {cat}  {o.kind:<5} {o.sector:<7} {o.name}  （上级：{o.parent_name or '—'}）")
    return 0


def cmd_orgs_add(args) -> int:
    from app.services.register import orgs

    ledger = open_from_args(args)
    extra = {"established_on": args.established} if args.established else {}
    o = orgs.add_org(ledger, code=args.code, name=args.name, sector=args.sector, kind=args.kind,
                     parent=args.parent, category=args.category, secretary=args.secretary, **extra)
    print(f"已新增：{o.code} {o.name}" + (f"（成立日期 {o.established_on:%Y-%m-%d}）" if o.established_on else ""))
    return 0


def cmd_orgs_stop(args) -> int:
    from app.services.register import orgs

    ledger = open_from_args(args)
    o = orgs.set_status(ledger, args.code, args.active, on=args.on)
    print(f"已启用：{o.code} {o.name}" if o.active else f"已停用：{o.code} {o.name}（撤销日期 {o.closed_on:%Y-%m-%d}）")
    return 0


def cmd_orgs_class(args) -> int:
    from app.services.register import orgs

    ledger = open_from_args(args)
    year = _int(args.year, "年份")
    orgs.set_class(ledger, args.code, year, args.category, args.note)
    print(f"已设定：{args.code} {year} 年分类 {args.category}")
    return 0


def cmd_orgs_groups(args) -> int:
    from app.services.register import orgs

    ledger = open_from_args(args)
    o = orgs.update_org(ledger, args.code, has_groups=args.has)
    print(f"已设定：{o.code} {o.name}{'有' if o.has_groups else '没有'}党小组")
    return 0


def cmd_scheme_show(args) -> int:
    from app.services.scoring import schemes

    ledger = open_from_args(args)
    scheme = schemes.get_scheme(ledger, _int(args.year, "年份"))
    if args.json:
        print_json(scheme_to_dict(scheme))
        return 0
    print(scheme.name)
    for cat in scheme.categories:
        print(f"【{cat.name}】 {cat.kind.label} 年度上限 {fmt(cat.max_points) or '不限'}")
        for i in cat.items:
            caps = f"月上限 {fmt(i.monthly_cap) or '—'} 年上限 {fmt(i.yearly_cap) or '—'}"
            print(f"  {i.code} {i.name}（{i.kind.label}，每次 {fmt(i.points)} 分，{caps}）")
    w, g = scheme.warning, scheme.grade
    op = "≤" if w.inclusive else "<"
    print(f"预警线：黄色 {op} {fmt(w.yellow_below)}，橙色 {op} {fmt(w.orange_below)}，红色 {op} {fmt(w.red_below)}"
          f"（{'含本数' if w.inclusive else '不含本数'}）；"
          f"连续季度升级：{'是' if w.consecutive else '否'}")
    print(f"定级线：A类 ≥ {fmt(g.a_min)}，B类 ≥ {fmt(g.b_min)}，其余 C类")
    return 0


def cmd_scheme_copy(args) -> int:
    from app.services.scoring import schemes

    ledger = open_from_args(args)
    try:
        s = schemes.copy_scheme(ledger, _int(args.src, "源年份"), _int(args.dst, "目标年份"),
                                accept_calibration=args.accept_calibration)
    except schemes.CalibrationWarning as e:
        raise CliError(f"{e}\n未保存。确认仍要保存，请加 --accept-calibration 再执行一次。") from e
    print(f"已复制为 {s.year} 年积分细则")
    return 0


def cmd_scheme_check(args) -> int:
    from app.domain.calibration import routine_year
    from app.services.scoring import schemes

    ledger = open_from_args(args)
    scheme = schemes.get_scheme(ledger, _int(args.year, "年份"))
    with ledger.db.read() as s:
        routine, groups_only = schemes.routine_of(s, scheme.year)
    for with_groups in (False, True):
        r = routine_year(scheme, with_groups=with_groups, routine=routine, groups_only=groups_only)
        quarters = "、".join(fmt(q) for q in r.quarters)
        levels = "、".join(level.label for level in r.levels)
        print(f"按最低要求开展组织生活的支部（{'设' if with_groups else '未设'}党小组）：各季度 {quarters} 分，"
              f"预警 {levels}；全年 {fmt(r.annual)} 分，{r.grade.value} 类")
    problems = schemes.calibration(ledger, scheme)
    if not problems:
        print("校准检查通过。")
        return 0
    print("\n".join(f"· {p}" for p in problems))
    return 1


def cmd_score_set(args) -> int:
    from app.services.scoring import scores

    count = _int(args.count, "次数") if args.count is not None else None
    ledger = open_from_args(args)
    c = scores.set_score(ledger, args.org, _int(args.year, "年份"), _int(args.month, "月份"), args.item,
                         count=count, points=args.points, note=args.note)
    print(f"{args.org} {args.year}-{int(args.month):02d} {args.item}：手工 {fmt(c.manual_points)} 分，"
          f"记录 {fmt(c.record_points)} 分，计入 {fmt(c.effective)} 分")
    return 0


def cmd_score_list(args) -> int:
    from app.services.scoring import scores

    ledger = open_from_args(args)
    cells = scores.cells(ledger, _int(args.year, "年份"), org_code=args.org)
    if args.json:
        print_json(
            [
                {
                    "item": c.item_code, "month": c.month,
                    "manual": fmt(c.manual_points) if c.manual_points is not None else None,
                    "count": c.manual_count, "records": c.record_count, "record_points": fmt(c.record_points),
                    "points": fmt(c.signed),
                }
                for c in cells
            ]
        )
        return 0
    for c in cells:
        print(f"{c.month:>2} 月 {c.item_code:<6} 手工 {fmt(c.manual_points) or '—':>5} "
              f"记录 {c.record_count} 条 {fmt(c.record_points):>5}  计入 {fmt(c.signed):>5}")
    return 0


def cmd_records_add(args) -> int:
    from app.services.book import records

    values = {"date": args.date, "topic": args.topic, "content": args.content, "attendance": args.attendance,
              "place": args.place, "host": args.host, "recorder": args.recorder, **record_field_values(args)}
    ledger = open_from_args(args)
    r = records.add_record(ledger, args.org, args.type, values)
    from app.services.book import search

    same = search.duplicates(ledger, args.org, r.type_code, r.date, r.topic, exclude_id=r.id)
    if same:  # a warning, not a refusal: two meetings of one kind on one day do happen
        print(f"注意：已有一条 {r.date} 的“{r.type_name}”记录主题相同（编号 {same[0].id}），请确认不是重复登记",
              file=sys.stderr)
    earned = f"，计 {fmt(r.points)} 分（{r.item_code}）" if r.item_code else ""
    print(f"已登记：{r.date} {r.type_name}“{r.topic}”{earned}")
    return 0


def cmd_records_list(args) -> int:
    from app.services.book import records, search

    ledger = open_from_args(args)
    rows = search.search(records.list_records(ledger, args.org, _int(args.year, "年份")), args.search)
    if args.json:
        print_json(
            [
                {
                    "id": r.id, "type": r.type_code, "type_name": r.type_name, "date": r.date.isoformat(),
                    "topic": r.topic, "attendance": r.attendance or None, "item": r.item_code,
                    "points": fmt(r.points) if r.points is not None else None,
                    "absentees": r.absentees, "fields": r.extra,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        earned = f"  +{fmt(r.points)}" if r.points is not None else ""
        print(f"{r.date} {r.type_code:<4} {r.type_name:<8} {r.topic}{earned}")
    return 0


def cmd_records_types(args) -> int:
    from app.services.book import records

    ledger = open_from_args(args)
    section = None
    for t in records.record_types(ledger):
        if t.section_code != section:
            section = t.section_code
            print(f"{t.section_code} {t.section_name}")
        print(f"   {t.code} {t.name}")
    return 0


def cmd_warnings(args) -> int:
    from app.services.assessment import warnings

    ledger = open_from_args(args)
    rows = warnings.quarter_warnings(ledger, _int(args.year, "年份"), _int(args.quarter, "季度"))
    if args.json:
        print_json([warnings.as_dict(w) for w in rows])
        return 0
    shown = [w for w in rows if args.all or w.level or w.shown_level]
    for w in sorted(shown, key=lambda w: (-w.level, w.quarter_score)):
        issued = ""
        if w.changed_since_issue:
            issued = f"  【发布后有变化：通报时为{w.as_issued.level.label}，{fmt(w.as_issued.score)} 分】"
        print(f"{w.level.label:<6} {w.org_code:<8} {fmt(w.quarter_score):>5}  {w.org_name}  {w.reason_text}{issued}")
    state = "（季度尚未结束，暂算）" if rows and rows[0].provisional else ""
    print(f"共 {len(rows)} 个组织，预警 {sum(1 for w in rows if w.level)} 个{state}", file=sys.stderr)
    return 0


def cmd_grades(args) -> int:
    from app.services.assessment import grades

    ledger = open_from_args(args)
    year = _int(args.year, "年份")
    if args.reopen:
        grades.reopen(ledger, year, args.reason)
        print(f"已重新打开 {year} 年度；修改完成后请再次确认定级（grades --year {year} --confirm）")
        return 0
    rows = grades.confirm(ledger, year) if args.confirm else grades.year_grades(ledger, year)
    if args.json:
        print_json([grades.as_dict(g) for g in rows])
        return 0
    for g in rows:
        if not g.graded:
            print(f"{'':>3} {g.org_code:<8} {fmt(g.score):>5} {g.note}（未满一整年，不定级） {g.org_name}")
            continue
        mark = "（否决）" if g.veto else ""
        print(f"{g.rank:>3} {g.org_code:<8} {fmt(g.score):>5} {g.computed.value}→{g.final.value} {g.change:<2} "
              f"{g.org_name}{mark}")
    if rows and rows[0].provisional:
        print(f"{year} 年尚未结束，以上为暂算结果", file=sys.stderr)
    return 0
