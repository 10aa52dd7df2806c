"""Killing the indexer at random points never leaves a broken index (SIGKILL, several times)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, HashEmbedder
from tutor.config import ChunkingSettings, RetrievalSettings
from tutor.index import CourseIndex, build_index
from tutor.paths import index_dir_for
from tutor.retrieve import Retriever

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL only exists on POSIX")

CHUNKING = ChunkingSettings()
QUERIES = ["temperatura aleatoriedad", "tema 7 servicio", "transformer atención", "top-p núcleo", "tema 19 datos"]

# The indexer in another process, with a slow fake embedder so kills land in every phase.
INDEXER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.conftest import HashEmbedder
from tutor.config import ChunkingSettings
from tutor.index import build_index

class Slow(HashEmbedder):
    def embed_passages(self, texts, batch_size=8):
        time.sleep(0.004 * len(texts))
        return super().embed_passages(texts, batch_size)

print("start", flush=True)
started = time.perf_counter()
build_index({course!r}, Slow(), ChunkingSettings())
print("done", time.perf_counter() - started, flush=True)
"""


def _results(index: CourseIndex) -> list[list[tuple[str, int]]]:
    retriever = Retriever(index, HashEmbedder(), RetrievalSettings(min_fused_z=-99))
    return [[(s.file, s.page) for s in retriever.search(q, 5).sources] for q in QUERIES]


def _add_lessons(course: Path) -> None:
    for n in range(1, 31):
        body = "\n\n".join(f"## Parte {p}\nTema {n}: el servicio {n}.{p} procesa datos y modelos." for p in range(8))
        (course / f"leccion-{n:02d}.md").write_text(f"# Lección {n}\n{body}\n", encoding="utf-8")


def test_sigkill_at_random_points_keeps_the_last_complete_index(sample_corpus, tmp_path, monkeypatch):
    # Reference: the same course indexed without interruption, in another data dir.
    reference_course = tmp_path / "referencia"
    reference_course.mkdir()
    for item in sample_corpus.iterdir():
        if item.is_file():
            (reference_course / item.name).write_bytes(item.read_bytes())
    _add_lessons(reference_course)
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    first, _ = build_index(sample_corpus, HashEmbedder(), CHUNKING)  # a complete index of part of the course
    complete_sizes = {len(first.chunks)}
    _add_lessons(sample_corpus)
    script = INDEXER.format(root=str(ROOT), course=str(sample_corpus))
    run = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, env=os.environ.copy())
    build_s = float(run.stdout.split()[-1])  # only to spread the kills over a whole build
    # that run completed: start again from the partial index, to kill it several times
    full, _ = build_index(sample_corpus, HashEmbedder(), CHUNKING)
    complete_sizes.add(len(full.chunks))
    for path in sample_corpus.glob("leccion-*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nRevisado.\n", encoding="utf-8")
    rng = random.Random(7)
    kills = 0
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=os.environ.copy()
        )
        assert child.stdout.readline().strip() == b"start"
        time.sleep(rng.uniform(0.0, build_s))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
        # the next start loads a complete index: one of the generations that finished
        loaded = CourseIndex.load(sample_corpus, "fake-hash", CHUNKING, 64)
        assert loaded.faiss.ntotal == len(loaded.chunks)
        assert len(loaded.chunks) == sum(info["chunks"] for info in loaded.files.values())
        complete_sizes.add(len(loaded.chunks))
        assert len(complete_sizes) <= 3  # partial course, full course, revised full course
    assert kills >= 3
    finished, report = build_index(sample_corpus, HashEmbedder(), CHUNKING)
    leftovers = [p.name for p in index_dir_for(sample_corpus).iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []
    for path in reference_course.glob("leccion-*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nRevisado.\n", encoding="utf-8")
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home-referencia"))
    expected = _results(build_index(reference_course, HashEmbedder(), CHUNKING)[0])
    assert _results(finished) == expected
