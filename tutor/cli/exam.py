"""``tutor ask`` on a practice exam question: the options' verdicts, and recording the student's result."""

from __future__ import annotations

import argparse
import sys

from tutor.answer import Answer
from tutor.cli.common import say

MARKS = {"correct": "✔", "incorrect": "✘"}


def print_practice(answer: Answer) -> None:
    """Each option with its verdict and the passage that decides it (the answer text was streamed)."""
    practice = answer.practice or {}
    if not practice.get("per_option"):
        return
    print("\nOpciones:")
    for row in practice["per_option"]:
        mark = MARKS.get(row["verdict"], "·")
        print(f"  {mark} {row['label']}. {row['text']} — {row['reason']}")
    if practice.get("method") == "evidence":
        print(f"Confianza de la estimación: {round(100 * practice['confidence'])} %")


def add_review_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mine", metavar="LETRA", help="pregunta de examen: la opción que respondiste tú (p. ej. B, o A,C)"
    )
    parser.add_argument(
        "--key",
        metavar="LETRA",
        help="pregunta de examen: la correcta según la clave de tu test; con --mine anota el resultado en tu repaso",
    )


def record_review(args: argparse.Namespace, tutor, answer: Answer) -> dict | None:
    """With ``--mine``, record the student's result under the deciding slide's topic; the key comes from
    ``--key`` or, in a terminal, from the student confirming the tutor's choice. Returns what was recorded."""
    mine_text, key_text = getattr(args, "mine", None), getattr(args, "key", None)
    if not mine_text and not key_text:
        return None
    if answer.practice is None:
        say("(--mine y --key solo sirven con una pregunta de examen: enunciado y opciones A, B, C…)")
        return None
    from tutor.exam_review import parse_letters, record_message, record_practice
    from tutor.quiz import ScoreBook

    practice = answer.practice
    mine = parse_letters(mine_text, practice) if mine_text else []
    key = parse_letters(key_text, practice) if key_text else _confirmed(practice, args.json)
    if not mine or not key:
        say("(No se anota en tu repaso: hacen falta tu respuesta, --mine, y la correcta, --key.)")
        return None
    record = record_practice(ScoreBook(), str(tutor.corpus), practice, answer.sources, mine, key)
    say(record_message(record))
    return {"mine": mine, "key": key, "correct": record.correct, "topic": record.topic}


def _confirmed(practice: dict, quiet: bool) -> list[int]:
    """The tutor's choice, when the student confirms in a terminal that the test's key says the same."""
    choice = practice.get("choice") or []
    if not choice or quiet or not sys.stdin.isatty():
        return []
    letters = ", ".join(practice["labels"][i] for i in choice)
    reply = input(f"¿La clave de tu test da como correcta {letters}, como el tutor? [s/N] ").strip().lower()
    return list(choice) if reply in ("s", "si", "sí", "y", "yes") else []
