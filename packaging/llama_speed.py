"""Prompt and generation tokens/s of one llama-cpp-python build, best of 3, as one JSON line.

Compares builds (wheels) on one machine: install each into its own folder and put it first on PYTHONPATH,
alternating runs so that a busy machine affects them alike (see docs/PERFORMANCE.md, "runtime dispatch"):

    pip install --no-deps --target /tmp/dispatch ~/.cache/tutor/wheels/cpu-dispatch/llama_cpp_python-*.whl
    PYTHONPATH=/tmp/dispatch .venv/bin/python packaging/llama_speed.py models/MODEL.gguf [VARIANT]

VARIANT (a dispatch build only: haswell, zen4…) loads that CPU variant instead of the best one for this CPU.
"""

from __future__ import annotations

import ctypes
import json
import sys
import time
from pathlib import Path

PROMPT_TOKENS, GEN_TOKENS, THREADS = 600, 128, 2


def main(model: str, variant: str = "") -> dict:
    import llama_cpp

    lib = Path(llama_cpp.__file__).parent / "lib"
    if variant:
        ggml = ctypes.CDLL(str(lib / "libggml.so.0"))
        ggml.ggml_backend_load.restype = ctypes.c_void_p
        if not ggml.ggml_backend_load(str(lib / f"libggml-cpu-{variant}.so").encode()):
            raise SystemExit(f"variant {variant} not loaded")
    else:
        from tutor.llm import load_cpu_backends

        load_cpu_backends()
    llama = llama_cpp.Llama(
        model_path=model, n_ctx=2048, n_batch=512, n_ubatch=512, n_threads=THREADS, n_threads_batch=THREADS,
        verbose=False,
    )  # fmt: skip
    text = (Path(__file__).resolve().parents[1] / "docs" / "RETRIEVAL.md").read_text(encoding="utf-8")
    tokens = llama.tokenize(text.encode())[:PROMPT_TOKENS]
    prompt, gen = [], []
    for _ in range(3):
        llama.reset()
        started = time.perf_counter()
        llama.eval(tokens)
        prompt.append(len(tokens) / (time.perf_counter() - started))
        llama.reset()
        llama.eval(tokens[:50])
        started, n = time.perf_counter(), 0
        for _token in llama.generate(tokens[:50], temp=0.0, reset=False):
            n += 1
            if n >= GEN_TOKENS:
                break
        gen.append(n / (time.perf_counter() - started))
    llama.close()
    features = llama_cpp.llama_print_system_info().decode().split("|")
    return {
        "build": str(lib.parent),
        "variant": variant or "best",
        "features": [f.strip() for f in features if "AVX512 " in f or "AMX" in f or "AVX2" in f],
        "prompt_tps": round(max(prompt), 1),
        "gen_tps": round(max(gen), 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
