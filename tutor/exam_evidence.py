"""How much the retrieved slides back each option of a practice question: the base model's way to answer.

The slides are cut into units (tutor/evidence.py: slide sentences, bullet lines, with their match keys, so
English options find Spanish slides through stems, cognates and the glossary). For each option, every window
of up to ``WINDOW`` consecutive units of one slide is scored by how much of the option it says (its words that
set it apart from the other options, weighted by rarity) and how much of the stem it says beside it; the
option's evidence is its best window. An option the slides mention only apart from what the stem asks
(another tool's description) scores low; one they never mention scores zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from tutor.evidence import Word, split_units, words
from tutor.text import COMPOUND, STOPWORDS, fold
from tutor.types import Source

WINDOW = 3  # consecutive units of one slide that may state an option together with the stem's words
STEM_FLOOR = 0.25  # an option stated with none of the stem's words still counts this much
MENTIONED = 0.5  # share of an option's distinctive words a window must say for the option to be «mentioned»
SOFTMAX_SCALE = 8.0  # how sharply evidence scores turn into a confidence
PREFIX_MATCH = 0.6  # a word that shares only its first five letters with a slide word (cognates, or chance)
FOLLOWING = 0.85  # the stem's words said in the units after the option's own count this much
LIGHT = 0.35  # weight factor of light words (usar, permitir…)
MAX_IDF = 4.0
RANK_DECAY = 0.0  # evidence on the n-th retrieved slide (0-based) weighs 1 / (1 + RANK_DECAY·n)


@dataclass
class OptionEvidence:
    """The best passage of the slides for one option, and how strongly it backs the option."""

    index: int
    score: float  # option coverage × (floor + stem coverage), 0..1
    option_share: float  # weighted share of the option's distinctive words said by the passage
    stem_share: float  # weighted share of the stem's words said by the passage
    source: int  # 0-based index of the passage's slide among the sources, -1 when none
    passage: str  # the passage's units, joined

    @property
    def mentioned(self) -> bool:
        return self.source >= 0 and self.option_share >= MENTIONED


def score_options(stem: str, options: list[str], sources: list[Source], lang: str = "es") -> list[OptionEvidence]:
    """The evidence of each option in ``sources`` (one entry per option, in order)."""
    units = clause_units(sources)
    if not units:
        return [OptionEvidence(i, 0.0, 0.0, 0.0, -1, "") for i in range(len(options))]
    idf = _idf(units)
    stem_words = words(stem, lang)
    stem_match, stem_w = _matches(stem_words, units, idf)
    option_words = [words(option, lang) for option in options]
    results = []
    for i, ws in enumerate(option_words):
        others = [o for j, o in enumerate(option_words) if j != i]
        match, weights = _matches(ws, units, idf, _distinctive(ws, others))
        own = _strong(frozenset().union(*(w.keys for w in ws)))
        asked = stem_w * np.array([0.0 if _strong(w.keys) & own else 1.0 for w in stem_words]) if stem_words else stem_w
        results.append(_best(i, match, weights, stem_match, asked, units))
    return results


def confidences(scores: list[float]) -> list[float]:
    """Scores turned into shares that add up to one (a softmax; equal shares when all are zero)."""
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(SOFTMAX_SCALE * (s - top)) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass
class ClauseUnit:
    """A clause of a slide: the smallest piece that says one thing about one name."""

    source: int
    text: str
    keys: frozenset[str]
    heading: bool  # a short title line: what follows it describes it
    compounds: frozenset[str] = frozenset()  # its hyphenated names, folded («zero-shot»)


def clause_units(sources: list[Source]) -> list[ClauseUnit]:
    """Each source's units (tutor/evidence.py), cut again at «Name: …» heads, «;» and contrasts."""
    units = []
    for n, source in enumerate(sources):
        for text, _context, heading in split_units(source.text):
            for piece in _CLAUSE.split(text):
                piece = piece.strip(" ,;:-")
                if re.search(r"\w", piece):
                    keys = frozenset().union(*(w.keys for w in words(piece)))
                    compounds = frozenset(COMPOUND.findall(fold(piece)))
                    units.append(ClauseUnit(n, piece, keys, heading or len(piece.split()) <= 3, compounds))
    return units


_CLAUSE = re.compile(
    r"(?<=\w):\s+|;\s+|(?<=\)),\s+(?:y\s+|and\s+)?|,\s+(?=(?:mientras que|pero|whereas|while|but)\b)|\s+\|\s+",
    re.IGNORECASE,
)


def _headings_above(units: list[ClauseUnit]) -> list[int]:
    """Per unit, the heading it sits under on its slide (the last heading before it), or -1."""
    above, last = [], -1
    for i, unit in enumerate(units):
        if i and unit.source != units[i - 1].source:
            last = -1
        above.append(last)
        if unit.heading:
            last = i
    return above


def _idf(units: list[ClauseUnit]) -> dict[str, float]:
    df: dict[str, int] = {}
    for unit in units:
        for key in unit.keys:
            df[key] = df.get(key, 0) + 1
    return {k: math.log((len(units) + 1) / (d + 0.5)) for k, d in df.items()}


def _distinctive(ws: list[Word], others: list[list[Word]]) -> list[float]:
    """Per word: 1 when no other option says it, less the more options share it."""
    factors = []
    for w in ws:
        keys = _strong(w.keys)
        shared = sum(any(keys & _strong(o.keys) for o in other) for other in others)
        factors.append(1.0 - shared / (len(others) + 1) if others else 1.0)
    return factors


def _strong(keys: frozenset[str]) -> frozenset[str]:
    """Keys that say the same word (no shared five-letter prefixes)."""
    return frozenset(k for k in keys if k[0] != "p")


def _matches(
    ws: list[Word], units: list[ClauseUnit], idf: dict[str, float], factors: list[float] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(words × units) match strengths (1 for the same word, PREFIX_MATCH for a shared prefix only) and
    each word's weight (rarity, less for light words, 0 for numbers)."""
    match = np.zeros((len(ws), len(units)))
    for i, w in enumerate(ws):
        strong = _strong(w.keys)
        for j, u in enumerate(units):
            match[i, j] = 1.0 if strong & u.keys else PREFIX_MATCH if w.keys & u.keys else 0.0
            if match[i, j] and _another_compound(w, u):
                match[i, j] = 0.0
    weights = np.array(
        [0.0 if w.number else max((idf[k] for k in w.keys if k in idf), default=MAX_IDF) for w in ws], dtype=float
    )
    weights *= np.array([LIGHT if w.light else 1.0 for w in ws]) if ws else 1.0
    if factors is not None and ws:
        weights *= np.array(factors)
    return match, np.minimum(weights, MAX_IDF)


def _another_compound(word: Word, unit: ClauseUnit) -> bool:
    """Whether ``unit`` says another name made with one of ``word``'s parts, and not ``word`` itself: «Zero-shot
    prompting» for the option «Few-shot prompting» (seen in the window: the verdict of «Few-shot» quoted the
    zero-shot line, the two words sharing «shot»)."""
    parts = fold(word.text).split("-")
    if len(parts) < 2 or not unit.compounds:
        return False
    named = set(parts) - STOPWORDS  # «chain-of-thought» and «state-of-the-art» share no name
    return "-".join(parts) not in unit.compounds and any(set(other.split("-")) & named for other in unit.compounds)


def _best(
    index: int, match: np.ndarray, weights: np.ndarray, stem_match: np.ndarray, stem_w: np.ndarray, units: list
) -> OptionEvidence:
    """The option's best window: a unit that says the option, with the units describing it after it."""
    total, stem_total = weights.sum(), stem_w.sum()
    best = OptionEvidence(index, 0.0, 0.0, 0.0, -1, "")
    if total <= 0:
        return best
    option_shares = weights @ match / total
    above = _headings_above(units)
    best_end = 0
    for start in np.flatnonzero(option_shares > 0):
        covered = stem_match[:, start].copy()
        if above[start] >= 0:
            covered = np.maximum(covered, FOLLOWING * stem_match[:, above[start]])
        for length in range(1, WINDOW + 1):
            end = start + length
            if length > 1:
                if end > len(units) or units[end - 1].source != units[start].source or units[end - 1].heading:
                    break
                covered = np.maximum(covered, FOLLOWING * stem_match[:, end - 1])
            stem_share = float(stem_w @ covered) / stem_total if stem_total else 0.0
            option_share = float(option_shares[start])
            prior = 1.0 / (1.0 + RANK_DECAY * units[start].source)  # sources come best first
            score = prior * option_share * (STEM_FLOOR + stem_share) / (1 + STEM_FLOOR) - 0.005 * (length - 1)
            if score > best.score:
                passage = " ".join(u.text for u in units[start:end])
                best = OptionEvidence(index, float(score), option_share, stem_share, units[start].source, passage)
                best_end = end
    said = _said_of_a_name(best.passage, units, best_end) if best.source >= 0 else -1
    if said >= 0:  # a heading that only names the option («Amazon Macie»): the verdict quotes what the slide says
        text = units[said].text  # «AWS Artifact» then «AWS Artifact proporciona…»: the name once
        best.passage = text if text.lower().startswith(best.passage.lower()) else f"{best.passage} {text}"
    return best


def _describes(line: str) -> bool:
    """Whether a line set as a heading reads as a description («Mejorando modelos preentrenados con más datos»
    under «Continued Pretraining (Entrenamiento continuo)»): four words or more, some in lower case."""
    found = line.split()
    return len(found) >= 4 and any(w[:1].islower() for w in found)


def _said_of_a_name(passage: str, units: list, end: int) -> int:
    """When ``passage`` is a heading of a few words, the first unit of its slide after it that says something of it,
    past headings that only repeat its words («AWS Audit», «Manager» under «AWS Audit Manager»); else -1."""
    named = set(passage.lower().split())
    if len(named) > 4:
        return -1
    j = end
    while j < len(units) and units[j].source == units[end - 1].source:
        if not units[j].heading or _describes(units[j].text):
            return j
        if not set(units[j].text.lower().split()) <= named:
            return -1
        j += 1
    return -1
