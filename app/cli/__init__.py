"""Command-line interface: ``python -m app [--db PATH] <command>``.

Exit 0 on success; 2 on bad input, with one line on stderr naming the problem and nothing written.
Commands live in modules of this package, each with a ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence

from app import APP_NAME, __version__
from app.errors import LedgerError
from app.paths import db_argument


def command_modules() -> list[str]:
    """Every module of this package adds commands through its register(subparsers)."""
    import pkgutil

    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


class CliError(Exception):
    """Bad command-line input discovered by a command itself."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(2, f"{self.prog}: 参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    from ._zh import install

    install()
    parser = _Parser(prog="dangjian-ledger", description=f"{APP_NAME} 命令行")
    parser.add_argument("--db", type=db_argument,
                        help="数据库文件或服务器数据库 postgresql://用户@主机:端口/库名（默认：用户数据文件夹中的 ledger.sqlite）")
    parser.add_argument("--user", default="管理员", help="以哪个用户身份操作（记入审计日志）")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in command_modules():
        importlib.import_module(name).register(sub)
    return parser


def open_from_args(args: argparse.Namespace):
    """Open the ledger with the single-writer lock, logging in when accounts require it (see safety.py)."""
    from .safety import open_for_cli

    return open_for_cli(args)


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        result = args.func(args)
    except (LedgerError, CliError) as e:
        message = str(e).replace("\n", " ")
        print(f"错误：{message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly; stdout is pointed at devnull so the
        # interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        from .safety import close_opened

        close_opened()  # releases the writer lock as soon as the command ends
    return int(result or 0)
