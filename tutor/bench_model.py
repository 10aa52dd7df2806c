"""``tutor bench``'s model figures: the cold start, the memory-bandwidth limit, prompt batch settings and
prompt-lookup decoding, each measured as ratios within one run (see docs/PERFORMANCE.md).

What it finds fastest here is kept for this CPU (tutor/machine_tuning.py) and used when a model is loaded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from tutor.config import GenerationParams, Settings, usable_cores
from tutor.machine_tuning import LOOKUP_GAIN, MachineTuning, cpu_name, load_tuning, save_tuning

Say = Callable[[str], None]
BATCHES = ((512, 512), (256, 256), (128, 128), (512, 128), (64, 64))


def memory_bandwidth_gbs(megabytes: int = 512, repeats: int = 5, threads: int | None = None) -> float:
    """This machine's memory bandwidth (GB/s): the best of ``repeats`` copies of a large array (read + write),
    one slice per core at once (NumPy releases the GIL while copying), as generation reads weights on every core."""
    from concurrent.futures import ThreadPoolExecutor

    threads = threads or usable_cores()
    source = np.ones(megabytes * 2**20 // 8)
    target = np.empty_like(source)
    slices = [slice(i * source.size // threads, (i + 1) * source.size // threads) for i in range(threads)]
    best = float("inf")
    with ThreadPoolExecutor(threads) as pool:
        for _ in range(repeats):
            started = time.perf_counter()
            list(pool.map(lambda part: np.copyto(target[part], source[part]), slices))
            best = min(best, time.perf_counter() - started)
    return round(2 * source.nbytes / best / 1e9, 2)


def bandwidth_figures(gen_tps: float, model_path: Path, bandwidth_gbs: float) -> dict:
    """Generation speed as a share of its physical limit: each token reads all the weights once."""
    limit = bandwidth_gbs * 1e9 / model_path.stat().st_size
    return {
        "bandwidth_gbs": bandwidth_gbs,
        "gen_tps_bandwidth_limit": round(limit, 1),
        "gen_share_of_bandwidth_limit": round(gen_tps / limit, 3) if limit else 0.0,
    }


def cold_start(settings: Settings, corpus: Path, questions: list[str], embedder, say: Say) -> dict:
    """Time to first token of a first question with nothing loaded, after the window's background preload,
    and of a later question; and how long loading the index, the embedder and the model takes."""
    from tutor.conversation import Conversation
    from tutor.pipeline import Tutor

    params = replace(settings.generation, max_tokens=8, temperature=0.0, seed=1).validated()
    first, later = questions[0], questions[1] if len(questions) > 1 else "¿Y en resumen?"
    say("Primera pregunta sin nada cargado…")
    cold = Tutor(settings, corpus).ask(first, params=params, conversation=Conversation())
    say("Carga en segundo plano, como la ventana…")
    tutor = Tutor(settings, corpus)
    started = time.perf_counter()
    tutor.warm_up(params)
    load_s = time.perf_counter() - started
    chat = Conversation()
    preloaded = tutor.ask(first, params=params, conversation=chat)
    after = tutor.ask(later, params=params, conversation=Conversation())
    tutor.llm.close()
    first, then = preloaded.timings.get("first_token_ms"), after.timings.get("first_token_ms")
    return {
        "load_s": round(load_s, 2),
        "ttft_first_question_cold_ms": cold.timings.get("first_token_ms"),
        "ttft_first_question_preloaded_ms": first,
        "ttft_later_question_ms": then,
        "ttft_preloaded_vs_later_ratio": round(first / then, 3) if first and then else None,
    }


def prompt_tokens_p50(tutor, questions: list[str], params: GenerationParams) -> int:
    """Median prompt tokens of the questions' first prompts (retrieval and excerpts, no generation)."""
    return int(np.median([len(tutor.question_plan(q, params).tokens) for q in questions]))


def batch_table(model: Path, tokens: list[int], params: GenerationParams, say: Say, quick: bool = False) -> list[dict]:
    """Prompt tokens/s for each ``n_batch``/``n_ubatch`` and prompt thread count tried (best first)."""
    from tutor.llm import prompt_speed

    threads = sorted({1, usable_cores(), params.threads_batch()})
    rows = []
    for n_batch, n_ubatch in BATCHES[: 2 if quick else None]:
        for n in threads:
            say(f"Prompt con n_batch={n_batch}, n_ubatch={n_ubatch}, {n} hilos…")
            tps = prompt_speed(model, tokens, params.n_ctx, n_batch, n_ubatch, n)
            rows.append({"n_batch": n_batch, "n_ubatch": n_ubatch, "threads_batch": n, "prompt_tps": round(tps, 1)})
    return sorted(rows, key=lambda r: -r["prompt_tps"])


def lookup_ratio(model: Path, tokens: list[int], params: GenerationParams, max_tokens: int, say: Say) -> dict:
    """Greedy generation speed with prompt-lookup decoding against without, and whether the text is the same."""
    from tutor.llm import lookup_speed

    say("Generación normal (greedy)…")
    plain_tps, plain_text = lookup_speed(model, tokens, params, max_tokens, lookup=False)
    say("Generación con búsqueda en el prompt (prompt lookup)…")
    lookup_tps, lookup_text = lookup_speed(model, tokens, params, max_tokens, lookup=True)
    return {
        "gen_tps_plain_greedy": round(plain_tps, 1),
        "gen_tps_lookup": round(lookup_tps, 1),
        "gen_tps_lookup_ratio": round(lookup_tps / plain_tps, 3) if plain_tps else 0.0,
        "lookup_same_text": lookup_text == plain_text,
    }


def tune_machine(table: list[dict], lookup: dict) -> MachineTuning:
    """The settings to keep for this CPU: the fastest batch row (only if it beats the default's speed), and
    prompt lookup only where it gained at least ``LOOKUP_GAIN`` with identical greedy text."""
    default = next((r for r in table if (r["n_batch"], r["n_ubatch"]) == (512, 512)), table[0])
    best = table[0] if table[0]["prompt_tps"] > default["prompt_tps"] else default
    on = bool(lookup.get("lookup_same_text")) and lookup.get("gen_tps_lookup_ratio", 0.0) >= LOOKUP_GAIN
    return MachineTuning(
        cpu=cpu_name(),
        n_batch=best["n_batch"],
        n_ubatch=best["n_ubatch"],
        threads_batch=best["threads_batch"],
        prompt_lookup=on,
        lookup_ratio=lookup.get("gen_tps_lookup_ratio", 0.0),
        measured=True,
    )


def bench_model_speed(tutor, questions: list[str], gen_tps: float, quick: bool, say: Say) -> dict:
    """Bandwidth share, batch table, prompt lookup and prompt tokens for the tutor's model; keeps the tuning."""
    params = tutor.settings.generation.validated()
    model = tutor.model_path()
    say("Ancho de banda de la memoria…")
    figures = bandwidth_figures(gen_tps, model, memory_bandwidth_gbs())
    figures["prompt_tokens_p50"] = prompt_tokens_p50(tutor, questions[: 5 if quick else 20], params)
    tokens = tutor.question_plan(questions[0], params).tokens
    tutor.llm.close()  # one model in memory at a time while the variants are loaded
    table = batch_table(model, tokens, params, say, quick)
    figures["batch_table"] = table
    figures.update(lookup_ratio(model, tokens, params, 16 if quick else 96, say))
    previous = load_tuning()
    tuning = tune_machine(table, figures)
    figures["tuning"] = {"saved_to": str(save_tuning(tuning)), "previous_measured": previous.measured}
    figures["prompt_lookup_on"] = tuning.prompt_lookup
    return figures
