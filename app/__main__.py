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


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--version"]:
        from app import APP_NAME, __version__

        print(f"{APP_NAME} {__version__}")
        return 0
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
