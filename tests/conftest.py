"""Shared fixtures: an isolated TUTOR_HOME, deterministic fakes, and the real course when present."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tutor.embed import Embedder
from tutor.language_model import LanguageModel

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
REAL_COURSE = SHARED / "corpus" / "aws-ai-practitioner"
DEV_SET = SHARED / "eval" / "dev.jsonl"


@pytest.fixture(autouse=True)
def tutor_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own data dir, so nothing touches the student's real one."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TUTOR_HOME", str(home))
    # "Automatic" answers with the packaged small model in tests (fast); tests of the instruction-tuned
    # model name it, and tests of the automatic choice remove this.
    monkeypatch.setenv("TUTOR_MODEL", "gemma-3-270m-q4_k_m.gguf")
    return home


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory) -> Path:
    """A data dir shared by the integration tests (the real index and model are built once)."""
    return tmp_path_factory.mktemp("shared-home")


@pytest.fixture
def real_home(shared_home, monkeypatch) -> Path:
    monkeypatch.setenv("TUTOR_HOME", str(shared_home))
    return shared_home


@pytest.fixture
def real_course() -> Path:
    if not REAL_COURSE.is_dir():
        pytest.skip(f"../shared is absent: the real course is expected at {REAL_COURSE}")
    return REAL_COURSE


@pytest.fixture
def sample_corpus(tmp_path) -> Path:
    """A writable copy of the sample course in corpus/."""
    target = tmp_path / "curso"
    shutil.copytree(SAMPLE_CORPUS, target)
    return target


class HashEmbedder(Embedder):
    """Deterministic bag-of-words embedder: fast and good enough to test plumbing."""

    def __init__(self, name: str = "fake-hash", dim: int = 64) -> None:
        self.name = name
        self.dim = dim
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v

    def embed_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.calls += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text).reshape(1, -1)


@pytest.fixture
def fake_embedder() -> HashEmbedder:
    return HashEmbedder()


class FakeLLM(LanguageModel):
    """Stands in for LocalLLM (same base class): whitespace tokens, scripted output, records what it was asked."""

    loaded = True

    def __init__(self, pieces: list[str] | None = None, template: str | None = None) -> None:
        self.pieces = pieces if pieces is not None else ["La temperatura ", "controla ", "la aleatoriedad ", "[1", "]."]
        self.template = template
        self.calls: list[tuple[list[int], object]] = []
        self.grammars: list[str | None] = []  # the grammar of each stream() call
        self.ensured: list[object] = []
        self.vocab: dict[str, int] = {}
        self.completions: list[str] = []
        self.translation = ""
        self.words: dict[int, str] = {}

    def ensure(self, path, params, progress=None) -> None:
        self.ensured.append((path, params))

    def bos(self) -> list[int]:
        return [1]

    def metadata(self) -> dict[str, str]:
        return {"tokenizer.chat_template": self.template} if self.template else {}

    def render_chat(self, messages: list[dict]) -> str:
        import jinja2

        return jinja2.Template(self.template).render(messages=messages, add_generation_prompt=True)

    def chat_json(self, messages: list[dict], max_tokens: int = 300) -> str:
        return "{}"

    def chat(self, messages: list[dict], max_tokens: int, stop: list[str] | None = None) -> str:
        self.completions.append(messages[-1]["content"])
        return self.translation

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        ids = []
        for word in re.findall(r"\S+\s*", text):
            ids.append(self.vocab.setdefault(word, len(self.vocab) + 10))
            self.words[self.vocab[word]] = word
        return ids

    def detokenize(self, tokens: list[int]) -> str:
        return "".join(self.words.get(t, "") for t in tokens)

    def complete(self, prompt: str, max_tokens: int, stop: list[str]) -> str:
        self.completions.append(prompt)
        return self.translation

    def stream(self, prompt_tokens: list[int], params, on_prompt=None, grammar=None) -> Iterator[str]:
        self.calls.append((prompt_tokens, params))
        self.grammars.append(grammar)
        if on_prompt:
            on_prompt(len(prompt_tokens), len(prompt_tokens))
        yield from self.pieces

    # parameter lab: a fixed 50-token vocabulary with a known distribution
    LAB_VOCAB = 50

    def piece(self, token: int) -> str:
        return self.words.get(token, f" palabra{token}")

    def next_token_logits(self, tokens: list[int]) -> np.ndarray:
        return -0.35 * np.arange(self.LAB_VOCAB, dtype=np.float32)

    # practice exam questions: the letter the model "prefers" (first label when absent), and what it read
    preferred = "B"

    def choose(self, messages: list[dict], labels: list[str], prefix: str = "") -> tuple[int, list[float]]:
        self.completions.append(messages[-1]["content"] + prefix)
        best = labels.index(self.preferred) if self.preferred in labels else 0
        rest = 0.3 / max(1, len(labels) - 1)
        return best, [0.7 if i == best else rest for i in range(len(labels))] if len(labels) > 1 else [1.0]

    def sample(self, tokens: list[int], params, n: int, max_tokens: int = 8) -> list[str]:
        self.calls.append((tokens, params))
        if params.temperature == 0:
            return [" palabra0"] * n
        return [f" palabra{i % 4}" for i in range(n)]


@pytest.fixture
def fake_llm() -> FakeLLM:
    return FakeLLM()


@pytest.fixture
def tutor_factory(sample_corpus, fake_embedder, tmp_path):
    """A Tutor over the sample course with the hashing embedder and a given fake LLM."""
    from dataclasses import replace

    from tutor.config import Settings
    from tutor.pipeline import Tutor

    model = tmp_path / "falso.gguf"
    model.write_bytes(b"GGUF")

    def make(llm: FakeLLM, **settings_overrides) -> Tutor:
        # The hashing embedder is not calibrated: never abstain unless a test asks for it.
        never_abstain = replace(Settings().retrieval, min_fused_z=-99.0)
        settings = replace(Settings(llm_model=str(model), retrieval=never_abstain), **settings_overrides)
        return Tutor(settings, sample_corpus, llm=llm, embedder=fake_embedder)

    return make
