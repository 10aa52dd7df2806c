"""Spanish-aware BM25 over chunks (bm25s + Snowball stemming + accent folding)."""

from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

import numpy as np

from tutor.lexicon import no_topic
from tutor.query import COGNATE_PREFIX, skeleton
from tutor.text import fold, lexical_tokens, named_terms

_WORDS = re.compile(r"\w+", re.UNICODE)


class LexicalIndex:
    """BM25 scores for every chunk; the title counts ``title_weight`` times."""

    def __init__(self, docs: list[tuple[str, str]], title_weight: int = 2) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build
        self.size = len(docs)
        corpus = [lexical_tokens(" ".join([title] * title_weight) + "\n" + text) for title, text in docs]
        self.words = {fold(w) for title, text in docs for w in _WORDS.findall(f"{title} {text}")}
        self._cognates: dict[str, tuple[str, ...]] | None = None
        self.bm25 = bm25s.BM25()
        if self.size:
            self.bm25.index([toks or ["∅"] for toks in corpus], show_progress=False)

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray]:
        """The chunks that contain ``token`` and its BM25 score in each (empty when the course lacks it)."""
        tid = self.bm25.vocab_dict.get(token) if self.size else None
        if tid is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self.bm25.scores
        start, end = int(scores["indptr"][tid]), int(scores["indptr"][tid + 1])
        return scores["indices"][start:end], scores["data"][start:end]

    def uses(self, token: str) -> bool:
        """Whether any chunk of the course contains ``token``."""
        return len(self.postings(token)[0]) > 0

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency; a word the course lacks counts as rare as a word seen once."""
        df = max(1, len(self.postings(token)[0]))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def group_scores(self, groups: list[tuple[float, tuple[str, ...]]], alt_weight: float) -> np.ndarray:
        """Weighted BM25 of every chunk: each group (a word and its translations) adds its weight times the
        best score among its tokens (a translation's score counts ``alt_weight`` times)."""
        total = np.zeros(self.size, dtype=np.float32)
        for weight, tokens in groups:
            best = np.zeros(self.size, dtype=np.float32)
            for i, token in enumerate(tokens):
                ids, values = self.postings(token)
                if len(ids):
                    best[ids] = np.maximum(best[ids], values * (1.0 if i == 0 else alt_weight))
            total += weight * best
        return total

    def labels_with(self, tokens: tuple[str, ...], labels: np.ndarray) -> set[int]:
        """The labels (``labels[chunk]``, -1 for chunks of no interest) of the chunks that contain one of
        ``tokens``: which of a few pages use a word, at the cost of one gather per token."""
        found: set[int] = set()
        for token in tokens:
            ids = self.postings(token)[0]
            if len(ids):
                found.update(int(v) for v in np.unique(labels[ids]) if v >= 0)
        return found

    def cognates(self, word: str) -> tuple[str, ...]:
        """Lexical tokens of the course's words that look like the (English) ``word``: same skeleton prefix."""
        key = _skeleton(word)
        if len(key) < COGNATE_PREFIX:
            return ()
        if self._cognates is None:
            table: dict[str, set[str]] = {}
            for w in self.words:
                sk = _skeleton(w)
                if len(sk) >= COGNATE_PREFIX and not w.isdigit():
                    table.setdefault(sk[:COGNATE_PREFIX], set()).update(lexical_tokens(w))
            self._cognates = {k: tuple(sorted(v))[:MAX_COGNATES] for k, v in table.items()}
        return self._cognates.get(key[:COGNATE_PREFIX], ())

    def unknown_terms(self, query: str) -> list[str]:
        """Named terms of the query (proper nouns, acronyms) that appear nowhere in the course, once each.

        Exam words in capitals («LEAST», «NOT») are no names, nor names of any course of the field («AWS»,
        «LLM»: tutor.lexicon.GENERIC_TERMS, whether or not a small course writes them); in a compound only its
        capitalised parts count
        («Amazon-built» is known when the course mentions Amazon)."""
        unknown = []
        for term in named_terms(query):
            if no_topic(term):
                continue
            parts = [p for p in _WORDS.findall(term) if p[0].isupper() or p[0].isdigit()] or _WORDS.findall(term)
            if not all(fold(part) in self.words for part in parts):
                unknown.append(term)
        return list(dict.fromkeys(unknown))


MAX_COGNATES = 6
_skeleton = lru_cache(maxsize=4096)(skeleton)
