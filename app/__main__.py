"""``python -m app`` starts the GUI; ``python -m app <command>`` runs the command-line interface."""

from __future__ import annotations

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
    if _wants_gui(argv):
        from ui.app import run_gui

        return run_gui(argv)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
