"""An answer and the pure policy that turns a model's raw text into what the student sees.

:func:`finish_answer` knows nothing of models or windows: raw text and the prompt plan in, the answer's
fields out (grounded text with verified citations, or labelled literal passages when the text is unusable).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from tutor.citations import MARKER, StreamFilter, clean_markers
from tutor.grounding import NOT_IN_COURSE, ground, is_label, passages_answer, passages_block
from tutor.lexicon import GENERIC_TERMS
from tutor.prompt import PromptPlan
from tutor.text import LIST_MARK, fold, named_terms, writes_word
from tutor.types import Source
from tutor.verify import Verifier

# Below a partial answer: how many of the model's sentences were left out because no source supports them.
OMITTED = {
    "es": "(He omitido {n} frase(s) de la respuesta generada que no he podido comprobar en las fuentes.)",
    "en": "(I left out {n} sentence(s) of the generated answer that I could not check against the sources.)",
}


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
    kind: str = "generated"  # "generated" | "passages" (fallback, labelled) | "not_in_course" | "practice"
    generated_text: str = ""  # what the model wrote, before grounding or fallback
    grounded_share: float = 0.0  # share of the answer's content words supported by its sources
    extract: str = ""  # the labelled literal passages appended to a generated answer, if any
    model: str = ""  # the GGUF file that answered
    caution: str = ""  # shown first when the course covers the question only partly (retrieval's "caution")
    practice: dict | None = None  # a practice exam question's choice and verdicts (tutor/practice_exam.py)

    @property
    def said(self) -> str:
        """What the answer told the student, as the model reads it back in a follow-up's history: no caution, no
        quoted lines, no notes and no «(no está en el curso)» marks (a small model copies what it reads)."""
        text = self.answer.removesuffix(self.extract).strip() if self.extract else self.answer
        text = text.removeprefix(self.caution).strip() if self.caution else text
        notes = tuple(note.split("{")[0] for note in OMITTED.values())  # «(He omitido …)»
        lines = [line for line in text.split("\n") if not is_label(line.strip()) and not line.startswith(notes)]
        return _NOT_IN_COURSE_MARK.sub("", "\n".join(lines)).strip()

    @property
    def citations(self) -> list[tuple[int, Source]]:
        """The sources the shown answer cites, in number order (validated: each number refers to a given source)."""
        return [(n, self.sources[n - 1]) for n in sorted(self.cited)]

    def to_dict(self) -> dict:
        data = {
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
            "model": self.model,
            "caution": self.caution,
        }
        if self.practice is not None:
            data["practice"] = self.practice
        return data


def find_loop(text: str) -> tuple[int, int] | None:
    """(start, length) of the passage that ``text`` ends by repeating, or None: the one loop detector.

    A loop is a passage of 6–120 characters repeated at least three times in a row at the very end (digits
    ignored, so counting loops such as «1. … 2. … 3. …» are caught too); ``start`` is its first copy.
    """
    masked = re.sub(r"\d", "#", text)
    for size in range(6, 121):
        if len(masked) < 3 * size:
            break
        unit = masked[-size:]
        if unit.strip() and masked[-2 * size : -size] == unit and masked[-3 * size : -2 * size] == unit:
            start = len(masked) - 3 * size
            while start >= size and masked[start - size : start] == unit:  # earlier copies of the same loop
                start -= size
            return start, size
    return None


def is_looping(text: str) -> bool:
    """True when the tail of ``text`` repeats the same passage three times in a row (numbers ignored)."""
    return find_loop(text[-400:]) is not None


def trim_loop(text: str) -> str:
    """``text`` with the repetition loop at its end cut down to its first occurrence."""
    loop = find_loop(text)
    return text if loop is None else text[: loop[0] + loop[1]].strip()


_TRAILING_MARKERS = re.compile(rf"([.!?…])[ \t]*((?:{MARKER.pattern})(?:[ \t]*,?[ \t]*(?:{MARKER.pattern}))*)")
_LONE_MARKERS = re.compile(r"\n\s*((?:\[\d+\][\s,]*)+)\s*$")
_LEADING_MARKERS = re.compile(rf"([ \t]*)((?:{MARKER.pattern}[ \t,]*)+)(?=\S)")
_FIRST_STOP = re.compile(r"[.!?…](?=\s|$)")


def attach_markers(text: str) -> str:
    """Markers a model writes after the full stop («umbral. [2] Top-K…») belong to the sentence before it:
    «umbral [2]. Top-K…», also a list of them («. [1], [2]» → « [1] [2].»). A last line of bare markers joins
    the last sentence; markers that open a line as its label («[1] The slides state…») end its first sentence.
    A source cited twice in one place, once before the stop and once after it, is cited once («[1]. [1]» → «[1].»);
    a comma left before the markers and their stop or comma goes («…de la tarea, [1].» → «…de la tarea [1].»,
    «…contexto, [2], y…» → «…contexto [2], y…», «…occur, .» → «…occur.»), and so does a second full stop
    («…etc. [3].» → «…etc [3].»)."""
    text = _LONE_MARKERS.sub(lambda m: " " + _markers(m.group(1)), text.rstrip())
    text = "\n".join(_label_to_end(line) for line in text.split("\n"))
    text = _TRAILING_MARKERS.sub(lambda m: f" {_markers(m.group(2))}{m.group(1)}", text)
    text = _COMMA_BEFORE_MARKS.sub(lambda m: f"{' ' if m['marks'] else ''}{m['marks'].strip()}{m['stop']}", text)
    text = _STOP_TWICE.sub(r"\1", text)  # «…etc. [3].» became «…etc [3]..»: one stop
    return _MARKER_RUN.sub(lambda m: _markers(m.group()), text)


def _label_to_end(line: str) -> str:
    """``line`` with the markers that open it moved to the end of its first sentence."""
    label = _LEADING_MARKERS.match(line)
    if not label:
        return line
    body = line[label.end() :]
    stop = _FIRST_STOP.search(body)
    at = stop.start() if stop else len(body.rstrip())
    return f"{label.group(1)}{body[:at]} {_markers(label.group(2))}{body[at:]}"


_COMMA_BEFORE_MARKS = re.compile(rf"[ \t]*,[ \t]*(?P<marks>(?:{MARKER.pattern}[ \t]*)*)(?P<stop>[.!?…,])(?=\s|$)")
_STOP_TWICE = re.compile(r"(?<=\])([.!?…])[ \t]*\.(?!\.)")
_MARKER_RUN = re.compile(rf"{MARKER.pattern}(?:[ \t]*{MARKER.pattern})+")


def _markers(text: str) -> str:
    """The citation markers in ``text``, one space apart and each once («[1], [2] [1]» → «[1] [2]»)."""
    return " ".join(dict.fromkeys(m.group() for m in MARKER.finditer(text)))


_FINISHED = re.compile(rf"[.!?…»\"')](?:\s*{MARKER.pattern})*$")
_BARE_ITEM = re.compile(rf"^\s*{LIST_MARK}?\s*$")
_ITEM = re.compile(rf"^\s*{LIST_MARK}\s+")
_SENTENCE_END = re.compile(rf"[.!?…](?:[ \t]*{MARKER.pattern})*(?=\s)")


def drop_unfinished(text: str) -> str:
    """``text`` without its last sentence or list item when that one has no final punctuation (a fragment the
    token limit cut: «… es crucial para registrar todos los», a bare «4.»), and without the line that
    introduced it («… porque:»)."""
    lines = text.rstrip().split("\n")
    while len(lines) > 1 and _BARE_ITEM.match(lines[-1]):
        lines.pop()
    last = lines[-1]
    if _FINISHED.search(last.rstrip()) and not _BARE_ITEM.match(last):
        return "\n".join(lines).rstrip()
    item = _ITEM.match(last)
    body_at = item.end() if item else 0
    ends = list(_SENTENCE_END.finditer(last, body_at))
    if ends:
        lines[-1] = last[: ends[-1].end()]
    elif len(lines) > 1:
        lines.pop()
    while len(lines) > 1 and (not lines[-1].strip() or MARKER.sub("", lines[-1]).rstrip().endswith(":")):
        lines.pop()  # what introduced the cut fragment («No es correcto B (Amazon Polly) porque:»)
    return "\n".join(lines).rstrip()


@dataclass
class Streamed:
    """What a streamed generation left: the text shown (markers filtered), the raw text, timings."""

    shown: str
    raw: str
    count: int  # pieces (tokens) received
    started: float
    first_at: float  # perf_counter() of the first piece (``started`` when none came)
    ended: float
    stopped_reason: str = ""  # "cancelled" | "repetition" | ""


def stream_answer(
    pieces: Iterable[str],
    n_sources: int,
    on_text: Callable[[str], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    raw: str = "",
) -> Streamed:
    """Pass a model's ``pieces`` to ``on_text`` with invalid citation markers filtered out, stopping when the
    student asks (``should_stop``) or the text starts looping; ``raw`` is text already in the answer."""
    stream_filter = StreamFilter(n_sources)
    shown: list[str] = []
    count, stopped = 0, ""
    started = first_at = time.perf_counter()
    for piece in pieces:
        if count == 0:
            first_at = time.perf_counter()
        count += 1
        raw += piece
        visible = stream_filter.feed(piece)
        if visible:
            shown.append(visible)
            if on_text:
                on_text(visible)
        if should_stop and should_stop():
            stopped = "cancelled"
            break
        if is_looping(raw):
            stopped = "repetition"
            break
    tail = stream_filter.flush()
    if tail and on_text:
        on_text(tail)
    return Streamed("".join(shown) + tail, raw, count, started, first_at, time.perf_counter(), stopped)


_FIRST_ITEM = re.compile(r":[ \t]*\n?[ \t]*(\[1\])[ \t]+(?=\w)")


def markers_as_items(text: str) -> str:
    """Markers a model wrote as list numbers after a colon («incluidos los siguientes: [1] instancias de Amazon
    EC2 [2] imágenes de contenedores [3] funciones de AWS Lambda»), seen in a student trial: the «[n]» stood for
    no source, so the checker found the list unsupported. A run of two or more, [1], [2]…, each opening a phrase,
    becomes a list; markers that close what they cite are left alone."""
    for begin, end in reversed([span for run in _numbered_runs(text, _FIRST_ITEM, _next_item) for span in run]):
        begin = len(text[:begin].rstrip())  # each «[n] » (and the space before it) becomes a list item's start
        end += len(text[end:]) - len(text[end:].lstrip(" \t"))
        text = f"{text[:begin]}\n- {text[end:]}"
    return text


_INLINE_FIRST = re.compile(r"(?<=\w)[ \t]+(\[1\])[ \t]+(?=\w)")


def _without_inline_numbers(text: str) -> str:
    """Markers a model wrote as the numbers of a list inside its sentence («fueron [1] mejorar la satisfacción del
    cliente, [2] aumentar la eficiencia…», seen in a dev run): [1], then [2]… each after a comma or «y» and opening
    a phrase, all in one sentence. They number, they cite nothing: taken out, the sentence reads as written."""
    for begin, end in reversed([span for run in _numbered_runs(text, _INLINE_FIRST, _next_inline) for span in run]):
        text = text[:begin] + text[end:].lstrip(" \t")
    return text


def _numbered_runs(
    text: str, first: re.Pattern, following: Callable[[str, int, int], re.Match | None]
) -> list[list[tuple[int, int]]]:
    """The spans of each run of two or more markers numbered [1], [2]… in order: the run's first marker found by
    ``first`` (its group 1), each next one «[n]» by ``following(text, n, after)``."""
    runs: list[list[tuple[int, int]]] = []
    start = 0
    while match := first.search(text, start):
        spans, at = [match.span(1)], match.end()
        while item := following(text, len(spans) + 1, at):
            spans.append(item.span(1))
            at = item.end()
        if len(spans) >= 2:
            runs.append(spans)
        start = at if len(spans) >= 2 else match.end()
    return runs


def _next_item(text: str, n: int, at: int) -> re.Match | None:
    """The marker «[n]» opening a phrase after ``at``, in the same paragraph."""
    item = re.compile(rf"\s(\[{n}\])[ \t]+(?=\w)").search(text, at)
    return item if item and "\n\n" not in text[at : item.start()] else None


def _next_inline(text: str, n: int, at: int) -> re.Match | None:
    """The marker «[n]» after a comma or «y» and opening a phrase, after ``at``, in the same sentence."""
    item = re.compile(rf"(?:,|[ \t](?:y|e|o|and|or))[ \t]+(\[{n}\])[ \t]+(?=\w)").search(text, at)
    return item if item and not re.search(r"[.!?…\n]", text[at : item.start()]) else None


# The checker's own mark, never the model's: a model that copies it from the history is not believed.
_NOT_IN_COURSE_MARK = re.compile(
    "|".join(rf"[ \t]*{re.escape(mark)}" for mark in NOT_IN_COURSE.values()), re.IGNORECASE
)


def tidy_generation(raw: str, n_sources: int, stopped_reason: str = "", cut: bool = False) -> str:
    """A model's ``raw`` text as the checker reads it: markers written as list numbers made a list, markers of no
    source out, the others attached to their sentence, a repetition loop cut to its first copy, and, when the token
    limit ``cut`` it, its last fragment."""
    text = _NOT_IN_COURSE_MARK.sub("", _without_inline_numbers(markers_as_items(raw)))
    text = attach_markers(clean_markers(text, n_sources, finished=True)).strip()
    if stopped_reason == "repetition":
        text = trim_loop(text)
    return drop_unfinished(text) if cut else text


def finish_answer(
    answer: Answer,
    raw_text: str,
    plan: PromptPlan,
    best_first: list[int],
    show_extracts: str = "auto",
    verify: Verifier | None = None,
) -> Answer:
    """Fill ``answer`` from the model's ``raw_text`` (primer included): ground it, or fall back to passages.

    ``best_first`` holds the plan's source numbers by retrieval rank; ``verify`` asks the model about each
    sentence (tutor/verify.py). Empty or looping output, or an answer whose content is mostly unsupported by
    its sources, is replaced by the best slides' labelled passages; when its supported sentences are still a
    real part of it (``Grounding.partly_usable``), those alone are shown, with a note and the passages. Unless
    ``show_extracts`` is ``never``, a shown answer ends with the best slide's literal lines closest to the question.
    """
    cut = answer.usage.get("completion_tokens", 0) >= answer.params.get("max_tokens", float("inf"))
    text = tidy_generation(raw_text, len(plan.sources), answer.stopped_reason, cut)
    answer.generated_text = text
    generated = text[len(plan.primer) :] if plan.primer and text.startswith(plan.primer) else text
    if not MARKER.sub("", generated).strip(" ,.;:\n"):
        answer.stopped_reason = answer.stopped_reason or "empty"
    checkable = answer.stopped_reason not in ("cancelled", "repetition", "empty")
    # Judged against the whole slides the excerpts came from: a name the excerpt cut («Generación Aumentada por
    # Recuperación», the line above it) is still the course's (the model's opinion reads the excerpts it saw).
    whole = [replace(s, text=plan.pages.get((s.file, s.page), s.text)) for s in plan.sources]
    grounding = ground(text, whole, verify if checkable else None, answer.language, answer.question, ranked=best_first)
    answer.grounded_share = grounding.grounded_share
    degenerate = answer.stopped_reason in ("repetition", "empty")
    # Partial answers only from an instruction-tuned model: a base model's supported fragments are slide copies.
    partial = plan.style == "chat" and not degenerate and answer.stopped_reason != "cancelled"
    partial = partial and grounding.partly_usable
    if answer.stopped_reason == "cancelled" or (grounding.usable and not degenerate) or partial:
        if partial:  # mostly unsupported: only the sentences the sources support are shown, and it says so
            note = OMITTED.get(answer.language, OMITTED["es"]).format(n=grounding.omitted)
            answer.answer, answer.cited = f"{grounding.supported_text}\n\n{note}", grounding.supported_cited
        else:
            answer.answer, answer.cited = grounding.text, grounding.cited
        if answer.stopped_reason != "cancelled" and (show_extracts != "never" or partial):
            block, numbers = passages_block(
                "extract", plan.query or answer.question, plan.sources, answer.language, best_first, plan.pages
            )
            if block:
                answer.extract = block
                answer.answer = f"{answer.answer}\n\n{block}"
                answer.cited = list(dict.fromkeys(answer.cited + numbers))
    else:
        answer.kind = "passages"
        best = named_first(answer.generated_text, plan.sources, best_first)
        answer.answer, answer.cited = passages_answer(
            plan.query or answer.question, plan.sources, answer.language, best, plan.pages, bool(answer.caution)
        )
    return answer


def named_first(text: str, sources: list[Source], best: list[int]) -> list[int]:
    """``best`` (source numbers by rank) with, first, the one source that alone writes names the model's ``text``
    writes, when there is one: a discarded answer that named «Amazon Augmented AI (A2I)» found its slide, ranked
    second, while the passages quoted the first («Reentrenamiento…»)."""
    holders = set()
    for name in {t for t in named_terms(text) if fold(t) not in GENERIC_TERMS}:
        found = [n for n in best if writes_word(sources[n - 1].text, name)]
        if len(found) == 1:
            holders.add(found[0])
    if len(holders) != 1:
        return best
    first = holders.pop()
    return [first, *(n for n in best if n != first)]
