"""The course index as loaded: chunk texts and metadata in SQLite, vectors in FAISS, a BM25 lexical index.

Layout of one index (one per corpus folder)::

    <data>/indexes/<corpus>-<hash>/
        CURRENT              name of the live generation, replaced atomically
        gen-<milliseconds>/  manifest.json, chunks.sqlite, vectors.faiss (named by creation time)
        .lock

This module loads the live generation (:class:`CourseIndex`), checks its manifest against the current
settings and makes the FAISS index; :mod:`tutor.index_build` writes generations. ``build_index`` is
re-exported here (lazily, to avoid an import cycle).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tutor.config import ChunkingSettings
from tutor.ingest import INGEST_VERSION
from tutor.paths import index_dir_for
from tutor.types import Chunk

if TYPE_CHECKING:
    from tutor.index_build import build_index

__all__ = [
    "EXACT_SEARCH_MAX",
    "INDEX_FORMAT",
    "CourseIndex",
    "IndexLocked",
    "IndexMismatch",
    "IndexReport",
    "Progress",
    "build_index",
    "check_manifest",
    "embedding_text",
    "make_vector_index",
]

INDEX_FORMAT = 1
# Exact inner-product search up to this many chunks (a few courses: milliseconds); HNSW beyond.
EXACT_SEARCH_MAX = 200_000
Progress = Callable[[str, int, int], None]


class IndexMismatch(Exception):
    """The stored index was built with other settings (message in Spanish)."""


class IndexLocked(Exception):
    """Another tutor process is indexing this course."""


@dataclass
class IndexReport:
    """What a (re)index did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    rebuilt_reason: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        """One Spanish line for the student."""
        parts = [
            f"{len(self.added)} nuevos",
            f"{len(self.updated)} modificados",
            f"{len(self.removed)} eliminados",
            f"{len(self.unchanged)} sin cambios",
        ]
        text = f"Índice: {', '.join(parts)}; {self.chunks} fragmentos ({self.embedded} calculados)"
        text += f" en {self.seconds:.1f} s."
        if self.problems:
            text += f" {len(self.problems)} archivo(s) con problemas."
        return text


def course_warning(report: IndexReport, skipped: list[str]) -> str:
    """What the student must be told after indexing, in Spanish ("" when all is well): a folder with nothing to
    read, files that could not be read, and files of a kind tutor does not read (``skipped``)."""
    read = len(report.added) + len(report.updated) + len(report.unchanged)
    parts = []
    if not read:
        empty = (
            "Esta carpeta no tiene diapositivas (PDF) ni apuntes (.md, .txt): elige otra con «Elegir carpeta del "
            "curso…»."
        )
        parts.append("No se ha podido leer ningún archivo del curso." if report.problems else empty)
    elif report.problems:
        parts.append("El resto del curso se ha indexado.")
    if report.problems:
        parts.append("\n".join(f"• {name}: {reason}" for name, reason in report.problems))
    if skipped:
        shown = ", ".join(skipped[:8]) + (f" y {len(skipped) - 8} más" if len(skipped) > 8 else "")
        parts.append(f"No se leen (tutor lee PDF, Markdown y texto): {shown}.")
    return "\n\n".join(parts)


def check_manifest(stored: dict, embedder_name: str, dim: int | None, chunking: ChunkingSettings) -> None:
    """Raise :class:`IndexMismatch` when the stored index does not fit the current settings."""
    if stored.get("format") != INDEX_FORMAT or stored.get("ingest_version") != INGEST_VERSION:
        raise IndexMismatch("el índice es de otra versión de tutor")
    emb = stored.get("embedder", {})
    if emb.get("name") != embedder_name or (dim is not None and emb.get("dim") != dim):
        raise IndexMismatch(
            f"el índice se creó con el modelo de embeddings «{emb.get('name')}» y ahora se usa «{embedder_name}»"
        )
    want = {"chunk_chars": chunking.chunk_chars, "overlap_chars": chunking.overlap_chars}
    if stored.get("chunking") != want:
        raise IndexMismatch("el índice se creó con otros parámetros de fragmentación")


def _current_generation(root: Path) -> Path | None:
    try:
        name = (root / "CURRENT").read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = root / name
    return gen if (gen / "manifest.json").exists() else None


def embedding_text(chunk: Chunk) -> str:
    """What the dense side sees: the slide title, then the chunk."""
    if chunk.title and not chunk.text.startswith(chunk.title):
        return f"{chunk.title}\n{chunk.text}"
    return chunk.text


class CourseIndex:
    """A loaded index generation: chunks, their vectors in FAISS, and the manifest."""

    def __init__(self, generation: Path, manifest: dict, chunks: list[Chunk], faiss_index, files: dict) -> None:
        self.generation = generation
        self.manifest = manifest
        self.chunks = chunks
        self.faiss = faiss_index
        self.files = files  # path -> {"pages", "chunks", "problem"}
        self._lexical = None

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [(path, info["problem"]) for path, info in self.files.items() if info.get("problem")]

    @classmethod
    def load(cls, corpus: Path, embedder_name: str, chunking: ChunkingSettings, dim: int | None = None) -> CourseIndex:
        """Load the live generation; FileNotFoundError when none, IndexMismatch when incompatible."""
        import faiss

        root = index_dir_for(corpus)
        gen = _current_generation(root)
        if gen is None:
            raise FileNotFoundError(f"No hay índice para {corpus}")
        manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
        check_manifest(manifest, embedder_name, dim, chunking)
        con = sqlite3.connect(f"file:{gen / 'chunks.sqlite'}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT file, page, title, text, kind, section, line, part FROM chunks ORDER BY id"
            ).fetchall()
            files = {
                r[0]: {"pages": r[1], "chunks": r[2], "problem": r[3]}
                for r in con.execute("SELECT path, pages, chunks, problem FROM files")
            }
        finally:
            con.close()
        chunks = [Chunk(*row) for row in rows]
        vectors = faiss.read_index(str(gen / "vectors.faiss"))
        return cls(gen, manifest, chunks, vectors, files)

    def lexical(self, title_weight: int = 2):
        """The BM25 index over the chunks (built on first use)."""
        if self._lexical is None:
            from tutor.lexical import LexicalIndex

            self._lexical = LexicalIndex([(c.title, c.text) for c in self.chunks], title_weight)
        return self._lexical


def make_vector_index(matrix: np.ndarray):
    """FAISS index for normalised vectors: exact (flat) while small, HNSW above ``EXACT_SEARCH_MAX``."""
    import faiss

    dim = matrix.shape[1]
    if len(matrix) <= EXACT_SEARCH_MAX:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 128
    index.add(np.ascontiguousarray(matrix, dtype=np.float32))
    return index


# Names that live in tutor.index_build, importable from here as before.
_BUILD_NAMES = frozenset({"build_index", "_lock"})


def __getattr__(name: str):
    if name in _BUILD_NAMES:
        from tutor import index_build

        return getattr(index_build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
