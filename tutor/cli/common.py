"""Helpers shared by the command modules: messages, progress bars, the tutor and its index."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.config import Settings
from tutor.index import IndexReport


class TerminalProgress:
    """tqdm progress bars for the core's ``progress(stage, done, total)`` callbacks (to stderr)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="", file=sys.stderr, leave=True)
        self.bar.n = done
        self.bar.refresh()
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar = None
        self.stage = None


def say(message: str) -> None:
    """A message for the student, on stderr (stdout is for results)."""
    print(message, file=sys.stderr, flush=True)


def make_tutor(args: argparse.Namespace, settings: Settings):
    """The :class:`~tutor.pipeline.Tutor` for ``--corpus`` and ``--model`` (when given)."""
    from tutor.pipeline import Tutor

    if getattr(args, "model", None):
        from dataclasses import replace

        settings = replace(settings, llm_model=args.model)
    return Tutor(settings, Path(args.corpus) if args.corpus else None)


def report_index(report: IndexReport | None, quiet: bool = False) -> None:
    """What indexing did, and any file it could not read."""
    if report is None or quiet:
        return
    if report.rebuilt_reason:
        say(f"Se reconstruye el índice: {report.rebuilt_reason}.")
    say(report.summary())
    for rel, message in report.problems:
        say(f"  Aviso: {rel}: {message}")


def ensure_index(tutor, args: argparse.Namespace) -> None:
    """Index the course if needed, with progress bars unless ``--json``."""
    progress = TerminalProgress(enabled=not getattr(args, "json", False))
    report = tutor.ensure_index(progress)
    progress.close()
    report_index(report, quiet=getattr(args, "json", False) and not (report and report.problems))
