"""The tutor pipeline: question -> sources -> prompt -> streamed answer with validated citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from tutor.citations import MARKER, StreamFilter, clean_markers
from tutor.config import GenerationParams, Settings
from tutor.grounding import ground, passages_answer, passages_block
from tutor.index import CourseIndex, IndexReport, Progress, build_index
from tutor.llm import LocalLLM, ModelError, resolve_model
from tutor.paths import resolve_corpus
from tutor.prompt import COMPLETION_STOPS, PromptPlan, build_prompt, not_in_course
from tutor.retrieve import Retrieval, Retriever
from tutor.text import detect_language
from tutor.types import Source

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


@dataclass
class Answer:
    """Everything about one answer, as shown in the window and printed by ``tutor ask --json``."""

    question: str
    answer: str
    abstained: bool
    sources: list[Source]
    cited: list[int]
    params: dict
    language: str
    timings: dict = field(default_factory=dict)
    usage: dict = field(default_factory=dict)
    stopped_reason: str = ""  # "" | "repetition" | "cancelled" | "empty"
    context: dict = field(default_factory=dict)
    kind: str = "generated"  # "generated" | "passages" (fallback, labelled) | "not_in_course"
    generated_text: str = ""  # what the model wrote, before grounding or fallback
    grounded_share: float = 0.0  # share of the answer's content words supported by its sources
    extract: str = ""  # the labelled literal passages appended to a generated answer, if any

    @property
    def citations(self) -> list[tuple[int, Source]]:
        """The sources the shown answer cites (validated: each number refers to a given source)."""
        return [(n, self.sources[n - 1]) for n in self.cited]

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "language": self.language,
            "kind": self.kind,
            "citations": [{"n": n, "file": s.file, "page": s.page, "title": s.title} for n, s in self.citations],
            "generated_text": self.generated_text,
            "grounded_share": round(self.grounded_share, 3),
            "extract": self.extract,
            "sources": [{"n": i, **s.to_dict()} for i, s in enumerate(self.sources, start=1)],
            "params": self.params,
            "timings": self.timings,
            "usage": self.usage,
            "stopped_reason": self.stopped_reason,
            "context": self.context,
        }


def normalize_question(question: str) -> str:
    """Strip control characters and surrounding space; raise ValueError (Spanish) when nothing is left."""
    cleaned = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question).strip()
    if not re.search(r"\w", cleaned):
        raise ValueError("Escribe una pregunta (con palabras) sobre el curso.")
    return cleaned[:MAX_QUESTION_CHARS]


def is_looping(text: str) -> bool:
    """True when the tail of ``text`` repeats the same passage three times in a row (numbers ignored)."""
    tail = re.sub(r"\d+", "#", text[-400:])
    for size in range(6, 121):
        if len(tail) < 3 * size:
            break
        unit = tail[-size:]
        if unit.strip() and tail[-2 * size : -size] == unit and tail[-3 * size : -2 * size] == unit:
            return True
    return False


class Tutor:
    """Owns the index, the retriever and the LLM for one corpus; used by the CLI and the window."""

    def __init__(
        self, settings: Settings, corpus: Path | None = None, llm: LocalLLM | None = None, embedder=None
    ) -> None:
        self.settings = settings
        self.corpus = Path(corpus).expanduser().resolve() if corpus else resolve_corpus(settings.corpus_dir)
        self.llm = llm or LocalLLM()
        self._embedder = embedder
        self._index: CourseIndex | None = None
        self._retriever: Retriever | None = None

    @property
    def embedder(self):
        if self._embedder is None:
            from tutor.embed import load_embedder

            self._embedder = load_embedder(self.settings.embedder, self.settings.embed_precision)
        return self._embedder

    def update_index(self, progress: Progress | None = None) -> IndexReport:
        """Build or refresh the corpus index (only changed files are embedded)."""
        self._index, report = build_index(self.corpus, self.embedder, self.settings.chunking, progress)
        self._retriever = None
        return report

    def ensure_index(self, progress: Progress | None = None) -> IndexReport | None:
        """Load the index; build or refresh it when missing, stale or incompatible."""
        if self._index is not None:
            return None
        return self.update_index(progress)

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            if self._index is None:
                self.ensure_index()
            self._retriever = Retriever(self._index, self.embedder, self.settings.retrieval, self._translate)
        return self._retriever

    def _translate(self, text: str) -> str:
        """English question -> Spanish, with the local LLM; empty when no model can be used."""
        from tutor.llm import translate_to_spanish

        try:
            if not self.llm.loaded:  # any loaded model translates; never reload just for this
                self.load_model()
            return translate_to_spanish(self.llm, text)
        except (ModelError, ValueError, RuntimeError) as exc:
            log.info("Sin traducción de la pregunta: %s", exc)
            return ""

    def search(self, question: str, k: int | None = None) -> Retrieval:
        return self.retriever.search(normalize_question(question), k)

    def model_path(self, progress: Callable[[str], None] | None = None) -> Path:
        return resolve_model(self.settings.llm_model, progress)

    def load_model(self, params: GenerationParams | None = None, progress: Callable[[str], None] | None = None):
        params = (params or self.settings.generation).validated()
        return self.llm.ensure(self.model_path(progress), params, progress)

    # --- study modes: parameter lab and practice quiz ------------------------------------------------

    def lab(self, prompt: str, params: GenerationParams | None = None, progress=None):
        """The prompt's tokens and the model's logits for the next token (see :mod:`tutor.lab`)."""
        from tutor.lab import LabResult

        if not prompt.strip():
            raise ValueError("Escribe un texto para ver qué token viene después.")
        params = (params or self.settings.generation).validated()
        self.load_model(params, progress)
        tokens = self.llm.tokenize(prompt, add_bos=True)[-(params.n_ctx - 1) :]
        logits = self.llm.next_token_logits(tokens)
        return LabResult(prompt, [(t, self.llm.piece(t)) for t in tokens], logits, params.n_ctx)

    def lab_samples(self, result, lab_params, n: int = 10, max_tokens: int = 8) -> list[str]:
        """``n`` continuations of a lab prompt sampled with the lab's temperature, top-k, top-p and min-p."""
        params = replace(self.settings.generation, **asdict(lab_params), seed=-1)
        return self.llm.sample([t for t, _ in result.tokens], params, n, max_tokens)

    def slides(self):
        """The course's slides and sections (text joined back from the index)."""
        from tutor.quiz import slides_from_chunks

        self.ensure_index()
        return slides_from_chunks(self._index.chunks)

    def practice(self, n: int = 5, topic: str = "", review: bool = False, seed: int | None = None, book=None):
        """Practice questions cited to their slides; see :mod:`tutor.quiz`."""
        from tutor.quiz import MODEL_MIN_BYTES, ScoreBook, build_quiz

        slides = self.slides()
        llm = None
        mode = self.settings.quiz_questions
        if mode == "auto" and not self.settings.llm_model:
            mode = "slides"  # the packaged 270M base model cannot write good questions: do not even load it
        if mode != "slides":
            try:
                # auto: an instruction-tuned (chat template) model of about 1B parameters or more
                if mode == "model" or self.model_path().stat().st_size >= MODEL_MIN_BYTES:
                    self.load_model()
                    if mode == "model" or self.llm.chat_template():
                        llm = self.llm
            except (ModelError, OSError) as exc:
                log.warning("Preguntas desde las diapositivas: %s", exc)
        return build_quiz(slides, n, topic, review, seed, str(self.corpus), book or ScoreBook(), llm)

    def prompt_style(self) -> str:
        style = self.settings.prompt_style
        if style in ("chat", "completion"):
            return style
        return "chat" if self.llm.chat_template() else "completion"

    def _cache_friendly(self, sources: list[Source]) -> list[Source]:
        """Sources the previous prompt also had come first, in its order, so llama.cpp reuses their KV cache
        (a follow-up on the same topic then only processes what is new); the rest follow by rank."""
        previous = getattr(self, "_last_prompt_sources", [])
        keys = [(s.file, s.page) for s in sources]
        shared = [sources[keys.index(k)] for k in previous if k in keys]
        return shared + [s for s in sources if s not in shared]

    def plan_prompt(
        self, question: str, sources: list[Source], lang: str, params: GenerationParams, history=None
    ) -> PromptPlan:
        style = self.prompt_style()
        template = None
        bos: list[int] = []
        if style == "chat" and self.llm.chat_template():
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            bos_text, eos_text = self.llm.special_tokens()
            formatter = Jinja2ChatFormatter(self.llm.chat_template(), eos_text, bos_text)

            def template(messages: list[dict]) -> str:
                return formatter(messages=messages).prompt
        else:
            bos = [self.llm.llama.token_bos()] if self.llm.llama.token_bos() >= 0 else []
        return build_prompt(
            question,
            sources,
            lang,
            self.llm.tokenize,
            self.llm.detokenize,
            params.n_ctx,
            params.max_tokens,
            history=history,
            style=style,
            template=template,
            bos=bos,
        )

    def ask(
        self,
        question: str,
        params: GenerationParams | None = None,
        history: list[tuple[str, str]] | None = None,
        on_text: Callable[[str], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer ``question`` from the course, streaming visible text to ``on_text``."""
        params = (params or self.settings.generation).validated()
        question = normalize_question(question)
        lang = detect_language(question)
        started = time.perf_counter()
        retrieval = self.retriever.search(question)
        timings = {"retrieval_ms": round(retrieval.ms, 1)}
        answer = Answer(question, "", retrieval.abstained, [], [], _params_dict(params), lang, timings)
        if retrieval.abstained:
            answer.kind = "not_in_course"
            answer.answer = not_in_course(lang, retrieval.unknown_terms)
            answer.sources = retrieval.sources[:3]
            if on_text:
                on_text(answer.answer)
            timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
            return answer
        self.load_model(params, progress)
        plan = self.plan_prompt(question, self._cache_friendly(retrieval.sources), lang, params, history)
        if retrieval.sources and retrieval.sources[0] not in plan.sources:  # tight window: rank wins over reuse
            plan = self.plan_prompt(question, retrieval.sources, lang, params, history)
        self._last_prompt_sources = [(s.file, s.page) for s in plan.sources]
        rank = {(s.file, s.page): i for i, s in enumerate(retrieval.sources)}
        best = sorted(
            range(1, len(plan.sources) + 1), key=lambda n: rank[plan.sources[n - 1].file, plan.sources[n - 1].page]
        )
        answer.sources = plan.sources
        answer.context = {"n_ctx": params.n_ctx, **plan.breakdown, "history_turns": plan.history_turns}
        stream_filter = StreamFilter(len(plan.sources))
        raw = plan.primer
        shown = [plan.primer] if plan.primer else []
        if plan.primer and on_text:
            on_text(plan.primer)
        if plan.style == "completion":
            params = replace(params, stop=tuple(dict.fromkeys(params.stop + COMPLETION_STOPS)))
        completion_tokens = 0
        gen_started = first_at = time.perf_counter()
        for piece in self.llm.stream(plan.tokens, params):
            if completion_tokens == 0:
                first_at = time.perf_counter()
                timings["first_token_ms"] = round((first_at - started) * 1000, 1)
                timings["prompt_ms"] = round((first_at - gen_started) * 1000, 1)
            completion_tokens += 1
            raw += piece
            visible = stream_filter.feed(piece)
            if visible:
                shown.append(visible)
                if on_text:
                    on_text(visible)
            if should_stop and should_stop():
                answer.stopped_reason = "cancelled"
                break
            if is_looping(raw):
                answer.stopped_reason = "repetition"
                break
        tail = stream_filter.flush()
        if tail and on_text:
            on_text(tail)
        text = clean_markers("".join(shown) + tail, len(plan.sources)).strip()
        if answer.stopped_reason == "repetition":
            text = _trim_loop(text)
        answer.generated_text = text
        generated = text[len(plan.primer) :] if plan.primer and text.startswith(plan.primer) else text
        if not MARKER.sub("", generated).strip(" ,.;:\n"):
            answer.stopped_reason = answer.stopped_reason or "empty"
        grounding = ground(text, plan.sources)
        answer.grounded_share = grounding.grounded_share
        degenerate = answer.stopped_reason in ("repetition", "empty")
        if answer.stopped_reason == "cancelled" or (grounding.usable and not degenerate):
            answer.answer, answer.cited = grounding.text, grounding.cited
            mode = self.settings.show_extracts
            if answer.stopped_reason != "cancelled" and (
                mode == "always" or (mode == "auto" and plan.style == "completion")
            ):
                block, numbers = passages_block("extract", question, plan.sources, lang, best)
                if block:
                    answer.extract = block
                    answer.answer = f"{answer.answer}\n\n{block}"
                    answer.cited = list(dict.fromkeys(answer.cited + numbers))
        else:
            answer.kind = "passages"
            answer.answer, answer.cited = passages_answer(question, plan.sources, lang, best)
        ended = time.perf_counter()
        timings["total_ms"] = round((ended - started) * 1000, 1)
        timings["generation_ms"] = round((ended - first_at) * 1000, 1)
        gen_s = ended - first_at
        timings["generation_tokens_per_s"] = round((completion_tokens - 1) / gen_s, 1) if gen_s > 0 else 0.0
        answer.usage = {"prompt_tokens": len(plan.tokens), "completion_tokens": completion_tokens}
        return answer


def _trim_loop(text: str) -> str:
    """Cut a repetition loop down to its first occurrence."""
    masked = re.sub(r"\d", "#", text)
    for size in range(6, 121):
        unit = masked[-size:]
        if unit.strip() and masked.count(unit) >= 3:
            first = masked.find(unit)
            return text[: first + size].strip()
    return text


def _params_dict(params: GenerationParams) -> dict:
    data = asdict(params)
    data["stop"] = list(params.stop)
    return data
