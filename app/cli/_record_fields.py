"""`records add` options for a filed record's other form fields. They only gather what was typed;
app/services/book/fields.py checks it, as for the dialog and packages."""

from __future__ import annotations

import argparse
import re

from . import CliError

SEPARATORS = re.compile(r"[,，、;；]")


def add_record_field_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--present", help="出席人员，逗号或顿号分隔，如 “张三、李四”（与 --absent 一起即按名单登记出席）")
    p.add_argument("--absent", action="append", default=[], metavar="姓名:原因",
                   help="缺席人员及原因，如 “王五:病假”，可重复")
    p.add_argument("--absentees", default="", help="缺席人员及原因（只填人数 --attendance 时的文字说明）")
    p.add_argument("--vote", help="表决结果 赞成/反对/弃权，如 9/0/1")
    p.add_argument("--dues", action="append", default=[], metavar="姓名,缴费基数,应缴,实缴,缴纳日期",
                   help="党费明细一行（金额以元计，到分：1500、23.45），可重复；如 “张三,6000,1500,1500,2026-03-05”")
    p.add_argument("--field", action="append", default=[], metavar="键=值",
                   help="表单的其他字段，如 observers=王干事、agenda=…、resolution=…、amount=1500，可重复")


def record_field_values(args: argparse.Namespace) -> dict:
    values: dict = {}
    if args.absentees:
        values["absentees"] = args.absentees
    if args.present is not None or args.absent:
        if args.attendance:
            raise CliError("--attendance（只填人数）与 --present/--absent（按名单）只能选一种")
        absent = []
        for item in args.absent:
            name, _sep, reason = item.replace("：", ":").partition(":")
            absent.append({"name": name.strip(), "reason": reason.strip()})
        present = [n.strip() for n in SEPARATORS.split(args.present or "") if n.strip()]
        values["attendance"] = {"present": present, "absent": absent}
    if args.vote:
        values["vote"] = args.vote
    if args.dues:
        values["dues"] = [[c.strip() for c in row.replace("，", ",").split(",")] for row in args.dues]
    for item in args.field:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--field 应写成“键=值”，收到“{item}”")
        if key.strip() in ("attendance", "vote", "dues", "date", "topic"):
            raise CliError(f"“{key.strip()}”有专门的选项，请不要用 --field")
        values[key.strip()] = value
    return values
