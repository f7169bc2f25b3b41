"""``python -m app`` starts the GUI; ``python -m app <command>`` runs the command-line interface."""

from __future__ import annotations

import os
import sys


def _wants_gui(argv: list[str]) -> bool:
    # Only global options (or none) → the GUI; anything else is a CLI command.
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--db", "--user"):
            i += 2
            continue
        if arg.startswith(("--db=", "--user=")):
            i += 1
            continue
        return False
    return True


def _version(argv: list[str]) -> int:
    """Version, then who this installation is: unit name, unit id and key fingerprint of the ledger file
    (``--db`` or the default one), read without changing or creating anything."""
    from pathlib import Path

    from app import APP_NAME, __version__
    from app.paths import default_db_path
    from app.services.kernel.identity import describe

    print(f"{APP_NAME} {__version__}")
    db = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--db"), None)
    db = db or next((a.split("=", 1)[1] for a in argv if a.startswith("--db=")), None)
    from app.errors import LedgerError
    from app.paths import is_server, ledger_target

    try:
        target = ledger_target(db) if db else default_db_path()
    except LedgerError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    if is_server(target):  # a server database: named without its password; its identity is in the ledger
        print(f"服务器数据库：{target}（单位名称等请连接后在“设置 → 关于与自检”中查看）")
        return 0
    path = Path(target).expanduser()
    name, uid, fp, folder = describe(path)
    print(f"数据文件：{path}" + ("" if path.is_file() else "（尚未建立）"))
    print(f"本单位：{name or '（未填写单位名称）'}")
    print(f"单位标识：{uid or '（首次以可写方式打开时建立）'}")
    print(f"本机密钥指纹：{fp or '（首次以可写方式打开时建立）'}")
    if folder:
        print(f"密钥文件夹：{folder}（须与数据文件一起备份和搬移）")
    return 0


def main() -> int:
    argv = sys.argv[1:]
    if "--version" in argv and _wants_gui([a for a in argv if a != "--version"]):
        return _version(argv)
    if "--self-test" in argv:
        from ui.selftest import main as self_test

        return self_test([a for a in argv if a != "--self-test"])
    if argv[:1] == ["screenshots"]:  # Qt lives in ui/, so this is dispatched here, not in app/cli
        from ui.screenshots import main as screenshots

        return screenshots(argv[1:])
    if _wants_gui(argv):
        if os.environ.get("DANGJIAN_EXIT_AFTER_SHOW"):  # start-up benchmark: quit once the window painted
            from ui.startup_probe import install

            install()
        from ui.app import run_gui

        return run_gui(argv)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
