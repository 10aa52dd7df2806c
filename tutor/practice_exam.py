"""Practice exam questions pasted by the student: which option(s), and why, each reason cited to its slide.

:func:`answer_practice` (called by :meth:`tutor.pipeline.Tutor.ask` when :func:`parse_practice` recognises
a question) retrieves with the stem and the options, measures what the slides say of each option
(:mod:`tutor.exam_evidence`), then:

- with an instruction-tuned model, lets the model choose, constrained to the given letters
  (:meth:`LanguageModel.choose` reads the next-token probabilities of A, B, C…), after showing it what the
  slides say of each option and the deciding slide, and weighs that reading with its answer to the bare
  question (:func:`agree`); when the slides say nothing of any option it answers from the model's own
  knowledge and says so. A short explanation is then generated and grounded
  (:func:`tutor.grounding.ground`) like any answer;
- with a base model, picks the option(s) the slides back the most and says clearly that this is an
  estimate from the slides, showing the evidence.

Either way, when a single-answer stem describes a service the course never names and one option names it
(:func:`described_option`), that option is chosen: no slide can back it. Every option gets a verdict with the
passage that decides it, cited to its slide.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tutor.answer import Answer, stream_answer, tidy_generation
from tutor.citations import cited_numbers
from tutor.claims import words
from tutor.evidence import Word, strict_keys
from tutor.exam_evidence import OptionEvidence, confidences, score_options
from tutor.exam_parse import LETTERS, PracticeQuestion, parse_practice
from tutor.exam_prompt import choice_messages, deciding_sources, explain_instruction, explain_messages
from tutor.exercises import asserting_first, explaining
from tutor.grounding import ground, join_kept, split_sentences
from tutor.implied import IMPLIED, names
from tutor.prompt import quote_names
from tutor.query import ask_part
from tutor.text import fold, lexical_tokens
from tutor.types import Source

__all__ = ["OptionVerdict", "PracticeQuestion", "PracticeResult", "answer_practice", "decide", "parse_practice"]

SOURCES_K = 5  # slides retrieved for the stem and its options
NO_EVIDENCE = 0.02  # below this best option score the slides say nothing that decides the question
EXPLAIN_TOKENS = 200

TEXTS = {
    "es": {
        "correct": "correcta",
        "incorrect": "incorrecta",
        "answer": "Respuesta: {choice}.",
        "estimate": "Respuesta (estimación a partir de las diapositivas, sin un modelo que razone): {choice}.",
        "no_slides": "Las diapositivas recuperadas no tratan ninguna de las opciones: esta elección viene del "
        "conocimiento general del modelo, no del curso.",
        "no_estimate": "Las diapositivas recuperadas no mencionan ninguna de las opciones, así que no puedo "
        "estimar la respuesta a partir del curso. Prueba con un modelo instruido (Conseguir modelos).",
        "backs": "La diapositiva dice: «{passage}» {cite}",
        "other": "el curso lo describe así, que no es lo que pide el enunciado: «{passage}» {cite}",
        "absent": "las diapositivas no lo mencionan.",
        "elsewhere": "el curso lo trata en otra diapositiva: «{passage}» {cite}",
        "described": "es lo que describe el enunciado, aunque el curso no lo menciona.",
        "unnamed": "el curso no lo menciona: esta elección viene del conocimiento general del modelo.",
        "evidence": "Evidencia de las diapositivas:",
        "premise": "La respuesta correcta es la {letter}. Opción {letter}: {option}.",
        "implied": "La pregunta parece referirse a {names}, que el curso no menciona: compruébalo fuera de tus "
        "diapositivas.",
    },
    "en": {
        "correct": "correct",
        "incorrect": "incorrect",
        "answer": "Answer: {choice}.",
        "estimate": "Answer (an estimate from the slides, without a model that reasons): {choice}.",
        "no_slides": "The retrieved slides cover none of the options: this choice comes from the model's general "
        "knowledge, not from the course.",
        "no_estimate": "The retrieved slides mention none of the options, so I cannot estimate the answer from the "
        "course. Try an instruction-tuned model.",
        "backs": "The slide says: «{passage}» {cite}",
        "other": "the course describes it this way, which is not what the question asks for: «{passage}» {cite}",
        "absent": "the slides do not mention it.",
        "elsewhere": "the course covers it on another slide: «{passage}» {cite}",
        "described": "it is what the stem describes, although the course never mentions it.",
        "unnamed": "the course never mentions it: this choice comes from the model's general knowledge.",
        "evidence": "Evidence from the slides:",
        "premise": "The correct answer is {letter}. Option {letter}: {option}.",
        "implied": "The question seems to ask for {names}, which the course never mentions: check it outside your "
        "slides.",
    },
}


def verdict_word(practice: dict, verdict: str) -> str:
    """An option's verdict («correcta», «incorrect») in the language of the practice question's reasons."""
    return TEXTS.get(practice.get("language", "es"), TEXTS["es"]).get(verdict, "")


@dataclass
class OptionVerdict:
    """One option: chosen or not, and the passage of the slides that decides it."""

    option: int  # 0-based
    verdict: str  # "correct" | "incorrect"
    reason: str  # one sentence, citing its slide with [n] when the slides say something
    citations: list[int]  # 1-based numbers of the answer's sources
    evidence: float  # how strongly the slides back the option (0..1)


@dataclass
class PracticeResult:
    """The tutor's answer to a practice question (``Answer.practice`` holds :meth:`to_dict`)."""

    question: PracticeQuestion
    choice: list[int]
    confidence: float
    method: str  # "model" (instruction-tuned, constrained choice) | "evidence" (base model: slides only)
    probabilities: list[float]
    per_option: list[OptionVerdict] = field(default_factory=list)
    from_slides: bool = True  # False when the slides say nothing of any option

    def to_dict(self, sources: list[Source]) -> dict:
        def cite(n: int) -> dict:
            s = sources[n - 1]
            return {"n": n, "file": s.file, "page": s.page}

        return {
            "stem": self.question.stem,
            "language": self.question.language,
            "options": list(self.question.options),
            "labels": list(self.question.labels),
            "choose": self.question.choose,
            "choice": list(self.choice),
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "from_slides": self.from_slides,
            "probabilities": [round(p, 3) for p in self.probabilities],
            "per_option": [
                {
                    "option": v.option,
                    "label": self.question.label(v.option),
                    "text": self.question.options[v.option],
                    "verdict": v.verdict,
                    "reason": v.reason,
                    "evidence": round(v.evidence, 3),
                    "citations": [cite(n) for n in v.citations if 1 <= n <= len(sources)],
                }
                for v in self.per_option
            ],
        }


def decide(
    llm,
    question: PracticeQuestion,
    sources: list[Source],
    instruct: bool,
    implied: list[str] | None = None,
    unnamed: list[bool] | None = None,
) -> PracticeResult:
    """Choose the option(s) of ``question`` from ``sources`` (with the model when ``instruct``); the one option
    that names what the stem describes without naming it (``implied``, never in the course) is chosen outright.
    ``unnamed`` marks the options that name something the course never writes (see :func:`slides_silent_on`)."""
    evidence = score_options(question.stem, question.options, sources, question.language)
    scores = [e.score for e in evidence]
    from_slides = bool(max(scores, default=0.0) >= NO_EVIDENCE)
    described = described_option(question, implied or [])
    if described is not None:
        probabilities = [float(i == described) for i in range(len(question.options))]
        result = PracticeResult(question, [described], 1.0, "described", probabilities, from_slides=from_slides)
        result.per_option = _verdicts(question, evidence, [described], described=True)
        return result
    if instruct:
        slides = deciding_sources(sources, evidence) if from_slides else []
        choice, probabilities = model_choice(llm, choice_messages(question, slides), question)
        if slides and question.choose == 1:  # what the model reads in the slides, weighed with what it knows
            _, known = llm.choose(choice_messages(question, []), list(LETTERS[: len(question.options)]))
            probabilities = agree(slides_silent_on(probabilities, known, unnamed), known)
            choice = [max(range(len(probabilities)), key=lambda i: probabilities[i])]
        method = "model"
    else:
        probabilities = confidences(scores) if from_slides else [1.0 / len(scores)] * len(scores)
        ranked = sorted(range(len(scores)), key=lambda i: (-probabilities[i], i))
        choice = sorted(ranked[: question.choose]) if from_slides else []
        method = "evidence"
    confidence = sum(probabilities[i] for i in choice) / len(choice) if choice else 0.0
    result = PracticeResult(question, choice, confidence, method, probabilities, from_slides=from_slides)
    result.per_option = _verdicts(question, evidence, choice, unnamed=unnamed)
    return result


# An ask for the option that does not fit («Which is NOT…», «…except», «¿Cuál no…?»), read in the sentence that asks.
_NEGATIVE = re.compile(r"\b(?:not|except|no|excepto|salvo)\b", re.IGNORECASE)


def described_option(question: PracticeQuestion, implied: list[str]) -> int | None:
    """The one option that names what a single-answer stem describes without naming it (``implied``: the names of
    :mod:`tutor.implied` the course never writes, «convert the recorded calls into text» → Amazon Transcribe), or
    None. The slides cannot back such an option, so their reading would pull the choice to one they mention; on
    our exam-style sets the described option was the key every time it was one (44 of 44)."""
    if question.choose != 1 or not implied or _NEGATIVE.search(ask_part(question.stem)):
        return None
    aliases = [(entry.name, *entry.aliases) for entry in IMPLIED if entry.name in implied]
    hits = [
        i
        for i, option in enumerate(question.options)
        if any(names(fold(option), alias) for group in aliases for alias in group)
    ]
    return hits[0] if len(hits) == 1 else None


def agree(with_slides: list[float], without: list[float]) -> list[float]:
    """The two readings of a question combined as a product of experts (normalised geometric mean): an
    option wins where the slides and the model's own knowledge both back it. Wrong or partial slides pull a
    small model away from what it knows; its knowledge alone misses what only the course says."""
    joint = [math.sqrt(a * b) for a, b in zip(with_slides, without, strict=True)]
    total = sum(joint) or 1.0
    return [j / total for j in joint]


def slides_silent_on(with_slides: list[float], known: list[float], unnamed: list[bool] | None) -> list[float]:
    """The slides' reading with the model's own standing in for each ``unnamed`` option: the slides cannot back
    an option that names what the course never writes (Amazon GuardDuty, AWS Lake Formation), so a model that
    reads them leans to the options they mention. Kept after one run on the options of our exam-style sets that
    the course never names: tune 5 → 6 of 7 such stems; measured once on the check sets, 18 → 20 of 24, no
    choice made worse (docs/USER_GUIDE.md)."""
    if not unnamed:
        return with_slides
    return [k if silent else w for w, k, silent in zip(with_slides, known, unnamed, strict=True)]


def model_choice(llm, messages: list[dict], question: PracticeQuestion) -> tuple[list[int], list[float]]:
    """The model's option(s), one letter at a time («B» then «B, D» for choose two), always among the options,
    and the probabilities of the first letter."""
    labels = list(LETTERS[: len(question.options)])
    first, probabilities = llm.choose(messages, labels)
    choice, prefix = [first], labels[first]
    while len(choice) < question.choose:
        left = [i for i in range(len(labels)) if i not in choice]
        index, _ = llm.choose(messages, [labels[i] for i in left], prefix + ", ")
        choice.append(left[index])
        prefix += f", {labels[left[index]]}"
    return sorted(choice), probabilities


def _verdicts(
    question: PracticeQuestion,
    evidence: list[OptionEvidence],
    choice: list[int],
    described: bool = False,
    unnamed: list[bool] | None = None,
) -> list[OptionVerdict]:
    """Each option's verdict, with the passage the slides give it (numbers are 1-based sources); a ``described``
    choice is what the stem describes, which no slide names; a chosen option that names what the course never
    writes (``unnamed``) is not backed by a passage about something else."""
    texts = TEXTS.get(question.language, TEXTS["es"])
    verdicts = []
    for e in evidence:
        chosen = e.index in choice
        if chosen and described:
            reason, cited = texts["described"], []
        elif chosen and unnamed and unnamed[e.index] and not e.mentioned:
            reason, cited = texts["unnamed"], []
        elif e.mentioned or (chosen and e.source >= 0):
            key = "backs" if chosen or e.stem_share >= 0.5 else "other"
            reason = texts[key].format(passage=_short(e.passage), cite=f"[{e.source + 1}]")
            cited = [e.source + 1]
        else:
            reason, cited = texts["absent"], []
        verdicts.append(OptionVerdict(e.index, "correct" if chosen else "incorrect", reason, cited, e.score))
    return verdicts


LOOKUP_K = 3  # pages searched for an option the retrieved slides do not mention


def look_up_absent(tutor, question: PracticeQuestion, result: PracticeResult, sources: list[Source]) -> list[Source]:
    """``sources`` with, for each option the retrieved slides do not mention («las diapositivas no lo
    mencionan», said of Amazon SageMaker Data Wrangler when the course explains it elsewhere), the page of the
    course that does, found by searching the option alone; its verdict then quotes that page. The choice was
    made before and does not change; an option the course never mentions keeps its verdict. The chosen option is
    looked up too when the slide its verdict quotes never names it (:func:`_names`) or is a page of practice
    questions: its verdict then quotes one that names it."""
    texts = TEXTS.get(question.language, TEXTS["es"])
    sources = list(sources)
    quizzes = tutor.retriever.exercise_pages  # a page of practice questions says every option: it backs none
    for verdict in result.per_option:
        option = question.options[verdict.option]
        others = [o for i, o in enumerate(question.options) if i != verdict.option]
        cited = [sources[n - 1] for n in verdict.citations if 0 < n <= len(sources)]
        from_quiz = any((s.file, s.page) in quizzes for s in cited)
        named = _names(" ".join(s.text for s in cited), option, others)
        unnamed = verdict.verdict == "correct" and bool(cited) and (from_quiz or not named)
        if not unnamed and (verdict.citations or verdict.reason != texts["absent"]):
            continue
        shown = [(s.file, s.page) for s in sources]
        found_by = tutor.retriever.search(option, LOOKUP_K, translate=False)  # an option's words: no model call
        # an absent option is looked up on other pages; the chosen one may be quoted from a source already listed
        pages = [s for s in found_by.sources if (s.file, s.page) not in quizzes]
        pages = [s for s in pages if (s.file, s.page) not in shown] if not unnamed else pages
        found = [e for e in score_options(question.stem, [option], pages, question.language) if e.mentioned]
        found = [e for e in found if _names(pages[e.source].text, option, others)] if unnamed else found
        if not found:
            continue
        page = pages[found[0].source]
        if (page.file, page.page) not in shown:
            sources.append(page)
            shown.append((page.file, page.page))
        n = shown.index((page.file, page.page)) + 1
        said = texts["backs" if unnamed else "elsewhere"]
        verdict.reason = said.format(passage=_short(found[0].passage), cite=f"[{n}]")
        verdict.citations = [n]
    return sources


def _names(text: str, option: str, others: list[str]) -> bool:
    """Whether ``text`` (a slide's) says the name that tells ``option`` from the ``others`` («top-p» in «Reducir el
    valor de top-p», against «…top-k»): a word of it with a hyphen or a digit, a capitalised word past the first,
    or a course term (always true for an option without such a word). Seen in a student trial: «✔ B. Reducir el
    valor de top-p — La diapositiva dice: «Baja temperatura significa menor aleatoriedad…»», from the
    temperature slide."""
    other_keys = frozenset().union(*(w.keys for o in others for w in words(o)))
    named = [w for i, w in enumerate(words(option)) if not w.keys & other_keys and _name_like(w, i)]
    said = frozenset().union(*(strict_keys(w.keys) for w in words(text)))  # «Monitor» is not «monitorear»
    return not named or any(strict_keys(w.keys) & said for w in named)


def _name_like(word: Word, at: int) -> bool:
    """A course term, a word with a hyphen or a digit («top-p», «R2»), or one in capitals past the first."""
    return word.term or bool(re.search(r"[-\d]", word.text)) or (at > 0 and word.text[:1].isupper())


def _short(text: str, limit: int = 220) -> str:
    """A verdict's passage on one line, cut at a word near ``limit`` with « …»; a passage the slide's layout cut
    after a function word («…produce respuestas más», seen in a student trial) ends in «…» too."""
    text = " ".join(text.split())
    if len(text) > limit:
        return text[: limit - 1].rsplit(" ", 1)[0] + " …"
    if text and not re.search(r"[.!?…:;»\")]$", text) and not lexical_tokens(text.split()[-1]):
        return f"{text}…"
    return text


@dataclass
class Decision:
    """What the choice was made from: the sources (deciding slides first) and how many are deciding."""

    result: PracticeResult
    sources: list[Source]
    deciding: int
    retrieval_ms: float
    instruct: bool
    implied: list[str] = field(default_factory=list)  # what the stem asks for unnamed, never in the course


def retrieve_and_decide(tutor, question: PracticeQuestion, params, progress=None) -> Decision:
    """Retrieve with the stem and the options, load the model, choose (no explanation yet)."""
    retrieval = tutor.retriever.search(_query(question), SOURCES_K, stem=question.stem)
    quizzes = tutor.retriever.exercise_pages
    evidence_pages = explaining(retrieval.sources, quizzes)  # a quiz page lists every option: it decides none
    evidence = score_options(question.stem, question.options, evidence_pages, question.language)
    deciding = deciding_sources(evidence_pages, evidence)
    pages = asserting_first(retrieval.sources, quizzes)
    sources = deciding + [s for s in pages if s not in deciding]  # the deciding slides are [1], [2]
    tutor.load_model(params, progress)
    instruct = tutor.prompt_style() == "chat" and tutor.llm.chat_template() is not None
    unnamed = [bool(tutor.retriever.lexical.unknown_terms(option)) for option in question.options]
    result = decide(tutor.llm, question, sources, instruct, retrieval.implied_terms, unnamed)
    return Decision(result, sources, len(deciding), retrieval.ms, instruct, retrieval.implied_terms)


def answer_practice(
    tutor,
    answer: Answer,
    question: PracticeQuestion,
    params,
    on_text: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[str], None] | None = None,
    on_prompt=None,
) -> Answer:
    """Fill ``answer`` for a practice question: choice, verdicts, explanation (see the module docstring)."""
    started = time.perf_counter()
    loaded = tutor.llm.loaded
    decision = retrieve_and_decide(tutor, question, params, progress)
    result, sources = decision.result, look_up_absent(tutor, question, decision.result, decision.sources)
    answer.timings["retrieval_ms"] = round(decision.retrieval_ms, 1)
    answer.timings["choice_ms"] = round((time.perf_counter() - started) * 1000, 1)
    if not loaded:
        answer.timings["model_load_ms"] = round(tutor.llm.load_seconds * 1000, 1)
    answer.model = tutor.llm.path.name if tutor.llm.path else ""
    answer.sources = sources
    texts = TEXTS.get(question.language, TEXTS["es"])
    header = _header(question, result, texts, decision.implied)
    if on_text:
        on_text(header)
    if decision.instruct and result.choice:
        slides = sources[: decision.deciding] if result.from_slides else []
        body = _explain(tutor, answer, question, result.choice, slides, params, (on_text, should_stop, on_prompt))
    else:
        body = _evidence_text(question, result, texts)
        if on_text:
            on_text("\n\n" + body)
    answer.answer = f"{header}\n\n{body}".strip()
    verdicts = [n for v in result.per_option for n in v.citations]
    answer.cited = list(dict.fromkeys(cited_numbers(answer.answer, len(sources)) + verdicts))
    answer.kind = "practice"
    answer.practice = result.to_dict(sources)
    return answer


def _query(question: PracticeQuestion) -> str:
    return f"{question.stem}\n" + "\n".join(question.options)


def _header(question: PracticeQuestion, result: PracticeResult, texts: dict, implied: list[str]) -> str:
    """The choice (or why there is none), whether it rests on the slides, and what the stem asks for that the
    course never names (tutor/implied.py)."""
    names = texts["implied"].format(names=quote_names(implied)) if implied else ""
    if not result.choice:
        return "\n".join(filter(None, (texts["no_estimate"], names)))
    chosen = "; ".join(f"{question.label(i)}. {question.options[i]}" for i in result.choice)
    line = texts["estimate" if result.method == "evidence" else "answer"].format(choice=chosen.rstrip("."))
    return "\n".join(filter(None, (line, "" if result.from_slides else texts["no_slides"], names)))


def _evidence_text(question: PracticeQuestion, result: PracticeResult, texts: dict) -> str:
    """The base model's explanation: the passages that back the chosen option(s)."""
    lines = [texts["evidence"]] if result.choice else []
    for i in result.choice:
        verdict = result.per_option[i]
        lines.append(f"- {question.label(i)}. {verdict.reason}")
    return "\n".join(lines)


def _explain(tutor, answer: Answer, question, choice: list[int], slides: list[Source], params, callbacks) -> str:
    """A short explanation of the choice from the deciding ``slides``, streamed, then grounded sentence by
    sentence (:func:`tutor.grounding.ground`) as an answer to the stem: unsupported sentences are marked,
    contradicted ones dropped."""
    on_text, should_stop, on_prompt = callbacks
    tokens = tutor.llm.tokenize(tutor.llm.render_chat(explain_messages(question, choice, slides)))
    params = replace(params, max_tokens=min(params.max_tokens, EXPLAIN_TOKENS))
    answer.context = _context(tutor, question, choice, tokens, params)
    if on_text:
        on_text("\n\n")
    out = stream_answer(tutor.llm.stream(tokens, params, on_prompt), len(slides), on_text, should_stop)
    answer.stopped_reason = out.stopped_reason or answer.stopped_reason
    cut = out.count >= params.max_tokens  # the token limit cut it: its last sentence is a fragment
    answer.generated_text = tidy_generation(out.raw, len(slides), out.stopped_reason, cut)
    text = without_slide_labels(without_other_choices(answer.generated_text, choice))
    text = without_verdicts_against(text, question.options, choice)
    # Judged as an answer to the stem; the choice is stated above it, so a sentence that only says the stem or
    # the choice back («The correct answer is D (…)») is left out. The choice is no premise: «Temperature limits
    # the tokens to a cumulative probability» must stand on the slides, even when Temperature was chosen.
    told = TEXTS.get(question.language, TEXTS["es"])["premise"]
    chosen = "\n".join(told.format(letter=question.label(i), option=question.options[i]) for i in choice)
    chosen += "\n" + explain_instruction(question, choice)  # a small model may say its instructions back
    verifier = tutor.verifier(slides)  # the model checks each sentence
    grounding = ground(text, slides, verifier, question.language, question.stem, chosen)
    answer.grounded_share = grounding.grounded_share
    return grounding.text


def _context(tutor, question, choice: list[int], tokens: list[int], params) -> dict:
    """What the explanation's prompt takes of the context window, as an answer's ``context`` (the window's
    context bar): its slides, the rest of it (instructions, stem and options) and the tokens kept for the
    explanation. A practice question carries no conversation history."""
    bare = len(tutor.llm.tokenize(tutor.llm.render_chat(explain_messages(question, choice, []))))
    return {
        "n_ctx": params.n_ctx,
        "total_prompt": len(tokens),
        "sources": max(len(tokens) - bare, 0),
        "instructions_and_question": min(bare, len(tokens)),
        "history": 0,
        "history_turns": 0,
        "answer": params.max_tokens,
    }


# «The correct answer is B», «La respuesta correcta es la opción C»: the letter the sentence declares right.
_DECLARED = re.compile(
    r"(?i:\b(?:the (?:correct|right) (?:answer|option|choice) is|la (?:respuesta|opci[oó]n) correcta es)\s+"
    r"(?:la |el |option |opci[oó]n )*)\(?([A-Z])\b"  # a capital letter alone: «is a model» declares nothing
)


def without_other_choices(text: str, choice: list[int]) -> str:
    """``text`` without the sentences that declare right an option the model did not choose («The correct answer
    is B» under «Answer: A»): they contradict the choice stated above the explanation. The model always reads the
    options lettered A, B, C…"""
    chosen = {LETTERS[i] for i in choice}
    pieces, separators = split_sentences(text)
    declared = [_DECLARED.search(piece) for piece in pieces]
    return join_kept(pieces, separators, [k for k, d in enumerate(declared) if not d or d.group(1) in chosen])


# «Slide 21: Amazon GuardDuty…»: the model names the slide it read at a sentence's start. The slide is cited by
# its marker once the sentence is grounded; the label would be read as part of the claim.
_SLIDE_LABEL = re.compile(
    r"(^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:slide|diapositiva|p[aá]gina|page|secci[oó]n|section|source|fuente)"
    r"\s*\[?\d+\]?\s*:[ \t]*",
    re.IGNORECASE,
)


def without_slide_labels(text: str) -> str:
    """``text`` without the «Slide 21:» labels that open its sentences."""
    return _SLIDE_LABEL.sub(r"\1", text)


# «… no es una opción correcta», «… is not the correct answer»: a sentence that says an option is wrong.
_SAYS_WRONG = re.compile(
    r"\b(?:no es (?:la|una) (?:opci[oó]n|respuesta|elecci[oó]n) (?:correcta|adecuada|v[aá]lida)|"
    r"(?:es|ser[ií]a) (?:una opci[oó]n |la opci[oó]n |una respuesta )?incorrecta|"
    r"is not (?:the|a|an) (?:correct|right|best|valid) (?:answer|option|choice)|is (?:an )?(?:incorrect|wrong)\b)",
    re.IGNORECASE,
)


def without_verdicts_against(text: str, options: list[str], choice: list[int]) -> str:
    """``text`` without the sentences that call a chosen option wrong (by its text or its letter), nor a
    sentence that calls no option by name wrong («Por lo tanto, no es una opción correcta.») together with the
    sentence before it when that one names a chosen option: under «Respuesta: C. Amazon GuardDuty» they
    contradict the choice. The model reads the options lettered A, B, C…"""

    names = [fold(option).strip(" .") for option in options]

    def named(sentence: str) -> set[int]:
        folded = fold(sentence)
        found = {i for i, name in enumerate(names) if len(name) > 2 and name in folded}
        letters = re.findall(r"(?:\b(?i:option|opci[oó]n|la|the)\s+|\()([A-Z])\b", sentence)  # «la C», «(C)»
        return found | {LETTERS.index(x) for x in letters if x in LETTERS[: len(options)]}

    pieces, separators = split_sentences(text)
    kept: list[int] = []
    for k, piece in enumerate(pieces):
        if _SAYS_WRONG.search(piece):
            said = named(piece)
            if said & set(choice):
                continue
            if not said and kept and kept[-1] == k - 1 and named(pieces[k - 1]) & set(choice):
                kept.pop()
                continue
        kept.append(k)
    return join_kept(pieces, separators, kept)
