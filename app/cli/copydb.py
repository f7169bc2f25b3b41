"""copy-db SRC DST: a whole ledger from a file to the county server or back."""

from __future__ import annotations

import argparse

from app.paths import db_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("copy-db", help="把整个台账复制到空的服务器数据库或新文件（文件 ↔ 服务器，先核对源数据）")
    p.add_argument("source", type=db_argument, help="源：数据库文件或 postgresql://…")
    p.add_argument("target", type=db_argument, help="目标：新的数据库文件或空的服务器数据库 postgresql://…")
    p.set_defaults(func=cmd_copy_db)


def cmd_copy_db(args) -> int:
    from app.services.safety import copying

    from .safety import open_for_cli

    args.db = args.source
    source = open_for_cli(args)
    result = copying.copy_ledger(source, args.target, user=args.user)
    total = sum(result.rows.values())
    print(f"已复制：{result.source} → {result.target}（{len(result.rows)} 张表，共 {total} 行）")
    return 0
