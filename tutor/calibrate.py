"""Refit the abstention model of :mod:`tutor.abstain` (numpy only, no LLM).

    python -m tutor.calibrate eval/questions.jsonl eval/exam_style.jsonl \
        --corpus ../shared/corpus/aws-ai-practitioner --split tune

Searches every question of the split on the course (English questions not translated), reads the signals
of each search and fits a logistic regression «the course answers this question» (L2 on standardised
features, Newton's method). Prints the coefficients in the raw units of the signals, ready to paste into
``CALIBRATIONS``, and the thresholds: ``refuse_confidence`` costs least when a covered question refused costs
``--wrong-cost`` (2) unanswerable questions answered with a caution; below ``answer_confidence`` (a caution or a
refusal) fall at most ``--max-unsure`` of the answerable questions.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from tutor.abstain import FEATURES, features

L2 = 1.0  # ridge penalty on the standardised coefficients (C = 1 in scikit-learn's terms)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[float, np.ndarray]:
    """Intercept and coefficients (raw feature units) of an L2-penalised logistic regression."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0  # the intercept is not penalised
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    coef = w[1:] / std
    return float(w[0] - (coef * mean).sum()), coef


WRONG_REFUSAL_COST = 2.0  # a covered question refused costs what two unanswerable ones answered with a caution do


def thresholds(conf: np.ndarray, y: np.ndarray, wrong_cost: float, max_unsure: float) -> tuple[float, float]:
    """(refuse_confidence, answer_confidence). Below the first, refused: the threshold that costs least, at
    ``wrong_cost`` per answerable question (y=1) refused and 1 per unanswerable one not refused (of equal costs,
    the highest); the candidates sit just under an answerable question's confidence (rounded down: that question
    is answered), or at 1.0. Below the second (a caution or a refusal), at most ``max_unsure`` of the answerable."""
    answerable = np.sort(conf[y == 1])
    if len(answerable) == 0:
        return 0.5, 0.5
    unanswerable = conf[y == 0]
    candidates = sorted({math.floor(c * 1000) / 1000 for c in answerable} | {1.0})
    costs = [wrong_cost * (answerable < t).sum() + (unanswerable >= t).sum() for t in candidates]
    refuse = max(t for t, cost in zip(candidates, costs, strict=True) if cost == min(costs))
    answer = float(answerable[int(np.floor(max_unsure * len(answerable)))])
    return refuse, round(max(refuse, answer), 3)


def collect(questions: list[Path], corpus: Path, split: str | None) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """The model's features and labels for every question of ``split`` in each file of ``questions``, searched
    without translation."""
    from tutor.config import RetrievalSettings, load_settings
    from tutor.evaluate import load_questions
    from tutor.pipeline import Tutor

    # The saved embedder and chunking (they make the index), the default retrieval knobs, no LLM.
    settings = replace(load_settings(), retrieval=replace(RetrievalSettings(), translate_english=False))
    tutor = Tutor(settings, corpus)
    tutor.ensure_index()
    rows, x, y = [], [], []
    for item in (item for path in questions for item in load_questions(path, split)):
        result = tutor.search(item["question"])
        feats = features(result.signals, settings.retrieval)
        x.append([feats[name] for name in FEATURES])
        y.append(1.0 if item["gold"] else 0.0)
        rows.append({"id": item.get("id"), "answerable": bool(item["gold"]), **feats})
    return np.asarray(x, dtype=float), np.asarray(y), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, nargs="+", help="question sets (.jsonl), their split read together")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", default="tune")
    parser.add_argument(
        "--wrong-cost",
        type=float,
        default=WRONG_REFUSAL_COST,
        help="what a covered question refused costs, in unanswerable questions answered with a caution",
    )
    parser.add_argument("--max-unsure", type=float, default=0.15, help="answerable with a caution or refused")
    args = parser.parse_args(argv)
    x, y, _rows = collect(args.questions, args.corpus, args.split or None)
    intercept, coef = fit_logistic(x, y)
    conf = 1.0 / (1.0 + np.exp(-(intercept + x @ coef)))
    refuse, answer = thresholds(conf, y, args.wrong_cost, args.max_unsure)
    out = {
        "questions": len(y),
        "answerable": int(y.sum()),
        "intercept": round(intercept, 4),
        "weights": {name: round(float(c), 4) for name, c in zip(FEATURES, coef, strict=True)},
        "refuse_confidence": refuse,
        "answer_confidence": answer,
        "unanswerable": {
            "refused": int(((conf < refuse) & (y == 0)).sum()),
            "caution": int(((conf >= refuse) & (conf < answer) & (y == 0)).sum()),
            "answered": int(((conf >= answer) & (y == 0)).sum()),
        },
    }
    json.dump(out, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
