"""Commands for practice: the parameter ``lab`` and the ``quiz``."""

from __future__ import annotations

import argparse
import json

from tutor.cli.common import ensure_index, make_tutor, say
from tutor.config import Settings


def _lab_params(args: argparse.Namespace, settings: Settings):
    """The lab's parameters: the saved ones with the command line's flags applied (validated)."""
    from tutor.lab import LAB_DEFAULTS, LabParams

    gen = settings.generation.with_overrides(**{name: getattr(args, name) for name in LAB_DEFAULTS})
    return LabParams.of(gen)


def cmd_lab(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor lab``: the model's next-token candidates under the lab's parameters."""
    tutor = make_tutor(args, settings)
    lab_params = _lab_params(args, settings)
    params = settings.generation.with_overrides(n_ctx=args.n_ctx)
    from tutor.lab import DEFAULT_PROMPT

    args.text = DEFAULT_PROMPT if args.text is None else args.text
    result = tutor.lab(args.text, params, progress=None if args.json else say)
    data = result.to_dict(lab_params, tutor.llm.piece, args.top)
    if args.generate:
        data["samples"] = tutor.lab_samples(result, lab_params, args.generate)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    pieces = " | ".join(f"{p!r}" for _, p in result.tokens)
    print(f"Prompt: {len(result.tokens)} tokens de {result.n_ctx} de contexto: {pieces}")
    p = lab_params
    print(f"temperatura {p.temperature} · top-k {p.top_k} · top-p {p.top_p} · min-p {p.min_p}")
    print(f"{'token':<18} {'logit':>7} {'p bruta':>8} {'p final':>8}")
    for c in data["candidates"]:
        bar = "█" * round(c["p_final"] * 40)
        note = f"  (quitado por {c['removed_by']})" if c["removed_by"] else ""
        print(f"{c['token']!r:<18} {c['logit']:>7.2f} {c['p_raw']:>8.3f} {c['p_final']:>8.3f} {bar}{note}")
    print(f"Quedan {data['kept_total']} tokens candidatos tras top-k, top-p y min-p.")
    for i, text in enumerate(data.get("samples", []), start=1):
        print(f"{i:>2}. {args.text}{text}")
    return 0


def cmd_quiz(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor quiz``: practice questions in the terminal (or as JSON), scores saved."""
    from dataclasses import replace

    from tutor.quiz import ScoreBook, grade

    if args.questions:
        settings = replace(settings, quiz_questions=args.questions)
    tutor = make_tutor(args, settings)
    ensure_index(tutor, args)
    book = ScoreBook()
    questions = tutor.practice(args.n, args.topic or "", args.review, args.seed, book)
    if args.json:
        print(json.dumps({"questions": [q.to_dict() for q in questions]}, ensure_ascii=False, indent=2))
        return 0
    if not questions:
        say("No hay preguntas para ese tema en este curso.")
        return 1
    right = answered = 0
    letters = "abcdefgh"
    for number, question in enumerate(questions, start=1):
        print(f"\n{number}/{len(questions)}. {question.question}")
        for letter, option in zip(letters, question.options, strict=False):
            print(f"   {letter}) {option}")
        try:
            given = input("Tu respuesta: ").strip()
        except EOFError:  # stdin closed (a pipe ran out): stop cleanly, answers so far are saved
            print()
            break
        if len(given) == 1 and given.lower() in letters[: len(question.options)]:
            given = question.options[letters.index(given.lower())]
        correct = grade(question, given)
        right += correct
        answered += 1
        book.record(str(tutor.corpus), question, correct)
        verdict = "¡Correcto!" if correct else f"No: la respuesta es «{question.answer}»."
        print(f"   {verdict} Según {question.label()}: {question.explanation}")
    print(f"\nResultado: {right} de {answered}.")
    weak = [t for t, _, wrong in book.topic_scores(str(tutor.corpus)) if wrong][:5]
    if weak:
        print("Para repasar (tutor quiz --review): " + "; ".join(weak))
    return 0
