"""Commands that manage the tutor: ``index``, ``settings``, ``bench`` and ``gui``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tutor.cli.common import TerminalProgress, make_tutor, report_index, say
from tutor.config import InvalidParameter, Settings, save_settings
from tutor.index import IndexReport


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor index``: index (or update) the course folder."""
    tutor = make_tutor(args, settings)
    say(f"Indexando {tutor.corpus} …")
    progress = TerminalProgress()
    report = tutor.update_index(progress)
    progress.close()
    report_index(report)
    if args.json:
        print(json.dumps(_report_dict(report), ensure_ascii=False, indent=2))
    return 0


def _report_dict(report: IndexReport) -> dict:
    """The index report as JSON-ready data."""
    return {
        "added": report.added,
        "updated": report.updated,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "problems": [{"file": f, "message": m} for f, m in report.problems],
        "chunks": report.chunks,
        "embedded": report.embedded,
        "seconds": round(report.seconds, 3),
    }


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor settings``: print the saved settings, after applying any ``--set``."""
    import tomli_w

    from tutor.paths import settings_path

    if args.set:
        data = settings.to_dict()
        for item in args.set:
            key, _, raw = item.partition("=")
            section, _, name = key.rpartition(".")
            target = data[section] if section else data
            if name not in target:
                raise InvalidParameter(f"Ajuste desconocido: {key}")
            target[name] = _parse_value(raw, target[name])
        settings = Settings.from_dict(data)
        save_settings(settings)
    print(f"# {settings_path()}")
    print(tomli_w.dumps(settings.to_dict()))
    return 0


def _parse_value(raw: str, current):
    """A settings value from the command line: TOML syntax (true, 0.7, "texto"), else plain text."""
    import tomllib

    if isinstance(current, list):
        return [part.strip() for part in raw.split("|") if part.strip()]
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    if isinstance(current, bool) != isinstance(value, bool):
        raise InvalidParameter(f"Valor no válido: {raw!r} (se esperaba {type(current).__name__}).")
    return value


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor bench``: timings and memory on this machine."""
    from tutor.bench import format_table, run_bench, to_json
    from tutor.paths import resolve_corpus

    corpus = Path(args.corpus).expanduser().resolve() if args.corpus else resolve_corpus(settings.corpus_dir)
    dev = Path(args.dev) if args.dev else Path("../shared/eval/dev.jsonl")
    figures = run_bench(settings, corpus, dev, quick=args.quick, model=args.model, say=say)
    print(to_json(figures) if args.json else format_table(figures))
    return 0


def cmd_gui(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor gui`` (or no command): the window."""
    try:
        from tutor.gui.app import main as gui_main
    except ImportError as exc:
        say(f"La ventana necesita PySide6 ({exc}). Instala tutor con: pip install 'tutor[gui]'")
        return 2
    return gui_main([sys.argv[0]], corpus=getattr(args, "corpus", None))
