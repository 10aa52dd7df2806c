"""A conversation with the tutor: its turns, the history the next prompt carries, and its KV-friendly source order."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from tutor.answer import Answer
    from tutor.types import Source

log = logging.getLogger(__name__)


class TurnStore(Protocol):
    """Where a conversation saves its turns as they happen (:class:`tutor.history.HistoryStore`)."""

    def create(self, title: str, course: str = "") -> int: ...

    def add_question(self, conversation_id: int, question: str) -> int: ...

    def save_answer(self, conversation_id: int, position: int, answer: Answer) -> None: ...


@dataclass
class Turn:
    """One question and what the student saw of its answer."""

    question: str
    streamed: str = ""  # the text shown while the answer streams in
    result: Answer | None = None  # the finished answer
    sources: list[Source] = field(default_factory=list)  # the prompt's sources, known before the first token
    notes: list[str] = field(default_factory=list)  # errors and remarks shown under the turn
    saved: int | None = None  # its position in the conversation's store, once saved

    @property
    def answer(self) -> str:
        """The answer as finally shown (the streamed text until it is finished)."""
        return self.result.answer if self.result is not None else self.streamed

    @property
    def open(self) -> bool:
        return self.result is None


# A question that goes on from the one before: it opens with «¿Y…», «And…», «What about…», or names it
# («eso», «lo anterior», «that one»). A pronoun inside a question («why is it used?») usually refers to the
# question itself, so it is not enough.
_FOLLOW_UP = re.compile(
    r"^\W*(?:y|e|and|what about|how about|entonces|pero|but|also|tambi[eé]n)\b"
    r"|\b(?:eso|ello|lo anterior|lo mismo|el anterior|la anterior|that one|the previous one)\b",
    re.IGNORECASE,
)


# A name a question writes: a hyphenated or numbered term («top-k», «GPT-4») or capitalised words past the first
# («SageMaker Model Monitor» is one name).
_NAME = re.compile(r"\b(?:\w+-\w+|\w*\d\w*|[A-ZÁÉÍÓÚÑ][\w-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w-]*)*)")


def _names(question: str) -> set[str]:
    """The names ``question`` writes, past its first word (which a capital opens anyway), in lower case."""
    return {name.lower() for name in _written_names(question)}


def _written_names(question: str) -> list[str]:
    """The names ``question`` writes past its first word, as written, once each."""
    rest = re.sub(r"^\W*\w+", "", question)
    return list(dict.fromkeys(name for name in _NAME.findall(rest) if len(name) > 1))  # not «I»


# What a follow-up points back to without naming it: an object pronoun on an infinitive («bajarlo», «usarla»),
# or «it» / «them» in English.
_POINTS_BACK = re.compile(r"\b(\w+[aei]r)(?:lo|la|los|las)\b|\b(?:it|them)\b", re.IGNORECASE)


FOLLOW_UPS = 4  # how many questions back a chain of follow-ups is read


def _spelled_out(question: str, asked: list[str]) -> str:
    """``question`` with what it points back to written out, from the last of the questions ``asked`` before it
    (itself spelled out: a follow-up of a follow-up points back to the same thing)."""
    if not asked or not _FOLLOW_UP.search(question) or _names(question):
        return question
    before = _written_names(_spelled_out(asked[-1], asked[:-1]))
    if len(before) != 1:
        return question
    name = before[0]
    return _POINTS_BACK.sub(lambda m: f"{m.group(1)} {name}" if m.group(1) else name, question, count=1)


class Conversation:
    """The turns of one chat. Used by the window and the CLI through :meth:`tutor.pipeline.Tutor.ask`.

    With a ``store``, each question is saved as its turn opens and each answer as it finishes; the
    conversation gets its number (``id``) from the store at its first question.
    """

    def __init__(self, store: TurnStore | None = None, conversation_id: int | None = None, course: str = "") -> None:
        self.store = store
        self.id = conversation_id
        self.course = course  # the course folder it is asked in
        self.turns: list[Turn] = []
        # (file, page) of the sources in the last prompt, in prompt order: put first again in the next prompt,
        # so llama.cpp reuses their KV cache and a follow-up only processes what is new.
        self.prompt_sources: list[tuple[str, int]] = []

    def begin(self, question: str) -> Turn:
        """The open turn for ``question``: the last one if it is still open with that question, else a new one."""
        if self.turns and self.turns[-1].open and self.turns[-1].question == question:
            return self.turns[-1]
        turn = Turn(question)
        self.turns.append(turn)
        if self.store is not None:
            self._save(self._save_question, turn)
        return turn

    def finish(self, turn: Turn, answer: Answer) -> None:
        """Close ``turn`` with its answer and remember the prompt's source order."""
        turn.result = answer
        if not answer.abstained and answer.sources:
            self.prompt_sources = [(s.file, s.page) for s in answer.sources]
        if self.store is not None and self.id is not None and turn.saved is not None:
            self._save(self.store.save_answer, self.id, turn.saved, answer)

    def _save_question(self, turn: Turn) -> None:
        if self.id is None:
            self.id = self.store.create(turn.question, self.course)
        turn.saved = self.store.add_question(self.id, turn.question)

    def _save(self, write, *args) -> None:
        """Save through the store; a failed write is logged, never lost as an answer."""
        try:
            write(*args)
        except Exception as exc:  # a full disk or a deleted conversation must not stop the answer
            log.warning("No se pudo guardar la conversación: %s", exc)

    def history(self) -> list[tuple[str, str]]:
        """(question, what its answer said: :attr:`Answer.said`) of the finished turns the course could answer, oldest
        first."""
        return [(t.question, t.result.said) for t in self.turns if t.result is not None and not t.result.abstained]

    def search_text(self, question: str) -> str:
        """What to search for ``question``: with the previous question before it when it goes on from that one
        («¿Y en qué se diferencia de SageMaker Model Monitor?» after a question about Clarify: alone, it finds
        Model Monitor and what it is not compared with), else the question alone."""
        asked = [t.question for t in self.turns if t.result is not None]  # the finished turns
        if not asked or not _FOLLOW_UP.search(question) or len(_names(question)) >= 2:
            return question  # (one that names two things, «¿Y cuándo conviene top-k en vez de top-p?», is its own)
        return f"{asked[-1]}\n{question}"

    def spelled_out(self, question: str) -> str:
        """``question`` for the model, with what a follow-up points back to written out when the question before
        named one thing: «¿Y cuándo conviene bajarlo?» after «¿Qué es top-p?» → «¿Y cuándo conviene bajar top-p?».
        A small model otherwise answers about whatever its sources say most (a student trial: the temperature)."""
        return _spelled_out(question, [t.question for t in self.turns if t.result is not None][-FOLLOW_UPS:])

    def cache_friendly(self, sources: list[Source]) -> list[Source]:
        """``sources`` with those of the previous prompt first, in its order; the rest follow by rank."""
        keys = [(s.file, s.page) for s in sources]
        shared = [sources[keys.index(k)] for k in self.prompt_sources if k in keys]
        return shared + [s for s in sources if s not in shared]

    def clear(self) -> None:
        """Start over: no turns, no history, no remembered sources."""
        self.turns.clear()
        self.prompt_sources = []
        self.id = None  # with a store, the next question starts a new saved conversation
