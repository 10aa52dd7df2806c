"""Measure the sentence checker (tutor/claims.py) on a labelled set of (sources, sentence, label) cases.

Each line of the set: ``{"id", "sources": [{"file", "page"}], "sentence", "label", "type", "lang", "split"}``
with label ``supported`` | ``unsupported`` | ``contradicted``. The pages are read from the course folder with
the tutor's own reader, so the checker sees exactly the text the model is given.

    python -m tutor.grounding_eval eval/grounding.jsonl --corpus ../shared/corpus/aws-ai-practitioner --split check

With ``--model NAME`` the instruction-tuned model gives its opinion on each case too (tutor/verify.py), as it
does after an answer: it reads the sources cut to the sentences the claim needs within the answer's token
budget (``Settings.source_tokens``). ``--opinions FILE`` keeps its opinions, so thresholds can be tried again
without the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from tutor.claims import judge, prepare
from tutor.evidence import banners, carried_name
from tutor.ingest import read_pages
from tutor.types import Source
from tutor.verify import Opinion, combine

LABELS = ("supported", "unsupported", "contradicted")


def load_cases(path: Path, split: str | None = None) -> list[dict]:
    cases = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [c for c in cases if split is None or c.get("split") == split]


class Course:
    """The pages of a course folder, read once per file, as sources."""

    def __init__(self, corpus: Path):
        self.corpus = Path(corpus)
        self._pages: dict[str, dict[int, Source]] = {}

    def source(self, file: str, page: int) -> Source:
        if file not in self._pages:
            pages = read_pages(self.corpus / file, file)
            self._pages[file] = {p.page: Source(p.file, p.page, p.title, p.text, score=0.0) for p in pages}
            logos = banners([p.text for p in pages])
            for before, after in zip(pages, pages[1:], strict=False):  # as ``Retriever.with_carried`` does
                name = carried_name(before.text, before.title, after.text, logos) if after.kind == "pdf" else ""
                if name:
                    self._pages[file][after.page] = replace(self._pages[file][after.page], carried=name)
        return self._pages[file][page]


def predict(cases: list[dict], course: Course, opinions: dict[str, Opinion] | None = None) -> list[dict]:
    """Each case with the checker's ``predicted`` label, ``score`` and ``reason`` (with the model's opinion,
    by case id, combined in when given)."""
    out = []
    for case in cases:
        sources = [course.source(s["file"], s["page"]) for s in case["sources"]]
        verdict = judge(case["sentence"], prepare(sources), default_lang=case.get("lang", ""))
        opinion = (opinions or {}).get(case["id"])
        label = combine(verdict.label, opinion, verdict.name)
        reason = verdict.reason if opinion is None else f"{verdict.reason}; model A={opinion.says:.2f}"
        out.append({**case, "predicted": label, "score": round(verdict.score, 3), "reason": reason})
    return out


def model_opinions(cases: list[dict], course: Course, model: str, cache: Path | None = None) -> dict[str, Opinion]:
    """The instruction-tuned model's opinion on each case, read from ``cache`` when there, else computed."""
    from tutor.config import Settings
    from tutor.excerpts import excerpt_sources
    from tutor.llm import LocalLLM
    from tutor.model_files import choose_model
    from tutor.verify import ask_model

    known: dict[str, Opinion] = {}
    if cache and cache.exists():
        known = {k: Opinion(v) for k, v in json.loads(cache.read_text(encoding="utf-8")).items()}
    missing = [c for c in cases if c["id"] not in known]
    if missing:
        settings = Settings()
        llm = LocalLLM()
        llm.ensure(choose_model(model)[0], settings.generation.validated())
        for i, case in enumerate(missing, 1):
            pages = [course.source(s["file"], s["page"]) for s in case["sources"]]
            count = lambda text: len(llm.tokenize(text))  # noqa: E731
            sources = excerpt_sources(case["sentence"], pages, count, settings.source_tokens)
            known[case["id"]] = ask_model(llm, case["sentence"], sources)
            print(f"{i}/{len(missing)} {case['id']} A={known[case['id']].says:.2f}", file=sys.stderr)
            if cache:
                cache.write_text(json.dumps({k: v.says for k, v in known.items()}), encoding="utf-8")
        llm.close()
    return known


def metrics(results: list[dict]) -> dict:
    """Precision/recall/F1 of "supported", the share of wrong claims caught, per-type accuracy, confusion."""
    tp = sum(r["label"] == r["predicted"] == "supported" for r in results)
    judged = sum(r["predicted"] == "supported" for r in results)
    actual = sum(r["label"] == "supported" for r in results)
    wrong = [r for r in results if r["label"] != "supported"]
    precision = tp / judged if judged else 0.0
    recall = tp / actual if actual else 0.0
    by_type: dict[str, list[bool]] = {}
    for r in results:
        exact = r["predicted"] == r["label"]
        ok = exact if r["label"] == "supported" else r["predicted"] != "supported"
        by_type.setdefault(r["type"], []).append(ok)
    confusion = Counter((r["label"], r["predicted"]) for r in results)
    return {
        "cases": len(results),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        "caught": round(sum(r["predicted"] != "supported" for r in wrong) / len(wrong), 3) if wrong else 1.0,
        "exact": round(sum(r["predicted"] == r["label"] for r in results) / len(results), 3) if results else 0.0,
        "per_type": {t: round(sum(v) / len(v), 3) for t, v in sorted(by_type.items())},
        "confusion": {a: {p: confusion.get((a, p), 0) for p in LABELS} for a in LABELS},
    }


def evaluate_grounding(
    path: Path, corpus: Path, split: str | None = None, model: str = "", opinions_file: Path | None = None
) -> dict:
    """The checker's figures on the cases of ``path`` (one ``split`` or all), reading pages from ``corpus``.

    Per type, a correct case is one judged *supported* when supported, and *not* supported when wrong (an
    unsupported claim judged contradicted still counts as caught)."""
    cases, course = load_cases(path, split), Course(corpus)
    opinions = model_opinions(cases, course, model, opinions_file) if model else None
    results = predict(cases, course, opinions)
    report = metrics(results)
    report["errors"] = [
        {k: r[k] for k in ("id", "type", "label", "predicted", "score", "reason")}
        for r in results
        if (r["label"] == "supported") != (r["predicted"] == "supported")
    ]
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of the grounding checker.")
    parser.add_argument("cases", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", choices=["tune", "check"], default=None)
    parser.add_argument("--errors", action="store_true", help="list the misjudged cases")
    parser.add_argument("--model", default="", help="also ask this instruction-tuned model (tutor/verify.py)")
    parser.add_argument("--opinions", type=Path, default=None, help="JSON file that keeps the model's opinions")
    args = parser.parse_args(argv)
    report = evaluate_grounding(args.cases, args.corpus, args.split, args.model, args.opinions)
    if not args.errors:
        report.pop("errors")
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
