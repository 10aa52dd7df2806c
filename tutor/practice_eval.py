"""Accuracy on practice exam questions: ``python -m tutor.practice_eval eval/practice.jsonl --corpus …``.

Each line of the set: ``{"id", "stem", "options", "answer": [0-based], "gold": [{"file", "page"}], "lang",
"split", "choose"}``; a retrieval set's exam-style line (``eval/exam_style.jsonl``: ``question``, options «A.
…», ``answer`` as letters) is read as one. Every question is pasted as a student would (stem, then «A. …»
lines), so the parser is measured too; ``--shuffle SEED`` reorders each question's options (seeded per
question) to catch a model that prefers a position. Reports accuracy overall, per language and per split, how
often the deciding (gold) slide was retrieved and shown to the model, and the seconds per question. No
explanation is generated.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from tutor.exam_parse import LETTERS, parse_practice


def load_practice(path: Path, split: str | None = None) -> list[dict]:
    """The questions of ``path`` (only ``split``'s when given), in the practice format."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [as_practice(r) for r in rows if not split or r.get("split") == split]


def as_practice(row: dict) -> dict:
    """``row`` in the practice format; an exam-style retrieval line (``question``, lettered options, the
    answer as letters) converted."""
    if "stem" in row:
        return row
    options = [re.sub(r"^\s*[A-Z][.)]\s*", "", option) for option in row["options"]]
    answer = [LETTERS.index(letter) for letter in re.findall(r"[A-Z]", row["answer"])]
    return {**row, "stem": row["question"], "options": options, "answer": answer, "choose": len(answer)}


def shuffled(row: dict, seed: int | None) -> dict:
    """``row`` with its options in a seeded order (the same seed and id always give the same order)."""
    if seed is None:
        return row
    order = list(range(len(row["options"])))
    random.Random(f"{seed}-{row['id']}").shuffle(order)
    return {
        **row,
        "options": [row["options"][i] for i in order],
        "answer": sorted(order.index(a) for a in row["answer"]),
    }


def pasted(row: dict) -> str:
    """The question as a student pastes it."""
    return row["stem"] + "\n" + "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(row["options"]))


def evaluate_practice(tutor, rows: list[dict], params, seed: int | None = None, on_question=None) -> dict:
    """Choose an answer for every question; accuracy and retrieval figures (see the module docstring)."""
    from tutor.practice_exam import retrieve_and_decide

    per_question = []
    for i, original in enumerate(rows):
        row = shuffled(original, seed)
        started = time.perf_counter()
        question = parse_practice(pasted(row))
        if question is None:
            per_question.append({"id": row["id"], "lang": row["lang"], "split": row.get("split"), "parsed": False})
            continue
        decision = retrieve_and_decide(tutor, question, params)
        gold = {(g["file"], g["page"]) for g in row.get("gold", [])}
        keys = [(s.file, s.page) for s in decision.sources]
        per_question.append(
            {
                "id": row["id"],
                "lang": row["lang"],
                "split": row.get("split"),
                "parsed": True,
                "choice": decision.result.choice,
                "answer": row["answer"],
                "correct": decision.result.choice == sorted(row["answer"]),
                "confidence": round(decision.result.confidence, 3),
                "method": decision.result.method,
                "gold_retrieved": bool(gold & set(keys)),
                "gold_deciding": bool(gold & set(keys[: decision.deciding])),
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        if on_question:
            on_question(i + 1, len(rows), per_question[-1])
    return summarize(per_question)


def _share(rows: list[dict], key: str) -> float:
    return round(sum(bool(r.get(key)) for r in rows) / len(rows), 3) if rows else 0.0


def summarize(per_question: list[dict]) -> dict:
    groups = {}
    for field in ("lang", "split"):
        for value in sorted({str(r.get(field)) for r in per_question}):
            rows = [r for r in per_question if str(r.get(field)) == value]
            groups[f"{field}={value}"] = {"n": len(rows), "accuracy": _share(rows, "correct")}
    retrieved = [r for r in per_question if r.get("gold_retrieved")]
    missed = [r for r in per_question if r.get("parsed") and not r.get("gold_retrieved")]
    return {
        "n": len(per_question),
        "accuracy": _share(per_question, "correct"),
        "parsed": _share(per_question, "parsed"),
        "gold_retrieved": _share(per_question, "gold_retrieved"),
        "gold_deciding": _share(per_question, "gold_deciding"),
        "accuracy_gold_retrieved": _share(retrieved, "correct"),
        "accuracy_gold_missed": _share(missed, "correct"),
        "groups": groups,
        "seconds_per_question": round(sum(r.get("seconds", 0) for r in per_question) / max(1, len(per_question)), 2),
        "per_question": per_question,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutor.practice_eval", description=__doc__.split("\n")[0])
    parser.add_argument("questions", help="archivo .jsonl de preguntas de examen (eval/practice.jsonl)")
    parser.add_argument("--corpus", help="carpeta del curso")
    parser.add_argument("--model", help="ruta o nombre de un .gguf en models/ (por defecto, el automático)")
    parser.add_argument("--shuffle", type=int, metavar="SEMILLA", help="baraja las opciones de cada pregunta")
    parser.add_argument("--split", choices=["tune", "check"], help="solo esa mitad del conjunto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from tutor.config import load_settings
    from tutor.pipeline import Tutor

    settings = load_settings()
    if args.model:
        settings = replace(settings, llm_model=args.model)
    tutor = Tutor(settings, Path(args.corpus) if args.corpus else None)
    tutor.ensure_index()
    rows = load_practice(Path(args.questions), args.split)

    def show(i: int, n: int, row: dict) -> None:
        if not args.json:
            mark = "ok" if row.get("correct") else "--"
            print(
                f"{i:>3}/{n} {row['id']:>8} {row['lang']} {mark} {row.get('choice')} {row.get('seconds')} s", flush=True
            )

    report = evaluate_practice(tutor, rows, settings.generation, args.shuffle, show)
    report["model"] = tutor.llm.path.name if tutor.llm.path else ""
    report["shuffle"] = args.shuffle
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"\nmodelo: {report['model']}  opciones barajadas: {args.shuffle if args.shuffle is not None else 'no'}")
    print(f"exactitud: {report['accuracy']:.3f} ({report['n']} preguntas)")
    for name, group in report["groups"].items():
        print(f"  {name}: {group['accuracy']:.3f} ({group['n']})")
    print(
        f"diapositiva decisiva recuperada: {report['gold_retrieved']:.3f}, mostrada al modelo: "
        f"{report['gold_deciding']:.3f}; exactitud con ella {report['accuracy_gold_retrieved']:.3f}, "
        f"sin ella {report['accuracy_gold_missed']:.3f}; {report['seconds_per_question']:.1f} s/pregunta"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
