"""What the core needs from a local language model, as one small base class.

:class:`tutor.llm.LocalLLM` implements it with llama.cpp; the tests' fake implements it too. Nothing
outside ``tutor/llm.py`` touches llama_cpp: the pipeline, the lab and the quiz only call these methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from tutor.config import GenerationParams

Progress = Callable[[str], None]
# Called while the prompt is read: (tokens read, tokens in the prompt).
PromptProgress = Callable[[int, int], None]


class LanguageModel(ABC):
    """One loaded model: tokens in, text out. Loading is lazy and explicit (:meth:`ensure`)."""

    load_seconds: float = 0.0

    @property
    @abstractmethod
    def loaded(self) -> bool:
        """True once a model is loaded."""

    @property
    def path(self) -> Path | None:
        """The loaded model's file, if any."""
        return None

    @abstractmethod
    def ensure(self, path: Path, params: GenerationParams, progress: Progress | None = None) -> None:
        """Load ``path`` with the context/threads/GPU settings of ``params`` unless already loaded."""

    def close(self) -> None:  # noqa: B027 - a model without resources to free needs no override
        """Free the loaded model, if any."""

    def prefill(self, tokens: list[int]) -> None:  # noqa: B027 - models without a KV cache skip it
        """Read ``tokens`` into the KV cache now, so a prompt starting with them only processes the rest."""

    @abstractmethod
    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        """Token ids of ``text`` (special tokens parsed)."""

    @abstractmethod
    def detokenize(self, tokens: list[int]) -> str:
        """The text of ``tokens``."""

    @abstractmethod
    def bos(self) -> list[int]:
        """The beginning-of-sequence token a completion prompt starts with (empty when the model has none)."""

    @abstractmethod
    def metadata(self) -> dict[str, str]:
        """The GGUF metadata (architecture, chat template, …)."""

    def chat_template(self) -> str | None:
        """The chat template stored in the model, or None for a base model."""
        return self.metadata().get("tokenizer.chat_template") or None

    @abstractmethod
    def render_chat(self, messages: list[dict]) -> str:
        """``messages`` rendered with the model's own chat template, ready to tokenize."""

    @abstractmethod
    def stream(
        self,
        prompt_tokens: list[int],
        params: GenerationParams,
        on_prompt: PromptProgress | None = None,
        grammar: str | None = None,
    ) -> Iterator[str]:
        """Stream the completion of ``prompt_tokens`` as text pieces (one per token), constrained to
        ``grammar`` (llama.cpp's GBNF) when given."""

    @abstractmethod
    def next_token_logits(self, tokens: list[int]) -> np.ndarray:
        """The raw logits (one per vocabulary entry) for the token after ``tokens``."""

    @abstractmethod
    def piece(self, token: int) -> str:
        """The text of one token as a student would read it."""

    @abstractmethod
    def sample(self, tokens: list[int], params: GenerationParams, n: int, max_tokens: int = 8) -> list[str]:
        """``n`` short continuations of ``tokens`` sampled with ``params``."""

    @abstractmethod
    def complete(self, prompt: str, max_tokens: int, stop: list[str]) -> str:
        """A short greedy completion of ``prompt`` (helper tasks such as query translation)."""

    @abstractmethod
    def chat(self, messages: list[dict], max_tokens: int, stop: list[str] | None = None) -> str:
        """A short greedy chat reply (helper tasks such as rewriting a question into a search query)."""

    @abstractmethod
    def chat_json(self, messages: list[dict], max_tokens: int = 300) -> str:
        """A chat reply constrained to JSON (helper tasks such as quiz questions)."""

    def choose(self, messages: list[dict], labels: list[str], prefix: str = "") -> tuple[int, list[float]]:
        """The label the model would write first as its reply to ``messages`` (after ``prefix``), constrained
        to ``labels`` (A, B, C…), and each label's probability among them: the next-token logits of the
        label's first token, with or without a leading space, renormalised over the labels."""
        import numpy as np

        tokens = self.tokenize(self.render_chat(messages) + prefix)
        logits = self.next_token_logits(tokens)
        scores = []
        for label in labels:
            ids = {ids[0] for ids in (self.tokenize(label), self.tokenize(f" {label}")) if ids}
            scores.append(max((float(logits[i]) for i in ids if 0 <= i < len(logits)), default=-1e9))
        values = np.array(scores, dtype=np.float64)
        probs = np.exp(values - values.max())
        probs /= probs.sum()
        return int(np.argmax(values)), [float(p) for p in probs]
