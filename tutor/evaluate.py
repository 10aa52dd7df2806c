"""``tutor eval``: retrieval (recall@k, MRR@10, abstention) and, optionally, answer quality."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from tutor.abstain import thresholds
from tutor.pipeline import Tutor
from tutor.text import fold


def load_questions(path: Path, split: str | None = None) -> list[dict]:
    """Questions in the format of shared/eval/dev.jsonl (one JSON object a line); ``split`` keeps only
    those of that half (``tune`` or ``check``) in sets that have one."""
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
        if split is None or item.get("split") == split:
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
        row = _retrieval_row(tutor, item, k)
        if answers:
            row.update(_answer_row(tutor, item))
        per_question.append(row)
    report = _retrieval_summary(per_question, k)
    if answers:
        report.update(_answer_summary(per_question))
    report["per_question"] = per_question
    return report


def _gold(item: dict) -> set[tuple[str, int]]:
    return {(g["file"], int(g["page"])) for g in item["gold"]}


def _retrieval_row(tutor: Tutor, item: dict, k: int) -> dict:
    gold = _gold(item)
    retrieval = tutor.search(item["question"], max(k, 10))
    ranked = [(s.file, s.page) for s in retrieval.candidates[:10]]
    settings = tutor.settings.retrieval
    rank = next((r for r, key in enumerate(ranked, start=1) if key in gold), None)
    return {
        "id": item.get("id"),
        "kind": item["kind"],
        "question": item["question"],
        "answerable": bool(gold),
        "first_gold_rank": rank,
        "hit_at_k": rank is not None and rank <= k,
        "abstained": retrieval.abstained,
        "unknown_terms": retrieval.unknown_terms,
        "implied_terms": retrieval.implied_terms,
        "translation": retrieval.translation,
        "top_z": round(retrieval.top_z, 3),
        "top": [{"file": f, "page": p} for f, p in ranked[:k]],
        "retrieval_ms": round(retrieval.ms, 1),
        "decision": retrieval.decision,
        "confidence": round(retrieval.confidence, 4),
        "signals": retrieval.signals.to_dict() if retrieval.signals else {},
        "thresholds": thresholds(settings, tutor.embedder.name),
        "missing_terms": retrieval.missing_terms,
    }


def _answer_row(tutor: Tutor, item: dict) -> dict:
    """Ask the question for real and score what the student would see."""
    gold = _gold(item)
    started = time.perf_counter()
    answer = tutor.ask(item["question"])
    text = fold(answer.answer)
    own = answer.answer[: -len(answer.extract)].strip() if answer.extract else answer.answer
    keywords = item.get("keywords", [])
    degenerate = answer.stopped_reason in ("repetition", "empty")
    return {
        "answer": answer.answer,
        "answer_abstained": answer.abstained,
        "answer_kind": answer.kind,
        "model": answer.model,
        "generated_text": answer.generated_text,
        "own_text": own if answer.kind == "generated" else "",
        "citations": [{"n": n, "file": s.file, "page": s.page} for n, s in answer.citations],
        "keywords_found": [kw for kw in keywords if fold(kw) in text],
        "keyword_share": _share(keywords, text),
        "own_keyword_share": _share(keywords, fold(own)) if answer.kind == "generated" else None,
        "generated_keyword_share": _share(keywords, fold(answer.generated_text)),
        "citation_hits": sum((s.file, s.page) in gold for _, s in answer.citations),
        "citation_count": len(answer.citations) if not answer.abstained else 0,
        "invalid_markers": _invalid_markers(answer.answer, len(answer.sources)),
        "grounded_share": round(answer.grounded_share, 3),
        "degenerate_generation": degenerate or answer.kind == "passages",
        "degenerate_shown": answer.kind == "generated" and degenerate,
        "prompt_tokens": answer.usage.get("prompt_tokens", 0),
        "first_token_ms": answer.timings.get("first_token_ms"),
        "answer_s": round(time.perf_counter() - started, 2),
    }


def _retrieval_summary(rows: list[dict], k: int) -> dict:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    return {
        "k": k,
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall_at_k": _mean([r["hit_at_k"] for r in answerable]),
        "mrr": _mean([1 / r["first_gold_rank"] if r["first_gold_rank"] else 0.0 for r in answerable]),
        "abstention_accuracy": _mean([r["abstained"] for r in unanswerable]),
        "false_abstentions": sum(r["abstained"] for r in answerable),
        "cautions": sum(r.get("decision") == "caution" for r in rows),
        "cautions_answerable": sum(r.get("decision") == "caution" for r in answerable),
        "cautions_unanswerable": sum(r.get("decision") == "caution" for r in unanswerable),
        "retrieval_p50_ms": _median([r["retrieval_ms"] for r in rows]),
    }


def _answer_summary(rows: list[dict]) -> dict:
    """Answer figures: what share is the model's own grounded text, its keywords, citations and speed."""
    answerable = [r for r in rows if r["answerable"]]
    answered = [r for r in rows if not r["answer_abstained"]]
    shares = [r["keyword_share"] for r in answerable if r["keyword_share"] is not None]
    own = [r["own_keyword_share"] for r in answerable if r["own_keyword_share"] is not None]
    generated = [r["generated_keyword_share"] for r in answerable if r["generated_keyword_share"] is not None]
    cited = sum(r["citation_count"] for r in answerable)
    ttft = [r["first_token_ms"] for r in answered if r["first_token_ms"] is not None]
    return {
        "own_text_share": _mean([r["answer_kind"] == "generated" for r in answered]),
        "keyword_coverage": _mean(shares),
        "keyword_coverage_own_text": _mean(own),
        "keyword_coverage_generated_only": _mean(generated),
        "citation_precision": round(sum(r["citation_hits"] for r in answerable) / cited, 4) if cited else 0.0,
        "invalid_markers_shown": sum(r["invalid_markers"] for r in rows),
        "answer_abstentions": sum(r["answer_abstained"] for r in rows),
        "fallback_share": _mean([r["answer_kind"] == "passages" for r in answered]),
        "degenerate_share": _mean([r["degenerate_shown"] for r in answered]),
        "degenerate_generation_share": _mean([r["degenerate_generation"] for r in answered]),
        "grounded_share_mean": _mean([r["grounded_share"] for r in answered]),
        "prompt_tokens_p50": _median([r["prompt_tokens"] for r in answered]),
        "ttft_p50_ms": _median(ttft),
        "ttft_p90_ms": _percentile(ttft, 0.9),
        "seconds_per_answer": _mean([r["answer_s"] for r in rows]),
    }


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


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0
