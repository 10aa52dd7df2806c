"""The local LLM: finding GGUF models and owning the one ``Llama`` instance."""

from __future__ import annotations

import atexit
import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tutor.citations import marker_would_stand_for_a_noun
from tutor.config import GenerationParams
from tutor.language_model import LanguageModel, PromptProgress
from tutor.machine_tuning import load_tuning
from tutor.model_files import ModelError, check_fits_in_memory, check_gguf

log = logging.getLogger(__name__)

_LOG_CALLBACK = None


def silence_llama_logs() -> None:
    """Route llama.cpp's C-level log lines to nowhere (``tutor -v`` keeps them)."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    import ctypes

    import llama_cpp

    @llama_cpp.llama_log_callback
    def _ignore(level, text, user_data):  # pragma: no cover - called from C
        return None

    _LOG_CALLBACK = _ignore
    llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


_backends_loaded = False
# Variants never loaded. sapphirerapids is the only one with AMX kernels, and in llama.cpp 0.3.36 they die with
# «Illegal instruction» where Linux hands out AMX state per thread (seen on a Sapphire Rapids VM: ``tilezero`` in a
# worker thread that never asked for it; ggml-org/llama.cpp#26954); AMX was no faster there anyway (ollama#9203).
# Such a CPU gets the best-scored variant without AMX (zen4 on that VM: AVX-512 with VBMI, VNNI and BF16).
SKIPPED_CPU_VARIANTS = frozenset({"sapphirerapids"})


def load_cpu_backends() -> str:
    """With a runtime-dispatch build (one ``libggml-cpu-<variant>.so`` per CPU generation beside llama.cpp),
    register the best variant for this CPU before the first model; returns the lib folder's variants,
    comma-separated ("" for a single-variant build, which needs nothing). llama.cpp would look for them next to
    the Python executable only, and would pick a variant in :data:`SKIPPED_CPU_VARIANTS`, so the choice is made
    here: each variant scores this CPU (``ggml_backend_score``: 0 where the CPU lacks its instructions)."""
    global _backends_loaded
    import ctypes

    import llama_cpp

    lib = Path(llama_cpp.__file__).parent / "lib"
    variants = sorted(p.name[len("libggml-cpu-") : -len(".so")] for p in lib.glob("libggml-cpu-*.so"))
    if variants and not _backends_loaded:
        # The copy llama.cpp links to (its soname): a wheel holds libggml.so and libggml.so.0 as two separate
        # files, and loading the other one would register the variant in a registry llama.cpp never reads.
        ggml = ctypes.CDLL(str(next(p for p in (lib / "libggml.so.0", lib / "libggml.so") if p.exists())))
        if ggml.ggml_backend_reg_count() == 0:
            ggml.ggml_backend_load.restype = ctypes.c_void_p
            best = best_cpu_variant(lib, variants)
            others = [p for p in lib.glob("libggml-*.so") if p.name != "libggml-base.so" and "-cpu-" not in p.name]
            quiet = logging.getLogger("llama-cpp-python")  # llama-cpp-python prints llama.cpp's log at this level
            level = quiet.level
            quiet.setLevel(logging.ERROR)  # not «load_backend: loaded CPU backend…» in the student's terminal
            for path in ([lib / f"libggml-cpu-{best}.so"] if best else []) + others:  # others: a GPU backend
                ggml.ggml_backend_load(str(path).encode())
            quiet.setLevel(level)
            log.info("llama.cpp CPU variant: %s", best or "none")
        _backends_loaded = True
    return ",".join(variants)


def best_cpu_variant(lib: Path, variants: list[str]) -> str:
    """The variant with the highest score on this CPU, leaving out :data:`SKIPPED_CPU_VARIANTS` ("" if none
    runs here). Each library is opened only to read its score, as llama.cpp's own loader does."""
    import _ctypes
    import ctypes

    scores: dict[str, int] = {}
    for variant in variants:
        if variant in SKIPPED_CPU_VARIANTS:
            continue
        handle = ctypes.CDLL(str(lib / f"libggml-cpu-{variant}.so"))
        score = getattr(handle, "ggml_backend_score", None)
        scores[variant] = int(score()) if score is not None else 0
        _ctypes.dlclose(handle._handle)
    best = max(scores, key=scores.__getitem__, default="")
    return best if scores.get(best, 0) > 0 else ""


def gpu_offload_supported() -> bool:
    load_cpu_backends()
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


LOOKUP_DRAFT = 3  # tokens proposed per step by prompt-lookup decoding


def _lookup_options(on: bool) -> dict:
    """Llama options for prompt-lookup decoding: drafts copied from the prompt (the slides' wording), checked
    in one batch; it needs the logits of every position (``logits_all``)."""
    if not on:
        return {}
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    return {"draft_model": LlamaPromptLookupDecoding(num_pred_tokens=LOOKUP_DRAFT), "logits_all": True}


def prompt_speed(path: Path, tokens: list[int], n_ctx: int, n_batch: int, n_ubatch: int, threads: int) -> float:
    """Prompt tokens/s of a fresh model with these batch settings and prompt threads (the bench's search)."""
    from llama_cpp import Llama

    load_cpu_backends()
    llama = Llama(
        model_path=str(path), n_ctx=n_ctx, n_batch=n_batch, n_ubatch=n_ubatch, n_threads_batch=threads, verbose=False
    )
    try:
        llama.eval(tokens[:16])  # first-call warm-up
        llama.reset()
        started = time.perf_counter()
        llama.eval(tokens)
        return len(tokens) / (time.perf_counter() - started)
    finally:
        llama.close()


def lookup_speed(
    path: Path, tokens: list[int], params: GenerationParams, max_tokens: int, lookup: bool
) -> tuple[float, str]:
    """Greedy generation tokens/s of a fresh model with or without prompt-lookup decoding, and its text."""
    from llama_cpp import Llama

    load_cpu_backends()
    llama = Llama(
        model_path=str(path),
        n_ctx=params.n_ctx,
        n_threads=params.threads(),
        n_threads_batch=params.threads_batch(),
        verbose=False,
        **_lookup_options(lookup),
    )
    try:
        pieces, first = [], None
        for chunk in llama.create_completion(prompt=tokens, max_tokens=max_tokens, temperature=0.0, stream=True):
            pieces.append(chunk["choices"][0]["text"])
            first = first or time.perf_counter()
        ended = time.perf_counter()
    finally:
        llama.close()
    return ((len(pieces) - 1) / (ended - first) if first and len(pieces) > 1 else 0.0), "".join(pieces)


class LocalLLM(LanguageModel):
    """Owns the single ``Llama`` instance: loaded lazily, reused, closed on model switch."""

    def __init__(self) -> None:
        self._llama = None
        self._key: tuple | None = None
        self._markers: tuple[Path | None, list[int]] | None = None  # (model, its marker-opening tokens)
        self._lock = threading.RLock()
        self.load_seconds = 0.0
        atexit.register(self.close)  # free the model before the interpreter tears ctypes down

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def path(self) -> Path | None:
        return Path(self._key[0]) if self._key else None

    def ensure(self, path: Path, params: GenerationParams, progress: Callable[[str], None] | None = None) -> None:
        """Load ``path`` with the context/threads/GPU settings of ``params`` unless already loaded."""
        gpu_layers = params.n_gpu_layers if gpu_offload_supported() else 0
        tuning = load_tuning()  # what `tutor bench` measured fastest on this CPU
        threads_batch = params.n_threads_batch or tuning.threads_batch or params.threads_batch()
        key = (str(path), params.n_ctx, params.threads(), threads_batch, gpu_layers, tuning)
        with self._lock:
            if self._key == key and self._llama is not None:
                return
            self.close()
            check_gguf(path)
            check_fits_in_memory(path, params.n_ctx, gpu_layers)
            if progress:
                progress(f"Cargando el modelo {path.name}…")
            from llama_cpp import Llama

            if not logging.getLogger().isEnabledFor(logging.INFO):
                silence_llama_logs()
            started = time.perf_counter()
            try:
                self._llama = Llama(
                    model_path=str(path),
                    n_ctx=params.n_ctx,
                    n_threads=params.threads(),
                    n_threads_batch=threads_batch,
                    n_gpu_layers=gpu_layers,
                    n_batch=tuning.n_batch,
                    n_ubatch=tuning.n_ubatch,
                    verbose=False,
                    **_lookup_options(tuning.prompt_lookup),
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelError(
                    f"No se pudo cargar el modelo {path.name}: el archivo parece incompleto o dañado (¿se cortó "
                    f"la descarga?) o es de una arquitectura que esta versión de llama.cpp no conoce. ({exc})"
                ) from exc
            self.load_seconds = time.perf_counter() - started
            self._key = key

    def close(self) -> None:
        """Free the loaded model, if any."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
            self._llama = None
            self._key = None

    @property
    def llama(self):
        """The loaded ``llama_cpp.Llama`` (only this module uses it)."""
        if self._llama is None:
            raise ModelError("No hay ningún modelo cargado.")
        return self._llama

    def bos(self) -> list[int]:
        token = self.llama.token_bos()
        return [token] if token >= 0 else []

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def detokenize(self, tokens: list[int]) -> str:
        return self.llama.detokenize(tokens).decode("utf-8", errors="ignore")

    def metadata(self) -> dict[str, str]:
        return dict(self.llama.metadata)

    def render_chat(self, messages: list[dict]) -> str:
        """``messages`` through the GGUF's own Jinja chat template (with the generation prompt)."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self.chat_template()
        if not template:
            raise ModelError("Este modelo no tiene plantilla de chat.")
        llama = self.llama
        bos = llama._model.token_get_text(llama.token_bos()) if llama.token_bos() >= 0 else ""
        eos = llama._model.token_get_text(llama.token_eos()) if llama.token_eos() >= 0 else ""
        return Jinja2ChatFormatter(template, eos, bos)(messages=messages).prompt

    def piece(self, token: int) -> str:
        """The text of one token as the student would read it (bytes that are not valid UTF-8 shown as such)."""
        raw = self.llama.detokenize([token])
        if not raw:  # a control token such as <bos>
            return self.llama._model.token_get_text(token)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in raw)

    def next_token_logits(self, tokens: list[int]):
        """The raw logits (numpy, one per vocabulary entry) for the token after ``tokens``."""
        import numpy as np

        with self._lock:
            self._prime(tokens)
            llama = self.llama
            llama.eval(tokens[llama.n_tokens :])
            import llama_cpp

            pointer = llama_cpp.llama_get_logits_ith(llama._ctx.ctx, -1)  # the last evaluated token's row
            return np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),)).astype(np.float32, copy=True)

    def choose(self, messages: list[dict], labels: list[str], prefix: str = "") -> tuple[int, list[float]]:
        """One of ``labels`` and their probabilities, read from the next-token logits (see the base class)."""
        with self._lock:
            return super().choose(messages, labels, prefix)

    def sample(self, tokens: list[int], params: GenerationParams, n: int, max_tokens: int = 8) -> list[str]:
        """``n`` short continuations of ``tokens`` sampled with ``params`` (penalties off), one seed each."""
        outputs = []
        base = params.seed if params.seed >= 0 else random.randrange(2**31 - n)
        for i in range(n):
            with self._lock:
                self._prime(tokens)
                out = self.llama.create_completion(
                    prompt=tokens,
                    max_tokens=max_tokens,
                    temperature=params.temperature,
                    top_p=params.top_p,
                    top_k=params.top_k,
                    min_p=params.min_p,
                    repeat_penalty=1.0,
                    seed=base + i,
                    stop=["\n"],
                )
            outputs.append(out["choices"][0]["text"])
        return outputs

    def chat(self, messages: list[dict], max_tokens: int, stop: list[str] | None = None) -> str:
        tokens = self.tokenize(self.render_chat(messages))
        with self._lock:
            self._prime(tokens)
            out = self.llama.create_completion(prompt=tokens, max_tokens=max_tokens, temperature=0.0, stop=stop)
        return out["choices"][0]["text"]

    def chat_json(self, messages: list[dict], max_tokens: int = 300) -> str:
        """A chat reply constrained to JSON (llama.cpp grammar), for helper tasks such as quiz questions."""
        with self._lock:
            self.llama.reset()
            out = self.llama.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens,
                temperature=0.3,
                response_format={"type": "json_object"},
            )
        return out["choices"][0]["message"]["content"] or ""

    def complete(self, prompt: str, max_tokens: int, stop: list[str]) -> str:
        """A short greedy completion of ``prompt`` (for helper tasks such as query translation)."""
        tokens = self.tokenize(prompt, add_bos=True)
        with self._lock:
            out = self.llama.create_completion(prompt=tokens, max_tokens=max_tokens, temperature=0.0, stop=stop)
        return out["choices"][0]["text"]

    def prefill(self, tokens: list[int]) -> None:
        with self._lock:
            self._prime([*tokens, 0])  # _prime keeps all but the last token: the dummy one

    def _prime(self, tokens: list[int], on_prompt: PromptProgress | None = None) -> None:
        """Have the KV cache hold exactly ``tokens[:-1]``, reusing any cached prefix.

        llama.cpp then always evaluates the prompt's last token on its own, cold or warm, so the same
        prompt gives bit-identical logits (temperature 0 repeats itself) while the shared prefix of
        consecutive questions is still reused from the cache.
        """
        llama = self.llama
        prefix = tokens[:-1]
        try:
            cached = llama._input_ids[: llama.n_tokens]
            n = 0
            for a, b in zip(cached, prefix, strict=False):
                if a != b:
                    break
                n += 1
            if n == len(prefix) and llama.n_tokens == n:
                return
            if n == 0:
                llama.reset()
            elif llama._ctx.kv_cache_seq_rm(-1, n, -1):
                llama.n_tokens = n
            else:
                llama.reset()
            todo = prefix[llama.n_tokens :]
            step = max(1, min(256, llama.n_batch))  # several steps, so a slow CPU shows the prompt progress
            for start in range(0, len(todo), step):  # in batches, so a slow CPU can show progress
                if on_prompt:
                    on_prompt(start, len(todo))
                llama.eval(todo[start : start + step])
            if on_prompt and todo:
                on_prompt(len(todo), len(todo))
        except AttributeError:  # another llama-cpp-python version: let it manage the cache itself
            return

    def stream(
        self,
        prompt_tokens: list[int],
        params: GenerationParams,
        on_prompt: PromptProgress | None = None,
        grammar: str | None = None,
    ) -> Iterator[str]:
        """Stream the completion of ``prompt_tokens`` as text pieces (one per token), constrained to
        ``grammar`` (GBNF) when given."""
        seed = params.seed if params.seed >= 0 else random.randrange(2**31)
        constraint = _grammar(grammar) if grammar else None
        with self._lock:
            self._prime(prompt_tokens, on_prompt)
            guard = MarkerGuard(self.detokenize, self._marker_tokens())
            for chunk in self.llama.create_completion(
                prompt=prompt_tokens,
                max_tokens=params.max_tokens,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                frequency_penalty=params.frequency_penalty,
                presence_penalty=params.presence_penalty,
                stop=list(params.stop) or None,
                seed=seed,
                grammar=constraint,
                logits_processor=[guard],
                stream=True,
            ):
                yield chunk["choices"][0]["text"]

    def _marker_tokens(self) -> list[int]:
        """The tokens that open a citation marker («[», « [»…), listed once per loaded model."""
        if self._markers is None or self._markers[0] != self.path:
            llama = self.llama
            ids = [i for i in range(llama.n_vocab()) if llama.detokenize([i]).lstrip().startswith(b"[")]
            self._markers = (self.path, ids)
        return self._markers[1]

    def bare_speed(self, prompt_tokens: list[int], params: GenerationParams, max_tokens: int) -> tuple[float, float]:
        """(prompt, generation) tokens/s of a bare llama-cpp-python loop from a cold cache: the bench's reference."""
        with self._lock:
            llama = self.llama
            llama.reset()
            started = time.perf_counter()
            first = None
            n = 0
            for _ in llama.create_completion(
                prompt=prompt_tokens,
                max_tokens=max_tokens,
                temperature=0.0,
                top_k=params.top_k,
                top_p=params.top_p,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                stream=True,
                seed=1,
            ):
                n += 1
                if first is None:
                    first = time.perf_counter()
            ended = time.perf_counter()
            llama.reset()
        if first is None:
            return 0.0, 0.0
        return len(prompt_tokens) / (first - started), (n - 1) / (ended - first) if n > 1 else 0.0


class MarkerGuard:
    """A logits processor: no citation marker where the sentence's noun should be («el servicio es [1].»).

    After the words of :func:`tutor.citations.marker_would_stand_for_a_noun` the tokens that open a marker are
    masked, so the model names what it means; the grounding check would leave such a sentence out anyway.
    """

    TAIL_TOKENS = 6  # enough text to read the last word

    def __init__(self, detokenize: Callable[[list[int]], str], marker_tokens: list[int]) -> None:
        self.detokenize = detokenize
        self.marker_tokens = marker_tokens

    def __call__(self, input_ids, scores):
        if self.marker_tokens and len(input_ids):
            tail = self.detokenize([int(t) for t in input_ids[-self.TAIL_TOKENS :]])
            if marker_would_stand_for_a_noun(tail):
                scores[self.marker_tokens] = -float("inf")
        return scores


@functools.lru_cache(maxsize=8)
def _grammar(text: str):
    """A parsed llama.cpp grammar, kept: the same answer grammar serves every question."""
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(text, verbose=False)
