"""Hybrid retrieval: dense (FAISS) + Spanish BM25, fused per page with z-scores, plus a calibrated decision
(answer, answer with a caution, or refuse) in :mod:`tutor.abstain`."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np

from tutor.abstain import Signals, decide
from tutor.config import RetrievalSettings
from tutor.embed import Embedder
from tutor.evidence import banners, carried_name
from tutor.exam_parse import parse_practice
from tutor.exercises import is_exercise
from tutor.implied import asks_for_name, implied, names
from tutor.index import CourseIndex
from tutor.lexicon import no_topic
from tutor.needs import need_groups, words_for_term
from tutor.query import GLOSSARY_WEIGHT, Query, Term, analyse, ask_part, asked_names, common_english
from tutor.rewrite import needs_rewrite
from tutor.text import fold, is_link_list, join_overlapping, lexical_tokens, writes_word
from tutor.types import Source


@dataclass
class Retrieval:
    """The answer of a search: ranked sources, and whether and how confidently the course covers the question."""

    query: str
    sources: list[Source]
    abstained: bool  # the decision is "refuse"
    ms: float
    candidates: list[Source] = field(default_factory=list)
    unknown_terms: list[str] = field(default_factory=list)  # named terms the course never mentions
    translation: str = ""  # the Spanish version of an English question, when one was made
    top_z: float = 0.0
    confidence: float = 0.0  # calibrated probability that the course answers the question
    decision: str = "refuse"  # "answer" | "caution" (borderline: answer, saying so) | "refuse"
    signals: Signals | None = None
    missing_terms: list[str] = field(default_factory=list)  # words of the ask that the best pages lack
    implied_terms: list[str] = field(default_factory=list)  # what the question asks for unnamed, never in the course

    @property
    def caution(self) -> bool:
        return self.decision == "caution"

    @property
    def unknown_asked(self) -> list[str]:
        """The :attr:`unknown_terms` the sentence that asks writes: those the answer's note names. A scenario's
        context names its actors and their tools («Una aseguradora de Córdoba…», «…its Zendesk help center»),
        which no course need mention; the decision still weighs them (``Signals.unknown_context``)."""
        ask = ask_part(self.query)
        return [term for term in self.unknown_terms if writes_word(ask, term)]


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
        self._named: dict[str, bool] = {}  # alias → whether the course writes it (tutor/implied.py)
        self._banners: dict[str, frozenset[str]] = {}  # file → its logo lines (``evidence.banners``)
        self._carried: dict[tuple[str, int], str] = {}  # slide → the name it carries (``_carried_name``)
        for i, chunk in enumerate(index.chunks):
            self._pages.setdefault((chunk.file, chunk.page), []).append(i)
        self._page_keys = list(self._pages)
        self._chunk_page = np.empty(len(index.chunks), dtype=np.int64)
        for p, key in enumerate(self._page_keys):
            self._chunk_page[self._pages[key]] = p

    def page_text(self, file: str, page: int) -> str:
        """The whole text of a page or section, its chunks joined without their overlap ("" if unknown)."""
        return join_overlapping([self.index.chunks[i].text for i in self._pages.get((file, page), [])])

    @cached_property
    def exercise_pages(self) -> frozenset[tuple[str, int]]:
        """``(file, page)`` of the pages that are mostly practice questions (:mod:`tutor.exercises`)."""
        chunks = self.index.chunks
        return frozenset(key for key, ids in self._pages.items() if is_exercise("\n".join(chunks[i].text for i in ids)))

    def with_carried(self, source: Source) -> Source:
        """``source`` with the name the slide before it ends under («Amazon SageMaker Clarify»), which its first
        lines may go on about (``Source.carried``); unchanged for a text section, a first slide, a slide that
        starts with a name of its own or follows one with no name, or a source that is not the start of its page."""
        own = self._pages.get((source.file, source.page))
        if source.kind != "pdf" or not own or self.index.chunks[own[0]].text != source.text:
            return source
        name = self._carried_name(source.file, source.page)
        return replace(source, carried=name) if name else source

    def _carried_name(self, file: str, page: int) -> str:
        """``evidence.carried_name`` of a slide's first chunk after the previous slide's last, once per slide."""
        if (file, page) not in self._carried:
            before, chunks = self._pages.get((file, page - 1)), self.index.chunks
            if file not in self._banners:  # the deck's logo lines, found once per file
                slides = ["\n".join(chunks[i].text for i in ids) for (f, _), ids in self._pages.items() if f == file]
                self._banners[file] = banners(slides)
            name = ""
            if before:
                last, first = chunks[before[-1]], chunks[self._pages[(file, page)][0]]
                name = carried_name(last.text, last.title, first.text, self._banners[file])
            self._carried[(file, page)] = name
        return self._carried[(file, page)]

    def search(self, query: str, k: int | None = None, stem: str | None = None, translate: bool = True) -> Retrieval:
        """Top-``k`` pages for ``query`` (at most one entry per page). ``stem``: what the decision reads when
        ``query`` is a practice question's stem with its options (else they are told apart when pasted);
        ``translate=False``: never ask the model for a Spanish query (a few words the glossary reads)."""
        started = time.perf_counter()
        s = self.settings
        k = k or s.k
        n = len(self.index.chunks)
        if n == 0 or not query.strip():
            return Retrieval(query, [], True, 0.0)
        translation = ""
        if translate and s.translate_english and self.translator is not None and needs_rewrite(query):
            translation = self.translator(query).strip()
        q = analyse(query, translation, reduce=s.reduce_queries, expand=s.english_glossary)
        dense = own = self._dense(query, n)
        if translation:
            dense = np.maximum(own, self._dense(translation, n))
        asked = lexical = self.lexical.group_scores(q.groups, GLOSSARY_WEIGHT)
        needs = need_groups(query) if s.scenario_needs else []
        if needs:  # the course's words for a need the scenario describes: they help the ranking only
            lexical = asked + self.lexical.group_scores(needs, GLOSSARY_WEIGHT)
        page_dense = self._per_page(dense, -1.0)
        dense_z = s.dense_weight * _zscore(page_dense)
        fused, order = self._fuse(dense_z, lexical, k)
        plain, plain_order = self._fuse(dense_z, asked, k) if needs else (fused, order)
        top_lex = float(lexical.max())
        ranked = [self._source(int(p), float(fused[p]), dense, lexical, top_lex) for p in order]
        ranked.sort(key=lambda source: is_link_list(source.text))  # a slide of links goes after those with content
        ranked = self._without_repeats(ranked)
        # The decision reads the question as asked (as it was calibrated): a translation only helps the ranking;
        # so do pasted options (candidate answers: a distractor the course never names says nothing of the stem).
        if stem is None:
            pasted = parse_practice(query)
            stem = pasted.stem if pasted else query
        unknown = self.lexical.unknown_terms(stem)
        unnamed, asked_for = self._implied_unknown(stem) if s.implied_names else ([], False)
        if translation or stem != query:
            q = analyse(stem, "", reduce=s.reduce_queries, expand=s.english_glossary)
            page_dense = self._per_page(own, -1.0)
        # ... and without the words of the needs it describes, which it does not say
        implied_count = len(unnamed) if asked_for else 0  # read only when the ask wants a named thing
        signals, missing = self._signals(q, plain_order, plain, page_dense, unknown, implied_count)
        ranked = self._naming_each(ranked, asked_names(stem) - set(unknown))
        verdict = decide(signals, s, self.embedder.name)
        ms = (time.perf_counter() - started) * 1000
        return Retrieval(
            query,
            ranked[:k],
            verdict.decision == "refuse",
            ms,
            ranked,
            unknown,
            translation,
            signals.fused_z,
            verdict.confidence,
            verdict.decision,
            signals,
            missing,
            unnamed,
        )

    def _without_repeats(self, ranked: list[Source]) -> list[Source]:
        """``ranked`` without a page whose title and text a better-ranked page already has, but for line breaks: a
        deck may show one case study twice (slides 6 and 8), and a copy would take the place of a page that adds
        something."""
        seen: set[str] = set()
        kept = []
        for source in ranked:
            text = self._page_prints[(source.file, source.page)]
            if text not in seen:
                kept.append(source)
            seen.add(text)
        return kept

    @cached_property
    def _page_prints(self) -> dict[tuple[str, int], str]:
        """Each page's title and text with its whitespace collapsed, read once (what :meth:`_without_repeats`
        compares)."""
        titles = {(c.file, c.page): c.title for c in self.index.chunks}
        return {key: " ".join(f"{titles[key]}\n{self.page_text(*key)}".split()) for key in self._page_keys}

    def _naming_each(self, ranked: list[Source], asked: set[str]) -> list[Source]:
        """``ranked`` with, third, the best page below the top 3 (down to the 10th) that writes a name the question
        asks about and none of the top 3 writes: «¿Qué es RAG y en qué se diferencia del ajuste fino?» found three
        fine-tuning pages and the RAG slide fifth. The decision is read before: only what the model reads moves."""
        for name in sorted(asked):
            if no_topic(name):  # «AWS», «LLM», «NOT»
                continue
            if any(writes_word(self.page_text(s.file, s.page), name) for s in ranked[:NAMED_TOP]):
                continue
            later = next(
                (
                    i
                    for i in range(NAMED_TOP, min(len(ranked), 10))
                    if writes_word(self.page_text(ranked[i].file, ranked[i].page), name)
                ),
                None,
            )
            if later is not None:
                return [
                    *ranked[: NAMED_TOP - 1],
                    ranked[later],
                    *(s for i, s in enumerate(ranked) if i >= NAMED_TOP - 1 and i != later),
                ]
        return ranked

    def _fuse(self, dense_z: np.ndarray, lexical: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each page's fused score (the weighted dense z-score plus the weighted lexical one) and the best pages."""
        fused = dense_z + self.settings.lexical_weight * _zscore(self._per_page(lexical, 0.0))
        return fused, np.argsort(-fused, kind="stable")[: max(k, 10)]

    def _per_page(self, values: np.ndarray, floor: float) -> np.ndarray:
        """Each page's best chunk score."""
        pages = np.full(len(self._page_keys), floor, dtype=np.float32)
        np.maximum.at(pages, self._chunk_page, values)
        return pages

    def _implied_unknown(self, stem: str) -> tuple[list[str], bool]:
        """What ``stem`` asks for without naming it (tutor/implied.py) when the course names none of its names;
        and whether its ask wants a service, an option or a metric."""
        found = [entry.name for entry in implied(stem) if not any(map(self._course_names, entry.aliases))]
        return found, bool(found) and asks_for_name(ask_part(stem))

    def _course_writes_need_of(self, term: str) -> bool:
        """Whether ``term`` alone tells a need (tutor/needs.py) whose words the course writes («PII»: Macie)."""
        words = words_for_term(term) if self.settings.scenario_needs else ()
        return any(map(self.lexical.uses, words))

    def _course_names(self, alias: str) -> bool:
        """Whether the course writes ``alias`` (whole words), read once per alias."""
        if alias not in self._named:
            self._named[alias] = names(self._folded_text, alias)
        return self._named[alias]

    @cached_property
    def _folded_text(self) -> str:
        """The whole course, folded, one chunk per line (read for the names it writes)."""
        return "\n".join(fold(f"{c.title} {c.text}") for c in self.index.chunks)

    def _signals(
        self,
        q: Query,
        order: np.ndarray,
        fused: np.ndarray,
        page_dense: np.ndarray,
        unknown: list[str],
        implied_count: int,
    ) -> tuple[Signals, list[str]]:
        """What the decision reads: how much of the question one of the best 3 pages covers, the named terms
        the course never mentions, what the ask wants without naming it that the course never names either
        (``implied_count``), and the asked words the best 3 pages lack (in the sentence that asks, or in its
        context); with those words of the ask. A name the course explains in its own words («PII»: the need
        it tells has words in the course) does not count against the ask."""
        top = [int(p) for p in order[:3]]
        labels = np.full(len(self.index.chunks), -1, dtype=np.int8)
        for rank, p in enumerate(top):
            labels[self._pages[self._page_keys[p]]] = rank
        where = lru_cache(maxsize=None)(lambda tokens: self.lexical.labels_with(tokens, labels))
        groups = q.groups
        mass = [w * self.lexical.idf(tokens[0]) for w, tokens in groups]
        found = [where(tokens) for _, tokens in groups]
        total = sum(mass) or 1.0
        coverage = max(sum(m for m, f in zip(mass, found, strict=True) if r in f) / total for r in range(len(top)))
        asked = asked_names(q.text)
        in_context = sum(term not in asked for term in unknown)
        in_ask = sum(term in asked and not self._course_writes_need_of(term) for term in unknown)
        named = {t for term in unknown for t in lexical_tokens(term)}
        cognates = q.language == "en" and not q.translated
        wanted = [t for t in q.terms if t.weight == 1.0 and not t.generic and t.token not in named]
        forms = {t.token: self._forms(t, cognates) for t in wanted}
        if cognates:  # an untranslated English question: only telling absences count (see ``_telling``)
            wanted = [t for t in wanted if self._telling(t, forms[t.token])]
        missing = [t for t in wanted if not where(forms[t.token])]
        # a word of the ask that the scenario already said («the board», «el oficial de privacidad») names its
        # actors and objects again: what it asks is the rest
        context = q.text[: len(q.text) - len(ask_part(q.text))]
        said = set(lexical_tokens(context))
        asked_only = [t for t in missing if t.ask and t.token not in said]
        second = float(fused[order[1]]) if len(order) > 1 else float(fused[order[0]])
        return Signals(
            dense=float(page_dense[top[0]]),
            coverage=coverage,
            unknown_ask=in_ask,
            unknown_context=in_context,
            absent_ask=len(asked_only),
            absent_context=len(missing) - len(asked_only),
            implied=implied_count,
            fused_z=float(fused[order[0]]),
            margin=float(fused[order[0]]) - second,
            pages=len(self._page_keys),
        ), [t.word for t in asked_only]

    def _telling(self, term: Term, forms: tuple[str, ...]) -> bool:
        """Whether the absence of a word of an untranslated English question (``forms``: its tokens) from the
        best (Spanish) pages tells anything. A word rare in English («watermark», «throughput») counts, and so does
        a common one when the course writes none of its forms anywhere: «speech» with no «voz». A common word whose
        Spanish the course does write elsewhere («team» → «equipo», «problems» → «problema») is only said another
        way on the pages that answer."""
        return not common_english(term.word) or not any(self.lexical.uses(token) for token in forms)

    def _forms(self, term: Term, cognates: bool) -> tuple[str, ...]:
        """The tokens that stand for ``term``: its own, its translations and, for an untranslated English
        question, the course's cognates of it."""
        forms = (term.token, *term.alternatives)
        return forms + self.lexical.cognates(term.word) if cognates else forms

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
NAMED_TOP = 3  # the pages the model reads by default (``Settings.prompt_sources``)
DENSE_CANDIDATES = 1_000


def _zscore(values: np.ndarray) -> np.ndarray:
    """How many standard deviations each page stands above the course's mean."""
    std = float(values.std())
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)
