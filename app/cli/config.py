"""settings: list and change the ledger's settings (unit name, 公文 issuer and 文号 prefix, mirrored margins…)."""

from __future__ import annotations

import argparse

from . import open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("settings", help="查看或修改设置").add_subparsers(dest="sub", metavar="SUB", required=True)
    p = group.add_parser("list", help="列出全部设置及其当前值")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = group.add_parser("set", help="修改一项设置，如 settings set doc_prefix 青开党工")
    p.add_argument("key", help="设置项（见 settings list）")
    p.add_argument("value", help="新值；是/否类的设置填“是”或“否”")
    p.set_defaults(func=cmd_set)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if value != "" else "（未填写）"


def cmd_list(args: argparse.Namespace) -> int:
    from app.services.kernel import settings

    ledger = open_from_args(args)
    try:
        values = settings.get_all(ledger)
    finally:
        ledger.close()
    if args.json:
        print_json([{"key": k, "label": d.label, "value": values[k]} for k, d in settings.SETTINGS.items()])
        return 0
    for k, d in settings.SETTINGS.items():
        print(f"{k}\t{d.label}\t{_shown(values[k])}")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from app.services.kernel import settings

    ledger = open_from_args(args)
    try:
        settings.set_value(ledger, args.key, args.value)
        value = settings.get(ledger, args.key)
    finally:
        ledger.close()
    print(f"已保存：{settings.SETTINGS[args.key].label} = {_shown(value)}")
    return 0
