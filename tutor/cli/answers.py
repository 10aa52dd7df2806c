"""Commands that answer: ``search``, ``ask`` and ``eval``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tutor.cli.common import TerminalProgress, ensure_index, make_tutor, say
from tutor.cli.exam import print_practice, record_review
from tutor.config import GenerationParams, Settings
from tutor.conversation import Conversation
from tutor.params import PARAMS


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor search``: the most relevant slides for a question."""
    tutor = make_tutor(args, settings)
    ensure_index(tutor, args)
    result = tutor.search(args.question, args.k)
    if args.json:
        payload = {
            "question": args.question,
            "abstained": result.abstained,
            "results": [s.to_dict() for s in result.sources],
            "retrieval_ms": round(result.ms, 1),
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    if result.abstained:
        print("(El curso no parece responder a esta pregunta; estos son los resultados más cercanos.)")
    for i, s in enumerate(result.sources, start=1):
        snippet = " ".join(s.text.split())[:160]
        print(f"{i}. {s.label()} — {s.shown_title()}  (puntuación {s.score:.3f})\n   {snippet}")
    return 0


def _params(args: argparse.Namespace, settings: Settings) -> GenerationParams:
    """The saved generation parameters with the command line's flags applied (validated)."""
    return settings.generation.with_overrides(**{p.name: getattr(args, p.name) for p in PARAMS})


def _conversation(args: argparse.Namespace) -> Conversation:
    """The saved conversation ``--conversation N`` (its course unless ``--corpus``), or a new saved one."""
    from tutor.history import HistoryStore

    store = HistoryStore()
    if args.conversation is None:
        return Conversation(store)
    chat = store.open(args.conversation)
    if chat.course and not args.corpus:
        args.corpus = chat.course
    return chat


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor ask``: a streamed answer with checked citations and its sources, saved as a conversation."""
    chat = _conversation(args)
    tutor = make_tutor(args, settings)
    chat.course = chat.course or str(tutor.corpus)
    params = _params(args, settings)
    ensure_index(tutor, args)
    streamed: list[str] = []

    def stream(text: str) -> None:
        streamed.append(text)
        print(text, end="", flush=True)

    reading = TerminalProgress(enabled=not args.json)
    answer = tutor.ask(
        args.question,
        params=params,
        conversation=chat,
        on_text=None if args.json else stream,
        progress=None if args.json else say,
        on_prompt=lambda done, total: reading("Leyendo las fuentes (tokens)", done, total),
    )
    reading.close()
    if args.json:
        review = record_review(args, tutor, answer)  # a practice exam question: the student's result, if given
        payload = {**answer.to_dict(), "conversation": chat.id} | ({"review": review} if review else {})
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print()
    say(f"(Conversación {chat.id}: sigue con «tutor ask --conversation {chat.id} …».)")
    if answer.stopped_reason == "repetition":
        say("(Respuesta cortada: el modelo empezó a repetirse.)")
    timings = answer.timings
    if timings.get("load_ms", 0) >= 100:
        say(
            f"(Tiempo: {timings['total_ms'] / 1000:.1f} s, de ellos {timings['load_ms'] / 1000:.1f} s cargando "
            "el índice y los modelos; las siguientes preguntas en la ventana no lo pagan.)"
        )
    if answer.abstained:
        return 0
    main_text = answer.answer[: -len(answer.extract)].strip() if answer.extract else answer.answer
    if answer.kind == "passages":
        print(f"\n{answer.answer}")
    elif main_text != "".join(streamed).strip():
        print(f"\nCon las citas comprobadas contra las fuentes:\n{main_text}")
    if answer.extract:
        print(f"\n{answer.extract}")
    print_practice(answer)
    if answer.cited:
        print("\nFuentes citadas:")
        for n, s in answer.citations:
            print(f"  [{n}] {s.label()} — {s.shown_title()}")
    others = [(n, s) for n, s in enumerate(answer.sources, start=1) if n not in answer.cited]
    if others:
        print("Otras fuentes consultadas:")
        for n, s in others:
            print(f"  [{n}] {s.label()} — {s.shown_title()}")
    record_review(args, tutor, answer)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor eval``: retrieval (and, with ``--answers``, answer) scores on reference questions."""
    from tutor.evaluate import evaluate, load_questions

    tutor = make_tutor(args, settings)
    ensure_index(tutor, args)
    questions = load_questions(Path(args.questions), args.split)
    progress = TerminalProgress(enabled=not args.json)
    report = evaluate(
        tutor, questions, k=args.k, answers=args.answers, on_question=lambda i, n: progress("Evaluando", i, n)
    )
    progress("Evaluando", len(questions), len(questions))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for row in report["per_question"]:
        rank = row["first_gold_rank"] or "-"
        flag = " (abstiene)" if row["abstained"] else ""
        print(f"{row['id']:>10}  {row['kind']:<13} rango {rank!s:>2}{flag}  {row['question'][:70]}")
    print()
    print(f"recall@{report['k']}: {report['recall_at_k']:.3f}   MRR@10: {report['mrr']:.3f}")
    print(
        f"abstención correcta: {report['abstention_accuracy']:.2f} de {report['unanswerable']} sin respuesta; "
        f"abstenciones falsas: {report['false_abstentions']} de {report['answerable']}"
    )
    print(f"recuperación p50: {report['retrieval_p50_ms']:.1f} ms")
    if args.answers:
        print(
            f"cobertura de palabras clave: {report['keyword_coverage']:.3f} "
            f"(solo texto generado: {report['keyword_coverage_generated_only']:.3f})   "
            f"precisión de citas: {report['citation_precision']:.3f}   "
            f"marcadores no válidos mostrados: {report['invalid_markers_shown']}"
        )
        print(
            f"respuestas con texto propio del modelo: {report['own_text_share']:.3f} "
            f"(palabras clave en ese texto: {report['keyword_coverage_own_text']:.3f})   "
            f"tokens de prompt p50: {report['prompt_tokens_p50']}   "
            f"primer token p50/p90: {report['ttft_p50_ms'] / 1000:.1f} / {report['ttft_p90_ms'] / 1000:.1f} s"
        )
        print(
            f"respuestas degeneradas mostradas: {report['degenerate_share']:.3f} "
            f"(generaciones inservibles sustituidas por fragmentos: {report['fallback_share']:.3f})   "
            f"s/respuesta: {report['seconds_per_answer']:.1f}"
        )
    return 0
