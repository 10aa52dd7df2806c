"""``tutor eval``: retrieval (recall@k, MRR@10, abstention) and, optionally, answer quality."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from tutor.pipeline import Tutor
from tutor.text import fold


def load_questions(path: Path) -> list[dict]:
    """Questions in the format of shared/eval/dev.jsonl (one JSON object a line)."""
    questions = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}, línea {lineno}: JSON no válido ({exc.msg})") from exc
        item.setdefault("gold", [])
        item.setdefault("keywords", [])
        item.setdefault("kind", "unanswerable" if not item["gold"] else "factual")
        questions.append(item)
    return questions


def evaluate(
    tutor: Tutor,
    questions: list[dict],
    k: int = 5,
    answers: bool = False,
    on_question: Callable[[int, int], None] | None = None,
) -> dict:
    """Score retrieval (and answers when ``answers``) on ``questions``."""
    per_question = []
    for i, item in enumerate(questions):
        if on_question:
            on_question(i, len(questions))
        gold = {(g["file"], int(g["page"])) for g in item["gold"]}
        retrieval = tutor.search(item["question"], max(k, 10))
        ranked = [(s.file, s.page) for s in retrieval.candidates[:10]]
        rank = next((r for r, key in enumerate(ranked, start=1) if key in gold), None)
        row = {
            "id": item.get("id"),
            "kind": item["kind"],
            "question": item["question"],
            "answerable": bool(gold),
            "first_gold_rank": rank,
            "hit_at_k": rank is not None and rank <= k,
            "abstained": retrieval.abstained,
            "unknown_terms": retrieval.unknown_terms,
            "translation": retrieval.translation,
            "top_z": round(retrieval.top_z, 3),
            "top": [{"file": f, "page": p} for f, p in ranked[:k]],
            "retrieval_ms": round(retrieval.ms, 1),
        }
        if answers:
            started = time.perf_counter()
            answer = tutor.ask(item["question"])
            text = fold(answer.answer)
            keywords = item.get("keywords", [])
            row.update(
                {
                    "answer": answer.answer,
                    "answer_abstained": answer.abstained,
                    "answer_kind": answer.kind,
                    "generated_text": answer.generated_text,
                    "citations": [{"n": n, "file": s.file, "page": s.page} for n, s in answer.citations],
                    "keywords_found": [kw for kw in keywords if fold(kw) in text],
                    "keyword_share": _share(keywords, text),
                    "generated_keyword_share": _share(keywords, fold(answer.generated_text)),
                    "citation_hits": sum((s.file, s.page) in gold for _, s in answer.citations),
                    "citation_count": len(answer.citations) if not answer.abstained else 0,
                    "invalid_markers": _invalid_markers(answer.answer, len(answer.sources)),
                    "degenerate_generation": answer.stopped_reason in ("repetition", "empty")
                    or answer.kind == "passages",
                    "degenerate_shown": answer.kind == "generated" and answer.stopped_reason in ("repetition", "empty"),
                    "answer_s": round(time.perf_counter() - started, 2),
                }
            )
        per_question.append(row)
    answerable = [r for r in per_question if r["answerable"]]
    unanswerable = [r for r in per_question if not r["answerable"]]
    report = {
        "k": k,
        "questions": len(per_question),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall_at_k": _mean([r["hit_at_k"] for r in answerable]),
        "mrr": _mean([1 / r["first_gold_rank"] if r["first_gold_rank"] else 0.0 for r in answerable]),
        "abstention_accuracy": _mean([r["abstained"] for r in unanswerable]),
        "false_abstentions": sum(r["abstained"] for r in answerable),
        "retrieval_p50_ms": _median([r["retrieval_ms"] for r in per_question]),
    }
    if answers:
        shares = [r["keyword_share"] for r in answerable if r["keyword_share"] is not None]
        generated = [r["generated_keyword_share"] for r in answerable if r["generated_keyword_share"] is not None]
        cited = sum(r["citation_count"] for r in answerable)
        answered = [r for r in per_question if not r["answer_abstained"]]
        report.update(
            {
                "keyword_coverage": _mean(shares),
                "keyword_coverage_generated_only": _mean(generated),
                "citation_precision": round(sum(r["citation_hits"] for r in answerable) / cited, 4) if cited else 0.0,
                "invalid_markers_shown": sum(r["invalid_markers"] for r in per_question),
                "answer_abstentions": sum(r["answer_abstained"] for r in per_question),
                "fallback_share": _mean([r["answer_kind"] == "passages" for r in answered]),
                "degenerate_share": _mean([r["degenerate_shown"] for r in answered]),
                "degenerate_generation_share": _mean([r["degenerate_generation"] for r in answered]),
                "seconds_per_answer": _mean([r["answer_s"] for r in per_question]),
            }
        )
    report["per_question"] = per_question
    return report


def _share(keywords: list[str], folded_text: str) -> float | None:
    return sum(fold(kw) in folded_text for kw in keywords) / len(keywords) if keywords else None


def _invalid_markers(text: str, n_sources: int) -> int:
    import re

    return sum(not 1 <= int(n) <= n_sources for n in re.findall(r"\[(\d+)\]", text))


def _mean(values: list) -> float:
    return round(sum(float(v) for v in values) / len(values), 4) if values else 0.0


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0
