"""What the question needs from its sources: their most relevant sentences, with neighbours, within a token budget.

On a laptop CPU every prompt token costs time before the first word (about 19 tokens/s for a 1.5B model on
2 cores), so an instruction-tuned model is given excerpts, not whole slides: the sentences of the top sources
that share the most (rare) words with the question (with their glossary Spanish, for an English one, and the
course's words for the needs a scenario describes: tutor/needs.py), each with the sentence before and after it,
best source first, until ``budget`` tokens are used. The best-ranked source always keeps its best sentence; a
line under a label in capitals keeps the name of its item. Excerpts keep slide order and mark gaps with « … ».
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace

from tutor.needs import need_groups
from tutor.query import analyse
from tutor.text import COMPOUND, fold, in_capitals, lexical_tokens
from tutor.types import Source

GAP = " … "
HEADING_WORDS = 6  # a line of at most this many words, not a sentence, may head an item
_SPLIT = re.compile(r"(?<=[.!?…:;])\s+|\n+")


def sentences(text: str) -> list[str]:
    """A slide's text as sentence-like units (lines and sentences), blanks dropped."""
    return [u.strip(" -•\t") for u in _SPLIT.split(text) if u.strip(" -•\t")]


def excerpt_sources(
    question: str,
    sources: list[Source],
    count_tokens: Callable[[str], int],
    budget: int,
    max_sources: int = 3,
    neighbours: int = 1,
) -> list[Source]:
    """``sources`` (best first) cut down to the sentences ``question`` needs, in at most ``budget`` tokens.

    Each returned source is the original with ``text`` replaced by its excerpt; a source with no sentence
    picked is left out, except the best one, which always keeps at least its best sentence.
    """
    pool = sources[:max_sources]
    units = [sentences(s.text) for s in pool]
    weights = _idf([terms(u) for us in units for u in us])
    wanted = terms(question) | {t for term in analyse(question).terms for t in term.alternatives}  # + glossary
    wanted |= {t for _, tokens in need_groups(question) for t in tokens}  # + the course's words for its needs
    ranked = sorted(
        ((_score(u, wanted, weights), -rank, i) for rank, us in enumerate(units) for i, u in enumerate(us)),
        reverse=True,
    )
    picked: list[set[int]] = [set() for _ in pool]
    left = budget
    for score, neg_rank, i in ranked:
        rank = -neg_rank
        if score <= 0 and any(picked):
            break
        new = {j for j in range(i - neighbours, i + neighbours + 1) if 0 <= j < len(units[rank])} - picked[rank]
        cost = sum(count_tokens(units[rank][j]) + 1 for j in new)
        if cost > left:
            if any(picked):
                continue
            new = {i}  # the best sentence alone, even if over budget
        picked[rank] |= new
        left -= cost
        if left <= 0:
            break
    if pool and units[0] and not picked[0]:  # the best-ranked source keeps its best sentence, whatever the others
        best = max(range(len(units[0])), key=lambda i: (_score(units[0][i], wanted, weights), -i))
        picked[0].add(best)
        left -= count_tokens(units[0][best]) + 1
    for rank, chosen in enumerate(picked):
        for j in sorted(chosen):
            new = set(range(_item_start(units[rank], j), j)) - chosen
            chosen |= new
            left -= sum(count_tokens(units[rank][i]) + 1 for i in new)
    _fill(units, picked, left, count_tokens)
    return [replace(s, text=_join(units[r], picked[r])) for r, s in enumerate(pool) if picked[r]]


ITEM_REACH = 4  # a line keeps its item's name when at most this many lines lie between them


def _item_start(units: list[str], j: int) -> int:
    """Where the item that line ``j`` belongs to starts, when it is told in labelled parts a few lines above
    («Afinamiento», «PROPÓSITO», «Maximizar…», «NECESIDAD DE DATOS», then line ``j``): without its name, a part
    («Pequeño número de ejemplos etiquetados.») says nothing of what it is about. Else ``j`` itself."""
    for i in range(j - 1, max(j - ITEM_REACH - 2, -1), -1):
        line = units[i]
        if in_capitals(line) or line.endswith((".", ";")):
            continue  # a part's label, or what a part says
        labelled = in_capitals(units[i + 1]) and len(line.split()) <= HEADING_WORDS
        return i if labelled and i + 1 < j else j
    return j


def _fill(units: list[list[str]], picked: list[set[int]], left: int, count_tokens: Callable[[str], int]) -> None:
    """Spend what is left of the budget on the rest of the sources already excerpted, best source first,
    in slide order: a short slide is then given whole."""
    for rank, chosen in enumerate(picked):
        if not chosen:
            continue
        for j in range(len(units[rank])):
            if j in chosen:
                continue
            cost = count_tokens(units[rank][j]) + 1
            if cost > left:
                return
            chosen.add(j)
            left -= cost


def terms(text: str) -> set[str]:
    """Stemmed content words plus hyphenated compounds kept whole («top-p» and «top-k» must differ)."""
    return set(lexical_tokens(text)) | {fold(c) for c in COMPOUND.findall(text.lower())}


def _score(unit: str, wanted: set[str], weights: dict[str, float]) -> float:
    return sum(weights.get(token, 0.0) for token in terms(unit) & wanted)


def _idf(documents: list[set[str]]) -> dict[str, float]:
    """Rare words weigh more: a word on every sentence says little about which one answers."""
    n = len(documents) or 1
    counts: dict[str, int] = {}
    for tokens in documents:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    return {token: math.log(1 + n / c) for token, c in counts.items()}


def _join(units: list[str], picked: set[int]) -> str:
    """The picked units in slide order; « … » where something was left out."""
    out: list[str] = []
    previous = -1
    for j in sorted(picked):
        if out and j != previous + 1:
            out.append(GAP.strip())
        out.append(units[j])
        previous = j
    if picked and max(picked) < len(units) - 1:
        out.append(GAP.strip())
    if picked and min(picked) > 0:
        out.insert(0, GAP.strip())
    return "\n".join(out)
