"""Measure the sentence checker (tutor/claims.py) on a labelled set of (sources, sentence, label) cases.

Each line of the set: ``{"id", "sources": [{"file", "page"}], "sentence", "label", "type", "lang", "split"}``
with label ``supported`` | ``unsupported`` | ``contradicted``. The pages are read from the course folder with
the tutor's own reader, so the checker sees exactly the text the model is given.

    python -m tutor.grounding_eval eval/grounding.jsonl --corpus ../shared/corpus/aws-ai-practitioner --split check
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tutor.claims import judge, prepare
from tutor.ingest import read_pages
from tutor.types import Source

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
        return self._pages[file][page]


def predict(cases: list[dict], course: Course) -> list[dict]:
    """Each case with the checker's ``predicted`` label, ``score`` and ``reason``."""
    out = []
    for case in cases:
        sources = [course.source(s["file"], s["page"]) for s in case["sources"]]
        verdict = judge(case["sentence"], prepare(sources))
        out.append({**case, "predicted": verdict.label, "score": round(verdict.score, 3), "reason": verdict.reason})
    return out


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


def evaluate_grounding(path: Path, corpus: Path, split: str | None = None) -> dict:
    """The checker's figures on the cases of ``path`` (one ``split`` or all), reading pages from ``corpus``.

    Per type, a correct case is one judged *supported* when supported, and *not* supported when wrong (an
    unsupported claim judged contradicted still counts as caught)."""
    results = predict(load_cases(path, split), Course(corpus))
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
    args = parser.parse_args(argv)
    report = evaluate_grounding(args.cases, args.corpus, args.split)
    if not args.errors:
        report.pop("errors")
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
