"""Saved conversations on the command line: ``history`` and ``export``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tutor.cli.common import say
from tutor.config import Settings
from tutor.history import HistoryStore, short_date
from tutor.notes import conversation_markdown


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor history``: the saved conversations, most recent first (``--search`` filters them)."""
    rows = HistoryStore().conversations(args.search or "")
    if args.json:
        print(json.dumps({"conversations": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        say("No hay conversaciones guardadas" + (" con ese texto." if args.search else " todavía."))
        return 0
    for r in rows:
        turns = f"{r.turns} pregunta{'s' if r.turns != 1 else ''}"
        print(f"{r.id:>5}  {short_date(r.created)}  {r.course_name or '—'}  ({turns})  {r.title}")
    say("Continúa una con «tutor ask --conversation N …» o expórtala con «tutor export N -o apuntes.md».")
    return 0


def export_format(args: argparse.Namespace) -> str:
    """``--format``, or the output file's extension (.pdf or .md), Markdown by default."""
    if args.format:
        return args.format
    return "pdf" if args.output and Path(args.output).suffix.lower() == ".pdf" else "md"


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor export ID``: a conversation as Markdown (to stdout or ``-o``) or PDF notes (``-o``)."""
    saved = HistoryStore().get(args.id)
    markdown = conversation_markdown(saved.info, saved.turns)
    fmt = export_format(args)
    if fmt == "pdf":
        if not args.output:
            raise ValueError("Para exportar en PDF indica el archivo con -o, p. ej. «-o apuntes.pdf».")
        try:
            from tutor.gui.export_pdf import markdown_to_pdf  # Qt, only for PDF
        except ImportError as exc:
            raise ValueError(f"Exportar en PDF necesita PySide6 (el de la ventana): {exc}. Usa --format md.") from exc
        markdown_to_pdf(markdown, Path(args.output), saved.info.title)
    elif args.output:
        Path(args.output).write_text(markdown, encoding="utf-8")
    else:
        print(markdown, end="")
        return 0
    say(f"Conversación {saved.info.id} exportada a {args.output}.")
    return 0
