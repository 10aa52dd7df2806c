"""Building the course index: a complete new generation is written, then ``CURRENT`` is swapped.

An interrupted build leaves the previous generation live (see the layout in :mod:`tutor.index`).
Unchanged files are copied from the previous generation without re-embedding; a lock keeps two
tutor processes from indexing the same course at once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tutor.config import ChunkingSettings
from tutor.embed import Embedder
from tutor.index import (
    INDEX_FORMAT,
    CourseIndex,
    IndexLocked,
    IndexMismatch,
    IndexReport,
    Progress,
    _current_generation,
    check_manifest,
    embedding_text,
    make_vector_index,
)
from tutor.ingest import INGEST_VERSION, IngestError, chunk_pages, discover, os_reason, read_pages
from tutor.paths import index_dir_for
from tutor.system import file_sha256
from tutor.types import Chunk, Page

log = logging.getLogger(__name__)


def _manifest(corpus: Path, embedder: Embedder, chunking: ChunkingSettings) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from tutor import __version__

    def pkg(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    return {
        "format": INDEX_FORMAT,
        "ingest_version": INGEST_VERSION,
        "embedder": {"name": embedder.name, "dim": embedder.dim, "precision": embedder.precision},
        "chunking": {"chunk_chars": chunking.chunk_chars, "overlap_chars": chunking.overlap_chars},
        "corpus": str(corpus),
        "versions": {
            "tutor": __version__,
            "faiss": pkg("faiss-cpu"),
            "sentence_transformers": pkg("sentence-transformers"),
            "pypdf": pkg("pypdf"),
            "bm25s": pkg("bm25s"),
        },
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


_SCHEMA = """
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
                    pages INTEGER, chunks INTEGER, problem TEXT);
CREATE TABLE chunks (id INTEGER PRIMARY KEY, file TEXT, page INTEGER, title TEXT, text TEXT, kind TEXT,
                     section TEXT, line INTEGER, part INTEGER, vector BLOB);
CREATE INDEX chunks_file ON chunks(file);
"""


def _lock(root: Path):
    from filelock import FileLock, Timeout

    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / ".lock"))
    try:
        lock.acquire(timeout=0.5)
    except Timeout as exc:
        raise IndexLocked("Otro proceso de tutor está indexando este curso; espera a que termine.") from exc
    return lock


class _Planned(NamedTuple):
    """One corpus file of the new generation; ``sha`` is None when its rows are copied unchanged."""

    rel: str
    path: Path
    size: int
    mtime: int
    sha: str | None


@dataclass
class _Build:
    """One run of :func:`build_index`: what it indexes, with what, and the report it fills."""

    corpus: Path
    root: Path
    embedder: Embedder
    chunking: ChunkingSettings
    progress: Progress | None
    report: IndexReport = field(default_factory=IndexReport)


def build_index(
    corpus: Path,
    embedder: Embedder,
    chunking: ChunkingSettings,
    progress: Progress | None = None,
) -> tuple[CourseIndex, IndexReport]:
    """Create or update the index of ``corpus``; only new or changed files are embedded."""
    started = time.perf_counter()
    corpus = Path(corpus).expanduser().resolve()
    if not corpus.is_dir():
        raise FileNotFoundError(f"La carpeta del curso no existe: {corpus}")
    build = _Build(corpus, index_dir_for(corpus), embedder, chunking, progress)
    report = build.report
    lock = _lock(build.root)
    try:
        previous = _current_generation(build.root)
        _cleanup(build.root, keep=previous.name if previous else "")  # what a killed indexer left half-written
        previous, old_files = _previous_files(build, previous)
        plan = _plan_files(build, old_files)
        if previous is not None and _up_to_date(report, plan, old_files):
            index = CourseIndex.load(corpus, embedder.name, chunking, embedder.dim)
            report.problems += [(rel, msg) for rel, msg in index.problems if (rel, msg) not in report.problems]
        else:
            gen_name = f"gen-{int(time.time() * 1000):015d}"
            _write_generation(build, previous, plan, gen_name)
            _switch_current(build.root, gen_name)
            index = CourseIndex.load(corpus, embedder.name, chunking, embedder.dim)
        report.chunks = len(index.chunks)
        report.seconds = time.perf_counter() - started
        return index, report
    finally:
        lock.release()


def _previous_files(build: _Build, previous: Path | None) -> tuple[Path | None, dict[str, tuple]]:
    """The live generation and its files (path -> size, mtime_ns, sha256, problem), if it can be reused.

    An unreadable or incompatible generation is dropped (``None``, no files): everything is rebuilt.
    """
    if previous is None:
        return None, {}
    try:
        manifest = json.loads((previous / "manifest.json").read_text(encoding="utf-8"))
        check_manifest(manifest, build.embedder.name, build.embedder.dim, build.chunking)
        con = sqlite3.connect(f"file:{previous / 'chunks.sqlite'}?mode=ro", uri=True)
        old_files = {r[0]: r[1:] for r in con.execute("SELECT path, size, mtime_ns, sha256, problem FROM files")}
        con.close()
    except (IndexMismatch, sqlite3.Error, json.JSONDecodeError, OSError) as exc:
        build.report.rebuilt_reason = str(exc)
        log.warning("Se reconstruye el índice: %s", exc)
        return None, {}
    return previous, old_files


def _plan_files(build: _Build, old_files: dict[str, tuple]) -> list[_Planned]:
    """Compare the corpus with ``old_files``: what is new, changed, unchanged or gone (in the report)."""
    report = build.report
    plan: list[_Planned] = []
    for path in discover(build.corpus):
        rel = path.relative_to(build.corpus).as_posix()
        try:
            st = path.stat()
        except OSError as exc:
            report.problems.append((rel, os_reason(exc)))
            continue
        old = old_files.get(rel)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            report.unchanged.append(rel)
            plan.append(_Planned(rel, path, st.st_size, st.st_mtime_ns, None))
            continue
        try:
            sha = file_sha256(path)
        except OSError as exc:
            report.problems.append((rel, os_reason(exc)))
            continue
        if old and old[2] == sha:
            report.unchanged.append(rel)
            plan.append(_Planned(rel, path, st.st_size, st.st_mtime_ns, None))
            continue
        (report.updated if old else report.added).append(rel)
        plan.append(_Planned(rel, path, st.st_size, st.st_mtime_ns, sha))
    present = {item.rel for item in plan}
    report.removed = sorted(set(old_files) - present - {rel for rel, _ in report.problems})
    return plan


def _up_to_date(report: IndexReport, plan: list[_Planned], old_files: dict[str, tuple]) -> bool:
    """Nothing added, changed or removed, and no file whose stored mtime needs refreshing."""
    mtime_only = any(item.sha is None and old_files[item.rel][1] != item.mtime for item in plan)
    return not report.changed and not mtime_only


def _write_generation(build: _Build, previous: Path | None, plan: list[_Planned], gen_name: str) -> None:
    """Write generation ``gen_name`` completely under a temporary name, synced, then rename it into place."""
    import faiss

    tmp = build.root / f".tmp-{gen_name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    con = sqlite3.connect(str(tmp / "chunks.sqlite"))
    con.executescript(_SCHEMA)
    todo = _copy_unchanged(con, previous, plan)
    new_chunks = _read_changed(build, con, todo)
    _store_new_chunks(build, con, new_chunks)
    matrix = _vector_matrix(con, build.embedder.dim)
    con.close()
    faiss.write_index(make_vector_index(matrix), str(tmp / "vectors.faiss"))
    (tmp / "manifest.json").write_text(
        json.dumps(_manifest(build.corpus, build.embedder, build.chunking), indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    _fsync_dir(tmp)
    os.replace(tmp, build.root / gen_name)


def _copy_unchanged(con: sqlite3.Connection, previous: Path | None, plan: list[_Planned]) -> list[_Planned]:
    """Copy the rows of unchanged files from the previous generation; return the files still to read."""
    if previous is not None:
        con.execute("ATTACH DATABASE ? AS old", (f"file:{previous / 'chunks.sqlite'}?mode=ro",))
    todo: list[_Planned] = []
    for item in plan:
        if item.sha is None:
            con.execute(
                "INSERT INTO files SELECT path, ?, ?, sha256, pages, chunks, problem FROM old.files WHERE path=?",
                (item.size, item.mtime, item.rel),
            )
            con.execute(
                "INSERT INTO chunks (file, page, title, text, kind, section, line, part, vector) "
                "SELECT file, page, title, text, kind, section, line, part, vector FROM old.chunks "
                "WHERE file=? ORDER BY id",
                (item.rel,),
            )
        else:
            todo.append(item)
    if previous is not None:
        con.commit()
        con.execute("DETACH DATABASE old")
    return todo


def _read_changed(build: _Build, con: sqlite3.Connection, todo: list[_Planned]) -> list[Chunk]:
    """Read and chunk the new or changed files, recording each in ``files``; return their chunks."""
    progress = build.progress
    new_chunks: list[Chunk] = []
    for i, item in enumerate(todo):
        if progress:
            progress("Leyendo archivos", i, len(todo))
        pages, chunks, problem = _read_file(build, item)
        con.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item.rel, item.size, item.mtime, item.sha, len(pages), len(chunks), problem),
        )
        new_chunks.extend(chunks)
    if progress:
        progress("Leyendo archivos", len(todo), len(todo))
    return new_chunks


def _read_file(build: _Build, item: _Planned) -> tuple[list[Page], list[Chunk], str | None]:
    """Pages, chunks and problem (None when read) of one file; a problem is also added to the report."""
    try:
        pages = read_pages(item.path, item.rel, _page_progress(build.progress, item.rel))
        chunks = chunk_pages(pages, build.chunking.chunk_chars, build.chunking.overlap_chars)
        return pages, chunks, None
    except IngestError as exc:
        problem = str(exc)
    except OSError as exc:
        problem = os_reason(exc)
    build.report.problems.append((item.rel, problem))
    return [], [], problem


def _store_new_chunks(build: _Build, con: sqlite3.Connection, new_chunks: list[Chunk]) -> None:
    """Embed the new chunks and insert them with their vectors, then commit."""
    vectors = _embed_unique([embedding_text(c) for c in new_chunks], build.embedder, build.progress)
    con.executemany(
        "INSERT INTO chunks (file, page, title, text, kind, section, line, part, vector) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (c.file, c.page, c.title, c.text, c.kind, c.section, c.line, c.part, v.tobytes())
            for c, v in zip(new_chunks, vectors, strict=True)
        ],
    )
    build.report.embedded = len(new_chunks)
    con.commit()


def _vector_matrix(con: sqlite3.Connection, dim: int) -> np.ndarray:
    """Every stored vector, in chunk order, as one float32 matrix."""
    blobs = [row[0] for row in con.execute("SELECT vector FROM chunks ORDER BY id")]
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


def _switch_current(root: Path, gen_name: str) -> None:
    """Point ``CURRENT`` at ``gen_name`` atomically (synced), then remove every other generation."""
    pointer = root / "CURRENT.tmp"
    pointer.write_text(gen_name)
    with pointer.open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer, root / "CURRENT")
    _cleanup(root, keep=gen_name)


LONG_FILE_PAGES = 50  # files with more pages get their own progress bar while they are read


def _page_progress(progress: Progress | None, rel: str):
    """Per-page progress for a long file, so a PDF of thousands of pages never looks stuck."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        if total >= LONG_FILE_PAGES:
            progress(f"Leyendo {rel} (páginas)", done, total)

    return report


def _embed_unique(texts: list[str], embedder: Embedder, progress: Progress | None) -> np.ndarray:
    """Embed each distinct text once, longest first, in groups that report progress.

    Repeated slides (agendas, section covers) are embedded once; sorting the whole course by
    length keeps each model batch free of padding.
    """
    unique = list(dict.fromkeys(texts))
    order = sorted(range(len(unique)), key=lambda i: -len(unique[i]))
    out = np.zeros((len(unique), embedder.dim), dtype=np.float32)
    group = 64
    for start in range(0, len(order), group):
        if progress:
            progress("Calculando embeddings", start, len(order))
        idx = order[start : start + group]
        out[idx] = embedder.embed_passages([unique[i] for i in idx])
    if progress:
        progress("Calculando embeddings", len(order), len(order))
    position = {text: i for i, text in enumerate(unique)}
    return out[[position[t] for t in texts]] if texts else out


def _fsync_dir(folder: Path) -> None:
    for item in folder.iterdir():
        with item.open("rb") as fh:
            os.fsync(fh.fileno())


def _cleanup(root: Path, keep: str) -> None:
    for item in root.iterdir():
        if item.is_dir() and item.name != keep and (item.name.startswith("gen-") or item.name.startswith(".tmp-")):
            shutil.rmtree(item, ignore_errors=True)
