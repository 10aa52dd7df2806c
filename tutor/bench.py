"""``tutor bench``: measure indexing, retrieval, generation, memory and start-up on this machine.

Each figure is compared with its baseline in the same run (ratios), since timings on a shared
laptop are noisy. Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from tutor.bench_model import bench_model_speed, cold_start
from tutor.config import Settings

Say = Callable[[str], None]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else 0.0


def _questions(corpus_index, dev: Path | None, limit: int) -> list[str]:
    if dev and dev.exists():
        from tutor.evaluate import load_questions

        return [q["question"] for q in load_questions(dev)][:limit]
    titles = list(dict.fromkeys(c.title for c in corpus_index.chunks if c.title))
    return [f"¿Qué es {t}?" for t in titles][:limit]


def bench_indexing(settings: Settings, corpus: Path, say: Say) -> dict:
    """Cold index (chunks/s) against a plain encode of the same texts, and a no-op re-index."""
    from tutor.embed import load_embedder
    from tutor.index import build_index, embedding_text

    embedder = load_embedder(settings.embedder, settings.embed_precision)
    embedder.embed_query("calentamiento")  # load the model outside the timings
    old = os.environ.get("TUTOR_HOME")
    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as home:
        os.environ["TUTOR_HOME"] = home
        try:
            say("Indexación en frío…")
            started = time.perf_counter()
            index, report = build_index(corpus, embedder, settings.chunking)
            cold_s = time.perf_counter() - started
            started = time.perf_counter()
            build_index(corpus, embedder, settings.chunking)
            noop_s = time.perf_counter() - started
        finally:
            if old is None:
                os.environ.pop("TUTOR_HOME", None)
            else:
                os.environ["TUTOR_HOME"] = old
    texts = [embedding_text(c) for c in index.chunks]
    say("Codificación directa con SentenceTransformer (referencia)…")
    started = time.perf_counter()
    embedder.model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    encode_s = time.perf_counter() - started
    cps = len(texts) / cold_s if cold_s else 0.0
    encode_cps = len(texts) / encode_s if encode_s else 0.0
    return {
        "index_chunks": len(texts),
        "index_cold_s": round(cold_s, 2),
        "index_chunks_per_s": round(cps, 1),
        "encode_chunks_per_s": round(encode_cps, 1),
        "index_vs_encode_ratio": round(cps / encode_cps, 3) if encode_cps else 0.0,
        "reindex_noop_s": round(noop_s, 3),
        "_index": index,
        "_embedder": embedder,
    }


def bench_retrieval(settings: Settings, index, embedder, questions: list[str], synthetic: int, say: Say) -> dict:
    """Warm p50/p95 of a full query on the course, and on a synthetic index of ``synthetic`` chunks."""
    from tutor.retrieve import Retriever

    no_translation = replace(settings.retrieval, translate_english=False)
    retriever = Retriever(index, embedder, no_translation)
    for q in questions[:5]:
        retriever.search(q)
    times = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q)
        times.append((time.perf_counter() - started) * 1000)
    result = {"retrieval_p50_ms": _pct(times, 0.5), "retrieval_p95_ms": _pct(times, 0.95)}
    if synthetic:
        say(f"Índice sintético de {synthetic} fragmentos (texto del curso repetido)…")
        big = synthetic_index(index, synthetic)
        big_retriever = Retriever(big, embedder, no_translation)
        big_retriever.search(questions[0])
        times = []
        for q in questions:
            started = time.perf_counter()
            big_retriever.search(q)
            times.append((time.perf_counter() - started) * 1000)
        result.update(
            {
                "retrieval_100k_chunks": synthetic,
                "retrieval_100k_p50_ms": _pct(times, 0.5),
                "retrieval_100k_p95_ms": _pct(times, 0.95),
            }
        )
    return result


def synthetic_index(index, size: int):
    """A course index repeated to ``size`` chunks: real text and vectors, each copy a distinct 'file'."""
    import faiss

    from tutor.index import CourseIndex, make_vector_index
    from tutor.types import Chunk

    vectors = np.vstack([index.faiss.reconstruct(i) for i in range(index.faiss.ntotal)]).astype(np.float32)
    copies = -(-size // len(index.chunks))
    chunks: list[Chunk] = []
    for copy in range(copies):
        for c in index.chunks:
            chunks.append(replace(c, file=f"copia{copy:04d}-{c.file}"))
    chunks = chunks[:size]
    rng = np.random.default_rng(0)
    matrix = np.tile(vectors, (copies, 1))[:size]
    matrix = matrix + rng.normal(0, 0.01, matrix.shape).astype(np.float32)  # copies must not tie exactly
    faiss.normalize_L2(matrix)
    return CourseIndex(index.generation, index.manifest, chunks, make_vector_index(matrix), {})


def _gen_tps(answer) -> float:
    """Generation tokens/s of an answer (the first token belongs to the prompt's time)."""
    tokens = answer.usage["completion_tokens"] - 1
    return tokens / (answer.timings["generation_ms"] / 1000) if tokens > 0 else 0.0


def bench_generation(tutor, questions: list[str], max_tokens: int, say: Say) -> dict:
    """The tutor's answer path against a bare llama-cpp-python loop on the same prompt tokens."""
    params = replace(tutor.settings.generation, max_tokens=max_tokens, temperature=0.0, seed=1)
    say("Cargando el modelo…")
    tutor.load_model(params)
    question = questions[0]
    retrieval = tutor.search(question)
    from tutor.conversation import Conversation
    from tutor.text import detect_language

    plan = tutor.plan_prompt(question, retrieval.sources, detect_language(question), params)
    say("Bucle directo de llama-cpp-python (referencia)…")
    bare = [tutor.llm.bare_speed(plan.tokens, params, max_tokens) for _ in range(2)]
    bare_prompt_tps = bare[0][0]  # one cold prompt each way; generation: best of 2 each way (see below)
    bare_gen_tps = max(b[1] for b in bare)
    say("Respuesta por el camino del tutor (en frío y con el prefijo en caché)…")
    chat = Conversation()
    cold = tutor.ask(question, params=params, conversation=chat)
    warm = tutor.ask(question, params=params, conversation=chat)  # asked again: its sources are in the cache
    other = tutor.ask(questions[1] if len(questions) > 1 else "¿Y en resumen?", params=params, conversation=chat)
    prompt_tps = cold.usage["prompt_tokens"] / (cold.timings["prompt_ms"] / 1000)
    gen_tps = max(_gen_tps(cold), _gen_tps(warm))  # the same greedy tokens twice: best of 2, like the bare loop
    return {
        "prompt_tokens": cold.usage["prompt_tokens"],
        "prompt_tps": round(prompt_tps, 1),
        "bare_prompt_tps": round(bare_prompt_tps, 1),
        "prompt_tps_ratio": round(prompt_tps / bare_prompt_tps, 3),
        "gen_tps": round(gen_tps, 1),
        "bare_gen_tps": round(bare_gen_tps, 1),
        "gen_tps_ratio": round(gen_tps / bare_gen_tps, 3) if bare_gen_tps else 0.0,
        "ttft_cold_ms": cold.timings.get("first_token_ms"),
        "ttft_warm_ms": warm.timings.get("first_token_ms"),
        "ttft_warm_ratio": _ratio(warm.timings.get("first_token_ms"), cold.timings.get("first_token_ms")),
        "ttft_other_question_ms": other.timings.get("first_token_ms"),
        "threads": params.threads(),
        "threads_batch": params.threads_batch(),
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    """``a / b`` rounded, or None when either is missing (a question the tutor refused has no first token)."""
    return round(a / b, 3) if a is not None and b else None


def bench_memory(corpus: Path, model: str | None) -> dict:
    """Peak resident memory of a separate ``tutor ask`` process with the default models."""
    cmd = [sys.executable, "-m", "tutor", "ask", "¿Qué controla la temperatura?", "--corpus", str(corpus), "--json"]
    if model:
        cmd += ["--model", model]
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = Path(f"/proc/{child.pid}/status")
    peak_kb = 0
    # The child's own high-water mark (VmHWM). getrusage(RUSAGE_CHILDREN) would also count the
    # memory of this (large) bench process, which the child inherits at fork time.
    while child.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    if not status.parent.exists() and peak_kb == 0:  # pragma: no cover - no /proc (macOS, Windows)
        import resource

        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"peak_rss_mb": round(peak_kb / 1024, 1)}


def bench_window(corpus: Path) -> dict:
    """Seconds from launching ``tutor gui`` to the window being shown (offscreen)."""
    env = {
        **os.environ,
        "TUTOR_EXIT_WHEN_SHOWN": "1",
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "tutor", "gui", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    shown = time.perf_counter() - started
    for line in out.stdout.splitlines():
        if line.startswith("window_shown_s="):
            return {"window_shown_s": round(shown, 2), "window_shown_in_process_s": float(line.split("=")[1])}
    return {"window_shown_s": None, "window_error": out.stderr[-400:]}


def run_bench(
    settings: Settings,
    corpus: Path,
    dev: Path | None,
    quick: bool = False,
    model: str | None = None,
    say: Say = lambda text: None,
) -> dict:
    """Every figure of ``tutor bench`` as one flat dict."""
    from tutor.pipeline import Tutor

    if model:
        settings = replace(settings, llm_model=model)
    figures: dict = {"quick": quick, "cpu_count": os.cpu_count()}
    indexing = bench_indexing(settings, corpus, say)
    index, embedder = indexing.pop("_index"), indexing.pop("_embedder")
    figures.update(indexing)
    questions = _questions(index, dev, 10 if quick else 45)
    figures.update(bench_retrieval(settings, index, embedder, questions, 10_000 if quick else 100_000, say))
    tutor = Tutor(settings, corpus, embedder=embedder)
    tutor.ensure_index()
    figures.update(bench_generation(tutor, questions, 16 if quick else 128, say))
    figures.update(bench_model_speed(tutor, questions, figures["gen_tps"], quick, say))
    tutor.llm.close()
    figures.update(cold_start(settings, corpus, questions, embedder, say))
    say("Memoria de una respuesta (proceso aparte)…")
    figures.update(bench_memory(corpus, model))
    say("Tiempo hasta ver la ventana…")
    figures.update(bench_window(corpus))
    return figures


ROWS = [
    ("index_chunks_per_s", "Indexación en frío (fragmentos/s)"),
    ("encode_chunks_per_s", "  referencia: encode directo (fragmentos/s)"),
    ("index_vs_encode_ratio", "  proporción índice / encode"),
    ("reindex_noop_s", "Reindexación sin cambios (s)"),
    ("retrieval_p50_ms", "Búsqueda p50 en el curso (ms)"),
    ("retrieval_p95_ms", "Búsqueda p95 en el curso (ms)"),
    ("retrieval_100k_p50_ms", "Búsqueda p50, índice sintético (ms)"),
    ("retrieval_100k_p95_ms", "Búsqueda p95, índice sintético (ms)"),
    ("prompt_tps", "Proceso del prompt (tokens/s)"),
    ("prompt_tps_ratio", "  proporción frente a llama-cpp directo"),
    ("gen_tps", "Generación (tokens/s)"),
    ("gen_tps_ratio", "  proporción frente a llama-cpp directo"),
    ("ttft_cold_ms", "Primer token, primera pregunta (ms)"),
    ("ttft_warm_ms", "Primer token, repregunta sobre el mismo tema (ms)"),
    ("ttft_warm_ratio", "  proporción segunda / primera"),
    ("ttft_other_question_ms", "Primer token, otra pregunta distinta (ms)"),
    ("ttft_first_question_cold_ms", "Primer token, primera pregunta sin nada cargado (ms)"),
    ("ttft_first_question_preloaded_ms", "Primer token, primera pregunta tras la precarga (ms)"),
    ("ttft_later_question_ms", "Primer token, una pregunta posterior (ms)"),
    ("load_s", "Carga de índice, embeddings y modelo (s)"),
    ("prompt_tokens_p50", "Tokens del prompt, mediana"),
    ("bandwidth_gbs", "Ancho de banda de la memoria (GB/s)"),
    ("gen_share_of_bandwidth_limit", "  generación / límite del ancho de banda"),
    ("gen_tps_lookup_ratio", "Prompt lookup / generación normal"),
    ("prompt_lookup_on", "  prompt lookup activado en este equipo"),
    ("peak_rss_mb", "Memoria máxima durante una respuesta (MB)"),
    ("window_shown_s", "Ventana visible tras lanzar (s)"),
]


def format_table(figures: dict) -> str:
    width = max(len(label) for _, label in ROWS)
    lines = [f"{label:<{width}}  {figures.get(key, '—')}" for key, label in ROWS]
    lines.append(
        f"{'Hilos de CPU':<{width}}  {figures.get('threads')} al generar, "
        f"{figures.get('threads_batch')} con el prompt, de {figures.get('cpu_count')}"
    )
    return "\n".join(lines)


def to_json(figures: dict) -> str:
    return json.dumps(figures, ensure_ascii=False, indent=2)
