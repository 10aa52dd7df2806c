"""The tutor pipeline: question -> sources -> prompt -> streamed answer with validated citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from tutor.answer import Answer, finish_answer, stream_answer
from tutor.citations import citation_grammar
from tutor.config import GenerationParams, Settings
from tutor.conversation import Conversation
from tutor.course import CourseInfo
from tutor.exam_parse import parse_practice
from tutor.excerpts import excerpt_sources
from tutor.exercises import explaining
from tutor.index import CourseIndex, IndexReport, Progress, build_index
from tutor.language_model import LanguageModel, PromptProgress
from tutor.llm import LocalLLM
from tutor.model_files import ModelError, choose_model
from tutor.paths import resolve_corpus
from tutor.prompt import COMPLETION_STOPS, PromptPlan, build_prompt, caution, not_in_course
from tutor.retrieve import Retrieval, Retriever
from tutor.text import detect_language
from tutor.types import Source
from tutor.verify import Opinion, Verifier, verifier_for

__all__ = ["Answer", "Conversation", "Tutor", "normalize_question"]

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


def normalize_question(question: str) -> str:
    """Strip control characters and surrounding space; raise ValueError (Spanish) when nothing is left, or when
    the question is longer than ``MAX_QUESTION_CHARS`` (cutting it would lose what it asks, often at its end)."""
    cleaned = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", question).strip()
    if not re.search(r"\w", cleaned):
        raise ValueError("Escribe una pregunta (con palabras) sobre el curso.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"La pregunta es demasiado larga ({len(cleaned)} caracteres; caben {MAX_QUESTION_CHARS}). "
            "Deja solo lo que quieres preguntar (en una pregunta de examen, el enunciado y las opciones)."
        )
    return cleaned


class Tutor:
    """Owns the index, the retriever and the LLM for one corpus; used by the CLI and the window."""

    def __init__(
        self, settings: Settings, corpus: Path | None = None, llm: LanguageModel | None = None, embedder=None
    ) -> None:
        self.settings = settings
        self.corpus = Path(corpus).expanduser().resolve() if corpus else resolve_corpus(settings.corpus_dir)
        self.llm = llm or LocalLLM()
        self._embedder = embedder
        self._index: CourseIndex | None = None
        self.course = CourseInfo.load(self.corpus)
        self._retriever: Retriever | None = None

    @property
    def embedder(self):
        if self._embedder is None:
            from tutor.embed import load_embedder

            self._embedder = load_embedder(self.settings.embedder, self.settings.embed_precision)
        return self._embedder

    @property
    def loaded_embedder(self):
        """The embedder if it is already loaded, else None (never loads it)."""
        return self._embedder

    @property
    def index(self) -> CourseIndex | None:
        """The course index once loaded or built; None before."""
        return self._index

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
        """The question as a short Spanish search query (see :mod:`tutor.rewrite`); empty without a model."""
        from tutor.rewrite import LONG_QUESTION_WORDS, rewrite_query

        try:
            english = detect_language(text) == "en"
            if not self.llm.loaded:  # any loaded model rewrites; never reload just for this
                if not english:
                    return ""  # a long Spanish stem is searched as it is rather than wait for a model
                self.load_model()
            instruct = bool(self.llm.chat_template())
            if instruct and not self.settings.retrieval.rewrite_with_instruct_model:
                return ""  # measured worse than the question alone (docs/RETRIEVAL.md)
            if not instruct and (not english or len(text.split()) > LONG_QUESTION_WORDS):
                # A base model only translates, and only short questions: given a multi-sentence exam stem its
                # few-shot translation copies its examples («¿Qué servicio guarda mis archivos?»). On our
                # question set translating stems lowered MRR (tune 0.858 -> 0.787, check 0.835 -> 0.804).
                return ""
            return rewrite_query(self.llm, text)
        except (ModelError, ValueError, RuntimeError) as exc:
            log.info("Sin reescritura de la pregunta: %s", exc)
            return ""

    def search(self, question: str, k: int | None = None) -> Retrieval:
        return self.retriever.search(normalize_question(question), k)

    def model_path(self, progress: Callable[[str], None] | None = None) -> Path:
        """The GGUF that answers (see :meth:`model_choice`)."""
        return self.model_choice(progress)[0]

    def model_choice(self, progress: Callable[[str], None] | None = None, prepare: bool = True) -> tuple[Path, str]:
        """The GGUF that answers and why, in Spanish (chosen in the settings, or automatically)."""
        return choose_model(self.settings.llm_model, progress, prepare)

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

    def warm_up(self, params: GenerationParams | None = None, progress: Callable[[str], None] | None = None) -> None:
        """Load everything the first question needs (index, embedder, model) and read the fixed instructions
        into the model's KV cache, so the first question costs what a later one does."""
        params = (params or self.settings.generation).validated()
        self.ensure_index()
        if progress:
            progress("Preparando la búsqueda…")
        self.retriever.search("preparar")  # loads the embedder's weights and warms its first call
        self.load_model(params, progress)
        if progress:
            progress("Leyendo las instrucciones del tutor…")
        self.llm.prefill(self.instruction_tokens(params))

    def instruction_tokens(self, params: GenerationParams) -> list[int]:
        """The tokens every prompt of this course starts with (the fixed instructions)."""
        a = self.plan_prompt("a", [], "es", params).tokens
        b = self.plan_prompt("b", [], "es", params).tokens
        shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        return a[:shared]

    def prompt_style(self) -> str:
        style = self.settings.prompt_style
        if style in ("chat", "completion"):
            return style
        return "chat" if self.llm.chat_template() else "completion"

    def plan_prompt(
        self, question: str, sources: list[Source], lang: str, params: GenerationParams, history=None
    ) -> PromptPlan:
        """The exact prompt for ``question``: instructions, history, the sources that fit, the question."""
        style = self.prompt_style()
        chat = style == "chat" and self.llm.chat_template() is not None
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
            template=self.llm.render_chat if chat else None,
            bos=[] if chat else self.llm.bos(),
            course_name=self.course.name,
        )

    def ask(
        self,
        question: str,
        params: GenerationParams | None = None,
        conversation: Conversation | None = None,
        on_text: Callable[[str], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        progress: Callable[[str], None] | None = None,
        on_prompt: PromptProgress | None = None,
    ) -> Answer:
        """Answer ``question`` from the course, streaming visible text to ``on_text``.

        With a ``conversation`` the answer carries its history and is recorded in it as a turn.
        """
        params = (params or self.settings.generation).validated()
        question = normalize_question(question)
        conversation = conversation if conversation is not None else Conversation()
        turn = conversation.begin(question)
        started = time.perf_counter()
        retriever = self.retriever  # the first question of a process loads the index and the embedder here
        loading = time.perf_counter() - started
        exam = parse_practice(question)
        if exam is not None:  # a pasted practice exam question: choose an option (tutor/practice_exam.py)
            callbacks = (on_text, should_stop, progress, on_prompt)
            return self._ask_practice(exam, params, conversation, turn, started, loading, callbacks)
        retrieval = retriever.search(conversation.search_text(question))  # a follow-up with what it goes on from
        answer = Answer(question, "", retrieval.abstained, [], [], _params_dict(params), detect_language(question))
        answer.timings["retrieval_ms"] = round(retrieval.ms, 1)
        if retrieval.abstained:
            self._refuse(answer, retrieval, on_text)
        else:
            if retrieval.caution:  # borderline: answer, but say first that the course is not explicit about it
                answer.caution = caution(answer.language, retrieval.unknown_asked, retrieval.implied_terms)
                if on_text:
                    on_text(answer.caution + "\n\n")
            model_started = time.perf_counter()
            self.load_model(params, progress)
            loading += time.perf_counter() - model_started
            plan = self._plan(answer, retrieval, params, conversation)
            turn.sources = plan.sources
            answer.model = self.llm.path.name if self.llm.path else ""
            raw, first_at = self._generate(answer, plan, params, on_text, should_stop, on_prompt)
            answer.timings["first_token_ms"] = round((first_at - started) * 1000, 1)
            rank = {(s.file, s.page): i for i, s in enumerate(retrieval.sources)}
            best = sorted(range(1, len(plan.sources) + 1), key=lambda n: rank[_key(plan.sources[n - 1])])
            verify = self.verifier(plan.sources, progress)  # None unless an instruction-tuned model answers
            finish_answer(answer, raw, plan, best, self.settings.show_extracts, verify)
            if answer.caution:
                answer.answer = f"{answer.caution}\n\n{answer.answer}"
            answer.usage["prompt_tokens"] = len(plan.tokens)
        answer.timings["load_ms"] = round(loading * 1000, 1)  # index, embedder and model, when not loaded yet
        answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        conversation.finish(turn, answer)
        return answer

    def verifier(self, sources: list[Source], progress: Callable[[str], None] | None = None) -> Verifier | None:
        """The model's second opinion on each sentence about ``sources`` (tutor/verify.py), when an
        instruction-tuned model answers and ``verify_with_model`` is on."""
        if not self.settings.verify_with_model or self.prompt_style() != "chat" or not self.llm.chat_template():
            return None
        ask = verifier_for(self.llm, sources, self.course.name)

        def verify(sentence: str) -> Opinion:
            if progress:
                progress("Comprobando cada frase con las fuentes…")
            return ask(sentence)

        return verify

    def _ask_practice(self, exam, params, conversation, turn, started: float, loading: float, callbacks) -> Answer:
        """:meth:`ask` for a practice exam question: the choice, each option's verdict and the explanation."""
        from tutor.practice_exam import answer_practice

        answer = Answer(turn.question, "", False, [], [], _params_dict(params), exam.language)
        answer_practice(self, answer, exam, params, *callbacks)
        turn.sources = answer.sources
        loading += answer.timings.pop("model_load_ms", 0.0) / 1000
        answer.timings["load_ms"] = round(loading * 1000, 1)
        answer.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 1)
        conversation.finish(turn, answer)
        return answer

    def _refuse(self, answer: Answer, retrieval: Retrieval, on_text: Callable[[str], None] | None) -> None:
        answer.kind = "not_in_course"
        answer.answer = not_in_course(answer.language, retrieval.unknown_asked, retrieval.implied_terms)
        answer.sources = retrieval.sources[:3]
        if on_text:
            on_text(answer.answer)

    def question_plan(self, question: str, params: GenerationParams | None = None) -> PromptPlan:
        """The prompt a first question would send (retrieval and excerpts included), without generating."""
        params = (params or self.settings.generation).validated()
        answer = Answer(question, "", False, [], [], {}, detect_language(question))
        return self._plan(answer, self.retriever.search(question), params, Conversation())

    def _plan(
        self, answer: Answer, retrieval: Retrieval, params: GenerationParams, conversation: Conversation
    ) -> PromptPlan:
        """The prompt, with the sources of the conversation's previous prompt first (KV cache reuse)."""
        history = conversation.history()
        sources = explaining(retrieval.sources, self.retriever.exercise_pages)  # a quiz page backs no answer
        sources = [self.retriever.with_carried(s) for s in sources]  # a slide that goes on with the one before
        # whole slides, for quotes that go on past an excerpt (or past the chunk retrieved)
        pages = {(s.file, s.page): self.retriever.page_text(s.file, s.page) or s.text for s in sources}
        query = retrieval.query  # what was searched: a follow-up with the question it goes on from
        if self.prompt_style() == "chat":  # an instruction-tuned model reads the relevant sentences, not whole slides
            count = lambda text: len(self.llm.tokenize(text))  # noqa: E731
            sources = excerpt_sources(query, sources, count, self.settings.source_tokens, self.settings.prompt_sources)
        asked = conversation.spelled_out(answer.question)  # what a follow-up's «lo» / «it» stands for, written out
        plan = self.plan_prompt(asked, conversation.cache_friendly(sources), answer.language, params, history)
        if sources and sources[0] not in plan.sources:  # tight window: rank wins over reuse
            plan = self.plan_prompt(asked, sources, answer.language, params, history)
        plan.pages, plan.query = pages, query
        answer.sources = plan.sources
        answer.context = {"n_ctx": params.n_ctx, **plan.breakdown, "history_turns": plan.history_turns}
        return plan

    def _generate(
        self,
        answer: Answer,
        plan: PromptPlan,
        params: GenerationParams,
        on_text: Callable[[str], None] | None,
        should_stop: Callable[[], bool] | None,
        on_prompt: PromptProgress | None,
    ) -> tuple[str, float]:
        """Stream the model's answer to ``on_text`` (citation markers filtered).

        Returns the text shown (markers filtered, primer included) and when the first token came.
        """
        if plan.primer and on_text:
            on_text(plan.primer)
        if plan.style == "completion":
            params = replace(params, stop=tuple(dict.fromkeys(params.stop + COMPLETION_STOPS)))
        grammar = None
        if plan.style == "chat" and self.settings.constrain_citations and plan.sources:
            grammar = citation_grammar(len(plan.sources))
        pieces = self.llm.stream(plan.tokens, params, on_prompt, grammar)
        out = stream_answer(pieces, len(plan.sources), on_text, should_stop, raw=plan.primer)
        answer.stopped_reason = out.stopped_reason or answer.stopped_reason
        answer.timings["prompt_ms"] = round((out.first_at - out.started) * 1000, 1)
        gen_s = out.ended - out.first_at
        answer.timings["generation_ms"] = round(gen_s * 1000, 1)
        answer.timings["generation_tokens_per_s"] = round((out.count - 1) / gen_s, 1) if gen_s > 0 else 0.0
        answer.usage["completion_tokens"] = out.count
        return plan.primer + out.shown, out.first_at


def _key(source: Source) -> tuple[str, int]:
    return source.file, source.page


def _params_dict(params: GenerationParams) -> dict:
    data = asdict(params)
    data["stop"] = list(params.stop)
    return data
