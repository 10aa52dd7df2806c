"""Hybrid retrieval: dense (FAISS) + Spanish BM25, fused per page with weighted RRF, plus abstention."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tutor.config import RetrievalSettings
from tutor.embed import Embedder
from tutor.index import CourseIndex
from tutor.text import detect_language
from tutor.types import Source


@dataclass
class Retrieval:
    """The answer of a search: ranked sources, and whether the course seems not to cover the question."""

    query: str
    sources: list[Source]
    abstained: bool
    ms: float
    candidates: list[Source] = field(default_factory=list)
    unknown_terms: list[str] = field(default_factory=list)  # named terms the course never mentions
    translation: str = ""  # the Spanish version of an English question, when one was made
    top_z: float = 0.0


class Retriever:
    """Searches one loaded index with one embedder."""

    def __init__(
        self,
        index: CourseIndex,
        embedder: Embedder,
        settings: RetrievalSettings,
        translator: Callable[[str], str] | None = None,
    ) -> None:
        self.index = index
        self.translator = translator
        self.embedder = embedder
        self.settings = settings
        self.lexical = index.lexical(settings.title_weight)
        self._pages: dict[tuple[str, int], list[int]] = {}
        for i, chunk in enumerate(index.chunks):
            self._pages.setdefault((chunk.file, chunk.page), []).append(i)
        self._page_keys = list(self._pages)
        self._chunk_page = np.empty(len(index.chunks), dtype=np.int64)
        for p, key in enumerate(self._page_keys):
            self._chunk_page[self._pages[key]] = p

    def search(self, query: str, k: int | None = None) -> Retrieval:
        """Top-``k`` pages for ``query`` (at most one entry per page)."""
        started = time.perf_counter()
        s = self.settings
        k = k or s.k
        n = len(self.index.chunks)
        if n == 0 or not query.strip():
            return Retrieval(query, [], True, 0.0)
        translation = ""
        if s.translate_english and self.translator is not None and detect_language(query) == "en":
            translation = self.translator(query).strip()
        dense = self._dense(query, n)
        if translation:
            dense = np.maximum(dense, self._dense(translation, n))
        lexical, _coverage = self.lexical.scores(f"{query} {translation}" if translation else query)
        n_pages = len(self._page_keys)
        page_dense = np.full(n_pages, -1.0, dtype=np.float32)
        np.maximum.at(page_dense, self._chunk_page, dense)
        page_lex = np.zeros(n_pages, dtype=np.float32)
        np.maximum.at(page_lex, self._chunk_page, lexical)
        fused = s.dense_weight * _zscore(page_dense) + s.lexical_weight * _zscore(page_lex)
        order = np.argsort(-fused, kind="stable")[: max(k, 10)]
        top_lex = float(lexical.max())
        ranked = [self._source(int(p), float(fused[p]), dense, lexical, top_lex) for p in order]
        top_z = float(fused.max())
        unknown = self.lexical.unknown_terms(query) if s.abstain_on_unknown_terms else []
        abstain = top_z < s.min_fused_z or bool(unknown)
        ms = (time.perf_counter() - started) * 1000
        return Retrieval(query, ranked[:k], abstain, ms, ranked, unknown, translation, top_z)

    def _dense(self, text: str, n: int) -> np.ndarray:
        """Cosine similarity of ``text`` with every chunk; past ``DENSE_ALL_MAX`` chunks only the top
        ``DENSE_CANDIDATES`` are scored and the rest get the lowest of those scores."""
        k = n if n <= DENSE_ALL_MAX else DENSE_CANDIDATES
        scores, ids = self.index.faiss.search(self.embedder.embed_query(text), k)
        valid = ids[0] >= 0
        floor = float(scores[0][valid].min()) if valid.any() else -1.0
        dense = np.full(n, floor if k < n else -1.0, dtype=np.float32)
        dense[ids[0][valid]] = scores[0][valid]
        return dense

    def _source(self, p: int, score: float, dense: np.ndarray, lexical: np.ndarray, top_lex: float) -> Source:
        ids = self._pages[self._page_keys[p]]
        norm = lexical[ids] / top_lex if top_lex > 0 else np.zeros(len(ids))
        best = ids[int(np.argmax(dense[ids] + norm))]
        c = self.index.chunks[best]
        return Source(
            file=c.file,
            page=c.page,
            title=c.title,
            text=c.text,
            score=score,
            kind=c.kind,
            section=c.section,
            line=c.line,
            dense=float(dense[ids].max()),
            lexical=float(lexical[ids].max()),
        )


DENSE_ALL_MAX = 20_000
DENSE_CANDIDATES = 1_000


def _zscore(values: np.ndarray) -> np.ndarray:
    """How many standard deviations each page stands above the course's mean."""
    std = float(values.std())
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)
