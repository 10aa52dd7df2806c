"""Entry point of the desktop bundle: the tutor CLI; with no arguments it opens the window."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from tutor.cli import main

    sys.exit(main())
