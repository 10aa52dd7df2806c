"""Judge one answer sentence against its sources: *supported*, *unsupported* or *contradicted*.

The sources are cut into units (slide sentences, bullet lines, table cells), each with its context (the page
title, the numbered sections and the line it sits under). A sentence is split into clauses (``, mientras
que``, ``; ``, ``, and``…); each clause is aligned with the window of up to ``MAX_WINDOW`` consecutive units of
one source that covers the most of its words, each word weighted by how rare it is in the sources and less for
light words (usar, permitir…). Words match by Spanish stem, folded spelling, English stem, synonyms, a shared
five-letter prefix (cognates: temperature/temperatura) or, in English clauses, the English → Spanish glossary
of tutor/lexicon.py. Then, on that window:

- a number of the clause absent from the window contradicts it when the window states another number;
- a name (Top-K, CloudTrail, recall…) absent from the window and its context but present elsewhere in the
  sources is a swapped term (contradicted); one absent from all the sources is unsupported. A window that must
  hold a name may not run past the heading of another name («Model Cards» does not reach the line under
  «Model Dashboard»);
- a word negated on one side only (no, sin, never, deja de…) or an antonym (fácil/difícil) contradicts it;
- otherwise the clause is supported when the weighted share of its words that the window covers reaches
  ``MIN_COVERAGE``, unsupported below (invented details, world knowledge, claims of another slide).

A sentence is contradicted if one clause is, supported if all are, unsupported otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from tutor import lexicon
from tutor.evidence import (
    WORD,
    Evidence,
    Unit,
    Word,
    en_stem,
    es_stem,
    head_keys,
    negated_keys,
    prepare,
    strict_keys,
    union,
    words,
)
from tutor.text import detect_language, fold

__all__ = ["Evidence", "SentenceVerdict", "clauses", "judge", "prepare", "sentence_language", "words"]

MIN_COVERAGE = (
    0.65  # weighted share of a clause's words in its best window: the most recall with precision >= 0.9 on tune
)
MIN_ABOUT = 0.5  # below this a clause is not about the window: "unsupported", no contradiction claimed
MAX_WINDOW = 4  # consecutive units of one source that one clause may paraphrase
SUBJECT_WORDS = 2  # a clause's first content words: what it says something of («La interpretabilidad consiste…»)
MIN_WORDS = 3  # shorter sentences (connectives, "Respuesta:") are not judged
MIN_CLAUSE_WORDS = 2  # shorter clauses are merged with the previous one
UNSEEN_DF = 1.0  # a word found nowhere weighs as if it were in this many units
LIGHT_WEIGHT = 0.35  # weight factor of light words

_CLAUSE = re.compile(
    r";\s+|,\s+(?=(?:mientras que|pero|aunque|y|while|whereas|but|although|and)\b)"
    r"|\s+(?=(?:mientras que|whereas)\b)",
    re.IGNORECASE,
)
_FILLER = re.compile(r"\b(?:por ejemplo|for example|for instance|such as|es decir|that is)\b", re.IGNORECASE)
SWAP_GAP = 0.15  # a name's own passages cover this much less of the claim than the best passage: swapped
SWAPPED = ": the course says this of something else"


@dataclass
class SentenceVerdict:
    """How one sentence of an answer stands against its sources."""

    sentence: str
    label: str  # "supported" | "unsupported" | "contradicted"
    cited: list[int]  # 1-based numbers of the sources that support it (empty unless supported)
    score: float  # weighted share of its words covered by the best windows (the weakest clause's)
    reason: str  # why, in a few words (for logs and the evaluation)
    words: int = 0  # content words judged
    support: list[float] = field(default_factory=list)  # per source: the weakest clause's best coverage
    name: str = ""  # the name(s) the verdict turns on: absent from all the sources, or said of something else


def clauses(sentence: str) -> list[str]:
    """The sentence cut at clause boundaries; a piece with fewer than ``MIN_WORDS`` words joins the previous."""
    out: list[str] = []
    for piece in (p.strip(" ,") for p in _CLAUSE.split(sentence)):
        if out and (len(words(piece)) < MIN_CLAUSE_WORDS or len(words(out[-1])) < MIN_CLAUSE_WORDS):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


@dataclass
class _Clause:
    label: str
    reason: str
    score: float
    support: list[float]
    best: int  # 0-based source of the best window
    name: str = ""  # the name absent from the sources, or said of something else


def _cumulative(rows: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros((rows.shape[0], 1)), np.cumsum(rows, axis=1)], axis=1)


def _best_window(
    match: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    headings: np.ndarray,
    anchors: np.ndarray,
    barriers: np.ndarray | None = None,
) -> tuple[float, int, int, dict]:
    """Best ``(score, start, length)`` over windows inside one source that hold a unit of each row of
    ``anchors`` (and, when anchored, no ``barriers`` unit after their first: a heading of another name), and
    the best score per source."""
    n_units = match.shape[1]
    total = weights.sum() or 1.0
    cumulative, anchored = _cumulative(match), _cumulative(anchors)
    inner = _cumulative(barriers[None, :].astype(np.int32))[0] if barriers is not None and len(anchors) else None
    best, rank = (0.0, -1, 1), -1.0
    per_source: dict[int, float] = {}
    for length in range(1, min(MAX_WINDOW, n_units) + 1):
        scores = weights @ ((cumulative[:, length:] - cumulative[:, :-length]) > 0) / total
        valid = sources[: n_units - length + 1] == sources[length - 1 :]
        valid &= ((anchored[:, length:] - anchored[:, :-length]) > 0).all(axis=0)
        if length > 1:
            valid &= ~headings[length - 1 :]
            if inner is not None:  # no heading of another name after the window's first unit
                valid &= (inner[length:] - inner[1 : n_units - length + 2]) == 0
        for start in np.flatnonzero(valid):
            score, n = float(scores[start]), int(sources[start])
            per_source[n] = max(per_source.get(n, 0.0), score)
            if score - 0.01 * (length - 1) > rank + 1e-9:
                best, rank = (score, int(start), length), score - 0.01 * (length - 1)
    return (*best, per_source)


def _anchor_keys(w: Word) -> frozenset[str]:
    """Keys that find a name in a unit: exact spellings for a written name, no shared prefixes otherwise."""
    if any(ch.isupper() for ch in w.text):
        return strict_keys(w.keys)
    return frozenset(k for k in w.keys if not k.startswith("p:"))


def _prefix_of_name(word: Word, following: list[Word], clause: str) -> bool:
    """Whether ``word`` is a term written right before another one, in one name («SageMaker» in «SageMaker
    Clarify»), not across other words («escala de la temperatura»)."""
    return bool(following) and following[0].term and f"{word.text} {following[0].text}" in clause


def _judge_clause(clause: str, evidence: Evidence, lang: str) -> _Clause:
    ws = words(_FILLER.sub(" ", clause), lang, evidence.names)
    units = evidence.units
    match = np.array([[bool(w.keys & u.keys) for u in units] for w in ws], dtype=np.int32)
    df = np.maximum(match.sum(axis=1), UNSEEN_DF)
    weights = np.log((len(units) + 1) / (df + 0.5))
    weights *= np.array([0.0 if w.number else LIGHT_WEIGHT if w.light else 1.0 for w in ws])
    sources = np.array([u.source for u in units])
    headings = np.array([u.heading for u in units])
    # a name of several terms is found by its last («Clarify» for «SageMaker Clarify»: notes say it alone)
    terms = [w for i, w in enumerate(ws) if w.term and not _prefix_of_name(w, ws[i + 1 : i + 2], clause)]
    anchors = np.array([[bool(_anchor_keys(w) & u.own_keys) for u in units] for w in terms], dtype=np.int32)
    anchors = anchors.reshape(len(terms), len(units))
    plain = weights * np.array([0.0 if w.term else 1.0 for w in ws])
    plain = plain if plain.any() else weights
    absent = [w for w, row in zip(terms, anchors, strict=True) if not row.any()]
    said = union(strict_keys(w.keys) for w in terms)
    barriers = np.array([bool(u.heading_names - said) for u in units], dtype=bool)
    free = _best_window(match, plain, sources, headings, anchors[:0])
    held = free if absent or not terms else _best_window(match, plain, sources, headings, anchors, barriers)
    _, start, length, per_source = held if held[1] >= 0 else free
    score = float(weights @ match[:, start : start + length].any(axis=1) / (weights.sum() or 1.0))
    window = units[start : start + length]
    swapped = [
        w
        for w, row in zip(terms, anchors, strict=True)
        if not absent and free[0] - _best_window(match, plain, sources, headings, row[None, :], barriers)[0] >= SWAP_GAP
    ]
    name = ""
    if absent:
        label, reason, name = "unsupported", f"{absent[0].text} not in the sources", absent[0].text
    elif swapped:
        label, reason, name = "contradicted", f"{swapped[0].text}{SWAPPED}", " ".join(w.text for w in swapped)
    else:
        siblings = [u for u in units if u.source == window[0].source]
        label, reason, name = _check(clause, ws, window, lang, score, siblings)
    support = [per_source.get(n, 0.0) for n in range(evidence.n_sources)]
    return _Clause(label, reason, score, support, window[0].source, name)


def _check(clause: str, ws: list[Word], window: list[Unit], lang: str, score: float, siblings: list[Unit]):
    """The label of a clause against its best window, why, and the name of a swap (else ""); ``siblings``: the
    units of the window's source."""
    if score < MIN_ABOUT:
        return "unsupported", f"not in the sources ({score:.2f})", ""
    found = _number_conflict(ws, window)
    if found:
        return (*found, "")
    swapped = _swapped_in_window(ws, window, siblings)
    if swapped:
        return "contradicted", f"{swapped}{SWAPPED}", swapped
    negation = _negation_conflict(clause, ws, window, lang)
    if negation:
        return "contradicted", f"negation of {negation}", ""
    antonym = _antonym_conflict(clause, window, ws)
    if antonym:
        return "contradicted", f"antonym {antonym}", ""
    if score < MIN_COVERAGE:
        return "unsupported", f"coverage {score:.2f}", ""
    return "supported", f"coverage {score:.2f}", ""


def _best_unit(ws: list[Word], window: list[Unit]) -> Unit:
    """The unit of the window that covers most of ``ws`` (the first on a tie)."""
    return max(window, key=lambda u: sum(bool(w.keys & u.keys) for w in ws))


def _swapped_in_window(ws: list[Word], window: list[Unit], siblings: list[Unit]) -> str:
    """A name of the clause missing from the unit that says the rest, when that unit is about another name."""
    content = [w for w in ws if not w.term and not w.number]
    if not content:
        return ""
    best = _best_unit(content, window)
    said = union(strict_keys(w.keys) for w in ws)
    if best.defines and not best.defines & said:  # a unit about another name: a name of the clause it lacks
        named = next((w.text for w in ws if w.term and not _anchor_keys(w) & best.own_keys), "")
        if named:
            return named
    return _swapped_head(ws, best, siblings)


def _swapped_head(ws: list[Word], best: Unit, siblings: list[Unit]) -> str:
    """A concept the clause names that another line of the slide defines by its head («Interpretabilidad:
    Entendiendo…»), said of what the best line defines by its own («Explicabilidad: Explicación del
    comportamiento…»), which the clause does not name: two definitions swapped."""
    heads = [head_keys(u.text) for u in siblings if u is not best]
    own = head_keys(best.text) - union(heads)  # what tells this line's name from its neighbours'
    others = union(heads) - head_keys(best.text)
    said = union(strict_keys(w.keys) for w in ws)
    if not own or own & said:
        return ""
    written = union(w.keys for w in words(best.text))  # any key: «temperature» is written as «temperatura»
    subject = [w for w in ws if not w.light and not w.number][:SUBJECT_WORDS]  # what the clause is about
    return next((w.text for w in subject if strict_keys(w.keys) & others and not w.keys & written), "")


def _number_conflict(ws: list[Word], window: list[Unit]) -> tuple[str, str] | None:
    """A number absent from the window, or present only in another slot than the words around it."""
    numbers = union(u.numbers for u in window)
    for i, w in enumerate(ws):
        if not w.number:
            continue
        if w.number not in numbers:
            return ("contradicted", f"number {w.text}") if numbers else ("unsupported", f"number {w.text}")
        around = [x for x in ws[max(0, i - 3) : i + 4] if not x.number and not x.term]
        slot = _best_unit(around, [u for u in window if u.numbers]) if around else None
        if slot is not None and w.number not in slot.numbers:
            return "contradicted", f"number {w.text} belongs to another slot"
    return None


def _negation_conflict(clause: str, ws: list[Word], window: list[Unit], lang: str) -> str:
    """A word negated on one side (no, sin, never…) and only affirmed on the other."""
    said_not, said = negated_keys(clause, lang)
    slide_not, slide = union(u.scoped for u in window), union(u.plain for u in window)
    context_not = union(negated_keys(u.context)[0] for u in window)
    for w in ws:
        if w.light or w.number:
            continue
        if w.keys & said_not and w.keys & slide and not w.keys & (slide_not | context_not):
            return w.text
        if w.keys & said and not w.keys & said_not and w.keys & slide_not and not w.keys & slide:
            return w.text
    return ""


def _stems(text: str) -> set[str]:
    tokens = [fold(t) for t in WORD.findall(text)]
    return {es_stem(t) for t in tokens} | {en_stem(t) for t in tokens}


def _antonym_conflict(clause: str, window: list[Unit], ws: list[Word] | None = None) -> str:
    """A word of the clause whose opposite the window says and it does not («alta» / «baja»); or, when the window
    says both (a slide on high and low values), the opposite of what the line that says the rest of the clause
    says («Cuando se aumenta, … respuestas más predecibles y precisas» where the slide says «Valores bajos: …
    respuestas más predecibles y precisas»)."""
    said = _stems(clause)
    content = [w for w in ws or [] if not w.light and not w.number and not _stems(w.text) & _DIRECTION]
    negates = bool(negated_keys(clause)[0])  # «…without exposing data to the public internet»: no opposite said
    lines = [" ".join(u.text for u in window)] + ([_best_unit(content, window).text] if content and not negates else [])
    for line in lines:
        slide = _stems(line)
        for a, b in lexicon.ANTONYMS:
            for x, y in ((a, b), (b, a)):
                if x in said and y not in said and y in slide and x not in slide:
                    return f"{x}/{y}"
    return ""


_DIRECTION = frozenset(stem for pair in lexicon.ANTONYMS for stem in pair)  # the antonyms' own stems

_ES_WORDS = frozenset(
    """el la los las de del que en y por para con un una unos unas es son se su sus al lo como pero o más muy
    cuando donde cada entre sobre sin también este esta estos estas ese esa puede pueden usa""".split()
)
_EN_WORDS = frozenset(
    """the a an of and to in is are it its this that for with on as by be can also from or you your while
    which what when how they their has have was were will would should more than into each uses gives""".split()
)


def sentence_language(text: str, default: str = "") -> str:
    """``"en"`` or ``"es"`` for one sentence, by its function words; ties go to ``default`` (the answer's
    language) when given, else to tutor.text.detect_language."""
    tokens = [t.lower() for t in WORD.findall(text)]
    es, en = sum(t in _ES_WORDS for t in tokens), sum(t in _EN_WORDS for t in tokens)
    return "en" if en > es else "es" if es > en else default or detect_language(text)


def judge(sentence: str, evidence: Evidence, lang: str | None = None, default_lang: str = "") -> SentenceVerdict:
    """The verdict on one sentence; citation markers in it are ignored. Its language is ``lang``, else read
    from its function words, else ``default_lang`` (the answer's: «CloudTrail tracks API calls.» has none)."""
    plain = re.sub(r"\[[\d,;\s]+\]", " ", sentence)
    lang = lang or sentence_language(plain, default_lang)
    n_words = len(words(plain, lang))
    if n_words < MIN_WORDS or not evidence.units:
        reason = "too short" if evidence.units else "no sources"
        return SentenceVerdict(sentence, "unsupported", [], 0.0, reason, n_words, [0.0] * evidence.n_sources)
    parts = [_judge_clause(c, evidence, lang) for c in clauses(plain)]
    support = [min(p.support[n] for p in parts) for n in range(evidence.n_sources)]
    weakest = min(parts, key=lambda p: p.score)
    for label in ("contradicted", "unsupported"):
        failed = [p for p in parts if p.label == label]
        if failed:
            name = " ".join(p.name for p in failed if p.name)
            return SentenceVerdict(sentence, label, [], weakest.score, failed[0].reason, n_words, support, name)
    cited = list(dict.fromkeys([p.best + 1 for p in parts]))
    return SentenceVerdict(sentence, "supported", cited, weakest.score, weakest.reason, n_words, support)
