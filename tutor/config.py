"""One typed settings object, persisted as TOML in the tutor's data dir."""

from __future__ import annotations

import logging
import os
import shutil
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from tutor.params import PARAM, PARAMS, InvalidParameter, params_class
from tutor.paths import settings_path

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1


# Integer settings and their allowed range (inclusive).
RANGES: dict[str, tuple[int, int]] = {"source_tokens": (64, 16384), "prompt_sources": (1, 5)}
# Settings that take one of a few words; the first is the default.
CHOICES: dict[str, tuple[str, ...]] = {
    "embed_precision": ("auto", "float32", "bfloat16"),
    "prompt_style": ("auto", "chat", "completion"),
    "show_extracts": ("auto", "always", "never"),
    "quiz_questions": ("auto", "slides", "model"),
}


class _GenerationMethods:
    """Methods of :class:`GenerationParams` (its fields come from :data:`tutor.params.PARAMS`)."""

    def validated(self) -> GenerationParams:
        """Return self, or raise :class:`InvalidParameter` naming the first bad value."""
        for param in PARAMS:
            param.check(getattr(self, param.name))
        return self

    def with_overrides(self, **overrides: Any) -> GenerationParams:
        """A copy with the given non-None values replaced, then validated."""
        clean = {k: _coerced(k, v) for k, v in overrides.items() if v is not None}
        return replace(self, **clean).validated()

    def threads(self) -> int:
        """Threads for generating tokens: memory-bound, so one per physical core is enough."""
        if self.n_threads:
            return self.n_threads
        cores = usable_cores()
        return max(1, min(8, cores if cores <= 4 else cores // 2))

    def threads_batch(self) -> int:
        """Threads for processing the prompt: compute-bound, so every usable core helps."""
        return self.n_threads_batch or max(1, min(16, usable_cores()))


def _coerced(name: str, value: Any) -> Any:
    """Lists of texts as tuples, integral floats (``3.0``) of integer parameters as ints."""
    kind = PARAM[name].type if name in PARAM else None
    if kind is tuple:
        return tuple(value)
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


GenerationParams = params_class(
    "GenerationParams",
    _GenerationMethods,
    __name__,
    "Every inference parameter the course teaches; exactly what reaches llama.cpp.",
)


def usable_cores() -> int:
    """Logical cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS and Windows
        return os.cpu_count() or 1


@dataclass(frozen=True)
class RetrievalSettings:
    """Hybrid retrieval knobs (tuned on the tune half of eval/questions.jsonl; kept here, not in code)."""

    k: int = 5
    # Page scores from each side are standardised (z-scores over the course's pages), then mixed.
    dense_weight: float = 0.4
    lexical_weight: float = 0.6
    title_weight: int = 2
    # Only for embedders without a calibration: refuse when the best page's fused z-score is below this
    # (it depends on the course's size: among N pages the best z is at most √(N−1)).
    min_fused_z: float = 2.35
    # Named terms (a capitalised word, an acronym) the course never mentions lower the confidence; without a
    # calibration they refuse on their own.
    abstain_on_unknown_terms: bool = True
    # Exam boilerplate of long questions («A company wants to…», «¿Qué solución cumple…?») weighs less.
    reduce_queries: bool = True
    # English questions not translated by the LLM also search the Spanish words of a built-in glossary.
    english_glossary: bool = True
    # A need a scenario describes in other words («without retraining», «repetitive suggestions») also searches
    # the words a course uses for it (tutor/needs.py).
    scenario_needs: bool = True
    # A service or metric a scenario asks for without naming it («convert the calls into text»: Amazon
    # Transcribe) lowers the confidence, much, when the course never names it (tutor/implied.py).
    implied_names: bool = True
    # English questions are also searched in Spanish, translated by the local LLM when it is a base model.
    translate_english: bool = True
    # An instruction-tuned model instead rewrites English questions and long stems into a short Spanish query
    # (tutor/rewrite.py). Off: on our question set it lowered MRR (tune 0.858 -> 0.802, check 0.835 -> 0.801).
    rewrite_with_instruct_model: bool = False


@dataclass(frozen=True)
class ChunkingSettings:
    chunk_chars: int = 1000
    overlap_chars: int = 200


@dataclass(frozen=True)
class Settings:
    """Everything the student can choose; saved to ``settings.toml``."""

    corpus_dir: str = "corpus"
    llm_model: str = ""  # empty = automatic: the best installed catalog model that fits, else the packaged 270M
    embedder: str = ""  # empty = the packaged all-MiniLM-L6-v2
    # The allowed words of these four are in CHOICES (and the ranges of the integer settings in RANGES).
    embed_precision: str = "auto"  # auto = bfloat16 where the CPU has it in hardware
    prompt_style: str = "auto"
    # Literal key lines of the best slide under the answer: auto and always = under every answer; never.
    show_extracts: str = "auto"
    # Practice questions: auto = written by the model when it is an instruct model of ~1B+, else from the slides.
    quiz_questions: str = "auto"
    # Tokens of course text an instruction-tuned model reads per question (its sources' most relevant sentences):
    # on a laptop CPU each prompt token delays the first word of the answer.
    source_tokens: int = 280
    # How many of the best sources an instruction-tuned model reads. Two cite better and read faster, but with less
    # to read the model's answers are more often too thin to check (docs/USER_GUIDE.md, "What the model reads").
    prompt_sources: int = 3
    # After an answer, an instruction-tuned model is asked of each sentence whether its sources state it
    # (tutor/verify.py): keeps faithful paraphrases and translations, catches what word overlap misses.
    verify_with_model: bool = True
    # Constrain an instruction-tuned model's answer (llama.cpp grammar, tutor/citations.py) so that every sentence
    # ends with the marker of a given source: «… [2].». Off: with it, Qwen2.5-Coder-1.5B's own-text share on the
    # dev set fell from 0.68–0.73 to 0.61 (it puts the marker where the content should be: «se usa [1].»).
    constrain_citations: bool = False
    generation: GenerationParams = field(default_factory=GenerationParams)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["generation"]["stop"] = list(self.generation.stop)
        data["version"] = SETTINGS_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Build settings from a dict, ignoring unknown keys and keeping defaults for missing ones."""
        sections = {
            "generation": GenerationParams,
            "retrieval": RetrievalSettings,
            "chunking": ChunkingSettings,
        }
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            if f.name not in data:
                continue
            if f.name in sections:
                sub = sections[f.name]
                sub_defaults = getattr(defaults, f.name)
                values = {}
                for k, v in dict(data[f.name]).items():
                    if k in {sf.name for sf in fields(sub)}:
                        values[k] = _checked(f"{f.name}.{k}", v, getattr(sub_defaults, k))
                kwargs[f.name] = sub(**values)
            else:
                kwargs[f.name] = _checked(f.name, data[f.name], getattr(defaults, f.name))
        return cls(**kwargs).validated()

    def validated(self) -> Settings:
        """Return self, or raise :class:`InvalidParameter` naming the first bad value and what is allowed."""
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise InvalidParameter(
                    f"El ajuste {name} debe ser uno de estos valores: {', '.join(allowed)} (recibido: {value!r})."
                )
        for name, (low, high) in RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                raise InvalidParameter(f"El ajuste {name} debe estar entre {low} y {high} (recibido: {value}).")
        self.generation.validated()
        return self


def _checked(name: str, value: Any, default: Any) -> Any:
    """``value`` converted to the type of ``default``, or TypeError naming the setting."""
    if isinstance(default, tuple):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif isinstance(value, type(default)):
        return value
    raise TypeError(f"el ajuste {name} tiene un valor de otro tipo ({value!r})")


def load_settings(path: Path | None = None) -> Settings:
    """Load settings; a corrupt or incompatible file is backed up and defaults are used, with a warning."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        settings = Settings.from_dict(data)
        version = data.get("version")
        if version != SETTINGS_VERSION:
            backup = path.with_name(f"{path.name}.v{version}.bak")
            shutil.copy2(path, backup)
            log.warning(
                "Ajustes de otra versión de tutor (%s) en %s: se conservan los valores que siguen siendo válidos; "
                "copia del archivo original en %s",
                version,
                path,
                backup,
            )
        return settings
    except (tomllib.TOMLDecodeError, TypeError, ValueError, OSError, AttributeError) as exc:
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
        log.warning("Ajustes ilegibles en %s (%s): se usan los valores por defecto; copia en %s", path, exc, backup)
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write settings atomically (temporary file, then rename)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomli_w.dumps(settings.to_dict()), encoding="utf-8")
    os.replace(tmp, path)
    return path
