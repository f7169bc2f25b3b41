"""Printing commands: handbook, handbooks, notice, summary, monthly-sheet (PDF files)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from . import CliError, open_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("handbook", help="生成一个党组织某年的党支部工作手册（PDF）")
    p.add_argument("--org", required=True, help="组织编码")
    p.add_argument("--year", required=True)
    p.add_argument("-o", "--output", required=True, type=Path, help="输出 PDF 文件")
    _mirror_flag(p)
    p.set_defaults(func=cmd_handbook)

    p = sub.add_parser("handbooks", help="把本单位所有党组织某年的工作手册生成到一个文件夹")
    p.add_argument("--year", required=True)
    p.add_argument("--out", required=True, type=Path, help="输出文件夹")
    _mirror_flag(p)
    p.set_defaults(func=cmd_handbooks)

    p = sub.add_parser("notice", help="生成季度预警通报（PDF）")
    p.add_argument("--year", required=True)
    p.add_argument("--quarter", required=True)
    p.add_argument("--no", dest="notice_no", help="文号，如“青开党工〔2026〕11号”（默认取已发布通报的文号）")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_notice)

    p = sub.add_parser("compliance-notice", help="生成季度组织生活落实情况通报（PDF）")
    p.add_argument("--year", required=True)
    p.add_argument("--quarter", required=True)
    p.add_argument("--no", dest="notice_no", help="文号，如“青开党工〔2026〕12号”（默认按设置的机关代字，序号留空）")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_compliance_notice)

    p = sub.add_parser("summary", help="生成年度分类定级汇总表（PDF）")
    p.add_argument("--year", required=True)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("monthly-sheet", help="生成月度积分记录表（PDF）")
    p.add_argument("--year", required=True)
    p.add_argument("--month", required=True)
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_monthly_sheet)


def _mirror_flag(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--mirror", dest="mirror", action="store_true", default=None,
                   help="镜像页边距（双面打印：奇数页装订边在左，偶数页在右）；默认按设置")
    g.add_argument("--no-mirror", dest="mirror", action="store_false", help="不镜像页边距（单面打印）")


def _write(path: Path, make: Callable[[Path], int]) -> int:
    """Write a PDF beside ``path`` and rename it into place, so a failure leaves no broken file."""
    if path.is_dir():
        raise CliError(f"输出路径“{path}”是文件夹，请给出 PDF 文件名")
    if not path.parent.exists():
        raise CliError(f"输出文件夹“{path.parent}”不存在")
    from app.reports import glyphs

    part = path.with_name(path.name + ".part")
    try:
        with glyphs.collect() as missing:
            pages = make(part)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    print(f"已生成 {path}（共 {pages} 页）")
    if missing:
        print(glyphs.missing_text(missing), file=sys.stderr)
    return 0


def cmd_handbook(args: argparse.Namespace) -> int:
    from app.reports.handbook import build_handbook

    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda p: build_handbook(ledger, args.org, args.year, p,
                                                                     mirror=args.mirror))
    finally:
        ledger.close()


def cmd_handbooks(args: argparse.Namespace) -> int:
    from app.reports.batch import export_handbooks

    ledger = open_from_args(args)
    try:
        files = export_handbooks(ledger, args.year, args.out, mirror=args.mirror)
    finally:
        ledger.close()
    print(f"已生成 {len(files)} 本工作手册，保存在 {args.out}")
    return 0


def cmd_compliance_notice(args: argparse.Namespace) -> int:
    from app.reports.compliance_notice import build_compliance_notice

    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda p: build_compliance_notice(ledger, args.year, args.quarter, p,
                                                                     notice_no=args.notice_no))
    finally:
        ledger.close()


def cmd_notice(args: argparse.Namespace) -> int:
    from app.reports.notice import build_notice

    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda p: build_notice(ledger, args.year, args.quarter, p,
                                                          notice_no=args.notice_no))
    finally:
        ledger.close()


def cmd_summary(args: argparse.Namespace) -> int:
    from app.reports.summary import build_summary

    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda p: build_summary(ledger, args.year, p))
    finally:
        ledger.close()


def cmd_monthly_sheet(args: argparse.Namespace) -> int:
    from app.reports.monthly_sheet import build_monthly_sheet

    ledger = open_from_args(args)
    try:
        return _write(args.output, lambda p: build_monthly_sheet(ledger, args.year, args.month, p))
    finally:
        ledger.close()
