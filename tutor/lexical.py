"""Spanish-aware BM25 over chunks (bm25s + Snowball stemming + accent folding)."""

from __future__ import annotations

import logging
import re

import numpy as np

from tutor.text import fold, lexical_tokens, named_terms

_WORDS = re.compile(r"\w+", re.UNICODE)


class LexicalIndex:
    """BM25 scores for every chunk; the title counts ``title_weight`` times."""

    def __init__(self, docs: list[tuple[str, str]], title_weight: int = 2) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build
        self.size = len(docs)
        corpus = [lexical_tokens(" ".join([title] * title_weight) + "\n" + text) for title, text in docs]
        self.vocabulary = {tok for toks in corpus for tok in toks}
        self.words = {fold(w) for title, text in docs for w in _WORDS.findall(f"{title} {text}")}
        self.bm25 = bm25s.BM25()
        if self.size:
            self.bm25.index([toks or ["∅"] for toks in corpus], show_progress=False)

    def scores(self, query: str) -> tuple[np.ndarray, float]:
        """BM25 score of every chunk, and the share of query terms present in the course."""
        tokens = lexical_tokens(query)
        if not tokens or not self.size:
            return np.zeros(self.size, dtype=np.float32), 0.0
        coverage = sum(t in self.vocabulary for t in tokens) / len(tokens)
        known = [t for t in tokens if t in self.vocabulary]
        if not known:
            return np.zeros(self.size, dtype=np.float32), coverage
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32), coverage

    def unknown_terms(self, query: str) -> list[str]:
        """Named terms of the query (proper nouns, acronyms) that appear nowhere in the course."""
        return [
            term for term in named_terms(query) if not all(fold(part) in self.words for part in _WORDS.findall(term))
        ]
