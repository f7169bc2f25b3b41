"""Entry script of the frozen app (PyInstaller needs a file): the same as ``python -m app``."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A frozen app starts its batch-export workers by running this same executable: freeze_support
    # turns such a start into a worker instead of a second window.
    multiprocessing.freeze_support()
    from app.__main__ import main

    sys.exit(main())
