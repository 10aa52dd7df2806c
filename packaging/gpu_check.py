"""GPU offload check for a GPU build of llama-cpp-python, through tutor's own model owner (tutor.llm.LocalLLM).

    python packaging/gpu_check.py MODEL.gguf               # any GGUF with a chat template
    python packaging/gpu_check.py --random VOCAB.gguf OUT.gguf   # first write a random-weight qwen2 model
                                                                 # (1536 wide, 28 layers: Qwen2.5-1.5B's shape)

Prints one JSON line per load (all layers on the GPU, none, all again): the GPU memory the load took (from
nvidia-smi), prompt progress steps, time to first token, and llama.cpp's bare prompt and generation speed. The
random model (``--random``, needs the ``gguf`` package) checks loading and offload where no real model can be
copied; its text is noise. See docs/PACKAGING.md, "GPU build".
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tutor import llm
from tutor.config import GenerationParams

QUESTION = "¿Qué diferencia hay entre top-p y top-k? Explica con un ejemplo. " * 30


def random_qwen2(vocab: Path, out: Path, n_embd: int = 1536, n_layer: int = 28) -> Path:
    """A qwen2 GGUF with Qwen's tokenizer (copied from ``vocab``, e.g. llama.cpp's ggml-vocab-qwen2.gguf) and
    random float16 weights."""
    import numpy as np
    from gguf import GGUFReader, GGUFValueType, GGUFWriter

    n_head, n_kv, n_ff = max(2, n_embd // 64), max(1, n_embd // 256), n_embd * 4
    head = n_embd // n_head
    reader = GGUFReader(vocab)
    writer = GGUFWriter(str(out), "qwen2")
    writer.add_name("random-qwen2")
    writer.add_context_length(4096)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_kv)
    writer.add_rope_freq_base(1000000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(1)
    for key, field in reader.fields.items():
        if key.startswith("tokenizer."):
            sub = {"sub_type": field.types[1]} if field.types[0] == GGUFValueType.ARRAY else {}
            writer.add_key_value(key, field.contents(), field.types[0], **sub)
    rng = np.random.default_rng(0)

    def matrix(rows: int, cols: int):
        return (rng.standard_normal((rows, cols), dtype=np.float32) * 0.02).astype(np.float16)

    def ones(n: int):
        return np.ones(n, dtype=np.float32)

    def zeros(n: int):
        return np.zeros(n, dtype=np.float32)

    writer.add_tensor("token_embd.weight", matrix(len(reader.fields["tokenizer.ggml.tokens"].data), n_embd))
    writer.add_tensor("output_norm.weight", ones(n_embd))
    for i in range(n_layer):
        tensors = {
            "attn_norm.weight": ones(n_embd),
            "attn_q.weight": matrix(n_embd, n_embd),
            "attn_q.bias": zeros(n_embd),
            "attn_k.weight": matrix(n_kv * head, n_embd),
            "attn_k.bias": zeros(n_kv * head),
            "attn_v.weight": matrix(n_kv * head, n_embd),
            "attn_v.bias": zeros(n_kv * head),
            "attn_output.weight": matrix(n_embd, n_embd),
            "ffn_norm.weight": ones(n_embd),
            "ffn_gate.weight": matrix(n_ff, n_embd),
            "ffn_up.weight": matrix(n_ff, n_embd),
            "ffn_down.weight": matrix(n_embd, n_ff),
        }
        for name, array in tensors.items():
            writer.add_tensor(f"blk.{i}.{name}", array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


def gpu_memory_mib() -> float:
    """GPU memory in use (MiB) as nvidia-smi reports it; -1 without nvidia-smi."""
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return float(out.split()[0])
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        return -1.0


def check(path: Path) -> dict:
    """Load ``path`` with every layer on the GPU, none, and every layer again; time one streamed answer each."""
    report: dict = {"gpu_offload_supported": llm.gpu_offload_supported(), "runs": []}
    for layers in (-1, 0, -1):
        model = llm.LocalLLM()
        params = GenerationParams(n_gpu_layers=layers, max_tokens=64, temperature=0.0, seed=1, n_ctx=4096)
        before = gpu_memory_mib()
        started = time.perf_counter()
        model.ensure(path, params)
        load = time.perf_counter() - started
        taken = gpu_memory_mib() - before
        prompt = model.tokenize(model.render_chat([{"role": "user", "content": QUESTION}]))
        steps: list[tuple[int, int]] = []
        started, first, pieces = time.perf_counter(), None, 0
        for _ in model.stream(prompt, params, on_prompt=lambda done, total, seen=steps: seen.append((done, total))):
            first = first or time.perf_counter()
            pieces += 1
        prompt_speed, generation_speed = model.bare_speed(prompt, params, 64)
        row = {
            "n_gpu_layers": layers,
            "load_s": round(load, 2),
            "gpu_mib_taken": round(taken),
            "prompt_tokens": len(prompt),
            "progress_steps": len(steps),
            "first_token_s": round((first or time.perf_counter()) - started, 2),
            "pieces": pieces,
            "prompt_tok_s": round(prompt_speed),
            "generation_tok_s": round(generation_speed, 1),
        }
        print(json.dumps(row), flush=True)
        report["runs"].append(row)
        model.close()
    return report


def main(argv: list[str]) -> int:
    if argv[:1] == ["--random"] and len(argv) == 3:
        path = random_qwen2(Path(argv[1]), Path(argv[2]))
    elif len(argv) == 1:
        path = Path(argv[0])
    else:
        print(__doc__)
        return 2
    report = check(path)
    print(json.dumps({"gpu_offload_supported": report["gpu_offload_supported"]}))
    return 0 if report["gpu_offload_supported"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
