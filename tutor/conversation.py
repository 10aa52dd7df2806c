"""A conversation with the tutor: its turns, the history the next prompt carries, and its KV-friendly source order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from tutor.answer import Answer
    from tutor.types import Source


@dataclass
class Turn:
    """One question and what the student saw of its answer."""

    question: str
    streamed: str = ""  # the text shown while the answer streams in
    result: Answer | None = None  # the finished answer
    sources: list[Source] = field(default_factory=list)  # the prompt's sources, known before the first token
    notes: list[str] = field(default_factory=list)  # errors and remarks shown under the turn

    @property
    def answer(self) -> str:
        """The answer as finally shown (the streamed text until it is finished)."""
        return self.result.answer if self.result is not None else self.streamed

    @property
    def open(self) -> bool:
        return self.result is None


class Conversation:
    """The turns of one chat. Used by the window and the CLI through :meth:`tutor.pipeline.Tutor.ask`."""

    def __init__(self) -> None:
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
        return turn

    def finish(self, turn: Turn, answer: Answer) -> None:
        """Close ``turn`` with its answer and remember the prompt's source order."""
        turn.result = answer
        if not answer.abstained and answer.sources:
            self.prompt_sources = [(s.file, s.page) for s in answer.sources]

    def history(self) -> list[tuple[str, str]]:
        """(question, answer) of the finished turns the course could answer, oldest first."""
        return [(t.question, t.answer) for t in self.turns if t.result is not None and not t.result.abstained]

    def cache_friendly(self, sources: list[Source]) -> list[Source]:
        """``sources`` with those of the previous prompt first, in its order; the rest follow by rank."""
        keys = [(s.file, s.page) for s in sources]
        shared = [sources[keys.index(k)] for k in self.prompt_sources if k in keys]
        return shared + [s for s in sources if s not in shared]

    def clear(self) -> None:
        """Start over: no turns, no history, no remembered sources."""
        self.turns.clear()
        self.prompt_sources = []
