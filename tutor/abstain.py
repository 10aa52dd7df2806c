"""Whether the course covers a question: answer, answer with a caution, or refuse.

The decision is a small logistic model over signals that mean the same on a 3-page course and on a
100,000-chunk one: the dense cosine of the best page (absolute, not relative to the other pages), the
IDF-weighted share of the question's content words that the best pages contain, and the named terms the
course never mentions. The fused z-score and the margin between the first two pages are reported but
kept out of the model: the best of N z-scores is at most √(N−1), so their meaning changes with the course's
size. The coefficients are fitted for one embedder (its cosines); other embedders use the old z-score rule.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from tutor.config import RetrievalSettings


@dataclass(frozen=True)
class Signals:
    """What the decision reads about one search."""

    dense: float  # cosine of the question with the best chunk of the top-ranked page
    coverage: float  # IDF-weighted share of the question's content words in one page (the best of the top 3)
    unknown_ask: int  # named terms (proper nouns, acronyms) the course never mentions, in the sentence that asks
    unknown_context: int  # the same, in the question's other sentences (its context)
    absent_ask: int  # other content words of the sentence that asks that the course never uses
    absent_context: int  # the same, in the context
    fused_z: float  # the top page's fused z-score (depends on the course's size: reported only)
    margin: float  # fused z of the first page minus the second's (idem)
    pages: int  # pages or sections in the course
    implied: int = 0  # what the ask wants without naming it, that the course never names (tutor/implied.py)

    def to_dict(self) -> dict:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Calibration:
    """A logistic model, confidence = σ(intercept + Σ weight · feature), and its two thresholds: at least
    ``answer_confidence``, answer; at least ``refuse_confidence``, answer with a caution («El curso no lo trata
    directamente…»); below, refuse. Fitted together, so they live together (not in the saved settings)."""

    intercept: float
    weights: dict[str, float]
    fitted_on: str
    answer_confidence: float = 0.8
    refuse_confidence: float = 0.7


# Fitted by ``python -m tutor.calibrate eval/questions.jsonl eval/exam_style.jsonl --corpus
# ../shared/corpus/aws-ai-practitioner --split tune``: logistic regression (L2 = 1 on standardised features, numpy
# Newton steps) on the tune splits of both sets (198 questions: 153 answerable, 45 not; 102 short and colloquial
# questions, 96 exam-style stems) over the real course (117 pages), English questions not translated (no LLM).
# Units: cosine, share, counts. The thresholds come from the same run: at most 2.5% of the answerable tune
# questions refused (`--max-wrong 0.025`), at most 15% refused or cautioned. Until the exam-style stems joined the
# fit, only the short questions were read: it refused a quarter of our covered exam stems (docs/RETRIEVAL.md).
# Named terms in a stem's context now raise the confidence a little: exam stems name cities, companies and tools
# («a hospital network in Manchester… its Sectra PACS viewer») that a course never writes, around questions it
# answers; in the ask they lower it as before.
CALIBRATIONS: dict[str, Calibration] = {
    "all-MiniLM-L6-v2": Calibration(
        intercept=0.8886,
        weights={
            "dense": 2.7247,
            "coverage": 2.0999,
            "unknown_ask": -2.8437,
            "unknown_context": 0.6931,
            "absent_ask": -1.191,
            "implied": -6.8101,
        },
        fitted_on="eval/questions.jsonl and eval/exam_style.jsonl, tune splits (198 questions), aws-ai-practitioner",
        answer_confidence=0.896,
        refuse_confidence=0.662,
    ),
}


# The model's inputs, in this order (tutor/calibrate.py fits one coefficient each).
FEATURES = ("dense", "coverage", "unknown_ask", "unknown_context", "absent_ask", "implied")


def features(signals: Signals, settings: RetrievalSettings) -> dict[str, float]:
    """The model's inputs: the signals, counts capped at 2 (unknown terms ignored when switched off)."""
    names = settings.abstain_on_unknown_terms
    return {
        "dense": signals.dense,
        "coverage": signals.coverage,
        "unknown_ask": float(min(signals.unknown_ask, 2)) if names else 0.0,
        "unknown_context": float(min(signals.unknown_context, 2)) if names else 0.0,
        "absent_ask": float(min(signals.absent_ask, 2)),
        "implied": float(min(signals.implied, 1)) if names else 0.0,
    }


@dataclass(frozen=True)
class Decision:
    confidence: float
    decision: str  # "answer" | "caution" | "refuse"
    calibrated: bool  # False: the embedder has no calibration and the z-score rule decided


def thresholds(settings: RetrievalSettings, embedder: str) -> dict[str, float]:
    """The thresholds the decision uses for ``embedder`` (the z-score floor decides only without a calibration)."""
    model = CALIBRATIONS.get(embedder)
    return {
        "answer_confidence": model.answer_confidence if model else 1.0,
        "refuse_confidence": model.refuse_confidence if model else 1.0,
        "min_fused_z": settings.min_fused_z,
    }


def decide(signals: Signals, settings: RetrievalSettings, embedder: str) -> Decision:
    """Answer, caution or refuse, from the calibration of ``embedder`` (or the z-score rule without one)."""
    model = CALIBRATIONS.get(embedder)
    if model is None:
        refuse = signals.fused_z < settings.min_fused_z or (
            settings.abstain_on_unknown_terms and signals.unknown_ask + signals.unknown_context + signals.implied > 0
        )
        return Decision(0.0 if refuse else 1.0, "refuse" if refuse else "answer", False)
    x = features(signals, settings)
    logit = model.intercept + sum(w * x[name] for name, w in model.weights.items())
    confidence = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    if confidence >= model.answer_confidence:
        decision = "answer"
    elif confidence >= model.refuse_confidence:
        decision = "caution"
    else:
        decision = "refuse"
    return Decision(confidence, decision, True)
