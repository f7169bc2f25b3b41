"""Excel and exchange-package commands: export-ledger, export-template, import-scores, undo-import,
export-package, import-package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import CliError, open_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-ledger", help="导出某年积分台账工作簿（.xlsx）")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--with-roster", action="store_true", help="同时导出党员花名册（个人信息，记入审计日志）")
    p.set_defaults(func=cmd_export_ledger)

    p = sub.add_parser("export-template", help="导出积分填报模板（.xlsx）")
    p.add_argument("--year", required=True, type=int)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--month", type=int)
    g.add_argument("--quarter", type=int)
    p.add_argument("--unit", help="只包含该组织及其下属支部（组织编码）")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_export_template)

    p = sub.add_parser("import-scores", help="从填报模板或自制表格导入积分（先预览，全部无误才写入）")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示预览，不写入")
    p.add_argument("--skip-invalid", action="store_true", help="跳过有错误的行，只导入无误的行")
    p.add_argument("--year", type=int, help="自制表格：积分所属年份")
    p.add_argument("--month", type=int, help="自制表格：积分所属月份")
    p.add_argument("--sheet", help="自制表格：读取哪个工作表（默认第一个）")
    p.add_argument("--map", action="append", default=[], metavar="表头=字段",
                   help="自制表格：列对应关系，如 “支部代码=org_code”“党员大会=RC01”（会被记住）")
    p.set_defaults(func=cmd_import_scores)

    for name, kind, text in (("import-roster", "roster", "导入党员花名册（按组织编码和姓名匹配）"),
                             ("import-orgs", "orgs", "导入组织台账（按组织编码匹配）")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file", type=Path)
        p.add_argument("--dry-run", action="store_true", help="只显示预览，不写入")
        p.add_argument("--skip-invalid", action="store_true", help="跳过有错误的行，只导入无误的行")
        p.add_argument("--sheet", help="读取哪个工作表（默认第一个）")
        p.add_argument("--map", action="append", default=[], metavar="表头=字段",
                       help="列对应关系，如 “手机号=phone”（会被记住）")
        p.set_defaults(func=cmd_import_register, kind=kind)

    p = sub.add_parser("undo-import", help="撤销上次导入（完整恢复导入前的数值）")
    p.set_defaults(func=cmd_undo_import)

    p = sub.add_parser("export-package", help="导出数据包（某组织及其下属、某年），用于上报或交换")
    p.add_argument("--scope", required=True, help="组织编码")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.add_argument("--with-roster", action="store_true", help="包含党员花名册和支委会成员（个人信息，记入审计日志）")
    p.set_defaults(func=cmd_export_package)

    p = sub.add_parser("import-package", help="导入数据包（按 UUID 合并，冲突需选择）")
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示将发生的变化和冲突，不写入")
    p.add_argument("--prefer", choices=["mine", "theirs"],
                   help="所有冲突都保留本机数据（mine）或采用数据包数据（theirs）")
    p.set_defaults(func=cmd_import_package)


def cmd_export_ledger(args) -> int:
    from app.io.ledger_export import export_ledger

    ledger = open_from_args(args)
    path = export_ledger(ledger, args.year, args.output, with_roster=args.with_roster)
    print(f"已导出 {args.year} 年积分台账：{path}")
    return 0


def cmd_export_template(args) -> int:
    from app.io.template import export_template

    ledger = open_from_args(args)
    path = export_template(ledger, args.year, args.output, month=args.month, quarter=args.quarter, unit=args.unit)
    print(f"已导出填报模板：{path}")
    return 0


def _parse_map(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise CliError(f"--map 的格式应为“表头=字段”，收到“{item}”")
        header, key = item.split("=", 1)
        out[header.strip()] = key.strip()
    return out


def print_preview(preview) -> None:
    from app.services.imports.batches import INVALID, STATUS_LABELS, UNCHANGED

    print(f"预览：{preview.summary()}")
    for n in preview.notices:
        print(f"  提示：{n}")
    for p in preview.problems:
        print(f"  错误：{p}")
    for r in preview.rows:
        if r.status == UNCHANGED:
            continue
        print(f"  [{STATUS_LABELS[r.status]}] {r.where} {r.label}")
        for c in r.changes:
            print(f"      {c.field}：{c.old} → {c.new}")
        if r.status == INVALID:
            for p in r.problems:
                print(f"      错误：{p}")


def _columns(headers: list[str], by_header: dict[str, str]) -> dict[int, str]:
    """Column index → field from --map "表头=字段" pairs; every named header must exist."""
    unknown = set(by_header) - set(headers)
    if unknown:
        raise CliError(f"工作表中没有这些表头：{'、'.join(sorted(unknown))}")
    return {col: by_header[h] for col, h in enumerate(headers) if h in by_header}


def _dry_run_result(preview) -> int:
    if not preview.ok:
        print(f"错误：有 {len(preview.all_problems)} 处问题，导入时将被拒绝", file=sys.stderr)
        return 2
    return 0


def cmd_import_scores(args) -> int:
    from app.io import score_import
    from app.services.imports import batches

    ledger = open_from_args(args)
    mapping = None
    if args.map:
        by_header = _parse_map(args.map)
        table = score_import.read_user_table(args.file, args.sheet)
        mapping = _columns(table.headers, by_header)
    parsed = score_import.parse_scores(ledger, args.file, year=args.year, month=args.month, mapping=mapping,
                                       sheet=args.sheet)
    preview = batches.preview_scores(ledger, parsed)
    print_preview(preview)
    if args.dry_run:
        return _dry_run_result(preview)
    result = batches.apply_scores(ledger, parsed, skip_invalid=args.skip_invalid, preview=preview)
    if result.batch_id is None:
        print("没有需要写入的变化")
    else:
        print(f"已导入：新增 {result.rows_new} 行，修改 {result.rows_changed} 行，共 {result.cells} 个单元格；"
              f"导入前备份：{result.backup}")
    return 0


def cmd_import_register(args) -> int:
    from app.io import register_import
    from app.services.imports import registers

    ledger = open_from_args(args)
    mapping = None
    if args.map:
        by_header = _parse_map(args.map)
        table = register_import.read_table(args.file, args.sheet)
        mapping = _columns(table.headers, by_header)
    parsed = register_import.parse_register(ledger, args.file, args.kind, mapping=mapping, sheet=args.sheet)
    preview = registers.preview_register(ledger, parsed)
    print_preview(preview)
    if args.dry_run:
        return _dry_run_result(preview)
    result = registers.apply_register(ledger, parsed, skip_invalid=args.skip_invalid, preview=preview)
    if result.batch_id is None:
        print("没有需要写入的变化")
    else:
        print(f"已导入：新增 {result.rows_new} 行，修改 {result.rows_changed} 行；导入前备份：{result.backup}")
    return 0


def cmd_undo_import(args) -> int:
    from app.services.imports import undo

    ledger = open_from_args(args)
    batch = undo.undo_last(ledger)
    print(f"已撤销 {batch.at:%Y-%m-%d %H:%M} 导入的“{batch.file_name}”（{batch.cells} 处，已恢复原值）")
    return 0


def cmd_export_package(args) -> int:
    from app.io.package import export_package

    ledger = open_from_args(args)
    path = export_package(ledger, args.scope, args.year, args.output, with_roster=args.with_roster)
    print(f"已导出数据包：{path}" + ("（含党员个人信息，请妥善保管）" if args.with_roster else ""))
    return 0


def cmd_import_package(args) -> int:
    from app.io.package import check_sender, import_package, plan_package, read_package, trust_sender
    from app.services.exchange import trust

    ledger = open_from_args(args)
    info = read_package(args.file)
    print(f"数据包：{info.label}")
    print(f"签名：{info.sender_name}，单位标识 {info.source}，密钥指纹 {info.fingerprint}")
    if check_sender(ledger, info) == trust.NEW_KEY:
        if args.dry_run:
            print("这是第一次收到该单位的数据包：正式导入时将信任此密钥（请与对方核对指纹）")
        else:
            trust_sender(ledger, info)
            print("首次收到该单位的数据包：已信任此密钥（请与对方电话核对上面的指纹；"
                  "如不符，请用 keys forget 撤销并撤销本次导入）")
    plan = plan_package(ledger, info, new_key_ok=args.dry_run)  # a dry run writes nothing, trusted or not
    print(f"将发生：{plan.summary()}")
    for c in plan.conflicts:
        print(f"  冲突：{c.label}")
        for name, here, there in c.fields:
            print(f"      {name}：本机“{here}” / 数据包“{there}”")
    if args.dry_run:
        return 0
    decisions = {(c.entity, c.key): args.prefer for c in plan.conflicts} if args.prefer else None
    if plan.conflicts and not decisions:
        raise CliError(f"有 {len(plan.conflicts)} 处冲突：请用 --prefer mine 或 --prefer theirs 指定保留哪一方，"
                       "或在软件中逐条选择")
    plan = import_package(ledger, info, decisions)
    print(f"已导入：{plan.summary()}")
    return 0
