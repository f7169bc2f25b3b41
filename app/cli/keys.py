"""Signing keys: keys show | export | list | trust | forget."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import CliError, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    k = sub.add_parser("keys", help="本机签名密钥与已信任的发送方密钥").add_subparsers(
        dest="sub", metavar="SUB", required=True)
    p = k.add_parser("show", help="显示本单位标识和本机密钥指纹")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)
    p = k.add_parser("export", help="导出本机公钥文件（交给接收方预先信任）")
    p.add_argument("-o", "--output", required=True, type=Path)
    p.set_defaults(func=cmd_export)
    p = k.add_parser("list", help="列出已信任的发送方密钥")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = k.add_parser("trust", help="信任对方导出的公钥文件（需要管理员）")
    p.add_argument("--file", required=True, type=Path)
    p.set_defaults(func=cmd_trust)
    p = k.add_parser("forget", help="不再信任某发送方的密钥（单位标识、单位名称或指纹；需要管理员）")
    p.add_argument("who")
    p.set_defaults(func=cmd_forget)


def cmd_show(args) -> int:
    from app.services.kernel import identity, settings

    ledger = open_from_args(args)
    uid, name, fp = identity.ensure_unit_id(ledger), str(settings.get(ledger, "unit_name") or ""), identity.own_fingerprint(ledger)
    if args.json:
        print_json({"unit_id": uid, "unit_name": name, "fingerprint": fp})
    else:
        print(f"本单位：{name or '（未填写单位名称）'}\n单位标识：{uid}\n本机密钥指纹：{fp}")
    return 0


def cmd_export(args) -> int:
    from app.services.exchange import trust

    path, fp = trust.export_public(open_from_args(args), args.output)
    print(f"已导出本机公钥：{path}\n密钥指纹：{fp}（接收方信任前请电话核对）")
    return 0


def cmd_list(args) -> int:
    from app.services.exchange import trust

    pins = trust.list_pins(open_from_args(args))
    if args.json:
        print_json([{"unit_id": p.unit_id, "unit_name": p.unit_name, "fingerprint": p.fingerprint,
                     "pinned_at": p.pinned_at} for p in pins])
        return 0
    if not pins:
        print("还没有信任任何发送方的密钥")
    for p in pins:
        print(f"{p.unit_name or '（无名称）'}  指纹 {p.fingerprint}  单位标识 {p.unit_id}  信任于 {p.pinned_at}")
    return 0


def cmd_trust(args) -> int:
    from app.services.exchange import trust

    p = trust.trust_file(open_from_args(args), args.file)
    print(f"已信任“{p.unit_name}”的密钥，指纹 {p.fingerprint}")
    return 0


def cmd_forget(args) -> int:
    from app.services.exchange import trust

    if not args.who.strip():
        raise CliError("请写明要忘记哪个发送方的密钥")
    p = trust.forget(open_from_args(args), args.who)
    print(f"已不再信任“{p.unit_name}”的密钥（指纹 {p.fingerprint}）")
    return 0
