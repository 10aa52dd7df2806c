"""The ``tutor`` command line (Spanish messages; ``--json`` for scripts).

``main`` is the console entry point; the flags are in :mod:`tutor.cli.parser` and the commands in
:mod:`~tutor.cli.answers`, :mod:`~tutor.cli.practice`, :mod:`~tutor.cli.models` and :mod:`~tutor.cli.manage`.
"""

from __future__ import annotations

import logging

from tutor.cli.common import say
from tutor.cli.manage import cmd_gui
from tutor.cli.parser import build_parser
from tutor.config import InvalidParameter, load_settings
from tutor.index import IndexLocked

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tutor`` console script."""
    from tutor.model_files import ModelError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    _quiet_libraries(args.verbose)
    settings = load_settings()
    if not getattr(args, "func", None):
        return cmd_gui(args, settings)
    try:
        return args.func(args, settings)
    except (InvalidParameter, ModelError, IndexLocked, FileNotFoundError, ValueError) as exc:
        say(f"Error: {exc}")
        return 2
    except KeyboardInterrupt:
        say("\nInterrumpido.")
        return 130


def _quiet_libraries(verbose: bool) -> None:
    """Hide library chatter (weight loading bars, deprecation notices) unless --verbose."""
    if verbose:
        return
    import os
    import warnings

    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.getLogger("bm25s").setLevel(logging.WARNING)
